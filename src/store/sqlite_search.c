/* sqlite_search.c: the ranked search of issue 17 (store_search): what a
 * person typed made into an FTS5 query that cannot be a syntax error,
 * the reviews it matches ranked by bm25 and cut to one page inside
 * SQLite, and then, for that page only, snippets and the places in each
 * review (section, timeline, follow-ups, factors) where it matched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/buf.h"

/* ---- the query ---------------------------------------------------- */

enum tok_type {
	TOK_TERM,
	TOK_OR,
	TOK_NOT
};

struct tok {
	enum tok_type type;
	const char *s; /* TOK_TERM: its text (not NUL-terminated) */
	size_t len;
	int prefix, neg;
};

static int word_byte(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

static int has_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (word_byte((unsigned char)s[i]))
			return 1;
	return 0;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\f' || ch == '\v';
}

/* term writes one term as an FTS5 string (quotes doubled), a prefix
 * query when asked. */
static void term(struct buf *b, const struct tok *t)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < t->len; i++)
		buf_append(b, t->s[i] == '"' ? "\"\"" : &t->s[i],
			   t->s[i] == '"' ? 2 : 1);
	buf_puts(b, t->prefix ? "\"*" : "\"");
}

/* tokenize reads q into at most max tokens: "phrases" (a quote without
 * its pair is a space), words, OR, NOT, -word, word*; parentheses are
 * spaces. Runs without a letter or digit are dropped. */
static size_t tokenize(const char *q, struct tok *toks, size_t max)
{
	const char *p = q;
	size_t n = 0;

	while (*p && n < max) {
		struct tok t = {TOK_TERM, NULL, 0, 0, 0};

		if (is_space(*p) || *p == '(' || *p == ')') {
			p++;
			continue;
		}
		if (*p == '"') {
			const char *close = strchr(p + 1, '"');

			if (!close) { /* unbalanced: plain text */
				p++;
				continue;
			}
			t.s = p + 1;
			t.len = (size_t)(close - p - 1);
			p = close + 1;
			if (*p == '*') {
				t.prefix = 1;
				while (*p == '*')
					p++;
			}
			if (has_word(t.s, t.len))
				toks[n++] = t;
			continue;
		}
		t.s = p;
		while (*p && !is_space(*p) && *p != '"' && *p != '(' &&
		       *p != ')')
			p++;
		t.len = (size_t)(p - t.s);
		if (t.len == 2 && !memcmp(t.s, "OR", 2)) {
			t.type = TOK_OR;
		} else if (t.len == 3 && !memcmp(t.s, "NOT", 3)) {
			t.type = TOK_NOT;
		} else if (t.len == 3 && !memcmp(t.s, "AND", 3)) {
			continue; /* words are all required anyway */
		} else {
			if (t.len > 1 && *t.s == '-') {
				t.neg = 1;
				t.s++;
				t.len--;
			}
			while (t.len && t.s[t.len - 1] == '*') {
				t.prefix = 1;
				t.len--;
			}
			if (!has_word(t.s, t.len))
				continue;
		}
		toks[n++] = t;
	}
	return n;
}

/* The most terms a query keeps (the index page and API check
 * REVIEW_SEARCH_MAX_TERMS before this). */
#define MAX_TOKS 64

