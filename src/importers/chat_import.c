/* chat_import.c: the reading side of a chat import (see chat_import.h).
 * Parsers get bytes; this file gets them from a file, a folder or a zip,
 * refuses zip entries whose path leaves the export and entries that
 * expand past the limits, and turns each message into a record for the
 * store. */
#include "importers/chat_import.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "importers/slack_api.h"
#include "model/transcript.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/metrics.h"
#include "util/timeutil.h"
#include "util/utf8.h"


/* The source being read: a path (file, folder) or bytes. */
struct source {
	const char *name; /* for messages: the path or uploaded name */
	const char *path; /* NULL: bytes */
	const void *data;
	size_t n;
};

/* An import runs in two threads: the caller's reads the input, parses
 * it and makes each message's row (checked and copied: the store's
 * transcript_rows), a batch of PIPE_BATCH at a time; a writer thread
 * inserts the batches in order into the store's one transaction. At most
 * PIPE_SLOTS batches are in flight (bounded memory: the import still
 * streams), so on two cores the import takes about as long as the slower
 * of the two (bench/chat). Errors are told as before, in the order of the
 * messages: the writer's, for a message before the one the reader failed
 * at, comes first. PIPE_BATCH is a multiple of the store's 32-row
 * statements, so rows are inserted as one message at a time would be. */
#define PIPE_BATCH 512
#define PIPE_SLOTS 4
/* A batch goes to the writer early, at a 32-row boundary, once its texts
 * pass PIPE_BATCH_TEXT bytes: messages of up to chat_max_entry (40 KB)
 * would otherwise hold 4 x 512 x 40 KB = 80 MB. */
#define PIPE_BATCH_TEXT (2u << 20)

struct pipe_batch {
	struct transcript_rows *rows;
	struct buf src;		    /* the messages' sources, for errors */
	size_t src_off[PIPE_BATCH]; /* each one's in src */
	size_t text;		    /* bytes of the messages' texts */
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t more; /* a batch queued, or the reader is done */
	pthread_cond_t room; /* a slot freed, or the writer failed */
	struct pipe_batch slot[PIPE_SLOTS];
	int head, count; /* queued: slot[head], ... (the writer's included) */
	int done;	 /* the reader queues no more */
	int failed;	 /* the writer stopped on werr */
	struct err werr;
	pthread_t writer;
	int inited, started;
};

struct importer {
	struct transcript_import *ti;
	const struct chat_import_opts *o;
	struct chat_import_result *res;
	struct arena *a;
	json_t *channels; /* names of channels with messages kept */
	char last[201];	  /* the channel of the message before: in it */
	struct pipe pipe;
	struct pipe_batch *fill; /* the batch the reader fills */
};

/* clean_line copies s cut to max bytes (on a character boundary) with
 * control characters as spaces, for one-line fields. s that is not UTF-8
 * (a channel or a source made of a file or folder name in another
 * encoding: a Latin-1 log's name, a zip's CP437 entry) is read as
 * Windows-1252, as the lines of a log are. */
static char *clean_line(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);
	char *out;
	int recoded;

	if (!utf8_valid(s, n, NULL)) {
		if (!(out = arena_alloc(a, 3 * n + 1)))
			return NULL;
		chat_recode_1252(s, n, out, &recoded);
		s = out;
	}
	if (!(out = arena_strndup(a, s, utf8_cut(s, max))))
		return NULL;
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

struct record *chat_msg_record(struct arena *a, const struct chat_msg *m)
{
	struct record *r;
	const char *ch, *author = NULL, *text, *thread = NULL, *src = NULL;

