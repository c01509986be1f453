/* config.c: settings from debrief.conf, DEBRIEF_* environment variables
 * and flags. One setter (config_set) checks every value, whatever its
 * source, so a bad value gets the same message everywhere. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/meeting.h"
#include "model/factor_key.h"
#include "util/arena.h"
#include "util/log.h"
#include "util/tz.h"
#include "util/utf8.h"

#define MAX_THREADS   256
#define MAX_PAGE_SIZE 500
#define LINE_MAX_LEN  4096
#define MAX_CONNECTIONS 65536
#define MIN_HEADER      (8 * 1024)
#define MAX_HEADER      (1024 * 1024)

static const char *const default_severity[6] = {
	"",
	"Critical — full outage or data loss for many users",
	"Major — a core feature unavailable or badly degraded for many users",
	"Moderate — partial degradation, or a feature down for some users",
	"Minor — small impact with a workaround, or few users affected",
	"Minimal — no user-visible impact",
};

/* Every key config_set takes (severity.N is one entry), for suggestions
 * on a typo. tests/unit/test_config.c checks that each is accepted. */
static const char *const config_keys[] = {
	"db", "listen", "max_body", "max_header", "idle_timeout",
	"request_timeout", "max_connections", "max_connections_per_ip",
	"threads", "severity.1", "severity.2", "severity.3", "severity.4",
	"severity.5", "anonymous_user", "page_size", "cache_bytes",
	"render_store_bytes",
	"cookie_secure", "time_zone",
	"session_idle", "session_max", "proxy_user_header", "trusted_proxies",
	"log_format", "log_file", "access_log", "statsd", "statsd_prefix",
	"metrics.token", "metrics.allow", "public_url",
	"chat_max_entry", "slack_token", "slack_api_url",
	"coach_hints",
	"meeting_max_invitees", "meeting_overdue_days", "meeting_phases",
	"meeting_organizer", "smtp_url", "smtp_starttls", "smtp_user",
	"smtp_password", "smtp_from",
	"sync_interval", "linger_days", "search_count_cap",
	"search_rank_window",
	"factor_synonyms",
	"flags.source", "flags.interval",
};

const char *config_key_name(size_t i)
{
	return i < sizeof config_keys / sizeof config_keys[0] ? config_keys[i]
							      : NULL;
}

/* edit_distance is the Levenshtein distance of a and b, or a number past
 * any useful one when either is longer than 63 bytes. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], i, j;

	if (la > 63 || lb > 63)
		return 64;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *config_suggest(const char *key)
{
	const char *best = NULL;
	/* at most two edits away, three for a long key ("trusted_proxy") */
	size_t best_d = strlen(key) >= 10 ? 4 : 3;

	for (size_t i = 0; config_key_name(i); i++) {
		size_t d = edit_distance(key, config_keys[i]);

		if (d < best_d) {
			best_d = d;
			best = config_keys[i];
		}
	}
	return best;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->db, sizeof c->db, "%s", "debrief.db");
	snprintf(c->listen, sizeof c->listen, "%s", "127.0.0.1:8080");
	/* a review form with all ten markdown sections at their 256 KiB
	 * limit, every byte percent-encoded (3 bytes), is 7.5 MiB */
	c->max_body = 8 * 1024 * 1024;
	c->max_header = 64 * 1024;
	c->idle_timeout = 30;
	c->request_timeout = 60;
	c->flags_interval = 10;
	c->max_connections = 512;
	c->threads = 0;
	for (int i = 1; i <= 5; i++)
		snprintf(c->severity[i], sizeof c->severity[i], "%s",
			 default_severity[i]);
	snprintf(c->anonymous_user, sizeof c->anonymous_user, "%s", "local");
	snprintf(c->time_zone, sizeof c->time_zone, "%s", "UTC");
	c->page_size = 25;
	c->cache_bytes = 64 * 1024 * 1024;
	c->render_store_bytes = RENDER_STORE_AUTO;
	c->chat_max_entry = 64 * 1024 * 1024;
	snprintf(c->slack_api_url, sizeof c->slack_api_url, "%s",
		 "https://slack.com/api");
	c->smtp_starttls = 1;
	c->meeting_max_invitees = 1000;
	c->meeting_overdue_days = 14;
	snprintf(c->meeting_phases, sizeof c->meeting_phases, "%s",
		 MEETING_PHASES_DEFAULT);
	c->session_idle = 12 * 3600;
	c->session_max = 7 * 24 * 3600;
	c->log_format = LOG_LOGFMT;
	snprintf(c->statsd_prefix, sizeof c->statsd_prefix, "%s", "debrief");
	c->sync_interval = 900;
	c->linger_days = 30;
	c->search_count_cap = 1000;
	c->search_rank_window = 500;
}

