/* gen_chat.c: writes the inputs of bench/chat/run.sh, the same on every
 * run (fixed seed):
 *   gen_chat slack OUT.zip N CHANNELS   a Slack export of N messages over
 *                                       CHANNELS channels (users.json,
 *                                       channels.json, one file per channel
 *                                       and day, 2000 messages a day file),
 *                                       zipped with libarchive (deflate)
 *   gen_chat irc OUT.log N              an irclog2html-style log of N lines
 * Messages have mentions, links, escaping, threads, edits and joins, so
 * that every branch of the parsers runs. */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USERS   50
#define PER_DAY 2000
#define T0      1700000000LL

static unsigned long long seed = 42;

static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((seed >> 33) % n);
}

static const char *const words[] = {
	"the", "db", "is", "slow", "again", "rolling", "back", "deploy",
	"errors", "up", "on", "checkout", "looking", "graph", "cpu", "p99",
	"latency", "cache", "miss", "restart", "pool", "exhausted", "ok",
	"fixed", "now", "paging", "oncall", "why", "queue", "backlog"};
#define NWORDS (sizeof words / sizeof words[0])

static void sentence(char *out, size_t n)
{
	size_t len = 0;
	int k = 4 + (int)rnd(12);

	out[0] = '\0';
	for (int i = 0; i < k && len + 16 < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					i ? " " : "", words[rnd(NWORDS)]);
}

static void add(struct archive *w, const char *name, const char *data,
		size_t len)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	if (archive_write_header(w, e) != ARCHIVE_OK ||
	    archive_write_data(w, data, len) != (la_ssize_t)len) {
		fprintf(stderr, "gen_chat: %s\n", archive_error_string(w));
		exit(1);
	}
	archive_entry_free(e);
}

static int slack(const char *out, long n, int channels)
{
	struct archive *w = archive_write_new();
	size_t cap = 4 << 20, len;
	char *buf = malloc(cap), text[256], name[64];
	long done = 0;

	archive_write_set_format_zip(w);
	if (!buf || archive_write_open_filename(w, out) != ARCHIVE_OK) {
		fprintf(stderr, "gen_chat: cannot write %s\n", out);
		return 1;
	}
	len = (size_t)snprintf(buf, cap, "[");
	for (int u = 0; u < USERS; u++)
		len += (size_t)snprintf(buf + len, cap - len,
					"%s{\"id\":\"U%03d\",\"name\":\"user%d\","
					"\"profile\":{\"display_name\":\"User "
					"%d\"}}",
					u ? "," : "", u, u, u);
	len += (size_t)snprintf(buf + len, cap - len, "]");
	add(w, "users.json", buf, len);
	len = (size_t)snprintf(buf, cap, "[");
	for (int c = 0; c < channels; c++)
		len += (size_t)snprintf(buf + len, cap - len,
					"%s{\"id\":\"C%03d\",\"name\":\"chan-%d\"}",
					c ? "," : "", c, c);
	len += (size_t)snprintf(buf + len, cap - len, "]");
	add(w, "channels.json", buf, len);
	for (int day = 0; done < n; day++) {
		for (int c = 0; c < channels && done < n; c++) {
			long long t = T0 + day * 86400LL;
			long parent = -1;

			len = (size_t)snprintf(buf, cap, "[\n");
			for (int i = 0; i < PER_DAY && done < n; i++, done++) {
				unsigned r = rnd(100);
				long long s = t + i * 40;
				int us = (int)rnd(1000000);

				sentence(text, sizeof text);
				len += (size_t)snprintf(
					buf + len, cap - len,
					"%s{\"type\":\"message\",%s\"user\":\"U%03u\","
					"\"text\":\"%s%s%s\",\"ts\":\"%lld.%06d\"%s%s%s}\n",
					i ? "," : "",
					r < 3 ? "\"subtype\":\"channel_join\"," : "",
					rnd(USERS),
					r >= 3 && r < 13 ? "<@U007> " : "", text,
					r >= 13 && r < 18
						? " <https://grafana.example/d/x|graph> &amp; more"
						: "",
					s, us,
					r >= 18 && r < 22 ? ",\"edited\":{\"ts\":\"1\"}"
							  : "",
					parent >= 0 && r >= 22 && r < 40
						? ",\"thread_ts\":\"" : "",
					"");
				if (parent >= 0 && r >= 22 && r < 40) {
					/* close the thread_ts value */
					len--; /* drop '\n' */
					len--; /* drop '}' */
					len += (size_t)snprintf(buf + len,
								cap - len,
								"%lld.000000\"}\n",
								(long long)parent);
				}
				if (r >= 90)
					parent = s;
			}
			len += (size_t)snprintf(buf + len, cap - len, "]\n");
			snprintf(name, sizeof name, "chan-%d/%04d-%02d-%02d.json",
				 c, 2023 + day / 360, 1 + (day / 30) % 12,
				 1 + day % 30);
			add(w, name, buf, len);
		}
	}
	archive_write_close(w);
	archive_write_free(w);
	free(buf);
	return 0;
}

static int irc(const char *out, long n)
{
	FILE *f = fopen(out, "w");
	char text[256];

	if (!f) {
		fprintf(stderr, "gen_chat: cannot write %s\n", out);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		long long t = T0 + i * 3;
		time_t tt = (time_t)t;
		struct tm tm;
		unsigned r = rnd(100);

		gmtime_r(&tt, &tm);
		sentence(text, sizeof text);
		fprintf(f, "%04d-%02d-%02dT%02d:%02d:%02d  ", tm.tm_year + 1900,
			tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			tm.tm_sec);
		if (r < 3)
			fprintf(f, "*** user%u has joined #ops\n", rnd(USERS));
		else if (r < 5)
			fprintf(f, "* user%u %s\n", rnd(USERS), text);
		else if (r < 6)
			fprintf(f, "<user%u> caf\xe9 %s\n", rnd(USERS), text);
		else
			fprintf(f, "<user%u> %s\n", rnd(USERS), text);
	}
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "slack"))
		return slack(argv[2], atol(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "irc"))
		return irc(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: gen_chat slack OUT.zip N CHANNELS | irc OUT.log N\n");
	return 2;
}