	if (!(r = record_new(a, &transcript_def)) ||
	    !(ch = clean_line(a, m->channel, 200)) ||
	    (m->author && !(author = clean_line(a, m->author, 200))) ||
	    (m->thread_ts && !(thread = clean_line(a, m->thread_ts, 64))) ||
	    (m->source && !(src = clean_line(a, m->source, 1000))) ||
	    !(text = transcript_text_fix(a, m->text ? m->text : "",
					 strlen(m->text ? m->text : ""))))
		return NULL;
	/* a channel is required and not blank */
	record_set_str(r, TR_CHANNEL, strspn(ch, " ") < strlen(ch) ? ch : "-");
	record_set_str(r, TR_TS, m->ts);
	record_set_int(r, TR_AT, m->at);
	record_set_int(r, TR_AT_US, m->at_us);
	if (author && strspn(author, " ") < strlen(author))
		record_set_str(r, TR_AUTHOR, author);
	if (*text)
		record_set_str(r, TR_TEXT, text);
	record_set_str(r, TR_KIND, m->other ? "other" : "message");
	if (thread && *thread)
		record_set_str(r, TR_THREAD_TS, thread);
	record_set_int(r, TR_EDITED, m->edited != 0);
	if (src && *src)
		record_set_str(r, TR_SOURCE, src);
	return r;
}

/* pipe_error sets e to the error of message src: "SOURCE: what". */
static void pipe_error(struct err *e, const char *src)
{
	char msg[sizeof e->message];

	snprintf(msg, sizeof msg, "%.100s: %.150s", src, e->message);
	memcpy(e->message, msg, sizeof msg);
}

/* pipe_writer inserts the queued batches in order until the reader is
 * done, or stops at the first error. */
static void *pipe_writer(void *arg)
{
	struct importer *im = arg;
	struct pipe *p = &im->pipe;
	struct err e;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct pipe_batch *b;
		size_t failed = 0;
		enum err_code rc;

		while (!p->count && !p->done)
			pthread_cond_wait(&p->more, &p->mu);
		if (!p->count)
			break;
		b = &p->slot[p->head];
		pthread_mutex_unlock(&p->mu);
		err_clear(&e);
		rc = store_transcript_add_rows(im->ti, b->rows, &failed, &e);
		if (rc != E_OK)
			pipe_error(&e, b->src.data + b->src_off[failed]);
		pthread_mutex_lock(&p->mu);
		p->head = (p->head + 1) % PIPE_SLOTS;
		p->count--;
		if (rc != E_OK) {
			p->werr = e;
			p->failed = 1;
		}
		pthread_cond_signal(&p->room);
		if (rc != E_OK)
			break;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void pipe_free(struct pipe *p)
{
	if (!p->inited)
		return;
	for (int k = 0; k < PIPE_SLOTS; k++) {
		store_transcript_rows_free(p->slot[k].rows);
		buf_release(&p->slot[k].src);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->more);
	pthread_cond_destroy(&p->room);
}

static enum err_code pipe_start(struct importer *im, struct err *e)
{
	struct pipe *p = &im->pipe;

	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->more, NULL);
	pthread_cond_init(&p->room, NULL);
	p->inited = 1;
	for (int k = 0; k < PIPE_SLOTS; k++)
		if (!(p->slot[k].rows = store_transcript_rows_new()))
			return err_set(e, E_NOMEM, NULL, "out of memory");
	im->fill = &p->slot[0];
	if (pthread_create(&p->writer, NULL, pipe_writer, im) != 0)
		return err_set(e, E_NOMEM, NULL, "cannot start a thread");
	p->started = 1;
	return E_OK;
}

/* pipe_push queues the batch being filled (if it has messages) and
 * waits for the next free one; -1 with the writer's error in e once the
 * writer failed. */
static int pipe_push(struct importer *im, struct err *e)
{
	struct pipe *p = &im->pipe;
	int failed;

	pthread_mutex_lock(&p->mu);
	if (store_transcript_rows_count(im->fill->rows)) {
		p->count++;
		pthread_cond_signal(&p->more);
	}
	while (p->count == PIPE_SLOTS && !p->failed)
		pthread_cond_wait(&p->room, &p->mu);
	if (!(failed = p->failed)) {
		im->fill = &p->slot[(p->head + p->count) % PIPE_SLOTS];
		store_transcript_rows_reset(im->fill->rows);
		buf_reset(&im->fill->src);
		im->fill->text = 0;
	} else {
		*e = p->werr;
	}
	pthread_mutex_unlock(&p->mu);
	return failed ? -1 : 0;
}

