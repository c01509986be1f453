/* export_cli.c: `debrief export --format md|json [--db PATH] DIR|-`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "importers/cli_args.h"
#include "importers/data_cli.h"
#include "importers/json_format.h"
#include "importers/md_format.h"

static int write_file(const char *data, size_t len, void *arg)
{
	return fwrite(data, 1, len, arg) == len ? 0 : -1;
}

/* ensure_dir creates dir when missing; prints and returns -1 on error. */
static int ensure_dir(const char *dir)
{
	struct stat sb;

	if (mkdir(dir, 0777) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return 0;
	fprintf(stderr, "debrief export: %s: %s\n", dir,
		errno == EEXIST ? "not a directory" : strerror(errno));
	return -1;
}

static int export_json(struct store *st, const char *dest)
{
	struct json_export_opts o = {.include_deleted = 1, .accounts = 1};
	char path[4096];
	FILE *f = stdout;
	struct err e;
	enum err_code rc;

	if (strcmp(dest, "-") != 0) {
		if (ensure_dir(dest) < 0)
			return CLI_EXIT_BAD;
		snprintf(path, sizeof path, "%s/debrief.json", dest);
		if (!(f = fopen(path, "w"))) {
			fprintf(stderr, "debrief export: %s: %s\n", path,
				strerror(errno));
			return CLI_EXIT_BAD;
		}
	}
	err_clear(&e);
	rc = json_export(st, &o, write_file, f, &e);
	if (f != stdout ? fclose(f) != 0 : fflush(f) != 0)
		rc = rc ? rc : err_set(&e, E_IO, NULL, "cannot write");
	if (rc != E_OK) {
		fprintf(stderr, "debrief export: %s\n", e.message);
		return CLI_EXIT_BAD;
	}
	if (f != stdout)
		fprintf(stderr, "%s written\n", path);
	return 0;
}

/* The markdown export's writer. Creating 10,000 files is most of its
 * time, so a new file costs four system calls: openat beside the
 * directory's descriptor, a read that finds it empty, one write of the
 * whole text, close. A file already there (exporting again over an
 * earlier export, a git checkout of write-ups) is read first and left
 * alone when it holds the same text, so an unchanged review keeps its
 * file's time and git sees nothing to hash; a changed one is written
 * over in place and cut to its length, never opened with O_TRUNC: ext4
 * writes a file truncated to nothing back at its close, which made
 * exporting over an export slower than into a new directory. The files
 * are not synced one by one (an fsync each made it several times slower);
 * the directory is synced once at the end, for its names. Their contents
 * reach the disk when the kernel writes them back: run `sync` after an
 * export that must survive a power cut at once. */
struct md_out {
	const char *dir; /* NULL: standard output */
	int dirfd;
	struct buf text; /* reused: one allocation for every file */
	struct buf old;	 /* what a file held before, reused likewise */
	size_t n;
	int failed;
};

/* write_all writes len bytes of data to fd; -1 on error (errno set). */
static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t k = write(fd, data, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		data += k;
		len -= (size_t)k;
	}
	return 0;
}

/* read_upto reads at most max bytes of fd into b (reset first); -1 on
 * error (errno set). */