const char *store_search_fts(struct arena *a, const char *q)
{
	struct tok toks[MAX_TOKS], *pos[MAX_TOKS], *neg[MAX_TOKS];
	int group[MAX_TOKS]; /* the OR group of each positive term */
	static const struct tok lit_or = {TOK_TERM, "or", 2, 0, 0};
	static const struct tok lit_not = {TOK_TERM, "not", 3, 0, 0};
	size_t n = tokenize(q ? q : "", toks, MAX_TOKS), npos = 0, nneg = 0;
	int ngroups = 1, or_pending = 0, not_pending = 0;
	struct buf b = BUF_INIT;
	char *out = NULL;

	for (size_t i = 0; i < n; i++) {
		struct tok *t = &toks[i];

		if (t->type == TOK_OR) {
			/* an OR with nothing before it is the word */
			if (!npos || or_pending) {
				group[npos] = ngroups - 1;
				pos[npos++] = (struct tok *)&lit_or;
			} else {
				or_pending = 1;
			}
			continue;
		}
		if (t->type == TOK_NOT) {
			if (not_pending) {
				group[npos] = ngroups - 1;
				pos[npos++] = (struct tok *)&lit_not;
			}
			not_pending = 1;
			continue;
		}
		if (t->neg || not_pending) {
			neg[nneg++] = t;
			not_pending = 0;
			continue;
		}
		if (or_pending)
			ngroups++;
		or_pending = 0;
		group[npos] = ngroups - 1;
		pos[npos++] = t;
	}
	/* an operator left at the end is a word */
	if (or_pending || not_pending) {
		group[npos] = ngroups - 1;
		pos[npos++] = (struct tok *)(or_pending ? &lit_or : &lit_not);
	}
	if (!npos) { /* only exclusions: search the words instead */
		for (size_t i = 0; i < nneg; i++) {
			group[npos] = 0;
			pos[npos++] = neg[i];
		}
		nneg = 0;
		ngroups = 1;
	}
	if (!npos)
		return NULL;
	if (ngroups > 1 || nneg)
		buf_putc(&b, '(');
	for (size_t i = 0; i < npos; i++) {
		int first_of_group = !i || group[i] != group[i - 1];
		int last_of_group = i + 1 == npos || group[i + 1] != group[i];

		if (i && first_of_group)
			buf_puts(&b, " OR ");
		else if (i)
			buf_putc(&b, ' ');
		if (ngroups > 1 && first_of_group)
			buf_putc(&b, '(');
		term(&b, pos[i]);
		if (ngroups > 1 && last_of_group)
			buf_putc(&b, ')');
	}
	if (ngroups > 1 || nneg)
		buf_putc(&b, ')');
	for (size_t i = 0; i < nneg; i++) {
		buf_puts(&b, " NOT ");
		term(&b, neg[i]);
	}
	if (!b.oom)
		out = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

/* ---- filters ------------------------------------------------------- */

static void scond(struct filter_sql *fs, const char *fmt, const char *s,
		  int64_t i)
{
	fs->binds[fs->n].s = s;
	fs->binds[fs->n].i = i;
	fs->n++;
	buf_puts(&fs->where, " AND ");
	buf_printf(&fs->where, fmt, fs->n);
}

/* search_where: the conditions of sq over "reviews t" (the MATCH is the
 * caller's, bound to ?1, so fs starts at n = 1). */
static void search_where(const struct search_query *sq, const char *fts,
			 struct filter_sql *fs)
{
	const char *groups;

	fs->binds[0].s = fts;
	fs->n = 1;
	buf_puts(&fs->where, "t.deleted_at IS NULL");
	if (sq->kind)
		scond(fs, "t.kind = ?%d", sq->kind, 0);
	if (sq->severity)
		scond(fs, "t.severity = ?%d", NULL, sq->severity);
	if (sq->tag)
		scond(fs,
		      "t.id IN (SELECT g.review_id FROM tags g WHERE g.name = "
		      "?%d AND g.deleted_at IS NULL)",
		      sq->tag, 0);
	if (sq->service)
		scond(fs,
		      "EXISTS (SELECT 1 FROM json_each(t.services) WHERE "
		      "json_each.value = ?%d)",
		      sq->service, 0);
	if (sq->team)
		scond(fs, "t.owner_team = ?%d", sq->team, 0);
	if (sq->from)
		scond(fs, "t.started_at >= ?%d", NULL, sq->from);
	if (sq->to)
		scond(fs, "t.started_at <= ?%d", NULL, sq->to);
	if (sq->open_followups)
		buf_puts(&fs->where,
			 " AND EXISTS (SELECT 1 FROM followups fu WHERE "
			 "fu.review_id = t.id AND fu.deleted_at IS NULL AND "
			 "fu.status NOT IN ('done', 'wont-do'))");
	if ((groups = visible_param(sq->viewer))) {
		fs->binds[fs->n].s = groups;
		fs->n++;
		buf_puts(&fs->where, " AND ");
		visible_clause(&fs->where, "t", fs->n);
	}
}

/* ---- where a review matched --------------------------------------- */

/* review_fts's body (sqlite_record.c, build_fts) is, line after line:
 * each text or list field of the review but the title and
 * restricted_to, then the searched children of each kind, one a line.
 * A segment is one of these parts. */
struct segment {
	const char *label;
};

static const char *child_label(enum child_kind k)
{
	switch (k) {
	case CHILD_TIMELINE: return "Timeline";
	case CHILD_FOLLOWUP: return "Follow-ups";
	case CHILD_FACTOR: return "Contributing factors";
	default: return child_defs[k]->name;
	}
}

/* segments lists the body's segments in order; returns how many. */
static size_t segments(struct segment *seg, size_t max)
{
	const struct record_def *rd = &review_def;
	size_t n = 0;

	for (size_t f = 0; f < rd->nfields && n < max; f++)
		if (search_part_field(f))
			seg[n++].label = rd->fields[f].label;
	for (int k = 0; k < CHILD_COUNT && n < max; k++)
		if (fts_indexes((enum child_kind)k))
			seg[n++].label = child_label((enum child_kind)k);
	return n;
}

/* squash makes s one line: each run of whitespace one space, the ends
 * trimmed (in place). */
static char *squash(char *s)
{
	char *o = s;
	int space = 0;

	if (!s)
		return NULL;
	for (const char *p = s; *p; p++) {
		if (is_space(*p)) {
			space = 1;
			continue;
		}
		if (space && o != s)
			*o++ = ' ';
		space = 0;
		*o++ = *p;
	}
	*o = '\0';
	return s;
}

/* Bytes of an excerpt around a match, and before it. */
#define EXCERPT_MAX    240
#define EXCERPT_BEFORE 80

static int utf8_cont(char ch)
{
	return ((unsigned char)ch & 0xC0) == 0x80;
}

/* excerpt cuts line [s, s+n) to about EXCERPT_MAX bytes around its first
 * mark, between UTF-8 characters, "…" where cut. From a. */
static const char *excerpt(struct arena *a, const char *s, size_t n)
{
	const char *m = memchr(s, STORE_MARK_OPEN[0], n);
	size_t start = 0, end = n;
	struct buf b = BUF_INIT;
	const char *out;

	if (m && (size_t)(m - s) > EXCERPT_BEFORE) {
		start = (size_t)(m - s) - EXCERPT_BEFORE;
		while (start < n && utf8_cont(s[start]))
			start++;
		/* begin at a word when one starts near */
		for (size_t i = start; i < start + 16 && s + i < m; i++)
			if (s[i] == ' ') {
				start = i + 1;
				break;
			}
	}
	if (end - start > EXCERPT_MAX) {
		end = start + EXCERPT_MAX;
		while (end > start && utf8_cont(s[end]))
			end--;
	}
	while (start < end && s[start] == ' ')
		start++;
	if (start)
		buf_puts(&b, "…");
	buf_append(&b, s + start, end - start);
	if (end < n)
		buf_puts(&b, "…");
	out = b.oom ? NULL : squash(arena_strdup(a, buf_cstr(&b)));
	buf_release(&b);
	return out;
}

/* parse_lines reads review_search_lines's "part:lines,..." (the parts of
 * more than one line; build_lines) into lines[0..n); -1 when t is not
 * such a list, else the sum. */
static int64_t parse_lines(const char *t, int64_t *lines, size_t n)
{
	int64_t sum = (int64_t)n;

	for (size_t i = 0; i < n; i++)
		lines[i] = 1;
	if (!t)
		return -1;
	for (const char *p = t; *p;) {
		int64_t part = 0, v = 0;

		if (p != t && *p++ != ',')
			return -1;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9' && part < 1000)
			part = part * 10 + (*p++ - '0');
		if (*p++ != ':' || part >= (int64_t)n || *p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9' && v < INT32_MAX)
			v = v * 10 + (*p++ - '0');
		sum += v - lines[part];
		lines[part] = v;
	}
	return sum;
}

/* part_lines reads the number of lines of each of review id's nseg
 * parts into lines: SQLite keeps them as the body is written
 * (review_search_lines, 040); when its row is missing or does not add up
 * to the body's nlines (PostgreSQL has none), they are counted from the
 * review's rows (build_lines). */
static enum err_code part_lines(struct conn *c, int64_t id, size_t nseg,
				int64_t nlines, int64_t *lines, struct err *e)
{
	struct db_stmt *s;
	int step;

	if (db_kind(c->db) == DB_SQLITE) {
		int64_t sum = -1;

		if (!(s = conn_stmt(
			      c,
			      "SELECT lines FROM review_search_lines WHERE "
			      "id = ?1",
			      e)))
			return e->code;
		db_bind_int64(s, 1, id);
		if ((step = db_step(s)) == DB_ROW)
			sum = parse_lines(db_column_text(s, 0), lines, nseg);
		conn_done(c, s);
		if (step != DB_ROW && step != DB_DONE)
			return db_err(c, e, "search lines");
		if (sum == nlines)
			return E_OK;
	}
	if (!(s = conn_stmt(c, c->st->lines_select, e)))
		return e->code;
	db_bind_int64(s, 1, id);
	step = db_step(s);
	for (size_t i = 0; step == DB_ROW && i < nseg; i++)
		lines[i] = db_column_int64(s, (int)i + 1);
	conn_done(c, s);
	if (step != DB_ROW)
		return db_err(c, e, "search lines");
	return E_OK;
}

/* find_matches fills hit->matches from the marked body: the first
 * marked line of each segment, up to 3, in text order. */
static enum err_code find_matches(struct conn *c, struct arena *a,
				  const char *body, struct search_hit *hit,
				  struct err *e)
{
	struct segment seg[64];
	int64_t lines[64], nlines = 1;
	size_t nseg = segments(seg, 64), si = 0, taken_seg = (size_t)-1;
	int64_t line = 0, seg_end;
	const char *p = body;
	enum err_code rc;

	for (const char *q = body; (q = strchr(q, '\n')); q++)
		nlines++;
	if ((rc = part_lines(c, hit->review->id, nseg, nlines, lines, e)) !=
	    E_OK)
		return rc;
	seg_end = nseg ? lines[0] : 0;
	while (p && *p && hit->nmatches < 3) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		while (si + 1 < nseg && line >= seg_end)
			seg_end += lines[++si];
		if (si < nseg && si != taken_seg &&
		    memchr(p, STORE_MARK_OPEN[0], len)) {
			struct search_match *m = &hit->matches[hit->nmatches];

			m->where = seg[si].label;
			if (!(m->text = excerpt(a, p, len)))
				return err_set(e, E_NOMEM, NULL,
					       "out of memory");
			hit->nmatches++;
			taken_seg = si;
		}
		line++;
		p = nl ? nl + 1 : NULL;
	}
	return E_OK;
}

/* ---- the chat ------------------------------------------------------- */

/* The reviews whose text or chat matches ?1, each with its bm25 (the
 * chat's messages each, the caller keeps the best), among the reviews
 * whose id is %3$s ?%1$d (">=": the ranked window, "<": the older
 * matches after it; store_search). */
#define UNION_SQL                                                           \
	"SELECT review_fts.rowid AS id, bm25(review_fts, 10.0, 1.0) AS "     \
	"score FROM review_fts WHERE review_fts MATCH ?1 AND "               \
	"review_fts.rowid %3$s ?%1$d UNION ALL SELECT m.review_id, "         \
	"bm25(transcript_fts) FROM transcript_fts JOIN transcript_messages " \
	"m ON m.id = transcript_fts.rowid WHERE transcript_fts MATCH ?1 AND " \
	"m.deleted_at IS NULL AND m.review_id %3$s ?%1$d"

/* The same reviews, each once, for the count. */
#define UNION_IDS_SQL                                                       \
	"SELECT rowid AS id FROM review_fts WHERE review_fts MATCH ?1 UNION " \
	"SELECT m.review_id FROM transcript_fts JOIN transcript_messages m "  \
	"ON m.id = transcript_fts.rowid WHERE transcript_fts MATCH ?1 AND "   \
	"m.deleted_at IS NULL"

enum err_code chat_matches(struct conn *c, const char *fts, int *out,
				  struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "SELECT 1 FROM transcript_fts WHERE "
				    "transcript_fts MATCH ?1 LIMIT 1",
				    e);
	int step;

	*out = 0;
	if (!s)
		return e->code;
	db_bind_text(s, 1, fts, -1, DB_STATIC);
	step = db_step(s);
	conn_done(c, s);
	if (step != DB_ROW && step != DB_DONE)
		return db_err(c, e, "search chat");
	*out = step == DB_ROW;
	return E_OK;
}

