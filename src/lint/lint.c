/* lint.c: lint_text and lint_text_each, the engine's entry points. With
 * threads, a large input is cut at headings into parts of about 1 MiB
 * that the threads take in turn: each part's bytes are validated, then it
 * runs the markdown layer (which tokenizes and runs the rules sentence by
 * sentence), then sorts, de-duplicates, applies the allow-list and
 * computes line and column of every finding in one pass; its findings are
 * handed on as soon as it and the parts before it are done. Nothing is
 * scanned before the threads start: a part starts at a likely heading, and
 * the part before it checks, when it gets there, that it is one (else it
 * lints on over the next part's bytes). */

#define LINT_PART_MIN	 (4u << 20) /* bytes per thread at least */
#define LINT_MAX_THREADS 8
#define LINT_CHUNK	 (1u << 20) /* bytes per part, with threads */
#define LINT_MAX_PARTS	 256
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "lint/lint_internal.h"
#include "util/metrics.h"
#include "util/utf8.h"

/* lint_prefault maps in the whole pages of p[0..n) with one call, where
 * the kernel can (Linux 5.14). The findings and their messages are written
 * once into fresh memory: on the 50 MB bench that was 3,400 page faults,
 * each a trap that costs about 10 us in a virtual machine, 8% of the CPU
 * time; populating the same pages in one call costs a fraction of it. */
