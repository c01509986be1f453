/* sqlite_list_sql.c: how a list filter becomes SQL: the WHERE clauses
 * over reviews and over the maintained counts, the choice between walking
 * reviews_list and starting from a search's or tag's matches, and the
 * queries store_review_list and store_review_counts run (sqlite_list.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/buf.h"

#define LIST_DEFAULT 50
#define LIST_MAX     500

static void cond(struct filter_sql *fs, const char *fmt, const char *s,
		 int64_t i)
{
	fs->binds[fs->n].s = s;
	fs->binds[fs->n].i = i;
	fs->n++;
	buf_puts(&fs->where, " AND ");
	buf_printf(&fs->where, fmt, fs->n);
}

/* fts_word finds the next searchable word from *p (one with a letter or
 * digit, between spaces): its start, and its end in *p. NULL: none left. */
static const char *fts_word(const char **p)
{
	while (**p) {
		const char *start;
		int word = 0;

		while (**p && isspace((unsigned char)**p))
			(*p)++;
		start = *p;
		while (**p && !isspace((unsigned char)**p)) {
			unsigned char ch = (unsigned char)**p;
			word |= isalnum(ch) || ch >= 0x80;
			(*p)++;
		}
		if (word)
			return start;
	}
	return NULL;
}

/* fts_prefix appends the word s..end to b as an FTS5 prefix ("word"*). */
static void fts_prefix(struct buf *b, const char *s, const char *end)
{
	buf_putc(b, '"');
	for (; s < end; s++)
		buf_append(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	buf_puts(b, "\"*");
}

/* fts_query turns what a person typed into an FTS5 query that cannot be a
 * syntax error: every word quoted as a prefix, all words required. NULL
 * when nothing searchable is left (then there is no text filter). */
const char *fts_query(struct arena *a, const char *q)
{
	struct buf b = BUF_INIT;
	const char *p = q, *start;
	char *out = NULL;

	while ((start = fts_word(&p))) {
		if (b.len)
			buf_putc(&b, ' ');
		fts_prefix(&b, start, p);
	}
	if (b.len && !b.oom)
		out = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

/* FTS_TERMS_MAX: a word that begins more terms than this stays a prefix
 * (fts_match), unless the filter says otherwise (prefix_terms). */
#define FTS_TERMS_MAX 16

/* fts_match is fts_query's query as a list runs it: on SQLite each word
 * that begins at most FTS_TERMS_MAX terms of the search indexes is
 * spelled as those exact terms (fts_terms, db_sqlite_terms.c), which FTS5
 * reads lazily, where a prefix's every match is read first (issue 21).
 * The matches are the same. *exact is 1 when every word was spelled so.
 * A filter's prefix_terms sets the most terms a word may stand for.
 * NULL with E_OK: nothing searchable (no text filter). */
enum err_code fts_match(struct conn *c, struct arena *a,
			const struct review_filter *f, const char **out,
			int *exact, struct err *e)
{
	const char *q = f->q;
	int max = f->prefix_terms ? f->prefix_terms : FTS_TERMS_MAX;
	struct buf b = BUF_INIT;
	struct db_stmt *s = NULL;
	const char *p = q, *start;
	enum err_code rc = E_OK;

	*out = NULL;
	*exact = 0;
	if (!q)
		return E_OK;
	if (db_kind(c->db) != DB_SQLITE || max < 0) {
		*out = fts_query(a, q);
		return E_OK;
	}
	*exact = 1;
	while (rc == E_OK && (start = fts_word(&p))) {
		const char *t = NULL;
		int step;

		if (!s && !(s = conn_stmt(c, "SELECT fts_terms(?1, ?2)", e))) {
			rc = e->code;
			break;
		}
		db_reset(s);
		db_bind_text(s, 1, start, (int)(p - start), DB_STATIC);
		db_bind_int(s, 2, max);
		if ((step = db_step(s)) == DB_ROW)
			t = db_column_text(s, 0);
		else
			rc = db_err(c, e, "search terms");
		if (t && !*t)
			continue; /* no token: FTS5 drops it from a plain AND */
		if (b.len)
			buf_puts(&b, " AND ");
		if (t)
			buf_puts(&b, t);
		else
			fts_prefix(&b, start, p);
		*exact &= t != NULL;
	}
	conn_done(c, s);
	if (rc == E_OK && !b.len) { /* only words without a token */
		*exact = 0;
		*out = fts_query(a, q);
		buf_release(&b);
		return E_OK;
	}
	if (rc == E_OK && b.oom)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	if (rc == E_OK && b.len && !(*out = arena_strdup(a, buf_cstr(&b))))
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	buf_release(&b);
	if (!*out)
		*exact = 0;
	return rc;
}

/* tally_ok: f filters on nothing review_counts (or, with a tag,
 * tag_counts) does not keep. */
static int tally_ok(struct arena *a, const struct review_filter *f)
{
	return !f->service && !(f->q && fts_query(a, f->q)) && !f->from &&
	       !f->to && !f->overdue_before;
}

/* tally_table: the maintained counts that answer f. */
static const char *tally_table(const struct review_filter *f)
{
	return f->tag ? "tag_counts rc" : "review_counts rc";
}

/* tally_build: the WHERE clause over "review_counts rc" for f. */
static void tally_build(const struct review_filter *f, struct filter_sql *fs)
{
	const char *groups;

	buf_puts(&fs->where, f->deleted ? "rc.deleted = 1" : "rc.deleted = 0");
	if (f->tag)
		cond(fs, "rc.name = ?%d", f->tag, 0);
	if (f->kind)
		cond(fs, "rc.kind = ?%d", f->kind, 0);
	if (f->severity)
		cond(fs, "rc.severity = ?%d", NULL, f->severity);
	if (f->status)
		cond(fs, "rc.status = ?%d", f->status, 0);
	if ((groups = visible_param(f->viewer))) {
		fs->binds[fs->n].s = groups;
		fs->n++;
		buf_puts(&fs->where, " AND ");
		visible_clause(&fs->where, "rc", fs->n);
	}
}

/* The order of every list, as reviews_list (migration 006) keeps it. */
#define SORT_KEY "coalesce(t.started_at, t.created_at)"

/* How a filter's set conditions (search, tag) join reviews t: WALK has
 * SQLite walk reviews_list in order and test each review (the page fills
 * early when matches are many); DRIVE starts from the matches and looks
 * each up in reviews_by_id (few matches, and every count). */
enum join_mode {
	WALK,
	DRIVE,
	/* a count of a search no chat matches: the text's matches joined
	 * to reviews_by_id, which SQLite can stop at a LIMIT (an IN list
	 * is read whole first) */
	TEXT
};

/* set_filters: f has a condition that only a set of ids answers. */
static int set_filters(struct arena *a, const struct review_filter *f)
{
	return f->tag || (f->q && fts_query(a, f->q));
}

/* filter_build: the WHERE clause over "reviews t" for f (the FROM that
 * goes with it: from_clause), with q f's text query (fts_match; seek: a
 * walk seeks each review's id in its matches, page_mode). with_cursor
 * adds the keyset condition of
 * f->after. */
static void filter_build(const struct review_filter *f, const char *q,
			 int seek, struct filter_sql *fs, enum join_mode mode,
			 int with_cursor)
{
	const char *groups;

	buf_puts(&fs->where, f->deleted ? "t.deleted_at IS NOT NULL"
					: "t.deleted_at IS NULL");
	if (f->kind)
		cond(fs, "t.kind = ?%d", f->kind, 0);
	if (f->severity)
		cond(fs, "t.severity = ?%d", NULL, f->severity);
	if (f->status)
		cond(fs, "t.status = ?%d", f->status, 0);
	if (f->tag)
		cond(fs,
		     mode == WALK
			     ? "EXISTS (SELECT 1 FROM tags g WHERE g.review_id "
			       "= t.id AND g.deleted_at IS NULL AND g.name = "
			       "?%d)"
			     : "t.id IN (SELECT g.review_id FROM tags g WHERE "
			       "g.name = ?%d AND g.deleted_at IS NULL)",
		     f->tag, 0);
	if (f->service)
		cond(fs,
		     "EXISTS (SELECT 1 FROM json_each(t.services) "
		     "WHERE json_each.value = ?%d)",
		     f->service, 0);
	/* the review's own text, or the chat imported into it (009); a
	 * walk tests each review's id against the text's matches: by a seek
	 * (seek), or in their list, read whole once */
	if (q && mode == TEXT)
		cond(fs, "review_fts MATCH ?%d", q, 0);
	else if (q)
		cond(fs,
		     mode == WALK && seek
			     ? "(EXISTS (SELECT 1 FROM review_fts WHERE "
			       "review_fts MATCH ?%1$d AND review_fts.rowid = "
			       "t.id) OR +t.id IN (SELECT m.review_id FROM "
			       "transcript_messages m WHERE m.deleted_at IS NULL "
			       "AND m.id IN (SELECT rowid FROM transcript_fts "
			       "WHERE transcript_fts MATCH ?%1$d)))"
		     : mode == WALK
			     ? "(+t.id IN (SELECT rowid FROM review_fts "
			       "WHERE review_fts MATCH ?%1$d) OR +t.id IN "
			       "(SELECT m.review_id FROM transcript_messages m "
			       "WHERE m.deleted_at IS NULL AND m.id IN (SELECT "
			       "rowid FROM transcript_fts WHERE transcript_fts "
			       "MATCH ?%1$d)))"
			     : "(t.id IN (SELECT rowid FROM review_fts "
			       "WHERE review_fts MATCH ?%1$d) OR t.id IN (SELECT "
			       "m.review_id FROM transcript_messages m WHERE "
			       "m.deleted_at IS NULL AND m.id IN (SELECT rowid "
			       "FROM transcript_fts WHERE transcript_fts MATCH "
			       "?%1$d)))",
		     q, 0);
	if (f->from)
		cond(fs, "t.started_at >= ?%d", NULL, f->from);
	if (f->to)
		cond(fs, "t.started_at <= ?%d", NULL, f->to);
	if (f->overdue_before) { /* no meeting held: migration 011 */
		cond(fs, "t.resolved_at < ?%d", NULL, f->overdue_before);
		buf_puts(&fs->where, " AND t.status NOT IN ('reviewed', "
				     "'published')");
		cond(fs,
		     "NOT EXISTS (SELECT 1 FROM meetings mt WHERE mt.review_id "
		     "= t.id AND mt.deleted_at IS NULL AND mt.status != "
		     "'cancelled' AND mt.start <= ?%d)",
		     NULL, f->overdue_now);
	}
	if ((groups = visible_param(f->viewer))) {
		fs->binds[fs->n].s = groups;
		fs->n++;
		buf_puts(&fs->where, " AND ");
		visible_clause(&fs->where, "t", fs->n);
	}
	if (with_cursor && f->after) {
		cond(fs, SORT_KEY " <= ?%d", NULL, f->after_key);
		buf_printf(&fs->where,
			   " AND (" SORT_KEY " < ?%d OR t.id < ?%d)", fs->n,
			   fs->n + 1);
		fs->binds[fs->n].s = NULL;
		fs->binds[fs->n].i = f->after_id;
		fs->n++;
	}
}

/* from_clause: the reviews to read for mode. */
static const char *from_clause(enum join_mode mode)
{
	return mode == TEXT    ? "review_fts JOIN reviews t INDEXED BY "
				 "reviews_by_id ON t.id = review_fts.rowid"
	       : mode == DRIVE ? "reviews t INDEXED BY reviews_by_id"
			       : "reviews t";
}

/* count_mode: how a count of f's matches joins its set conditions:
 * from the text's matches when f searches and no chat matches, else
 * from its matches (DRIVE), else walking the reviews. */
static enum err_code count_mode(struct conn *c, struct arena *a,
				const struct review_filter *f, const char *q,
				enum join_mode *mode, struct err *e)
{
	int chat = 1;
	enum err_code rc = E_OK;

	*mode = set_filters(a, f) ? DRIVE : WALK;
	if (q && (rc = chat_matches(c, q, &chat, e)) == E_OK && !chat)
		*mode = TEXT;
	return rc;
}

void filter_bind(struct db_stmt *s, const struct filter_sql *fs)
{
	for (int i = 0; i < fs->n; i++) {
		if (fs->binds[i].s)
			db_bind_text(s, i + 1, fs->binds[i].s, -1,
					  DB_STATIC);
		else
			db_bind_int64(s, i + 1, fs->binds[i].i);
	}
}

/* count_query runs "SELECT count(*) ..." built from sql and fs. */
enum err_code count_query(struct conn *c, const char *sql,
			  const struct filter_sql *fs, int64_t *out,
			  struct err *e)
{
	struct db_stmt *s = conn_stmt(c, sql, e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	filter_bind(s, fs);
	if (db_step(s) == DB_ROW)
		*out = db_column_int64(s, 0);
	else
		rc = db_err(c, e, "count");
	conn_done(c, s);
	return rc;
}

/* isqrt is the integer square root of v (0 for v < 0), without libm:
 * the binary loads no library but libc and cmark-gfm at start (the
 * package test checks it). */
static int64_t isqrt(int64_t v)
{
	int64_t x, y;

	if (v < 2)
		return v < 0 ? 0 : v;
	y = v / 2 + 1;
	do {
		x = y;
		y = (x + v / x) / 2;
	} while (y < x);
	return x;
}

/* page_mode decides how the page of f joins its set conditions: it
 * counts the matches of each (the search index counts them cheaply, and
 * tag_counts keeps a tag's) and walks reviews_list when that passes fewer entries,
 * want * reviews / matches, than starting from the matches, which costs a
 * lookup and a sort entry each (weighed 4).
 * A walk tests each review it passes against the text's matches: read
 * whole into a list first (about 0.2 µs a match at 100,000 reviews), or,
 * when q's words are exact terms (exact), by a seek of its id (about
 * 30 µs a review, FTS5 opening the query again: SEEK_WEIGHT times more).
 * *seek says to seek: when the walk passes fewer reviews than the text's
 * matches / SEEK_WEIGHT (the first pages of a common word), which the
 * count then goes on far enough to tell. */
#define SEEK_WEIGHT 200.0
static enum err_code page_mode(struct conn *c, struct arena *a,
			       const struct review_filter *f, const char *q,
			       int exact, int64_t want, enum join_mode *mode,
			       int *seek, struct err *e)
{
	struct filter_sql fs = {BUF_INIT, {{0}}, 0};
	int64_t matches = INT64_MAX, n = 0, reviews = 0, stop, text = 0;
	double walk;
	enum err_code rc = E_OK;

	*mode = WALK;
	*seek = 0;
	if (!set_filters(a, f))
		return E_OK;
	rc = count_query(c,
			 "SELECT coalesce(sum(reviews), 0) FROM "
			 "review_counts",
			 &fs, &reviews, e);
	if (rc != E_OK)
		return rc;
	/* past this many matches the walk wins: the counts stop there */
	stop = isqrt((int64_t)((double)want * (double)reviews / 4)) + 2;
	walk = (double)want * (double)reviews * SEEK_WEIGHT;
	fs.n = 2;
	fs.binds[1].s = NULL;
	fs.binds[1].i = stop;
	/* a seek can win only where the walk passes fewer reviews than
	 * the matches / SEEK_WEIGHT: not on a deep page */
	if (q && exact && walk < 1e18 &&
	    (double)want * SEEK_WEIGHT <= (double)reviews &&
	    isqrt((int64_t)walk) + 2 > stop)
		fs.binds[1].i = isqrt((int64_t)walk) + 2;
	if (q) {
		fs.binds[0].s = q;
		/* the chat's matches count too (a bound on the reviews
		 * they name) */
		rc = count_query(c,
				 "SELECT (SELECT count(*) FROM (SELECT 1 FROM "
				 "review_fts WHERE review_fts MATCH ?1 LIMIT ?2) "
				 "x) + (SELECT count(*) FROM (SELECT 1 FROM "
				 "transcript_fts WHERE transcript_fts MATCH ?1 "
				 "LIMIT ?2) y)",
				 &fs, &n, e);
		if (n < matches)
			matches = n;
		text = n;
	}
	if (rc == E_OK && f->tag) {
		fs.binds[0].s = f->tag;
		fs.n = 1;
		rc = count_query(c,
				 "SELECT coalesce(sum(reviews), 0) FROM "
				 "tag_counts WHERE name = ?1",
				 &fs, &n, e);
		if (n < matches)
			matches = n;
	}
	if (rc != E_OK)
		return rc;
	if (matches == 0 || want * reviews / matches >= matches * 4)
		*mode = DRIVE;
	else if (q && exact && walk <= (double)matches * (double)text)
		*seek = 1;
	return E_OK;
}

/* list_limit: the page size of f, as a list reads it. */
static int list_limit(const struct review_filter *f)
{
	return f->limit <= 0	      ? LIST_DEFAULT
	       : f->limit > LIST_MAX ? LIST_MAX
				     : f->limit;
}

/* count_cap: where a count of f's matches stops (issue 21: a search that
 * asked for it counts to count_cap past its page's end, so that a common
 * word costs about its page), 0 when it counts every match. */
static int64_t count_cap(struct arena *a, const struct review_filter *f)
{
	if (f->count_cap <= 0 || !f->q || !fts_query(a, f->q))
		return 0;
	return (int64_t)(f->after || f->offset < 0 ? 0 : f->offset) +
	       list_limit(f) + f->count_cap;
}

/* bind_cap adds cap to fs as its last value; returns its number. */
static int bind_cap(struct filter_sql *fs, int64_t cap)
{
	fs->binds[fs->n].s = NULL;
	fs->binds[fs->n].i = cap;
	return ++fs->n;
}

/* list_sql_build chooses the queries of store_review_list for f. */
enum err_code list_sql_build(struct conn *c, struct arena *a,
			     const struct review_filter *f, const char *q,
			     int exact, struct list_sql *ls, struct err *e)
{
	enum join_mode mode, cmode;
	enum err_code rc;
	int seek;

	ls->limit = list_limit(f);
	ls->offset = f->after || f->offset < 0 ? 0 : f->offset;
	rc = page_mode(c, a, f, q, exact, (int64_t)ls->offset + ls->limit,
		       &mode, &seek, e);
	if (rc != E_OK)
		return rc;
	filter_build(f, q, seek, &ls->page, mode, 1);
	buf_printf(&ls->page_sql,
		   "SELECT t.id FROM %s WHERE %s ORDER BY " SORT_KEY
		   " DESC, t.id DESC LIMIT ?%d OFFSET ?%d",
		   from_clause(mode), buf_cstr(&ls->page.where), ls->page.n + 1,
		   ls->page.n + 2);
	/* a deep page read from the end (store_review_list) needs the exact
	 * number of its matches before it: review_counts has it (a tag's
	 * pages start from its few matches: not needed), and SQLite's read
	 * transaction is one snapshot for the count and the page
	 * (PostgreSQL's plain reads are each their own) */
	if (tally_ok(a, f) && !f->tag && db_kind(c->db) == DB_SQLITE)
		buf_printf(&ls->back_sql,
			   "SELECT t.id FROM %s WHERE %s ORDER BY " SORT_KEY
			   ", t.id LIMIT ?%d OFFSET ?%d",
			   from_clause(mode), buf_cstr(&ls->page.where),
			   ls->page.n + 1, ls->page.n + 2);
	if (tally_ok(a, f)) {
		tally_build(f, &ls->count);
		buf_printf(
			&ls->count_sql,
			"SELECT coalesce(sum(rc.reviews), 0) FROM %s WHERE %s",
			tally_table(f), buf_cstr(&ls->count.where));
	} else {
		/* a count reads every match: from the matches, when there
		 * is a set to start from */
		if ((rc = count_mode(c, a, f, q, &cmode, e)) != E_OK)
			return rc;
		filter_build(f, q, 0, &ls->count, cmode, 0);
		if ((ls->cap = count_cap(a, f)) > 0)
			buf_printf(&ls->count_sql,
				   "SELECT count(*) FROM (SELECT 1 FROM %s "
				   "WHERE %s LIMIT ?%d) x",
				   from_clause(cmode),
				   buf_cstr(&ls->count.where),
				   bind_cap(&ls->count, ls->cap));
		else
			buf_printf(&ls->count_sql,
				   "SELECT count(*) FROM %s WHERE %s",
				   from_clause(cmode),
				   buf_cstr(&ls->count.where));
	}
	if (ls->page.where.oom || ls->page_sql.oom || ls->count.where.oom ||
	    ls->count_sql.oom || ls->back_sql.oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	return E_OK;
}

void list_sql_release(struct list_sql *ls)
{
	buf_release(&ls->page.where);
	buf_release(&ls->count.where);
	buf_release(&ls->page_sql);
	buf_release(&ls->count_sql);
	buf_release(&ls->back_sql);
}

/* row_read_field tells whether the rows of set read field f. A list
 * shows no long markdown section (all but the tl;dr); a search hit its
 * title, kind, status, severity and start. */
static int row_read_field(enum row_set set, size_t f)
{
	if (set == ROWS_HIT)
		return f == REVIEW_TITLE || f == REVIEW_KIND ||
		       f == REVIEW_STATUS || f == REVIEW_SEVERITY ||
		       f == REVIEW_STARTED_AT;
	return review_def.fields[f].type != FT_MARKDOWN || f == REVIEW_TLDR;
}

/* row_sql: the rows of reviews by id (?1..?ID_BATCH, ids_bind), the
 * fields set does not read as NULL. The tl;dr is cut to its first
 * STORE_LIST_TLDR_CHARS characters and "…" in SQL, so that a page of
 * reviews holds at most that much of each (issue 21). */
char *row_sql(enum row_set set)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "SELECT t.id, t.version, t.created_at, t.updated_at, "
		     "t.deleted_at");
	for (size_t f = 0; f < review_def.nfields; f++) {
		const struct field_def *fd = &review_def.fields[f];

		if (!row_read_field(set, f))
			buf_puts(&b, ", NULL");
		else if (f == REVIEW_TLDR)
			buf_printf(&b,
				   ", substr(t.%s, 1, %d) || CASE WHEN "
				   "substr(t.%s, %d, 1) = '' THEN '' ELSE "
				   "'…' END",
				   fd->name, STORE_LIST_TLDR_CHARS, fd->name,
				   STORE_LIST_TLDR_CHARS + 1);
		else
			buf_printf(&b, ", t.%s", fd->name);
	}
	/* by rowid: with statistics SQLite chose a skip-scan of another
	 * index for the IN list */
	buf_puts(&b, " FROM reviews t NOT INDEXED WHERE t.id IN (");
	ids_sql(&b, 1);
	buf_puts(&b, ")");
	return buf_detach(&b);
}

/* counts_sql builds the query of store_review_counts for f, which brings
 * the open follow-ups too: from the maintained review_counts when f
 * allows, else counted over the matches. *followups_sql stays empty (a
 * second query for them, if one is ever needed). */
enum err_code counts_sql(struct conn *c, struct arena *a,
			 const struct review_filter *f, const char *q,
			 struct filter_sql *fs, struct buf *sql,
			 struct buf *followups_sql, int64_t *cap, struct err *e)
{
	enum join_mode mode;
	enum err_code rc;

	*cap = 0;
	if (tally_ok(a, f)) {
		tally_build(f, fs);
		buf_printf(sql,
			   "SELECT rc.kind, rc.status, rc.severity, "
			   "sum(rc.reviews), sum(rc.open_followups) FROM %s "
			   "WHERE %s GROUP BY 1, 2, 3",
			   tally_table(f), buf_cstr(&fs->where));
	} else if ((rc = count_mode(c, a, f, q, &mode, e)) != E_OK) {
		return rc;
	} else if ((*cap = count_cap(a, f)) > 0) {
		/* the first *cap matches, each with its open follow-ups */
		filter_build(f, q, 0, fs, mode, 0);
		buf_printf(sql,
			   "SELECT x.kind, x.status, x.severity, count(*), "
			   "sum(x.open) FROM (SELECT t.kind, t.status, "
			   "t.severity, (SELECT count(*) FROM followups fu "
			   "WHERE fu.review_id = t.id AND fu.deleted_at IS NULL "
			   "AND fu.status NOT IN ('done', 'wont-do')) AS open "
			   "FROM %s WHERE %s LIMIT ?%d) x GROUP BY 1, 2, 3",
			   from_clause(mode), buf_cstr(&fs->where),
			   bind_cap(fs, *cap));
	} else {
		/* one pass over the matches: each brings its open
		 * follow-ups from followups_open */
		filter_build(f, q, 0, fs, mode, 0);
		buf_printf(sql,
			   "SELECT t.kind, t.status, t.severity, count(*), "
			   "sum((SELECT count(*) FROM followups fu WHERE "
			   "fu.review_id = t.id AND fu.deleted_at IS NULL AND "
			   "fu.status NOT IN ('done', 'wont-do'))) FROM %s "
			   "WHERE %s GROUP BY 1, 2, 3",
			   from_clause(mode), buf_cstr(&fs->where));
	}
	if (sql->oom || fs->where.oom || followups_sql->oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	return E_OK;
}
