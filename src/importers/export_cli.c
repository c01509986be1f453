/* export_cli.c: `debrief export --format md|json [--db PATH] DIR|-`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

struct md_out {
	const char *dir; /* NULL: standard output */
	size_t n;
	int failed;
};

static int put_md(const struct export_review *r, void *arg)
{
	struct md_out *o = arg;
	struct buf b = BUF_INIT;
	char name[128], path[4096];
	FILE *f = stdout;
	int rc = -1;

	if (md_export_review(r, &b) < 0) {
		fprintf(stderr, "debrief export: review %lld: out of memory\n",
			(long long)r->review->id);
		goto out;
	}
	if (o->dir) {
		md_file_name(r->review, name, sizeof name);
		snprintf(path, sizeof path, "%s/%s", o->dir, name);
		if (!(f = fopen(path, "w"))) {
			fprintf(stderr, "debrief export: %s: %s\n", path,
				strerror(errno));
			goto out;
		}
	}
	if (fwrite(b.data, 1, b.len, f) != b.len)
		fprintf(stderr, "debrief export: cannot write\n");
	else
		rc = 0;
	if (o->dir && fclose(f) != 0)
		rc = -1;
	o->n++;
out:
	buf_release(&b);
	o->failed |= rc < 0;
	return rc;
}

static int export_md(struct store *st, const char *dest)
{
	struct md_out o = {0};
	struct err e;

	if (strcmp(dest, "-") != 0) {
		if (ensure_dir(dest) < 0)
			return CLI_EXIT_BAD;
		o.dir = dest;
	}
	err_clear(&e);
	if (store_export_reviews(st, NULL, 0, 0, put_md, &o, &e) != E_OK) {
		if (!o.failed)
			fprintf(stderr, "debrief export: %s\n", e.message);
		return CLI_EXIT_BAD;
	}
	if (o.dir)
		fprintf(stderr, "%zu review%s written to %s\n", o.n,
			o.n == 1 ? "" : "s", dest);
	return 0;
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