void lint_prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t pg = 4096, a = ((uintptr_t)p + pg - 1) & ~(pg - 1),
		  b = ((uintptr_t)p + n) & ~(pg - 1);

	if (b > a && b - a >= 4 * pg)
		(void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

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
		lint_prefault(p + c->capf, (cap - c->capf) * sizeof *p);
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

int lint_wants(const struct lctx *c, enum lint_rule r)
{
	unsigned m = LINT_MASK(lint_rules[r].cat);

	return !(c->suppress & m) && !(c->sent_cats & m);
}

int lint_emit_msg(struct lctx *c, const struct lsent *s, enum lint_rule r,
		  int a, int b, const char *message, const char *suggestion)
{
	size_t nf = c->nf;

	if (a < 0 || b >= s->n || a > b || !lint_wants(c, r))
		return 0;
	/* a quoted term under discussion is mentioned, not used */
	if (quoted_mention(s, a, b))
		return 0;
	for (int k = a; k <= b; k++)
		if (s->t[k].kind == TK_CODE)
			return 0;
	lint_emit(c, r, s->t[a].start, s->t[b].end);
	if (c->nf == nf)
		return 0;
	c->sent_cats |= LINT_MASK(lint_rules[r].cat);
	if (message)
		c->f[nf].message = message;
	if (suggestion)
		c->f[nf].suggestion = suggestion;
	return 1;
}

void lint_emit_toks(struct lctx *c, const struct lsent *s, enum lint_rule r,
		    int a, int b)
{
	lint_emit_msg(c, s, r, a, b, NULL, NULL);
}

#define POOL_BLOCK     65536	  /* the first block */
#define POOL_BLOCK_MAX (4u << 20) /* blocks double up to this */

/* pool_alloc: n bytes from the pool (n < POOL_BLOCK). A text with few
 * findings takes one small block; a large one gets blocks that double in
 * size, each mapped in with one call (lint_prefault). */
static char *pool_alloc(struct lctx *c, size_t n)
{
	if (!c->npool || c->pool_used + n > c->pool_block) {
		size_t size = c->npool ? c->pool_block * 2 : POOL_BLOCK;
		char *b;

		if (size > POOL_BLOCK_MAX)
			size = POOL_BLOCK_MAX;
		if (c->npool == c->cappool) {
			size_t cap = c->cappool ? c->cappool * 2 : 8;
			char **p = realloc(c->pool, cap * sizeof *p);

			if (!p)
				return NULL;
			c->pool = p;
			c->cappool = cap;
		}
		b = malloc(size);
		if (!b)
			return NULL;
		if (c->npool)
			lint_prefault(b, size);
		c->pool[c->npool++] = b;
		c->pool_block = size;
		c->pool_used = 0;
	}
	c->pool_used += n;
	return c->pool[c->npool - 1] + c->pool_used - n;
}

struct lint_arg lint_tok_arg(const struct lsent *s, int a, int b)
{
	struct lint_arg g = {"", 0};

	if (a >= 0 && b < s->n && a <= b) {
		g.p = s->text + s->t[a].start;
		g.n = s->t[b].end - s->t[a].start;
	}
	return g;
}

#define ARG_MAX 60

/* msg_next: the first "%1" .. "%4" at or after p, or the string's end
 * (a '%' followed by anything else is itself). strchr and memcpy take the
 * text between the places in one call each. */
static const char *msg_next(const char *p)
{
	for (;;) {
		const char *q = strchr(p, '%');

		if (!q)
			return p + strlen(p);
		if (q[1] >= '1' && q[1] <= '4')
			return q;
		p = q + 1;
	}
}

const char *lint_msg(struct lctx *c, const char *tmpl,
		     const struct lint_arg *args, int nargs)
{
	size_t n = 1;
	char *out, *o;
	const char *p, *q;

	for (p = tmpl;; p = q + 2) {
		int k;

		q = msg_next(p);
		n += (size_t)(q - p);
		if (!*q)
			break;
		k = q[1] - '1';
		n += k < nargs ? (args[k].n > ARG_MAX ? ARG_MAX + 3 : args[k].n)
			       : 0;
	}
	out = o = pool_alloc(c, n);
	if (!out) {
		c->oom = 1;
		return NULL;
	}
	for (p = tmpl;; p = q + 2) {
		int k;

		q = msg_next(p);
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		if (!*q)
			break;
		k = q[1] - '1';
		if (k < nargs) {
			size_t m = args[k].n > ARG_MAX ? ARG_MAX : args[k].n;

			/* cut at a UTF-8 character start */
			while (m < args[k].n && m > 0 &&
			       ((unsigned char)args[k].p[m] & 0xC0) == 0x80)
				m--;
			for (size_t i = 0; i < m; i++) {
				char ch = args[k].p[i];

				*o++ = ch == '\n' || ch == '\r' || ch == '\t' ? ' '
									  : ch;
			}
			if (m < args[k].n) {
				memcpy(o, "...", 3);
				o += 3;
			}
		}
	}
	*o = 0;
	return out;
}

void lint_pool_free(struct lctx *c)
{
	for (size_t i = 0; i < c->npool; i++)
		free(c->pool[i]);
	free(c->pool);
	c->pool = NULL;
	c->npool = c->cappool = 0;
}

int lint_pool_give(struct lctx *c, struct arena *a)
{
	size_t i;

	for (i = 0; i < c->npool; i++)
		if (arena_defer(a, free, c->pool[i]) < 0)
			break;
	if (i < c->npool) {
		for (; i < c->npool; i++)
			free(c->pool[i]);
		free(c->pool);
		c->pool = NULL;
		c->npool = 0;
		return -1;
	}
	free(c->pool);
	c->pool = NULL;
	c->npool = c->cappool = 0;
	return 0;
}

void lint_rules_run(struct lctx *c, const struct lsent *s)
{
	if ((c->suppress & LINT_MASK_ALL) == LINT_MASK_ALL)
		return;
	for (int k = 0; k < c->ntrig; k++) {
		int i = c->trig[k];

		if (s->t[i].cls & CL_PAUX) {
			/* was / were / been: only a passive can start here */
			lint_rule_passive_aux(c, s, i);
			continue;
		}
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

static int space_char(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* phrase_at matches phrase ph[0..n) at text[p..): case-insensitively,
 * any run of spaces, tabs and line breaks in either matching any other
 * (a phrase copied from one line may wrap in the text). Returns the end
 * of the match in text, 0 when there is none. */
static size_t phrase_at(const char *text, size_t len, size_t p, const char *ph,
			size_t n)
{
	size_t i = p, q = 0;

	while (q < n) {
		unsigned char c = (unsigned char)ph[q];

		if (space_char(c)) {
			if (i >= len || !space_char((unsigned char)text[i]))
				return 0;
			while (i < len && space_char((unsigned char)text[i]))
				i++;
			while (q < n && space_char((unsigned char)ph[q]))
				q++;
			continue;
		}
		if (i >= len || lower((unsigned char)text[i]) != lower(c))
			return 0;
		i++;
		q++;
	}
	return i;
}

/* allowed: an allow-listed phrase of the finding's category occurs
 * (case-insensitively, at word boundaries, with any white space between
 * its words) over a range that overlaps the finding. */
static int allowed(const char *text, size_t len, const struct lint_finding *f,
		   const struct lint_config *cfg)
{
	for (size_t k = 0; k < cfg->nallow; k++) {
		const char *ph = cfg->allow[k];
		size_t n = ph ? strlen(ph) : 0, lo, hi, back;

		if (n == 0 || (cfg->allow_mask &&
			       !(cfg->allow_mask[k] & LINT_MASK(f->cat))))
			continue;
		/* a match may be longer than the phrase (wider white space) */
		back = 2 * n + 64;
		lo = f->start >= back ? f->start - back : 0;
		hi = f->end;
		for (size_t p = lo; p < hi && p < len; p++) {
			size_t e = phrase_at(text, len, p, ph, n);

			if (!e || e <= f->start)
				continue;
			if ((p > 0 && word_char((unsigned char)text[p - 1]) &&
			     word_char((unsigned char)ph[0])) ||
			    (e < len && word_char((unsigned char)text[e]) &&
			     word_char((unsigned char)ph[n - 1])))
				continue;
			return 1;
		}
	}
	return 0;
}

/* high_bits: how many bytes of m (only their high bits may be set) have
 * it set: one multiply, where __builtin_popcountll is a call into libgcc
 * unless the target has POPCNT (2% of a run on a large text). */
static inline unsigned high_bits(uint64_t m)
{
	return (unsigned)(((m >> 7) * 0x0101010101010101ULL) >> 56);
}

/* count_nl: the newlines in p[0..n). With SSE2 (every x86-64), 16 bytes
 * a step: the comparison's 0xFF (-1) per newline is subtracted from a
 * counter per byte lane, and the lanes are summed (psadbw) before any
 * can pass 255. Then, and without SSE2, eight bytes at a time: a byte of
 * x ^ 0x0a.. is zero exactly where x holds '\n', and ((y & 0x7f..) +
 * 0x7f..) | y has its high bit clear exactly at zero bytes (no carry
 * crosses bytes). */
static size_t count_nl(const char *p, size_t n)
{
	size_t k = 0, i = 0;

#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();

	while (i + 16 <= n) {
		__m128i acc = zero;
		size_t stop = n - i >= 16 * 255 ? i + 16 * 255 : n;

		for (; i + 16 <= stop; i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(p + i));

			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, nl));
		}
		acc = _mm_sad_epu8(acc, zero);
		k += (size_t)_mm_cvtsi128_si32(acc) +
		     (size_t)_mm_extract_epi16(acc, 4);
	}
#endif
	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;

		memcpy(&x, p + i, 8);
		x ^= 0x0a0a0a0a0a0a0a0aULL;
		y = ((x & 0x7f7f7f7f7f7f7f7fULL) + 0x7f7f7f7f7f7f7f7fULL) | x;
		k += high_bits(~y & 0x8080808080808080ULL);
	}
	for (; i < n; i++)
		k += p[i] == '\n';
	return k;
}