/* pipe_end queues what is left, waits for the writer, and gives the
 * import's outcome: the writer's error first (its message came before
 * the reader's), else rc, the reader's. */
static enum err_code pipe_end(struct importer *im, enum err_code rc,
			      struct err *e)
{
	struct pipe *p = &im->pipe;
	struct err ignored;

	if (!p->started)
		return rc;
	if (pipe_push(im, &ignored) == 0) {
		pthread_mutex_lock(&p->mu);
		p->done = 1;
		pthread_cond_signal(&p->more);
		pthread_mutex_unlock(&p->mu);
	}
	pthread_join(p->writer, NULL);
	p->started = 0;
	if (p->failed) {
		*e = p->werr;
		return e->code;
	}
	return rc;
}

/* emit_msg is every parser's emit: the window and channel filters, then
 * the message's row into the batch for the writer. */
static int emit_msg(void *ctx, const struct chat_msg *m, struct err *e)
{
	struct importer *im = ctx;
	const struct chat_import_opts *o = im->o;
	struct pipe_batch *b = im->fill;
	size_t n = store_transcript_rows_count(b->rows);
	struct record *r;
	const char *ch;

	im->res->read++;
	if ((o->since && m->at < o->since) || (o->until && m->at > o->until) ||
	    (o->channel && !strcmp(im->res->format, "slack") &&
	     strcmp(o->channel, m->channel))) {
		im->res->outside++;
		return 0;
	}
	/* the rows copy what they keep of the record: one block of the
	 * arena serves every message */
	arena_reset(im->a);
	if (!(r = chat_msg_record(im->a, m))) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return -1;
	}
	/* the source first: a row the writer gets has its source here */
	b->src_off[n] = b->src.len;
	buf_append(&b->src, m->source ? m->source : "",
		   strlen(m->source ? m->source : "") + 1);
	if (b->src.oom) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return -1;
	}
	if (store_transcript_rows_put(b->rows, r, e) != E_OK) {
		pipe_error(e, m->source ? m->source : "");
		return -1;
	}
	if ((ch = record_str(r, TR_TEXT)))
		b->text += strlen(ch);
	/* messages come a file at a time: one look-up per run of a
	 * channel, not per message (channels are at most 200 bytes) */
	ch = record_str(r, TR_CHANNEL);
	if (strcmp(ch, im->last)) {
		if (json_object_set_new(im->channels, ch, json_true()) < 0) {
			err_set(e, E_NOMEM, NULL, "out of memory");
			return -1;
		}
		snprintf(im->last, sizeof im->last, "%s", ch);
	}
	if ((n + 1 == PIPE_BATCH ||
	     (b->text >= PIPE_BATCH_TEXT && (n + 1) % 32 == 0)) &&
	    pipe_push(im, e) < 0)
		return -1;
	return 0;
}

/* ---- Slack: zip (libarchive) or folder ---- */

/* path_escapes: an entry path that is absolute or has a ".." part. */
static int path_escapes(const char *p)
{
	const char *s = p;

	if (p[0] == '/' || p[0] == '\\' || strchr(p, ':') || strchr(p, '\\'))
		return 1;
	while (*s) {
		size_t n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return 1;
		s += n;
		if (*s == '/')
			s++;
	}
	return 0;
}

static struct archive *zip_open(const struct source *src, struct err *e)
{
	struct archive *ar = archive_read_new();
	int r;

	if (!ar) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	archive_read_support_format_zip(ar);
	if (src->path)
		r = archive_read_open_filename(ar, src->path, 64 * 1024);
	else
		r = archive_read_open_memory(ar, src->data, src->n);
	if (r != ARCHIVE_OK) {
		err_set(e, E_INVALID, "file", "%.100s: not a readable zip: %.100s",
			src->name, archive_error_string(ar));
		archive_read_free(ar);
		return NULL;
	}
	return ar;
}