/* parse_bool reads true/false (or 1/0) into *out; -1 for anything else. */
static int parse_bool(const char *s, int *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "1"))
		*out = 1;
	else if (!strcmp(s, "false") || !strcmp(s, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

/* parse_duration reads seconds with an optional s, m, h or d suffix; at
 * least one second, at most a year. */
static int parse_duration(const char *s, long *out)
{
	long v, mult = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 's': end++; break;
	case 'm': mult = 60; end++; break;
	case 'h': mult = 3600; end++; break;
	case 'd': mult = 86400; end++; break;
	}
	if (*end || v <= 0 || v > 366L * 86400 / mult)
		return -1;
	*out = v * mult;
	return 0;
}

/* parse_long reads a whole unsigned decimal number in [min, max]. */
static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* parse_size reads bytes with an optional K, M or G suffix (powers of
 * 1024); at least 1 byte, at most 1 GiB. */
static int parse_size(const char *s, size_t *out)
{
	unsigned long long v, mult = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		mult = 1024ULL;
		end++;
		break;
	case 'm':
	case 'M':
		mult = 1024ULL * 1024;
		end++;
		break;
	case 'g':
	case 'G':
		mult = 1024ULL * 1024 * 1024;
		end++;
		break;
	}
	if ((*end == 'b' || *end == 'B') && mult > 1)
		end++;
	if (*end || v == 0 || v > (1ULL << 30) / mult)
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

/* copy_str copies value into dst (n bytes); -1 when it does not fit. */
static int copy_str(char *dst, size_t n, const char *value)
{
	size_t len = strlen(value);

	if (len >= n)
		return -1;
	memcpy(dst, value, len + 1);
	return 0;
}

/* url_host finds the host of an http or https URL: *start and *len
 * (brackets of an IPv6 address included); -1 when url is not
 * "http[s]://HOST[:PORT][/]". */
static int url_host(const char *url, const char **start, size_t *len)
{
	const char *h, *end;

	if (!strncmp(url, "https://", 8))
		h = url + 8;
	else if (!strncmp(url, "http://", 7))
		h = url + 7;
	else
		return -1;
	if (*h == '[') {
		end = strchr(h, ']');
		if (!end || end == h + 1)
			return -1;
		end++;
	} else {
		end = h + strcspn(h, ":/");
	}
	if (end == h)
		return -1;
	for (const char *p = h; p < end; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("-.[]:", *p)))
			return -1;
	if (*end == ':') {
		const char *port = end + 1;
		size_t n = strspn(port, "0123456789");

		if (n == 0 || n > 5 || atol(port) > 65535)
			return -1;
		end = port + n;
		*start = h;
		*len = (size_t)(end - h) - n - 1;
	} else {
		*start = h;
		*len = (size_t)(end - h);
	}
	if (*end && strcmp(end, "/") != 0)
		return -1;
	return 0;
}

void config_public_host(const struct config *c, char *host, size_t hostlen)
{
	const char *h;
	size_t n, i;

	host[0] = '\0';
	if (!c->public_url[0] || url_host(c->public_url, &h, &n) < 0 ||
	    n >= hostlen)
		return;
	for (i = 0; i < n; i++)
		host[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] - 'A' + 'a'
							    : h[i]);
	host[n] = '\0';
}

/* config_set applies one key. Returns E_OK, or E_INVALID with a message
 * (without a location: the caller adds "path:line: " or the variable). */