/* advance moves a line/column cursor from byte *pos to byte to: the last
 * newline is found with memrchr and the ones before it counted in words
 * (findings are a few lines apart: one call per line was 2% of the run),
 * code points are counted only on the last line. */
static void advance(const char *text, size_t *pos, int *line, int *col,
		    size_t to)
{
	const char *p = text + *pos, *end = text + to, *nl;

	nl = memrchr(p, '\n', (size_t)(end - p));
	if (nl) {
		*line += (int)count_nl(p, (size_t)(nl - p)) + 1;
		*col = 1;
		p = nl + 1;
	}
	/* code points: bytes that are not 10xxxxxx, 8 at a time (ASCII
	 * words need no bit count) */
	for (; end - p >= 8; p += 8) {
		uint64_t x, cont;

		memcpy(&x, p, 8);
		cont = x & ~(x << 1) & 0x8080808080808080ULL;
		*col += 8 - (int)high_bits(cont);
	}
	for (; p < end; p++)
		*col += ((unsigned char)*p & 0xC0) != 0x80;
	*pos = to;
}

/* A part of the input. Part k starts at the k-th part start (a line
 * start) and stops at the first later part start where it can
 * (lint_md_run); its lines are counted from 1 and shifted when its
 * findings are handed on. */
struct part {
	struct lctx c;
	int nl;	       /* newlines in [md_start, stopped) */
	int validated; /* its bytes up to the next part start were checked */
	int done;      /* linted (and finished) */
};

