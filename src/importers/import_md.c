/* import_md.c: `debrief import md DIR|FILE... [--keep-going]`: markdown
 * files with YAML front matter (md_format.h) into the database. Without
 * --keep-going one bad file imports nothing; with it the good files go in
 * and the bad ones are listed. Exit 0 when every file went in, 1 when a
 * file was bad, 2 on usage. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "importers/cli_args.h"
#include "importers/data_cli.h"
#include "importers/md_format.h"

#define MD_FILE_MAX (16 * 1024 * 1024)

struct md_file {
	char *path;
	struct export_review r;
	int ok;
};

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* add_path adds path, or the *.md files of directory path (sorted), to
 * the list; prints and returns -1 when it cannot be read. */
static int add_path(const char *path, char ***list, size_t *n, size_t *cap)
{
	struct stat sb;
	char **names = NULL;
	size_t nn = 0, cn = 0;
	DIR *d;
	struct dirent *de;

	if (stat(path, &sb) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		names = malloc(sizeof *names);
		if (!names || !(names[0] = strdup(path)))
			return -1;
		nn = 1;
	} else {
		if (!(d = opendir(path))) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return -1;
		}
		while ((de = readdir(d))) {
			size_t l = strlen(de->d_name);
			char *full;

			if (l < 4 || strcmp(de->d_name + l - 3, ".md") != 0 ||
			    de->d_name[0] == '.')
				continue;
			if (nn == cn) {
				char **nv;
				cn = cn ? cn * 2 : 16;
				if (!(nv = realloc(names, cn * sizeof *nv)))
					break;
				names = nv;
			}
			if (!(full = malloc(strlen(path) + l + 2)))
				break;
			sprintf(full, "%s/%s", path, de->d_name);
			names[nn++] = full;
		}
		closedir(d);
		if (nn)
			qsort(names, nn, sizeof *names, by_name);
	}
	for (size_t i = 0; i < nn; i++) {
		if (*n == *cap) {
			char **nv;
			*cap = *cap ? *cap * 2 : 16;
			if (!(nv = realloc(*list, *cap * sizeof *nv)))
				return -1;
			*list = nv;
		}
		(*list)[(*n)++] = names[i];
	}
	free(names);
	return 0;
}