static enum err_code config_set(struct config *c, const char *key,
				const char *value, struct err *e)
{
	struct config tmp;
	char host[128];
	long v;
	int port;

	if (!utf8_valid(value, strlen(value), NULL))
		return err_set(e, E_INVALID, key, "%s: not valid UTF-8", key);
	if (!strcmp(key, "db")) {
		if (!*value || copy_str(c->db, sizeof c->db, value) < 0)
			goto bad;
	} else if (!strcmp(key, "listen")) {
		memset(&tmp, 0, sizeof tmp);
		if (copy_str(tmp.listen, sizeof tmp.listen, value) < 0 ||
		    config_listen_split(&tmp, host, sizeof host, &port, NULL) !=
			    E_OK)
			return err_set(e, E_INVALID, key,
				       "listen: expected HOST:PORT, got '%s'",
				       value);
		memcpy(c->listen, tmp.listen, sizeof c->listen);
	} else if (!strcmp(key, "max_body")) {
		if (parse_size(value, &c->max_body) < 0)
			return err_set(e, E_INVALID, key,
				       "max_body: expected a size such as "
				       "1048576, 512K or 2M (at most 1G), got "
				       "'%s'",
				       value);
	} else if (!strcmp(key, "max_header")) {
		size_t n;

		if (parse_size(value, &n) < 0 || n < MIN_HEADER ||
		    n > MAX_HEADER)
			return err_set(e, E_INVALID, key,
				       "max_header: expected a size from 8K "
				       "to 1M, got '%s'",
				       value);
		c->max_header = n;
	} else if (!strcmp(key, "idle_timeout") ||
		   !strcmp(key, "request_timeout")) {
		if (parse_duration(value, key[0] == 'i' ? &c->idle_timeout
							: &c->request_timeout) <
		    0)
			return err_set(e, E_INVALID, key,
				       "%s: expected a duration such as 30, "
				       "90s or 2m, got '%s'",
				       key, value);
	} else if (!strcmp(key, "max_connections") ||
		   !strcmp(key, "max_connections_per_ip")) {
		int per_ip = key[15] == '_';

		if (parse_long(value, per_ip ? 0 : 1, MAX_CONNECTIONS, &v) < 0)
			return err_set(e, E_INVALID, key,
				       "%s: expected %d to %d, got '%s'", key,
				       per_ip ? 0 : 1, MAX_CONNECTIONS, value);
		if (per_ip)
			c->max_connections_per_ip = (int)v;
		else
			c->max_connections = (int)v;
	} else if (!strcmp(key, "threads")) {
		if (parse_long(value, 0, MAX_THREADS, &v) < 0)
			return err_set(e, E_INVALID, key,
				       "threads: expected 0 (4 per core, at "
				       "least 8) to %d, got '%s'",
				       MAX_THREADS, value);
		c->threads = (int)v;
	} else if (!strncmp(key, "severity.", 9)) {
		if (parse_long(key + 9, 1, 5, &v) < 0)
			return err_set(e, E_INVALID, key,
				       "unknown key '%s' (severity.1 to "
				       "severity.5)",
				       key);
		if (!*value ||
		    copy_str(c->severity[v], sizeof c->severity[v], value) < 0)
			goto bad;
	} else if (!strcmp(key, "anonymous_user")) {
		if (!*value || copy_str(c->anonymous_user,
					sizeof c->anonymous_user, value) < 0)
			goto bad;
	} else if (!strcmp(key, "time_zone")) {
		if (!tz_get(value))
			return err_set(e, E_INVALID, key,
				       "time_zone: no time zone '%.64s' in the "
				       "tz database (a name such as UTC or "
				       "Europe/Berlin)",
				       value);
		snprintf(c->time_zone, sizeof c->time_zone, "%s", value);
	} else if (!strcmp(key, "page_size")) {
		if (parse_long(value, 1, MAX_PAGE_SIZE, &v) < 0)
			return err_set(e, E_INVALID, key,
				       "page_size: expected 1 to %d, got '%s'",
				       MAX_PAGE_SIZE, value);
		c->page_size = (int)v;
	} else if (!strcmp(key, "cache_bytes")) {
		size_t n;

		if (parse_size(value, &n) < 0 || n < 1024 * 1024)
			return err_set(e, E_INVALID, key,
				       "cache_bytes: expected a size from 1M "
				       "to 1G, got '%s'",
				       value);
		c->cache_bytes = n;
	} else if (!strcmp(key, "render_store_bytes")) {
		size_t n = 0;

		if (!strcmp(value, "auto"))
			n = RENDER_STORE_AUTO;
		else if (strcmp(value, "0") &&
			 (parse_size(value, &n) < 0 || n < 1024 * 1024))
			return err_set(e, E_INVALID, key,
				       "render_store_bytes: expected auto, 0 "
				       "(none) or a size from 1M to 1G, got "
				       "'%s'",
				       value);
		c->render_store_bytes = n;
	} else if (!strcmp(key, "chat_max_entry")) {
		size_t n;

		if (parse_size(value, &n) < 0 || n < 1024)
			return err_set(e, E_INVALID, key,
				       "chat_max_entry: expected a size from "
				       "1K to 1G, got '%s'",
				       value);
		c->chat_max_entry = n;
	} else if (!strcmp(key, "slack_token")) {
		/* the value is a secret: no message repeats it */
		if (copy_str(c->slack_token, sizeof c->slack_token, value) < 0)
			goto bad;
		for (const char *p = c->slack_token; *p; p++)
			if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
				return err_set(e, E_INVALID, key,
					       "slack_token: only printable "
					       "ASCII without spaces");
	} else if (!strcmp(key, "factor_synonyms")) {
		/* each line adds a group; the whole list must parse */
		struct arena *a = arena_new();
		struct factor_synonyms syn;
		size_t used = strlen(c->factor_synonyms);
		enum err_code rc;

		if (!a)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		if (used + strlen(value) + 2 > sizeof c->factor_synonyms) {
			arena_free(a);
			return err_set(e, E_INVALID, key,
				       "factor_synonyms: the list is longer "
				       "than %zu bytes",
				       sizeof c->factor_synonyms - 1);
		}
		rc = factor_synonyms_parse(
			a, arena_printf(a, "%s%s%s", c->factor_synonyms,
					used ? "\n" : "", value),
			&syn, e);
		arena_free(a);
		if (rc != E_OK)
			return rc;
		snprintf(c->factor_synonyms + used,
			 sizeof c->factor_synonyms - used, "%s%s",
			 used ? "\n" : "", value);
	} else if (!strcmp(key, "slack_api_url")) {
		if ((strncmp(value, "https://", 8) &&
		     strncmp(value, "http://", 7)) ||
		    copy_str(c->slack_api_url, sizeof c->slack_api_url,
			     value) < 0)
			return err_set(e, E_INVALID, key,
				       "slack_api_url: expected an http:// or "
				       "https:// URL, got '%.100s'",
				       value);
	} else if (!strcmp(key, "meeting_max_invitees") ||
		   !strcmp(key, "meeting_overdue_days")) {
		int inv = key[8] == 'm';

		if (parse_long(value, 1, inv ? MEETING_INVITEES_MAX : 365,
			       &v) < 0)
			return err_set(e, E_INVALID, key,
				       "%s: expected 1 to %d, got '%.100s'", key,
				       inv ? MEETING_INVITEES_MAX : 365, value);
		if (inv)
			c->meeting_max_invitees = v;
		else
			c->meeting_overdue_days = v;
	} else if (!strcmp(key, "meeting_phases")) {
		struct meeting_phases ph;
		char why[160];

		if (meeting_phases_parse(value, &ph, why, sizeof why) < 0 ||
		    copy_str(c->meeting_phases, sizeof c->meeting_phases,
			     value) < 0)
			return err_set(e, E_INVALID, key, "meeting_phases: %s",
				       why);
	} else if (!strcmp(key, "meeting_organizer")) {
		if (!meeting_address_valid(value) ||
		    copy_str(c->meeting_organizer, sizeof c->meeting_organizer,
			     value) < 0)
			return err_set(e, E_INVALID, key,
				       "meeting_organizer: expected an e-mail "
				       "address, got '%.100s'",
				       value);
	} else if (!strcmp(key, "smtp_url")) {
		if ((strncmp(value, "smtp://", 7) && strncmp(value, "smtps://", 8)) ||
		    strpbrk(value, " \r\n") ||
		    copy_str(c->smtp_url, sizeof c->smtp_url, value) < 0)
			return err_set(e, E_INVALID, key,
				       "smtp_url: expected smtp://HOST:PORT or "
				       "smtps://HOST:PORT, got '%.100s'",
				       value);
	} else if (!strcmp(key, "smtp_starttls")) {
		if (!strcmp(value, "true") || !strcmp(value, "1"))
			c->smtp_starttls = 1;
		else if (!strcmp(value, "false") || !strcmp(value, "0"))
			c->smtp_starttls = 0;
		else
			return err_set(e, E_INVALID, key,
				       "smtp_starttls: expected true or false, "
				       "got '%.100s'",
				       value);
	} else if (!strcmp(key, "smtp_user")) {
		if (copy_str(c->smtp_user, sizeof c->smtp_user, value) < 0)
			return err_set(e, E_INVALID, key, "smtp_user: too long");
	} else if (!strcmp(key, "smtp_password")) {
		/* a secret: no message repeats it */
		if (copy_str(c->smtp_password, sizeof c->smtp_password,
			     value) < 0)
			return err_set(e, E_INVALID, key,
				       "smtp_password: too long");
	} else if (!strcmp(key, "smtp_from")) {
		if (!meeting_address_valid(value) ||
		    copy_str(c->smtp_from, sizeof c->smtp_from, value) < 0)
			return err_set(e, E_INVALID, key,
				       "smtp_from: expected an e-mail address, "
				       "got '%.100s'",
				       value);
	} else if (!strncmp(key, "tracker.", 8)) {
		return config_tracker_set(c, key, value, e);
	} else if (!strcmp(key, "sync_interval")) {
		if (strcmp(value, "0") && parse_duration(value, &c->sync_interval) < 0)
			return err_set(e, E_INVALID, key,
				       "sync_interval: expected a duration "
				       "such as 300, 15m or 1h (0: no "
				       "background sync), got '%s'",
				       value);
		if (!strcmp(value, "0"))
			c->sync_interval = 0;
	} else if (!strcmp(key, "search_count_cap")) {
		if (parse_long(value, 0, 100000000, &c->search_count_cap) < 0)
			return err_set(e, E_INVALID, key,
				       "search_count_cap: expected 0 to "
				       "100000000, got '%.100s'",
				       value);
	} else if (!strcmp(key, "search_rank_window")) {
		if (parse_long(value, 0, 100000000, &c->search_rank_window) < 0)
			return err_set(e, E_INVALID, key,
				       "search_rank_window: expected 0 to "
				       "100000000, got '%.100s'",
				       value);
	} else if (!strcmp(key, "linger_days")) {
		if (parse_long(value, 1, 3650, &c->linger_days) < 0)
			return err_set(e, E_INVALID, key,
				       "linger_days: expected 1 to 3650, got "
				       "'%s'",
				       value);
	} else if (!strcmp(key, "cookie_secure")) {
		if (!strcmp(value, "true") || !strcmp(value, "1"))
			c->cookie_secure = 1;
		else if (!strcmp(value, "false") || !strcmp(value, "0"))
			c->cookie_secure = 0;
		else
			return err_set(e, E_INVALID, key,
				       "cookie_secure: expected true or false, "
				       "got '%s'",
				       value);
	} else if (!strcmp(key, "session_idle") ||
		   !strcmp(key, "session_max")) {
		if (parse_duration(value, key[8] == 'i' ? &c->session_idle
							 : &c->session_max) < 0)
			return err_set(e, E_INVALID, key,
				       "%s: expected a duration such as 3600, "
				       "30m, 12h or 7d, got '%s'",
				       key, value);
	} else if (!strcmp(key, "proxy_user_header")) {
		if (copy_str(c->proxy_user_header, sizeof c->proxy_user_header,
			     value) < 0)
			goto bad;
	} else if (!strcmp(key, "trusted_proxies")) {
		if (copy_str(c->trusted_proxies, sizeof c->trusted_proxies,
			     value) < 0)
			goto bad;
	} else if (!strcmp(key, "log_format")) {
		int f = log_parse_format(value);

		if (f < 0)
			return err_set(e, E_INVALID, key,
				       "log_format: expected logfmt or json, "
				       "got '%s'",
				       value);
		c->log_format = f;
	} else if (!strcmp(key, "log_file")) {
		if (copy_str(c->log_file, sizeof c->log_file, value) < 0)
			goto bad;
	} else if (!strcmp(key, "coach_hints")) {
		if (parse_bool(value, &c->coach_hints) < 0)
			return err_set(e, E_INVALID, key,
				       "coach_hints: expected true or false, "
				       "got '%s'",
				       value);
	} else if (!strcmp(key, "access_log")) {
		if (parse_bool(value, &c->access_log) < 0)
			return err_set(e, E_INVALID, key,
				       "access_log: expected true or false, "
				       "got '%s'",
				       value);
	} else if (!strcmp(key, "statsd")) {
		const char *colon = strrchr(value, ':');

		if (*value && (!colon || colon == value ||
			       parse_long(colon + 1, 1, 65535, &v) < 0))
			return err_set(e, E_INVALID, key,
				       "statsd: expected HOST:PORT, got '%s'",
				       value);
		if (copy_str(c->statsd, sizeof c->statsd, value) < 0)
			goto bad;
	} else if (!strcmp(key, "statsd_prefix")) {
		if (!*value || strpbrk(value, ":|@ \t") ||
		    copy_str(c->statsd_prefix, sizeof c->statsd_prefix,
			     value) < 0)
			return err_set(e, E_INVALID, key,
				       "statsd_prefix: expected a name such as "
				       "debrief or team.debrief, got '%s'",
				       value);
	} else if (!strcmp(key, "metrics.token")) {
		if (strlen(value) < 16 || strpbrk(value, " \t") ||
		    copy_str(c->metrics_token, sizeof c->metrics_token,
			     value) < 0)
			return err_set(e, E_INVALID, key,
				       "metrics.token: expected 16 to 127 "
				       "characters with no spaces");
	} else if (!strcmp(key, "metrics.allow")) {
		if (copy_str(c->metrics_allow, sizeof c->metrics_allow,
			     value) < 0)
			goto bad;
	} else if (!strcmp(key, "flags.source")) {
		if (*value && strncmp(value, "http://", 7) &&
		    strncmp(value, "https://", 8) && strstr(value, "://"))
			return err_set(e, E_INVALID, key,
				       "flags.source: expected a file path or "
				       "an http(s) URL, got '%s'",
				       value);
		if (copy_str(c->flags_source, sizeof c->flags_source, value) <
		    0)
			goto bad;
	} else if (!strcmp(key, "flags.interval")) {
		if (parse_duration(value, &c->flags_interval) < 0 ||
		    c->flags_interval < 1)
			return err_set(e, E_INVALID, key,
				       "flags.interval: expected a duration "
				       "such as 10s or 1m, got '%s'",
				       value);
	} else if (!strcmp(key, "public_url")) {
		const char *h;
		size_t n;

		if (*value && url_host(value, &h, &n) < 0)
			return err_set(e, E_INVALID, key,
				       "public_url: expected http:// or "
				       "https://, a host name and an optional "
				       "port (https://debrief.example.com), "
				       "got '%s'",
				       value);
		if (copy_str(c->public_url, sizeof c->public_url, value) < 0)
			goto bad;
	} else {
		const char *near = config_suggest(key);

		if (near)
			return err_set(e, E_INVALID, key,
				       "unknown key '%s' (did you mean '%s'?)",
				       key, near);
		return err_set(e, E_INVALID, key, "unknown key '%s'", key);
	}
	return E_OK;
bad:
	return err_set(e, E_INVALID, key, "%s: empty or too long", key);
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* parse_line handles one line: blank, "# comment" or "key = value" (the
 * value may be in double quotes to keep surrounding spaces). */
static enum err_code parse_line(struct config *c, char *line, const char *path,
				int lineno, struct err *e)
{
	char *eq, *key, *value;
	size_t n;

	line = trim(line);
	if (!*line || *line == '#')
		return E_OK;
	eq = strchr(line, '=');
	if (!eq)
		return err_set(e, E_INVALID, "", "%s:%d: expected key = value",
			       path, lineno);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	n = strlen(value);
	if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
		value[n - 1] = '\0';
		value++;
	}
	if (config_set(c, key, value, e) != E_OK) {
		char msg[sizeof e->message];

		snprintf(msg, sizeof msg, "%s", e->message);
		return err_set(e, E_INVALID, key, "%s:%d: %s", path, lineno,
			       msg);
	}
	return E_OK;
}