/* finish_part sorts a part's findings, drops duplicates and allow-listed
 * ones, sets their lines and columns, and counts the part's lines. */
static void finish_part(struct part *p, const struct lint_config *cfg)
{
	struct lctx *c = &p->c;
	size_t last_end[LINT_NCATEGORIES] = {0}, m = 0, pos = c->md_start;
	int line = 1, col = 1;

	sort_findings(c->f, c->nf);
	for (size_t k = 0; k < c->nf; k++) {
		struct lint_finding *o = &c->f[k];
		size_t epos;
		int eline, ecol;

		/* the same words flagged twice for one category, or a span
		 * inside another of the same category */
		if (o->start < last_end[o->cat])
			continue;
		last_end[o->cat] = o->end;
		if (cfg->nallow && allowed(c->text, c->len, o, cfg))
			continue;
		advance(c->text, &pos, &line, &col, o->start);
		o->line = line;
		o->column = col;
		epos = pos;
		eline = line;
		ecol = col;
		advance(c->text, &epos, &eline, &ecol, o->end);
		o->end_line = eline;
		o->end_column = ecol;
		c->f[m++] = *o;
	}
	c->nf = m;
	if (c->stopped > pos)
		advance(c->text, &pos, &line, &col, c->stopped);
	p->nl = line - 1;
}

/* A run over the parts of one input. The jobs are handed out in order:
 * first "validate part k" for every part (their UTF-8 is checked before
 * any finding is handed on, so that an input with a bad byte late in it
 * gives the error and no findings), then "lint part k". Whoever finishes
 * a job hands on the findings of the parts that are ready, in order (one
 * thread at a time: `emitting`), so the sink's work (formatting and
 * writing, in the CLI) overlaps the linting of later parts, and there
 * are many more parts than threads, so a thread slowed by other work on
 * its CPU does fewer of them. */
struct run {
	const char *text;
	size_t len;
	const struct lint_config *cfg;
	struct part *p;
	size_t nparts;
	lint_sink_fn sink;
	void *arg;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next_job; /* < nparts: validate; then lint next_job - nparts */
	size_t nvalid;	 /* parts validated */
	size_t bad;	 /* the first byte that is not UTF-8, or len */
	size_t emit;	 /* the next part whose findings go to the sink */
	int lines;	 /* newlines before it */
	int emitting;	 /* a thread is calling the sink */
	int stop;	 /* bad UTF-8, out of memory or the sink said stop */
	int oom;
};

/* next_part: the part that starts where part k stopped (nparts when k
 * ran to the end); the parts in between were linted on by part k. */