/* entry_read reads the current entry into b, stopping at the limits. */
static enum err_code entry_read(struct archive *ar, const struct source *src,
				const char *path, const struct chat_import_opts *o,
				int64_t *total, struct buf *b, struct err *e)
{
	size_t max = o->max_entry ? o->max_entry : CHAT_MAX_ENTRY_DEFAULT;
	int64_t max_total = o->max_total ? o->max_total : CHAT_MAX_TOTAL_DEFAULT;
	char chunk[64 * 1024];
	la_ssize_t got;

	buf_reset(b);
	while ((got = archive_read_data(ar, chunk, sizeof chunk)) > 0) {
		*total += got;
		if (b->len + (size_t)got > max)
			return err_set(e, E_TOO_LARGE, "file",
				       "%.100s: %.100s expands past the limit of "
				       "%zu bytes for one file; nothing imported",
				       src->name, path, max);
		if (*total > max_total)
			return err_set(e, E_TOO_LARGE, "file",
				       "%.100s: the export expands past the "
				       "limit of %lld bytes; nothing imported",
				       src->name, (long long)max_total);
		if (buf_append(b, chunk, (size_t)got) < 0)
			return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	if (got < 0)
		return err_set(e, E_INVALID, "file",
			       "%.100s: %.100s: the zip is damaged or cut "
			       "short: %.80s",
			       src->name, path, archive_error_string(ar));
	return E_OK;
}

/* zip_pass reads every entry; pass 0 feeds the metadata files, pass 1
 * the day files (mentions need the names first). An export zipped with
 * its folder ("export/users.json", "export/general/...") is read as if
 * unzipped: pass 0 finds the folder by its metadata files and tells it
 * to pass 1 in prefix (PATH_MAX bytes). */
static enum err_code zip_pass(struct slack_parser *sp, const struct source *src,
			      const struct chat_import_opts *o, int pass,
			      char *prefix, struct err *e)
{
	struct archive *ar = zip_open(src, e);
	struct archive_entry *ent;
	struct buf b = BUF_INIT;
	enum err_code rc = E_OK;
	int64_t total = 0;
	char channel[256];
	int r;

	if (!ar)
		return e->code;
	while ((r = archive_read_next_header(ar, &ent)) == ARCHIVE_OK) {
		const char *path = archive_entry_pathname(ent);

		if (!path || path_escapes(path)) {
			rc = err_set(e, E_INVALID, "file",
				     "%.100s: the entry \"%.100s\" has a path "
				     "that leaves the export; nothing imported",
				     src->name, path ? path : "");
			goto out;
		}
		if (archive_entry_filetype(ent) != AE_IFREG)
			continue;
		if (pass == 0 && !slack_meta_name(path)) {
			const char *slash = strchr(path, '/');
			if (slash && !strchr(slash + 1, '/') &&
			    slack_meta_name(slash + 1) &&
			    (size_t)(slash - path) + 2 < PATH_MAX) {
				memcpy(prefix, path, (size_t)(slash - path) + 1);
				prefix[slash - path + 1] = '\0';
				path = slash + 1;
			}
		} else if (pass == 1 && *prefix &&
			   !strncmp(path, prefix, strlen(prefix))) {
			path += strlen(prefix);
		}
		if (pass == 0 && slack_meta_name(path)) {
			if ((rc = entry_read(ar, src, path, o, &total, &b, e)) !=
				    E_OK ||
			    (rc = slack_meta(sp, path, b.data ? b.data : "",
					     b.len, e)) != E_OK)
				goto out;
		} else if (pass == 1 &&
			   slack_day_name(path, channel, sizeof channel)) {
			if (o->channel && strcmp(o->channel, channel))
				continue;
			if ((rc = entry_read(ar, src, path, o, &total, &b, e)) !=
				    E_OK ||
			    (rc = slack_day(sp, channel, path,
					    b.data ? b.data : "", b.len, e)) !=
				    E_OK)
				goto out;
		}
	}
	if (r != ARCHIVE_EOF)
		rc = err_set(e, E_INVALID, "file",
			     "%.100s: the zip is damaged or cut short: %.100s",
			     src->name, archive_error_string(ar));
out:
	buf_release(&b);
	archive_read_free(ar);
	return rc;
}

/* read_file_limited reads a regular file (never through a symlink) of at
 * most max bytes into b. */
static enum err_code read_file_limited(const char *path, const char *shown,
				       size_t max, struct buf *b, struct err *e)
{
	char chunk[64 * 1024];
	struct stat sb;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	buf_reset(b);
	if (fd < 0)
		return err_set(e, E_INVALID, "file",
			       "%.200s: cannot read it%s: %s", shown,
			       errno == ELOOP ? " (a link, which may leave the "
						"export)"
					      : "",
			       strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return err_set(e, E_INVALID, "file", "%.200s: not a file",
			       shown);
	}
	while ((got = read(fd, chunk, sizeof chunk)) > 0) {
		if (b->len + (size_t)got > max) {
			close(fd);
			return err_set(e, E_TOO_LARGE, "file",
				       "%.200s: larger than the limit of %zu "
				       "bytes",
				       shown, max);
		}
		if (buf_append(b, chunk, (size_t)got) < 0) {
			close(fd);
			return err_set(e, E_NOMEM, NULL, "out of memory");
		}
	}
	close(fd);
	if (got < 0)
		return err_set(e, E_IO, "file", "%.200s: %s", shown,
			       strerror(errno));
	return E_OK;
}

static enum err_code folder_read(struct slack_parser *sp, const char *dir,
				 const struct chat_import_opts *o, struct err *e)
{
	static const char *const meta[] = {"users.json", "channels.json",
					   "groups.json", "mpims.json",
					   "dms.json", NULL};
	size_t max = o->max_entry ? o->max_entry : CHAT_MAX_ENTRY_DEFAULT;
	struct buf b = BUF_INIT, path = BUF_INIT;
	enum err_code rc = E_OK;
	struct dirent *de, *fe;
	DIR *d = NULL, *cd = NULL;

	for (int i = 0; meta[i]; i++) {
		struct stat sb;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, meta[i]);
		if (lstat(buf_cstr(&path), &sb) < 0)
			continue;
		if ((rc = read_file_limited(buf_cstr(&path), buf_cstr(&path),
					    max, &b, e)) != E_OK ||
		    (rc = slack_meta(sp, meta[i], b.data ? b.data : "", b.len,
				     e)) != E_OK)
			goto out;
	}
	if (!(d = opendir(dir))) {
		rc = err_set(e, E_IO, "file", "%.200s: %s", dir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d))) {
		struct stat sb;
		char rel[600], channel[256];

		if (de->d_name[0] == '.')
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, de->d_name);
		if (lstat(buf_cstr(&path), &sb) < 0)
			continue;
		if (S_ISLNK(sb.st_mode)) {
			rc = err_set(e, E_INVALID, "file",
				     "%.200s: %.100s is a link, which may leave "
				     "the export; nothing imported",
				     dir, de->d_name);
			goto out;
		}
		if (!S_ISDIR(sb.st_mode))
			continue;
		if (o->channel && strcmp(o->channel, de->d_name))
			continue;
		if (!(cd = opendir(buf_cstr(&path))))
			continue;
		while ((fe = readdir(cd))) {
			snprintf(rel, sizeof rel, "%.250s/%.250s", de->d_name,
				 fe->d_name);
			if (!slack_day_name(rel, channel, sizeof channel))
				continue;
			/* read_file_limited refuses a link (O_NOFOLLOW) */
			buf_reset(&path);
			buf_printf(&path, "%s/%s", dir, rel);
			if ((rc = read_file_limited(buf_cstr(&path), rel, max,
						    &b, e)) != E_OK ||
			    (rc = slack_day(sp, channel, rel,
					    b.data ? b.data : "", b.len, e)) !=
				    E_OK)
				goto out;
		}
		closedir(cd);
		cd = NULL;
	}