/* chat_match adds to hit the first message of its review that matches
 * fts, as the place "Chat". */
static enum err_code chat_match(struct conn *c, struct arena *a,
				const char *fts, struct search_hit *hit,
				struct err *e)
{
	struct db_stmt *s = conn_stmt(
		c,
		"SELECT fts_highlight(transcript_fts, 1, X'02', X'03') FROM "
		"transcript_fts JOIN transcript_messages m ON m.id = "
		"transcript_fts.rowid WHERE transcript_fts MATCH ?1 AND "
		"m.review_id = ?2 AND m.deleted_at IS NULL ORDER BY m.at, "
		"m.id LIMIT 1",
		e);
	enum err_code rc = E_OK;
	int step;

	if (!s)
		return e->code;
	db_bind_text(s, 1, fts, -1, DB_STATIC);
	db_bind_int64(s, 2, hit->review->id);
	step = db_step(s);
	if (step == DB_ROW && hit->nmatches < 3) {
		const char *t = db_column_text(s, 0);
		struct search_match *m = &hit->matches[hit->nmatches];

		m->where = "Chat";
		if (!(m->text = excerpt(a, t ? t : "", t ? strlen(t) : 0)))
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
		else
			hit->nmatches++;
	} else if (step != DB_ROW && step != DB_DONE) {
		rc = db_err(c, e, "search chat");
	}
	conn_done(c, s);
	return rc;
}