static size_t next_part(const struct part *p, size_t nparts, size_t k)
{
	size_t j = k + 1;

	while (j < nparts && p[j].c.md_start != p[k].c.stopped)
		j++;
	return j;
}

/* hand_on gives the sink the findings of the parts that are ready, in
 * order, unless another thread is at it. Lock held (released around the
 * sink). The sink owns each array it gets. */
static void hand_on(struct run *r)
{
	while (!r->emitting && !r->stop && r->nvalid == r->nparts &&
	       r->emit < r->nparts && r->p[r->emit].done) {
		struct part *p = &r->p[r->emit];
		struct lint_finding *f = p->c.f;
		size_t n = p->c.nf;
		int rc = 0;

		if (p->c.oom || p->c.invalid) {
			/* (a part's own bytes were validated: a bad byte
			 * here was past them, found first elsewhere) */
			r->oom |= p->c.oom;
			r->stop = 1;
			break;
		}
		r->emitting = 1;
		p->c.f = NULL;
		p->c.nf = 0;
		pthread_mutex_unlock(&r->mu);
		for (size_t i = 0; i < n; i++) {
			f[i].line += r->lines;
			f[i].end_line += r->lines;
		}
		if (n)
			rc = r->sink(r->arg, f, n);
		else
			free(f);
		pthread_mutex_lock(&r->mu);
		r->emitting = 0;
		r->lines += p->nl;
		r->emit = next_part(r->p, r->nparts, r->emit);
		if (rc)
			r->stop = 1;
	}
}