out:
	if (cd)
		closedir(cd);
	if (d)
		closedir(d);
	buf_release(&b);
	buf_release(&path);
	return rc;
}

static enum err_code run_slack(struct importer *im, const struct source *src,
			       int folder, struct err *e)
{
	struct slack_parser *sp = slack_new(src->name, emit_msg, im);
	char prefix[PATH_MAX] = "";
	enum err_code rc;

	if (!sp)
		return err_set(e, E_NOMEM, NULL, "out of memory");

	if (folder)
		rc = folder_read(sp, src->path, im->o, e);
	else if ((rc = zip_pass(sp, src, im->o, 0, prefix, e)) == E_OK)
		rc = zip_pass(sp, src, im->o, 1, prefix, e);
	if (rc == E_OK)
		rc = slack_end(sp, &im->res->skips, NULL, e);
	slack_free(sp);
	return rc;
}

/* ---- IRC ---- */

const char *chat_file_channel(const char *name, char *channel, size_t n)
{
	const char *s = strrchr(name, '/'), *file = s ? s + 1 : name, *dot;

	snprintf(channel, n, "%.*s", (int)utf8_cut(file, n - 1), file);
	if ((dot = strrchr(channel, '.')) && dot != channel)
		channel[dot - channel] = '\0';
	return file;
}