/* config_read is config_load's loop. With report NULL it stops at the
 * first bad line; otherwise it prints every problem there, one line each,
 * and goes on, returning E_INVALID (with the first message in e) when
 * there was any. *problems counts them when not NULL. */
static enum err_code config_read(struct config *c, const char *path,
				 int required, struct err *e, FILE *report,
				 int *problems)
{
	char line[LINE_MAX_LEN];
	enum err_code rc = E_OK, one;
	int lineno = 0, count = 0;
	struct err line_err;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !required)
			return E_OK;
		rc = err_set(e, E_IO, "", "%s: %s", path, strerror(errno));
		goto out;
	}
	while (fgets(line, sizeof line, f)) {
		lineno++;
		err_clear(&line_err);
		if (!strchr(line, '\n') && !feof(f)) {
			int ch;

			one = err_set(&line_err, E_INVALID, "",
				      "%s:%d: line too long", path, lineno);
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
		} else {
			one = parse_line(c, line, path, lineno, &line_err);
		}
		if (one == E_OK)
			continue;
		if (rc == E_OK) {
			rc = one;
			*e = line_err;
		}
		count++;
		if (!report)
			break;
		fprintf(report, "%s\n", line_err.message);
	}
	if (rc == E_OK && ferror(f))
		rc = err_set(e, E_IO, "", "%s: read error", path);
	fclose(f);