/* ---- the search ----------------------------------------------------- */

/* The marked title and text of the page's reviews (?4: their ids, a
 * JSON array), whose ids are within [?2, ?3]: FTS5 walks the matches of
 * that range once and tokenizes only the page's texts (a lookup of each
 * by rowid would open the query's doclists again for each), each up to
 * its last match and without stemming (fts_highlight, db_sqlite_mark.c:
 * highlight() was 44% of a search page's CPU). The snippet is cut here
 * from the first marked line (snippet() would tokenize the text again). */
#define MARKED_SQL                                                          \
	"SELECT rowid, fts_highlight(review_fts, 0, X'02', X'03'), "        \
	"fts_highlight(review_fts, 1, X'02', X'03') FROM review_fts WHERE " \
	"review_fts MATCH ?1 AND rowid >= ?2 AND rowid <= ?3 AND +rowid IN " \
	"(SELECT CAST(value AS INTEGER) FROM json_each(?4))"

/* page_marked reads the marked title and text of each of the n reviews
 * ids into titles and bodies (from a; left NULL for a review whose text
 * does not match: only its chat did). */
static enum err_code page_marked(struct conn *c, struct arena *a,
				 const char *fts, const int64_t *ids, size_t n,
				 const char **titles, const char **bodies,
				 struct err *e)
{
	struct buf list = BUF_INIT;
	int64_t lo = INT64_MAX, hi = 0;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	int step;

