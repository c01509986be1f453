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

/* The ids of the good files so far, to find an id given twice: an open
 * hash table of slots (id 0: free) with the index of each id's file. */
struct id_set {
	int64_t *ids;
	size_t *file;
	size_t mask;
};

static int id_set_init(struct id_set *s, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	s->mask = cap - 1;
	s->ids = calloc(cap, sizeof *s->ids);
	s->file = calloc(cap, sizeof *s->file);
	return s->ids && s->file ? 0 : -1;
}

/* id_set_add adds id (> 0) of file; returns the file that had it already,
 * or -1. */
static long id_set_add(struct id_set *s, int64_t id, size_t file)
{
	size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull) & s->mask;

	while (s->ids[h]) {
		if (s->ids[h] == id)
			return (long)s->file[h];
		h = (h + 1) & s->mask;
	}
	s->ids[h] = id;
	s->file[h] = file;
	return -1;
}

/* The files are read once, one at a time (memory does not grow with their
 * number): each is parsed, checked against the ids of the good files
 * before it and handed to store_import. Without --keep-going every file
 * goes into one transaction; after a bad file the rest are only parsed,
 * to list what else is bad, and the import rolls back. */
struct md_stream {
	char **paths;
	size_t n, i;
	int keep_going;
	const char *current;
	struct arena *a;
	struct export_review r;
	struct id_set seen;
	size_t bad;
};

/* take_file parses file i into m->r; prints why and returns -1 when it
 * is bad (not readable, not parsed, or an id given before). */
static int take_file(struct md_stream *m, size_t i)
{
	long other;

	arena_free(m->a);
	if (!(m->a = arena_new())) {
		fprintf(stderr, "%s: out of memory\n", m->paths[i]);
		return -1;
	}
	memset(&m->r, 0, sizeof m->r);
	if (parse_file(m->a, m->paths[i], &m->r) < 0)
		return -1;
	if (m->r.review->id &&
	    (other = id_set_add(&m->seen, m->r.review->id, i)) >= 0) {
		fprintf(stderr, "%s:%d: review id %lld is also the id of %s:%d\n",
			m->paths[i], id_line(m->paths[i]),
			(long long)m->r.review->id, m->paths[other],
			id_line(m->paths[other]));
		return -1;
	}
	return 0;
}

static int next_file(void *arg, struct export_review **out, struct err *e)
{
	struct md_stream *m = arg;

	while (m->i < m->n) {
		size_t i = m->i++;

		if (take_file(m, i) < 0) {
			m->bad++;
			continue;
		}
		if (m->bad)
			continue; /* nothing goes in: only listed */
		m->current = m->paths[i];
		*out = &m->r;
		return 1;
	}
	m->current = NULL;
	if (m->bad)
		return err_set(e, E_BAD_REQUEST, NULL, "%zu bad file%s",
			       m->bad, m->bad == 1 ? "" : "s"),
		       -1;
	return 0;
}

int import_md_main(int argc, char **argv)
{
	struct cli_args args;
	struct store *st = NULL;
	struct md_stream ms = {0};
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
	if (cli_store_open(&args, &st) < 0 || id_set_init(&ms.seen, n) < 0) {
		rc = CLI_EXIT_BAD;
		goto out;
	}
	ms.paths = paths;
	ms.n = n;
	ms.keep_going = args.keep_going;
	{
		struct import_batch b = {.allow_existing = 1,
					 .actor = "import",
					 .next = next_file,
					 .next_arg = &ms};
		struct err e;
		enum err_code irc;

		err_clear(&e);
		if (args.keep_going) {
			/* one transaction a file: a failure stops only it */
			b.next = NULL;
			b.reviews = &ms.r;
			b.nreviews = 1;
			for (size_t i = 0; i < n; i++) {
				if (take_file(&ms, i) < 0) {
					bad++;
				} else if (store_import(st, &b, &e) != E_OK) {
					fprintf(stderr, "%s: %s\n", paths[i],
						e.message);
					bad++;
				} else {
					imported++;
				}
			}
		} else if ((irc = store_import(st, &b, &e)) != E_OK && ms.bad) {
			fprintf(stderr, "nothing imported: %zu bad file%s (with "
					"--keep-going the good ones are "
					"imported)\n",
				ms.bad, ms.bad == 1 ? "" : "s");
			rc = CLI_EXIT_BAD;
			goto out;
		} else if (irc != E_OK) {
			fprintf(stderr, "nothing imported: %s: %s\n",
				ms.current ? ms.current : "", e.message);
			bad++;
			/* the files after it are listed when bad */
			while (ms.i < n)
				bad += take_file(&ms, ms.i++) < 0;
		} else {
			imported = n;
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
	free(ms.seen.ids);
	free(ms.seen.file);
	arena_free(ms.a);
	if (st)
		store_close(st);
	return rc;
}