/* worker does jobs until there are none. */
static void *worker(void *arg)
{
	struct run *r = arg;

	pthread_mutex_lock(&r->mu);
	while (!r->stop && r->next_job < 2 * r->nparts) {
		size_t j = r->next_job++, bad;

		if (j < r->nparts) {
			struct part *p = &r->p[j];
			size_t from = p->c.md_start,
			       to = p->c.nstops ? p->c.stops[0] : r->len;
			int ok;

			pthread_mutex_unlock(&r->mu);
			ok = utf8_valid(r->text + from, to - from, &bad);
			pthread_mutex_lock(&r->mu);
			p->validated = 1;
			r->nvalid++;
			if (!ok) {
				if (from + bad < r->bad)
					r->bad = from + bad;
				r->stop = 1;
			}
			pthread_cond_broadcast(&r->cv);
		} else {
			struct part *p = &r->p[j - r->nparts];

			while (!p->validated)
				pthread_cond_wait(&r->cv, &r->mu);
			if (r->stop)
				break;
			pthread_mutex_unlock(&r->mu);
			lint_md_run(&p->c, r->cfg);
			if (!p->c.oom && !p->c.invalid)
				finish_part(p, r->cfg);
			pthread_mutex_lock(&r->mu);
			p->done = 1;
			if (p->c.invalid && p->c.bad < r->bad)
				r->bad = p->c.bad;
		}
		hand_on(r);
	}
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* threads_for: how many threads to use for an input of len bytes. */
static size_t threads_for(size_t len, const struct lint_config *cfg)
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

enum err_code lint_text_each(struct arena *a, const char *text, size_t len,
			     const struct lint_config *cfg, lint_sink_fn sink,
			     void *arg, struct err *e)
{
	static const struct lint_config defaults;
	size_t nth, nparts = 1, nstart = 0, *at = NULL;
	pthread_t th[LINT_MAX_THREADS];
	struct run r = {0};
	struct timespec t0, t1;
	enum err_code rc = E_OK;
	size_t started = 0;

	if (!cfg)
		cfg = &defaults;
	lint_lex_init();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nth = threads_for(len, cfg);
	if (nth > 1) {
		nparts = len / LINT_CHUNK;
		if (nparts > LINT_MAX_PARTS)
			nparts = LINT_MAX_PARTS;
		at = malloc(nparts * sizeof *at);
		if (!at)
			return err_set(e, E_NOMEM, "", "out of memory");
		nstart = lint_md_part_starts(text, len, at, nparts - 1);
		nparts = nstart + 1;
	}
	r.p = calloc(nparts, sizeof *r.p);
	if (!r.p) {
		free(at);
		return err_set(e, E_NOMEM, "", "out of memory");
	}
	r.text = text;
	r.len = len;
	r.cfg = cfg;
	r.nparts = nparts;
	r.sink = sink;
	r.arg = arg;
	r.bad = len;
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	for (size_t k = 0; k < nparts; k++) {
		struct lctx *c = &r.p[k].c;

		c->text = text;
		c->len = len;
		c->md_start = k ? at[k - 1] : 0;
		c->md_end = len;
		c->stops = at ? at + k : NULL;
		c->nstops = nstart - k;
		c->disabled = cfg->disabled_mask & LINT_MASK_ALL;
		c->open_quote = -1;
	}
	if (nth > nparts)
		nth = nparts;
	for (size_t k = 1; k < nth; k++)
		if (!pthread_create(&th[started], NULL, worker, &r))
			started++;
	worker(&r);
	for (size_t k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	pthread_mutex_lock(&r.mu);
	hand_on(&r); /* (all done: nobody else is at it) */
	pthread_mutex_unlock(&r.mu);
	if (r.bad < len) {
		int line = 1, col = 1;

		utf8_line_col(text, r.bad, &line, &col);
		rc = err_set(e, E_BAD_REQUEST, "text",
			     "invalid UTF-8 at byte %zu (line %d, column %d)",
			     r.bad, line, col);
	} else if (r.oom) {
		rc = err_set(e, E_NOMEM, "", "out of memory");
	}
	for (size_t k = 0; k < nparts; k++) {
		/* the findings' messages live on in a's blocks */
		if (rc == E_OK && lint_pool_give(&r.p[k].c, a) < 0)
			rc = err_set(e, E_NOMEM, "", "out of memory");
		lint_pool_free(&r.p[k].c);
		free(r.p[k].c.f);
		free(r.p[k].c.t);
	}
	pthread_cond_destroy(&r.cv);
	pthread_mutex_destroy(&r.mu);
	free(r.p);
	free(at);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	metrics_count(METRIC_LINT_RUNS);
	metrics_time(METRIC_LINT, (double)(t1.tv_sec - t0.tv_sec) +
					  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return rc;
}

/* lint_text's sink: one array of all the findings, freed with a. */
struct collect {
	struct lint_finding *f;
	size_t n, cap;
	int oom;
};

static int collect(void *arg, struct lint_finding *f, size_t n)
{
	struct collect *c = arg;

	if (!c->f) {
		c->f = f; /* the first part's array: no copy */
		c->n = c->cap = n;
		return 0;
	}
	if (c->n + n > c->cap) {
		size_t cap = c->cap * 2 > c->n + n ? c->cap * 2 : c->n + n;
		struct lint_finding *g = realloc(c->f, cap * sizeof *g);

		if (!g) {
			free(f);
			c->oom = 1;
			return -1;
		}
		c->f = g;
		c->cap = cap;
	}
	memcpy(c->f + c->n, f, n * sizeof *f);
	c->n += n;
	free(f);
	return 0;
}

enum err_code lint_text(struct arena *a, const char *text, size_t len,
			const struct lint_config *cfg,
			struct lint_finding **out, size_t *n, struct err *e)
{
	struct collect c = {0};
	enum err_code rc;

	*out = NULL;
	*n = 0;
	rc = lint_text_each(a, text, len, cfg, collect, &c, e);
	if (rc == E_OK && c.oom)
		rc = err_set(e, E_NOMEM, "", "out of memory");
	if (rc == E_OK && c.f && arena_defer(a, free, c.f) < 0)
		rc = err_set(e, E_NOMEM, "", "out of memory");
	if (rc != E_OK) {
		free(c.f);
		return rc;
	}
	*out = c.f;
	*n = c.n;
	return E_OK;
}