	buf_putc(&list, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&list, ',');
		buf_put_int(&list, (long long)ids[i]);
		lo = ids[i] < lo ? ids[i] : lo;
		hi = ids[i] > hi ? ids[i] : hi;
	}
	buf_putc(&list, ']');
	if (list.oom) {
		buf_release(&list);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	if (!(s = conn_stmt(c, MARKED_SQL, e))) {
		buf_release(&list);
		return e->code;
	}
	db_bind_text(s, 1, fts, -1, DB_STATIC);
	db_bind_int64(s, 2, lo);
	db_bind_int64(s, 3, hi);
	db_bind_text(s, 4, buf_cstr(&list), -1, DB_STATIC);
	while (rc == E_OK && (step = db_step(s)) == DB_ROW) {
		int64_t id = db_column_int64(s, 0);
		const char *t = db_column_text(s, 1), *b = db_column_text(s, 2);

		for (size_t i = 0; i < n; i++) {
			if (ids[i] != id)
				continue;
			titles[i] = arena_strdup(a, t ? t : "");
			bodies[i] = arena_strdup(a, b ? b : "");
			if (!titles[i] || !bodies[i])
				rc = err_set(e, E_NOMEM, NULL,
					     "out of memory");
		}
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "search snippet");
	conn_done(c, s);
	buf_release(&list);
	return rc;
}

/* hit_fill makes the hit of the review row r (review_rows_read; NULL: gone,
 * an error) its marked title (title: the marked title, NULL when only
 * its chat matched), snippet and matches from its marked body. */
static enum err_code hit_fill(struct conn *c, struct arena *a, const char *fts,
			      struct record *r, int chat, const char *title,
			      const char *body, struct search_hit *hit,
			      struct err *e)
{
	enum err_code rc = E_OK;

	if (!(hit->review = r))
		return err_set(e, E_STORE, NULL, "search row: gone");
	hit->title = title ? title : record_str(hit->review, REVIEW_TITLE);
	if (!body)
		body = "";
	if (strchr(body, STORE_MARK_OPEN[0]))
		rc = find_matches(c, a, body, hit, e);
	if (rc == E_OK && chat)
		rc = chat_match(c, a, fts, hit, e);
	/* the snippet: around the first match in the text, else (a title
	 * match) the text's beginning */
	if (rc == E_OK)
		hit->snippet = hit->nmatches
				       ? hit->matches[0].text
				       : excerpt(a, body, strlen(body));
	if (rc == E_OK && !hit->snippet)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	return rc;
}