static int read_upto(int fd, struct buf *b, size_t max)
{
	size_t got = 0;
	char *p;

	buf_reset(b);
	if (!(p = buf_reserve(b, max))) {
		errno = ENOMEM;
		return -1;
	}
	while (got < max) {
		ssize_t k = read(fd, p + got, max - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	buf_commit(b, got);
	return 0;
}

/* put_file makes the file at fd hold text: nothing written when it does
 * already, else written from its start and cut to the text's length;
 * -1 on error (errno set). */
static int put_file(int fd, const struct buf *text, struct buf *old)
{
	if (read_upto(fd, old, text->len + 1) < 0)
		return -1;
	if (old->len == text->len &&
	    memcmp(old->data, text->data, text->len) == 0)
		return 0;
	if (old->len && lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	if (write_all(fd, text->data, text->len) < 0)
		return -1;
	if (old->len > text->len && ftruncate(fd, (off_t)text->len) < 0)
		return -1;
	return 0;
}

static int put_md(const struct export_review *r, void *arg)
{
	struct md_out *o = arg;
	char name[128];
	int fd = 1, rc = -1;

	buf_reset(&o->text);
	if (md_export_review(r, &o->text) < 0) {
		fprintf(stderr, "debrief export: review %lld: out of memory\n",
			(long long)r->review->id);
		goto out;
	}
	if (o->dir) {
		md_file_name(r->review, name, sizeof name);
		fd = openat(o->dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC,
			    0666);
		if (fd < 0) {
			fprintf(stderr, "debrief export: %s/%s: %s\n", o->dir,
				name, strerror(errno));
			goto out;
		}
	}
	if ((o->dir ? put_file(fd, &o->text, &o->old)
		    : write_all(fd, o->text.data, o->text.len)) < 0)
		fprintf(stderr, "debrief export: %s%s%s: cannot write: %s\n",
			o->dir ? o->dir : "standard output", o->dir ? "/" : "",
			o->dir ? name : "", strerror(errno));
	else
		rc = 0;
	if (o->dir && close(fd) != 0 && rc == 0) {
		fprintf(stderr, "debrief export: %s/%s: %s\n", o->dir, name,
			strerror(errno));
		rc = -1;
	}
	o->n++;
out:
	o->failed |= rc < 0;
	return rc;
}

static int export_md(struct store *st, const char *dest)
{
	struct md_out o = {.dirfd = -1, .text = BUF_INIT, .old = BUF_INIT};
	struct err e;
	int rc = 0;

	if (strcmp(dest, "-") != 0) {
		if (ensure_dir(dest) < 0)
			return CLI_EXIT_BAD;
		o.dir = dest;
		if ((o.dirfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
		    0) {
			fprintf(stderr, "debrief export: %s: %s\n", dest,
				strerror(errno));
			return CLI_EXIT_BAD;
		}
	}
	err_clear(&e);
	if (store_export_reviews(st, NULL, 0, 0, put_md, &o, &e) != E_OK) {
		if (!o.failed)
			fprintf(stderr, "debrief export: %s\n", e.message);
		rc = CLI_EXIT_BAD;
	} else if (o.dir && fsync(o.dirfd) != 0) {
		fprintf(stderr, "debrief export: %s: %s\n", dest,
			strerror(errno));
		rc = CLI_EXIT_BAD;
	} else if (o.dir) {
		fprintf(stderr, "%zu review%s written to %s\n", o.n,
			o.n == 1 ? "" : "s", dest);
	}
	if (o.dirfd >= 0)
		close(o.dirfd);
	buf_release(&o.text);
	buf_release(&o.old);
	return rc;
}

int export_main(int argc, char **argv)
{
	struct cli_args a;
	struct store *st = NULL;
	int rc = cli_args_parse("export", argc, argv, 1, CLI_DB | CLI_FORMAT,
				&a);

	if (rc)
		return rc;
	if (a.npos != 1 || !a.format) {
		fprintf(stderr, "usage: debrief export --format md|json "
				"[--db PATH] DIR|-\n");
		return CLI_EXIT_USAGE;
	}
	if (strcmp(a.format, "json") != 0 && strcmp(a.format, "md") != 0) {
		fprintf(stderr,
			"debrief export: unknown format '%s' (md or json)\n",
			a.format);
		return CLI_EXIT_USAGE;
	}
	if (cli_store_open(&a, &st) < 0)
		return CLI_EXIT_BAD;
	rc = !strcmp(a.format, "md") ? export_md(st, a.pos[0])
				     : export_json(st, a.pos[0]);
	store_close(st);
	return rc;
}