static char *read_all(const char *path, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long size;

	if (!f) {
		err_set(e, E_IO, NULL, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		err_set(e, E_IO, NULL, "%s: cannot read", path);
		goto out;
	}
	if (size > MD_FILE_MAX) {
		err_set(e, E_BAD_REQUEST, NULL, "%s: larger than %d MiB", path,
			MD_FILE_MAX >> 20);
		goto out;
	}
	if (!(text = malloc((size_t)size + 1)) ||
	    fread(text, 1, (size_t)size, f) != (size_t)size) {
		err_set(e, E_IO, NULL, "%s: cannot read", path);
		free(text);
		text = NULL;
		goto out;
	}
	text[size] = '\0';
	*len = (size_t)size;
out:
	fclose(f);
	return text;
}

/* parse_file reads and parses path into r, memory from a; prints the
 * problem and returns -1. */
static int parse_file(struct arena *a, const char *path,
		      struct export_review *r)
{
	struct err e;
	size_t len = 0;
	char *text;

	err_clear(&e);
	if (!(text = read_all(path, &len, &e)) ||
	    md_parse(a, path, text, len, r, &e) != E_OK) {
		fprintf(stderr, "%s\n", e.message);
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

/* The second pass hands the good files to store_import one at a time,
 * parsed again, so that memory does not grow with the number of files. */
struct md_stream {
	struct md_file *fs;
	size_t n, i;
	const char *current;
	struct arena *a;
	struct export_review r;
};

static int next_file(void *arg, struct export_review **out, struct err *e)
{
	struct md_stream *m = arg;

	while (m->i < m->n && !m->fs[m->i].ok)
		m->i++;
	if (m->i == m->n)
		return 0;
	m->current = m->fs[m->i].path;
	arena_free(m->a);
	if (!(m->a = arena_new()))
		return err_set(e, E_NOMEM, NULL, "out of memory"), -1;
	if (parse_file(m->a, m->fs[m->i++].path, &m->r) < 0)
		return err_set(e, E_IO, NULL, "%s changed while importing",
			       m->current),
		       -1;
	*out = &m->r;
	return 1;
}

/* id_line is the line of the front matter's "id:" key in the file at
 * path (for a message; 1 when it cannot tell). */
static int id_line(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int n = 0, found = 0;

	if (!f)
		return 1;
	while (!found && fgets(line, sizeof line, f)) {
		n++;
		if (n > 1 && !strncmp(line, "---", 3))
			break;
		found = !strncmp(line, "id:", 3);
	}
	fclose(f);
	return found ? n : 1;
}

int import_md_main(int argc, char **argv)
{
	struct cli_args args;
	struct store *st = NULL;
	struct md_file *fs = NULL;
	struct md_stream ms = {0};
	int64_t *ids = NULL;
	char **paths = NULL;
	size_t n = 0, cap = 0, bad = 0, imported = 0;
	int rc = cli_args_parse("import md", argc, argv, 1,
				CLI_DB | CLI_KEEP_GOING, &args);

	if (rc)
		return rc;
	if (args.npos < 1) {
		fprintf(stderr, "usage: debrief import md DIR|FILE... "
				"[--keep-going] [--db PATH]\n");
		return CLI_EXIT_USAGE;
	}
	for (int i = 0; i < args.npos; i++)
		if (add_path(args.pos[i], &paths, &n, &cap) < 0)
			bad++;
	if (bad && !args.keep_going) {
		rc = CLI_EXIT_BAD;
		goto out;
	}
	if (cli_store_open(&args, &st) < 0 ||
	    !(fs = calloc(n + 1, sizeof *fs)) ||
	    !(ids = calloc(n + 1, sizeof *ids))) {
		rc = CLI_EXIT_BAD;
		goto out;
	}
	/* first pass: every file parsed and checked, one in memory at once */
	for (size_t i = 0; i < n; i++) {
		struct arena *a = arena_new();

		fs[i].path = paths[i];
		fs[i].ok = a && parse_file(a, paths[i], &fs[i].r) == 0;
		if (fs[i].ok && (ids[i] = fs[i].r.review->id))
			for (size_t j = 0; j < i; j++)
				if (fs[j].ok && ids[j] == ids[i]) {
					fprintf(stderr,
						"%s:%d: review id %lld is "
						"also the id of %s:%d\n",
						paths[i], id_line(paths[i]),
						(long long)ids[i], paths[j],
						id_line(paths[j]));
					fs[i].ok = 0;
					break;
				}
		memset(&fs[i].r, 0, sizeof fs[i].r);
		arena_free(a);
		bad += !fs[i].ok;
	}
	if (bad && !args.keep_going) {
		fprintf(stderr, "nothing imported: %zu bad file%s (with "
				"--keep-going the good ones are imported)\n",
			bad, bad == 1 ? "" : "s");
		rc = CLI_EXIT_BAD;
		goto out;
	}
	ms.fs = fs;
	ms.n = n;
	{
		struct import_batch b = {.allow_existing = 1,
					 .actor = "import",
					 .next = next_file,
					 .next_arg = &ms};
		struct err e;

		err_clear(&e);
		if (args.keep_going) {
			/* one transaction a file: a failure stops only it */
			for (size_t i = 0; i < n; i++) {
				if (!fs[i].ok)
					continue;
				ms.i = i;
				ms.n = i + 1;
				if (store_import(st, &b, &e) != E_OK) {
					fprintf(stderr, "%s: %s\n", fs[i].path,
						e.message);
					bad++;
				} else {
					imported++;
				}
			}
		} else if (store_import(st, &b, &e) != E_OK) {
			fprintf(stderr, "nothing imported: %s: %s\n",
				ms.current ? ms.current : "", e.message);
			bad++;
		} else {
			for (size_t i = 0; i < n; i++)
				imported += fs[i].ok;
		}
	}
	printf("%zu review%s imported", imported, imported == 1 ? "" : "s");
	if (bad)
		printf(", %zu file%s not (listed above)", bad,
		       bad == 1 ? "" : "s");
	printf("\n");
	rc = bad ? CLI_EXIT_BAD : 0;
out:
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(fs);
	free(ids);
	arena_free(ms.a);
	if (st)
		store_close(st);
	return rc;
}