/* window_start is where the ranked window of a search starts (issue 21):
 * the id of the want-th newest review whose text matches fts, or 0 (no
 * window) when fewer match. FTS5 walks its matches newest first without
 * ranking them, so this costs about want steps. */
static enum err_code window_start(struct conn *c, const char *fts,
				  int64_t want, int64_t *from, struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "SELECT rowid FROM review_fts WHERE "
				    "review_fts MATCH ?1 ORDER BY rowid DESC "
				    "LIMIT 1 OFFSET ?2",
				    e);
	int step;

	*from = 0;
	if (!s)
		return e->code;
	db_bind_text(s, 1, fts, -1, DB_STATIC);
	db_bind_int64(s, 2, want - 1);
	step = db_step(s);
	if (step == DB_ROW)
		*from = db_column_int64(s, 0);
	conn_done(c, s);
	if (step != DB_ROW && step != DB_DONE)
		return db_err(c, e, "search window");
	return E_OK;
}

/* window_count is how many matches of the ranked window the filters of
 * fs pass: sql counts them, with the window's first id as ?N+3. */
static enum err_code window_count(struct conn *c, const char *sql,
				  const struct filter_sql *fs, int64_t from,
				  int64_t *out, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, sql, e);
	int step;

	*out = 0;
	if (!s)
		return e->code;
	filter_bind(s, fs);
	db_bind_int64(s, fs->n + 3, from);
	if ((step = db_step(s)) == DB_ROW)
		*out = db_column_int64(s, 0);
	conn_done(c, s);
	if (step != DB_ROW)
		return db_err(c, e, "search window");
	return E_OK;
}

/* page_ids runs the page query sql (fs's values, then the limit, offset
 * and the window's first id) into ids and scores; *got rows. */
static enum err_code page_ids(struct conn *c, const char *sql,
			      const struct filter_sql *fs, int limit,
			      int offset, int64_t from, int64_t *ids,
			      double *scores, size_t *got, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, sql, e);
	int step;

	*got = 0;
	if (!s)
		return e->code;
	filter_bind(s, fs);
	db_bind_int(s, fs->n + 1, limit);
	db_bind_int(s, fs->n + 2, offset);
	db_bind_int64(s, fs->n + 3, from);
	while ((step = db_step(s)) == DB_ROW && *got < (size_t)limit) {
		scores[*got] = db_column_double(s, 1);
		ids[(*got)++] = db_column_int64(s, 0);
	}
	conn_done(c, s);
	if (step != DB_DONE && step != DB_ROW)
		return db_err(c, e, "search");
	return E_OK;
}

/* The queries of a search, over the filters of fs (search_where). */
enum search_sql_kind {
	SQL_PAGE,   /* a page of the ranked window: ids from ?N+3 on */
	SQL_OLDER,  /* a page of the older matches, before ?N+3, newest first */
	SQL_WCOUNT, /* the window's matches */
	SQL_COUNT   /* every match, a row each (the count counts them) */
};

/* search_sql writes the query k of a search into out (empty), with the
 * chat's matches (UNION_SQL) when chat. Each is built only when it runs
 * (issue 21: the four were printed for every search). */
static void search_sql(struct buf *out, enum search_sql_kind k, int chat,
		       struct filter_sql *fs)
{
	const char *w = buf_cstr(&fs->where);