static enum err_code run_irc(struct importer *im, const struct source *src,
			     struct err *e)
{
	struct irc_opts io = {0};
	struct irc_parser *ip;
	enum err_code rc = E_OK;
	char channel[128];
	const char *file = chat_file_channel(src->name, channel, sizeof channel);

	io.channel = im->o->channel ? im->o->channel : channel;
	io.file = file;
	io.date = im->o->date;
	io.zone = im->o->zone;
	io.drop_other = im->o->drop_other;
	if (!(ip = irc_new(&io, emit_msg, im)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (src->path) {
		FILE *f = fopen(src->path, "rb");
		char *line = NULL;
		size_t cap = 0;
		ssize_t got;

		if (!f) {
			irc_free(ip);
			return err_set(e, E_IO, "file", "%.200s: %s", src->name,
				       strerror(errno));
		}
		while (rc == E_OK && (got = getline(&line, &cap, f)) >= 0)
			rc = irc_line(ip, line, (size_t)got, e);
		free(line);
		fclose(f);
	} else {
		const char *p = src->data, *end = p + src->n;
		while (rc == E_OK && p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
			rc = irc_line(ip, p, len, e);
			p += len + 1;
		}
	}
	if (rc == E_OK)
		rc = irc_end(ip, &im->res->skips, NULL, e);
	irc_free(ip);
	return rc;
}

/* ---- JSON Lines and CSV ---- */

static enum err_code run_table(struct importer *im, const struct source *src,
			       int csv, struct err *e)
{
	struct table_opts to = {0};
	struct jsonl_parser *jp = NULL;
	struct csv_parser *cp = NULL;
	enum err_code rc = E_OK;
	char channel[128];
	const char *file = chat_file_channel(src->name, channel, sizeof channel);

	to.channel = im->o->channel ? im->o->channel : channel;
	to.file = file;
	to.zone = im->o->zone;
	if (csv ? !(cp = csv_new(&to, emit_msg, im))
		: !(jp = jsonl_new(&to, emit_msg, im)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (src->path) {
		FILE *f = fopen(src->path, "rb");
		char *line = NULL;
		size_t cap = 0;
		ssize_t got;

		if (!f) {
			rc = err_set(e, E_IO, "file", "%.200s: %s", src->name,
				     strerror(errno));
			goto out;
		}
		while (rc == E_OK && (got = getline(&line, &cap, f)) >= 0)
			rc = csv ? csv_feed(cp, line, (size_t)got, e)
				 : jsonl_line(jp, line, (size_t)got, e);
		free(line);
		fclose(f);
	} else if (csv) {
		rc = csv_feed(cp, src->data, src->n, e);
	} else {
		const char *p = src->data, *end = p + src->n;
		while (rc == E_OK && p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
			rc = jsonl_line(jp, p, len, e);
			p += len + 1;
		}
	}
	if (rc == E_OK)
		rc = csv ? csv_end(cp, NULL, e) : jsonl_end(jp, NULL, e);
out:
	csv_free(cp);
	jsonl_free(jp);
	return rc;
}

/* format_of_name guesses a format from a file's name; NULL: no guess. */
static const char *format_of_name(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot)
		return NULL;
	if (!strcasecmp(dot, ".jsonl") || !strcasecmp(dot, ".ndjson"))
		return "jsonl";
	if (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".tsv"))
		return "csv";
	return NULL;
}

/* ---- the import ---- */

static int looks_zip(const struct source *src)
{
	unsigned char m[4] = {0};

	if (src->path) {
		FILE *f = fopen(src->path, "rb");
		if (!f)
			return 0;
		if (fread(m, 1, 4, f) != 4)
			m[0] = 0;
		fclose(f);
	} else if (src->n >= 4) {
		memcpy(m, src->data, 4);
	}
	return m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4;
}

static enum err_code run(struct store *st, int64_t review_id,
			 const char *actor, const struct source *src,
			 const struct chat_import_opts *o,
			 struct chat_import_result *res, struct err *e)
{
	struct importer im = {0};
	struct stat sb;
	int folder = src->path && stat(src->path, &sb) == 0 &&
		     S_ISDIR(sb.st_mode);
	const char *fmt = o->format;
	enum err_code rc;

	memset(res, 0, sizeof *res);
	if (src->path && !folder && access(src->path, R_OK) < 0)
		return err_set(e, E_IO, "file", "%.200s: %s", src->name,
			       strerror(errno));
	if (!fmt)
		fmt = folder || looks_zip(src)	  ? "slack"
		      : format_of_name(src->name) ? format_of_name(src->name)
						  : "irc";
	if (!chat_format_known(fmt))
		return err_set(e, E_BAD_REQUEST, "format",
			       "format \"%.40s\" is not supported: use slack, "
			       "irc, jsonl or csv",
			       fmt);
	if (o->zone && !chat_zone_valid(o->zone))
		return err_set(e, E_INVALID, "tz",
			       "unknown time zone \"%.64s\": use UTC, +HH:MM "
			       "or a name such as Europe/Paris",
			       o->zone);
	res->format = !strcmp(fmt, "slack")   ? "slack"
		      : !strcmp(fmt, "irc")   ? "irc"
		      : !strcmp(fmt, "jsonl") ? "jsonl"
					      : "csv";
	im.o = o;
	im.res = res;
	if (!(im.a = arena_new()) || !(im.channels = json_object())) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = store_transcript_begin(st, review_id, &im.ti, e)) != E_OK)
		goto out;
	if ((rc = pipe_start(&im, e)) != E_OK)
		;
	else if (!strcmp(fmt, "slack"))
		rc = run_slack(&im, src, folder, e);
	else if (folder)
		rc = err_set(e, E_INVALID, "file",
			     "%.200s: a folder is read as a Slack export, "
			     "not as a %s file",
			     src->name, fmt);
	else if (!strcmp(fmt, "irc"))
		rc = run_irc(&im, src, e);
	else
		rc = run_table(&im, src, !strcmp(fmt, "csv"), e);
	rc = pipe_end(&im, rc, e);
	if (rc == E_OK && res->read > 0 && res->read == res->outside)
		rc = err_set(e, E_INVALID, "since",
			     "%.200s: no message in the chosen window or "
			     "channel (%lld read); nothing imported",
			     src->name, (long long)res->read);
	if (rc != E_OK) {
		store_transcript_abort(im.ti);
		goto out;
	}
	rc = store_transcript_commit(im.ti, actor, &res->counts, e);
	res->channels = (int)json_object_size(im.channels);
	if (rc == E_OK)
		metrics_count(METRIC_IMPORTS);
out:
	pipe_end(&im, rc, e);
	pipe_free(&im.pipe);
	json_decref(im.channels);
	arena_free(im.a);
	return rc;
}

