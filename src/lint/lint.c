/* lint.c: lint_text, the engine's entry point: validate, run the markdown
 * layer (which tokenizes and runs the rules sentence by sentence; a large
 * input is cut at headings into parts linted in parallel threads), then
 * sort, de-duplicate, apply the allow-list and compute line and column
 * of every finding in one pass. */

#define LINT_PART_MIN	 (4u << 20) /* bytes per thread at least */
#define LINT_MAX_THREADS 8
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lint/lint_internal.h"
#include "util/utf8.h"

void lint_emit(struct lctx *c, enum lint_rule r, size_t start, size_t end)
{
	const struct lint_rule_info *ri = &lint_rules[r];
	struct lint_finding *f;

	if ((c->suppress & LINT_MASK(ri->cat)) || start >= end)
		return;
	if (c->nf == c->capf) {
		size_t cap = c->capf ? c->capf * 2 : 32;
		struct lint_finding *p = realloc(c->f, cap * sizeof *p);

		if (!p) {
			c->oom = 1;
			return;
		}
		c->f = p;
		c->capf = cap;
	}
	f = &c->f[c->nf++];
	memset(f, 0, sizeof *f);
	f->cat = ri->cat;
	f->category = lint_category_name(ri->cat);
	f->start = start;
	f->end = end;
	f->message = ri->message;
	f->suggestion = ri->suggestion;
	f->rule = (int)r;
}

void lint_emit_toks(struct lctx *c, const struct lsent *s, enum lint_rule r,
		    int a, int b)
{
	if (a < 0 || b >= s->n || a > b)
		return;
	/* a quoted term under discussion is mentioned, not used */
	if (quoted_mention(s, a, b))
		return;
	for (int k = a; k <= b; k++)
		if (s->t[k].kind == TK_CODE)
			return;
	lint_emit(c, r, s->t[a].start, s->t[b].end);
}

void lint_rules_run(struct lctx *c, const struct lsent *s)
{
	if ((c->suppress & LINT_MASK_ALL) == LINT_MASK_ALL)
		return;
	for (int i = 0; i < s->n; i++) {
		if (!(s->t[i].cls & CL_TRIG))
			continue;
		lint_rule_counterfactual(c, s, i);
		lint_rule_root_cause(c, s, i);
		lint_rule_human_error(c, s, i);
		lint_rule_hindsight(c, s, i);
		lint_rule_passive(c, s, i);
		lint_rule_judgement(c, s, i);
	}
}

static int cmp_finding(const void *a, const void *b)
{
	const struct lint_finding *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->cat != y->cat)
		return (int)x->cat - (int)y->cat;
	/* the longer first: overlapping spans of a category keep it */
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return 0;
}

/* sort_findings sorts by cmp_finding. Findings come nearly sorted (in
 * sentence order, a few out of place within a sentence), so an insertion
 * sort costs about one comparison each; qsort is the fallback when they
 * are far out of order. */
static void sort_findings(struct lint_finding *f, size_t n)
{
	size_t moves = 0;

	for (size_t i = 1; i < n; i++) {
		struct lint_finding x = f[i];
		size_t j = i;

		while (j > 0 && cmp_finding(&f[j - 1], &x) > 0) {
			f[j] = f[j - 1];
			j--;
			if (++moves > 64 + 8 * n) {
				f[j] = x;
				qsort(f, n, sizeof *f, cmp_finding);
				return;
			}
		}
		f[j] = x;
	}
}

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch | 0x20 : ch;
}

static int word_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch >= 0x80;
}

/* allowed: an allow-listed phrase occurs (case-insensitively, at word
 * boundaries) over a range that overlaps the finding. */
static int allowed(const char *text, size_t len, const struct lint_finding *f,
		   const struct lint_config *cfg)
{
	for (size_t k = 0; k < cfg->nallow; k++) {
		const char *ph = cfg->allow[k];
		size_t n = ph ? strlen(ph) : 0, lo, hi;

		if (n == 0)
			continue;
		lo = f->start >= n ? f->start - n + 1 : 0;
		hi = f->end;
		for (size_t p = lo; p < hi && p + n <= len; p++) {
			size_t q;

			for (q = 0; q < n; q++)
				if (lower((unsigned char)text[p + q]) !=
				    lower((unsigned char)ph[q]))
					break;
			if (q < n)
				continue;
			if ((p > 0 && word_char((unsigned char)text[p - 1]) &&
			     word_char((unsigned char)ph[0])) ||
			    (p + n < len &&
			     word_char((unsigned char)text[p + n]) &&
			     word_char((unsigned char)ph[n - 1])))
				continue;
			return 1;
		}
	}
	return 0;
}

/* advance moves a line/column cursor from byte *pos to byte to: newlines
 * are found with memchr, code points are counted only on the last line. */
static void advance(const char *text, size_t *pos, int *line, int *col,
		    size_t to)
{
	const char *p = text + *pos, *end = text + to, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		(*line)++;
		*col = 1;
		p = nl + 1;
	}
	/* code points: bytes that are not 10xxxxxx, 8 at a time */
	for (; end - p >= 8; p += 8) {
		uint64_t x, cont;

		memcpy(&x, p, 8);
		cont = x & ~(x << 1) & 0x8080808080808080ULL;
		*col += 8 - __builtin_popcountll(cont);
	}
	for (; p < end; p++)
		*col += ((unsigned char)*p & 0xC0) != 0x80;
	*pos = to;
}