	if (chat && k == SQL_PAGE)
		buf_printf(out,
			   "SELECT t.id, min(x.score) AS score FROM (" UNION_SQL
			   ") x JOIN reviews t INDEXED BY reviews_by_id ON t.id "
			   "= x.id WHERE %2$s GROUP BY t.id ORDER BY score, t.id "
			   "DESC LIMIT ?%4$d OFFSET ?%5$d",
			   fs->n + 3, w, ">=", fs->n + 1, fs->n + 2);
	else if (chat && k == SQL_OLDER)
		buf_printf(out,
			   "SELECT t.id, min(x.score) AS score FROM (" UNION_SQL
			   ") x JOIN reviews t INDEXED BY reviews_by_id ON t.id "
			   "= x.id WHERE %2$s GROUP BY t.id ORDER BY t.id DESC "
			   "LIMIT ?%4$d OFFSET ?%5$d",
			   fs->n + 3, w, "<", fs->n + 1, fs->n + 2);
	else if (chat && k == SQL_WCOUNT)
		buf_printf(out,
			   "SELECT count(*) FROM (SELECT t.id FROM (" UNION_SQL
			   ") x JOIN reviews t INDEXED BY reviews_by_id ON t.id "
			   "= x.id WHERE %2$s GROUP BY t.id)",
			   fs->n + 3, w, ">=");
	else if (chat)
		buf_printf(out,
			   "SELECT 1 FROM (" UNION_IDS_SQL ") x JOIN reviews t "
			   "INDEXED BY reviews_by_id ON t.id = x.id WHERE %s",
			   w);
	else if (k == SQL_PAGE)
		buf_printf(out,
			   "SELECT t.id, bm25(review_fts, 10.0, 1.0) AS score "
			   "FROM review_fts JOIN reviews t INDEXED BY "
			   "reviews_by_id ON t.id = review_fts.rowid WHERE "
			   "review_fts MATCH ?1 AND review_fts.rowid >= ?%d AND "
			   "%s ORDER BY score, t.id DESC LIMIT ?%d OFFSET ?%d",
			   fs->n + 3, w, fs->n + 1, fs->n + 2);
	else if (k == SQL_OLDER)
		buf_printf(out,
			   "SELECT t.id, bm25(review_fts, 10.0, 1.0) AS score "
			   "FROM review_fts JOIN reviews t INDEXED BY "
			   "reviews_by_id ON t.id = review_fts.rowid WHERE "
			   "review_fts MATCH ?1 AND review_fts.rowid < ?%d AND "
			   "%s ORDER BY review_fts.rowid DESC LIMIT ?%d OFFSET "
			   "?%d",
			   fs->n + 3, w, fs->n + 1, fs->n + 2);
	else if (k == SQL_WCOUNT)
		buf_printf(out,
			   "SELECT count(*) FROM review_fts JOIN reviews t "
			   "INDEXED BY reviews_by_id ON t.id = review_fts.rowid "
			   "WHERE review_fts MATCH ?1 AND review_fts.rowid >= "
			   "?%d AND %s",
			   fs->n + 3, w);
	else
		buf_printf(out,
			   "SELECT 1 FROM review_fts JOIN reviews t INDEXED BY "
			   "reviews_by_id ON t.id = review_fts.rowid WHERE "
			   "review_fts MATCH ?1 AND %s",
			   w);
}

/* search_total counts the matches of a search (chat: with its chat's) over
 * fs into *total: all of them, or (cap > 0, count_cap, issue 21) up to
 * cap. */
static enum err_code search_total(struct conn *c, int chat,
				  struct filter_sql *fs, int64_t cap,
				  int64_t *total, struct err *e)
{
	struct filter_sql cfs = *fs;
	struct buf count = BUF_INIT, csql = BUF_INIT;
	enum err_code rc;

	search_sql(&count, SQL_COUNT, chat, fs);
	if (cap > 0) {
		cfs.binds[cfs.n].s = NULL;
		cfs.binds[cfs.n++].i = cap;
		buf_printf(&csql, "SELECT count(*) FROM (%s LIMIT ?%d) y",
			   buf_cstr(&count), cfs.n);
	} else {
		buf_printf(&csql, "SELECT count(*) FROM (%s) y",
			   buf_cstr(&count));
	}
	if (count.oom || csql.oom)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	else
		rc = count_query(c, buf_cstr(&csql), &cfs, total, e);
	buf_release(&count);
	buf_release(&csql);
	return rc;
}