enum err_code chat_import_slack_api(struct store *st, int64_t review_id,
				    const char *actor,
				    const struct slack_api_opts *api,
				    struct chat_import_result *res,
				    struct err *e)
{
	static const struct chat_import_opts none;
	struct importer im = {0};
	enum err_code rc;

	memset(res, 0, sizeof *res);
	res->format = "slack-api";
	im.o = &none;
	im.res = res;
	if (!(im.a = arena_new()) || !(im.channels = json_object())) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = store_transcript_begin(st, review_id, &im.ti, e)) != E_OK)
		goto out;
	if ((rc = pipe_start(&im, e)) == E_OK)
		rc = slack_api_import(api, emit_msg, &im, &res->skips, NULL, e);
	rc = pipe_end(&im, rc, e);
	if (rc == E_OK && res->read == 0)
		rc = err_set(e, E_INVALID, "since",
			     "Slack API: no message in channel %.80s in the "
			     "chosen window; nothing imported",
			     api->channel);
	if (rc != E_OK) {
		store_transcript_abort(im.ti);
		goto out;
	}
	rc = store_transcript_commit(im.ti, actor, &res->counts, e);
	if (rc == E_OK)
		metrics_count(METRIC_IMPORTS);
	res->channels = (int)json_object_size(im.channels);