/* A part of a large input, linted in its own thread. */
struct part {
	struct lctx c;
	const struct lint_config *cfg;
	pthread_t th;
	int started;
};

static void *part_run(void *arg)
{
	struct part *p = arg;

	lint_md_run(&p->c, p->cfg);
	return NULL;
}

/* parts_for: how many threads to use for an input of len bytes. */
static size_t parts_for(size_t len, const struct lint_config *cfg)
{
	long cpus;
	size_t k;

	if (len < 2 * LINT_PART_MIN || cfg->threads == 1)
		return 1;
	cpus = cfg->threads > 0 ? cfg->threads : sysconf(_SC_NPROCESSORS_ONLN);
	k = cpus > 0 ? (size_t)cpus : 1;
	if (k > LINT_MAX_THREADS)
		k = LINT_MAX_THREADS;
	if (k > len / LINT_PART_MIN)
		k = len / LINT_PART_MIN;
	return k ? k : 1;
}

/* run_parts lints text in nparts parts (threads when there are several)
 * and gathers all findings into *f (malloc'd, unsorted). */
static int run_parts(const char *text, size_t len,
		     const struct lint_config *cfg, size_t nparts,
		     struct lint_finding **f, size_t *nf)
{
	size_t at[LINT_MAX_THREADS], nsplit, total = 0;
	struct part *p;
	int oom = 0;

	nsplit = nparts > 1 ? lint_md_splits(text, len, at, nparts - 1) : 0;
	nparts = nsplit + 1;
	p = calloc(nparts, sizeof *p);
	if (!p)
		return -1;
	for (size_t k = 0; k < nparts; k++) {
		p[k].c.text = text;
		p[k].c.len = len;
		p[k].c.md_start = k ? at[k - 1] : 0;
		p[k].c.md_end = k < nsplit ? at[k] : len;
		p[k].c.disabled = cfg->disabled_mask & LINT_MASK_ALL;
		p[k].c.open_quote = -1;
		p[k].cfg = cfg;
	}
	for (size_t k = 1; k < nparts; k++)
		p[k].started = !pthread_create(&p[k].th, NULL, part_run, &p[k]);
	part_run(&p[0]);
	for (size_t k = 1; k < nparts; k++) {
		if (p[k].started)
			pthread_join(p[k].th, NULL);
		else
			part_run(&p[k]); /* no thread: do it here */
	}
	for (size_t k = 0; k < nparts; k++) {
		oom |= p[k].c.oom;
		total += p[k].c.nf;
	}
	*f = NULL;
	*nf = 0;
	if (!oom && nparts == 1) {
		*f = p[0].c.f;
		*nf = p[0].c.nf;
		p[0].c.f = NULL;
	} else if (!oom && total) {
		*f = malloc(total * sizeof **f);
		oom = !*f;
		for (size_t k = 0; !oom && k < nparts; k++) {
			memcpy(*f + *nf, p[k].c.f, p[k].c.nf * sizeof **f);
			*nf += p[k].c.nf;
		}
	}
	for (size_t k = 0; k < nparts; k++) {
		free(p[k].c.f);
		free(p[k].c.t);
	}
	free(p);
	return oom ? -1 : 0;
}

enum err_code lint_text(struct arena *a, const char *text, size_t len,
			const struct lint_config *cfg,
			struct lint_finding **out, size_t *n, struct err *e)
{
	static const struct lint_config defaults;
	struct lint_finding *f = NULL;
	size_t bad, k, nf = 0, m = 0, pos = 0;
	size_t last_end[LINT_NCATEGORIES] = {0};
	int line = 1, col = 1;
	enum err_code rc = E_OK;

	*out = NULL;
	*n = 0;
	if (!cfg)
		cfg = &defaults;
	if (!utf8_valid(text, len, &bad)) {
		utf8_line_col(text, bad, &line, &col);
		return err_set(e, E_BAD_REQUEST, "text",
			       "invalid UTF-8 at byte %zu (line %d, column %d)",
			       bad, line, col);
	}
	lint_lex_init();
	if (run_parts(text, len, cfg, parts_for(len, cfg), &f, &nf) < 0) {
		rc = err_set(e, E_NOMEM, "", "out of memory");
		goto out;
	}
	sort_findings(f, nf);
	for (k = 0; k < nf; k++) {
		/* the same words flagged twice for one category, or a span
		 * inside another of the same category */
		if (f[k].start < last_end[f[k].cat])
			continue;
		last_end[f[k].cat] = f[k].end;
		if (cfg->nallow && allowed(text, len, &f[k], cfg))
			continue;
		f[m++] = f[k];
	}
	if (m) {
		*out = arena_alloc(a, m * sizeof **out);
		if (!*out) {
			rc = err_set(e, E_NOMEM, "", "out of memory");
			goto out;
		}
		for (k = 0; k < m; k++) {
			struct lint_finding *o = &(*out)[k];
			size_t epos;
			int eline, ecol;

			*o = f[k];
			advance(text, &pos, &line, &col, o->start);
			o->line = line;
			o->column = col;
			epos = pos;
			eline = line;
			ecol = col;
			advance(text, &epos, &eline, &ecol, o->end);
			o->end_line = eline;
			o->end_column = ecol;
		}
		*n = m;
	}
out:
	free(f);
	return rc;
}