enum err_code store_search(struct store *st, struct arena *a,
			   const struct search_query *sq,
			   struct search_hit **hits, size_t *n,
			   int64_t *total, struct err *e)
{
	struct filter_sql fs = {BUF_INIT, {{0}}, 0};
	struct buf page = BUF_INIT, older = BUF_INIT, wcount = BUF_INIT;
	const char *fts = store_search_fts(a, sq->q);
	int64_t cap = 0, from = 0, inwin;
	int limit = sq->limit <= 0		  ? SEARCH_DEFAULT_LIMIT
		    : sq->limit > SEARCH_MAX_LIMIT ? SEARCH_MAX_LIMIT
						   : sq->limit;
	int offset = sq->offset < 0 ? 0 : sq->offset;
	struct conn *c = NULL;
	int64_t *ids = NULL;
	double *scores = NULL;
	const char **titles = NULL, **bodies = NULL;
	struct record **rows = NULL;
	size_t got = 0;
	int chat = 0;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	*hits = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if (!fts)
		return E_OK;
	search_where(sq, fts, &fs);
	if (!(c = conn_get(st, e)) || (rc = tx_begin(c, 0, e)) != E_OK) {
		rc = e->code;
		goto out;
	}
	/* the chat imported into reviews (009) is searched too, when the
	 * words are in any of it: a second index ranked with the first */
	if ((rc = chat_matches(c, fts, &chat, e)) != E_OK)
		goto rollback;
	/* the reviews ranked are those from id ?N+3 on (the window); the
	 * other queries are built when they run */
	search_sql(&page, SQL_PAGE, chat, &fs);
	/* the count: of every match, or (count_cap, issue 21) of the first
	 * ones to count_cap past the page's end */
	if (sq->count_cap > 0)
		cap = (int64_t)offset + limit + sq->count_cap;
	ids = arena_alloc(a, sizeof *ids * (size_t)limit);
	scores = arena_alloc(a, sizeof *scores * (size_t)limit);
	*hits = arena_alloc(a, sizeof **hits * (size_t)limit);
	titles = arena_alloc(a, sizeof *titles * (size_t)limit);
	bodies = arena_alloc(a, sizeof *bodies * (size_t)limit);
	rows = arena_alloc(a, sizeof *rows * (size_t)limit);
	if (page.oom || fs.where.oom || !ids || !scores || !*hits || !titles ||
	    !bodies || !rows) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto rollback;
	}
	memset(*hits, 0, sizeof **hits * (size_t)limit);
	memset(titles, 0, sizeof *titles * (size_t)limit);
	memset(bodies, 0, sizeof *bodies * (size_t)limit);
	/* A word in very many reviews is ranked among its newest matches
	 * only (rank_window, issue 21): bm25 reads each ranked match's size
	 * and positions. The order is the same for every page of a query:
	 * the newest rank_window matches ranked, then the older ones newest
	 * first. A page past the window's matches that the filters and the
	 * viewer's groups pass goes on into the older ones. */
	if (sq->rank_window > 0 &&
	    (rc = window_start(c, fts, sq->rank_window, &from, e)) != E_OK)
		goto rollback;
	rc = page_ids(c, buf_cstr(&page), &fs, limit, offset, from, ids,
		      scores, &got, e);
	if (rc == E_OK && from && got < (size_t)limit) {
		size_t more = 0;

		search_sql(&older, SQL_OLDER, chat, &fs);
		search_sql(&wcount, SQL_WCOUNT, chat, &fs);
		if (older.oom || wcount.oom)
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
		if (rc == E_OK)
			rc = window_count(c, buf_cstr(&wcount), &fs, from,
					  &inwin, e);
		if (rc == E_OK)
			rc = page_ids(c, buf_cstr(&older), &fs,
				      limit - (int)got,
				      offset > inwin ? (int)(offset - inwin)
						     : 0,
				      from, ids + got, scores + got, &more, e);
		got += more;
	}
	if (rc != E_OK)
		goto rollback;
	if (got && (rc = page_marked(c, a, fts, ids, got, titles, bodies,
				     e)) != E_OK)
		goto rollback;
	if (got && (rc = review_rows_read(c, a, ROWS_HIT, ids, got, rows, e)) != E_OK)
		goto rollback;
	for (size_t i = 0; i < got && rc == E_OK; i++) {
		(*hits)[i].score = scores[i];
		rc = hit_fill(c, a, fts, rows[i], chat, titles[i], bodies[i],
			      &(*hits)[i], e);
	}
	/* a page that is not full is the last: the count is the matches
	 * before it and on it (an empty page past the end says nothing) */
	if (rc == E_OK && total && got < (size_t)limit && (got || !offset))
		*total = offset + (int64_t)got;
	else if (rc == E_OK && total)
		rc = search_total(c, chat, &fs, cap, total, e);
	if (rc == E_OK && total && sq->capped)
		*sq->capped = cap > 0 && *total >= cap;
	if (rc == E_OK) {
		*n = got;
		rc = tx_commit(c, e);
		goto out;
	}
rollback:
	tx_rollback(c);
out:
	if (rc != E_OK) {
		*hits = NULL;
		*n = 0;
	}
	conn_put(c);
	buf_release(&page);
	buf_release(&older);
	buf_release(&wcount);
	buf_release(&fs.where);
	return rc;
}