out:
	pipe_end(&im, rc, e);
	pipe_free(&im.pipe);
	json_decref(im.channels);
	arena_free(im.a);
	return rc;
}

enum err_code chat_import_options(const char *(*get)(void *ctx,
						     const char *name),
				  void *ctx, size_t max_entry,
				  struct chat_import_opts *o, struct err *e)
{
	const char *date = get(ctx, "date"), *since = get(ctx, "since");
	const char *until = get(ctx, "until"), *drop = get(ctx, "drop_other");

	memset(o, 0, sizeof *o);
	o->format = get(ctx, "format");
	o->channel = get(ctx, "channel");
	o->zone = get(ctx, "tz");
	o->max_entry = max_entry;
	if (o->format && !chat_format_known(o->format))
		return err_set(e, E_BAD_REQUEST, "format",
			       "format must be slack, irc, jsonl or csv");
	if (o->channel && (strlen(o->channel) > 200 ||
			   strspn(o->channel, " ") == strlen(o->channel)))
		return err_set(e, E_BAD_REQUEST, "channel",
			       "channel must be 1 to 200 bytes");
	if (o->zone && !chat_zone_valid(o->zone))
		return err_set(e, E_INVALID, "tz",
			       "unknown time zone \"%.64s\": use UTC, +HH:MM "
			       "or a name such as Europe/Paris",
			       o->zone);
	if (date && time_parse_date(date, &o->date) < 0)
		return err_set(e, E_BAD_REQUEST, "date",
			       "date must be YYYY-MM-DD");
	if (since && time_parse(since, &o->since) < 0 &&
	    time_parse_date(since, &o->since) < 0)
		return err_set(e, E_BAD_REQUEST, "since",
			       "since must be a date or an RFC 3339 time");
	if (until && time_parse(until, &o->until) < 0 &&
	    time_parse_date(until, &o->until) < 0)
		return err_set(e, E_BAD_REQUEST, "until",
			       "until must be a date or an RFC 3339 time");
	o->drop_other = drop && (!strcmp(drop, "1") || !strcmp(drop, "true") ||
				 !strcmp(drop, "on"));
	return E_OK;
}

int chat_format_known(const char *f)
{
	return f && (!strcmp(f, "slack") || !strcmp(f, "irc") ||
		     !strcmp(f, "jsonl") || !strcmp(f, "csv"));
}

enum err_code chat_import_path(struct store *st, int64_t review_id,
			       const char *actor, const char *path,
			       const struct chat_import_opts *o,
			       struct chat_import_result *res, struct err *e)
{
	struct source src = {path, path, NULL, 0};

	return run(st, review_id, actor, &src, o, res, e);
}

enum err_code chat_import_bytes(struct store *st, int64_t review_id,
				const char *actor, const char *name,
				const void *data, size_t n,
				const struct chat_import_opts *o,
				struct chat_import_result *res, struct err *e)
{
	struct source src = {name ? name : "upload", NULL, data, n};

	return run(st, review_id, actor, &src, o, res, e);
}

int chat_slack_channel_valid(const char *s)
{
	return s && *s && strlen(s) <= 64 &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(s);
}