out:
	if (rc == E_IO) {
		count++;
		if (report)
			fprintf(report, "%s\n", e->message);
	}
	if (problems)
		*problems = count;
	return rc;
}

enum err_code config_load(struct config *c, const char *path, int required,
			  struct err *e)
{
	return config_read(c, path, required, e, NULL, NULL);
}

int config_check(struct config *c, const char *path, int required,
		 FILE *report)
{
	struct err e;
	int problems = 0;

	err_clear(&e);
	config_read(c, path, required, &e, report, &problems);
	err_clear(&e);
	if (config_from_env(c, &e) != E_OK) {
		fprintf(report, "%s\n", e.message);
		problems++;
	}
	return problems;
}

enum err_code config_from_env(struct config *c, struct err *e)
{
	static const struct {
		const char *var, *key;
	} vars[] = {
		{"DEBRIEF_DB", "db"},
		{"DEBRIEF_LISTEN", "listen"},
		{"DEBRIEF_MAX_BODY", "max_body"},
		{"DEBRIEF_THREADS", "threads"},
		{"DEBRIEF_SLACK_TOKEN", "slack_token"},
		{"DEBRIEF_SMTP_PASSWORD", "smtp_password"},
	};

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i].var);

		if (!v)
			continue;
		if (config_set(c, vars[i].key, v, e) != E_OK) {
			char msg[sizeof e->message];

			snprintf(msg, sizeof msg, "%s", e->message);
			return err_set(e, E_INVALID, vars[i].key, "%s: %s",
				       vars[i].var, msg);
		}
	}
	{
		enum err_code rc = config_trackers_from_env(c, e);
		if (rc != E_OK)
			return rc;
	}
	return config_trackers_check(c, e);
}

/* config_listen_split accepts "HOST:PORT", "[IPV6]:PORT" and ":PORT"
 * (host "": every interface); the port is 0 to 65535. */
enum err_code config_listen_split(const struct config *c, char *host,
				  size_t hostlen, int *port, struct err *e)
{
	const char *s = c->listen, *colon, *h = s;
	size_t hl;
	long p;

	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			goto bad;
		h = s + 1;
		hl = (size_t)(close - h);
		colon = close + 1;
		if (hl == 0)
			goto bad;
	} else {
		colon = strrchr(s, ':');
		if (!colon || memchr(s, ':', (size_t)(colon - s)))
			goto bad;
		hl = (size_t)(colon - s);
	}
	if (hl >= hostlen || parse_long(colon + 1, 0, 65535, &p) < 0)
		goto bad;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (int)p;
	return E_OK;
bad:
	return err_set(e, E_INVALID, "listen",
		       "listen: expected HOST:PORT, got '%s'", s);
}
