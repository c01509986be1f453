/* sqlite_learning.c: what one review shares with the others (issue 17):
 * recurring contributing factors by key (model/factor_key.h, migration
 * 013's factors_key), "seen in N other reviews", related reviews and
 * the reviews of this day in earlier years. Every query keeps to the
 * live reviews the viewer sees (visible_clause). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/factor_key.h"
#include "store/sqlite_internal.h"
#include "util/buf.h"

#define KEY_F FACTOR_KEY_SQL("f.text")

/* json_keys writes keys as a JSON array of strings (for json_each). */
static const char *json_keys(struct arena *a, const char *const *keys,
			     size_t n)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_putc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		buf_puts(&b, i ? ",\"" : "\"");
		for (const char *p = keys[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(&b, '\\');
			buf_putc(&b, *p);
		}
		buf_putc(&b, '"');
	}
	buf_putc(&b, ']');
	out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

/* vis appends the viewer's clause over t with its groups at ?param and
 * tells the groups to bind (NULL: no clause). */
static const char *vis(struct buf *b, const struct viewer *v, int param)
{
	const char *groups = visible_param(v);

	if (groups) {
		buf_puts(b, " AND ");
		visible_clause(b, "t", param);
	}
	return groups;
}

/* group_count counts the live reviews the viewer sees (other than
 * except, when > 0) naming a factor whose key is one of keys_json. */
static enum err_code group_count(struct conn *c, const char *keys_json,
				 const struct viewer *v, int64_t except,
				 int64_t *out, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s = NULL;
	const char *groups;
	enum err_code rc = E_OK;

	buf_puts(&sql, "SELECT count(DISTINCT f.review_id) FROM factors f "
		       "JOIN reviews t INDEXED BY reviews_by_id ON t.id = "
		       "f.review_id WHERE " KEY_F " IN (SELECT value FROM "
		       "json_each(?1)) AND f.deleted_at IS NULL AND "
		       "t.deleted_at IS NULL AND f.review_id != ?2");
	groups = vis(&sql, v, 3);
	if (sql.oom) {
		buf_release(&sql);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	if ((s = conn_stmt(c, buf_cstr(&sql), e))) {
		db_bind_text(s, 1, keys_json, -1, DB_STATIC);
		db_bind_int64(s, 2, except);
		if (groups)
			db_bind_text(s, 3, groups, -1, DB_STATIC);
		if (db_step(s) == DB_ROW)
			*out = db_column_int64(s, 0);
		else
			rc = db_err(c, e, "factor count");
		conn_done(c, s);
	} else {
		rc = e->code;
	}
	buf_release(&sql);
	return rc;
}

/* ---- recurring factors --------------------------------------------- */

/* label_of is text with its whitespace runs made one space, trimmed. */
static const char *label_of(struct arena *a, const char *text)
{
	char *out = arena_strdup(a, text), *o = out;
	int space = 0;

	if (!out)
		return NULL;
	for (const char *p = out; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = 1;
			continue;
		}
		if (space && o != out)
			*o++ = ' ';
		space = 0;
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static int by_count(const void *x, const void *y)
{
	const struct factor_count *a = x, *b = y;

	if (a->reviews != b->reviews)
		return a->reviews > b->reviews ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* factor_reviews fills fc's newest reviews (ids and titles). */
static enum err_code factor_reviews(struct conn *c, struct arena *a,
				    const char *keys_json,
				    const struct viewer *v,
				    struct factor_count *fc, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s;
	const char *groups;
	enum err_code rc = E_OK;
	int step;

	fc->review_ids = arena_alloc(a, sizeof(int64_t) * STORE_FACTOR_REVIEWS);
	fc->titles = arena_alloc(a, sizeof(char *) * STORE_FACTOR_REVIEWS);
	buf_puts(&sql, "SELECT DISTINCT t.id, t.title FROM factors f JOIN "
		       "reviews t ON t.id = f.review_id WHERE " KEY_F " IN "
		       "(SELECT value FROM json_each(?1)) AND f.deleted_at IS "
		       "NULL AND t.deleted_at IS NULL");
	groups = vis(&sql, v, 2);
	buf_printf(&sql, " ORDER BY t.id DESC LIMIT %d", STORE_FACTOR_REVIEWS);
	if (sql.oom || !fc->review_ids || !fc->titles) {
		buf_release(&sql);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		buf_release(&sql);
		return e->code;
	}
	db_bind_text(s, 1, keys_json, -1, DB_STATIC);
	if (groups)
		db_bind_text(s, 2, groups, -1, DB_STATIC);
	while ((step = db_step(s)) == DB_ROW &&
	       fc->nids < STORE_FACTOR_REVIEWS) {
		const char *t = db_column_text(s, 1);

		fc->review_ids[fc->nids] = db_column_int64(s, 0);
		if (!(fc->titles[fc->nids] = arena_strdup(a, t ? t : ""))) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			break;
		}
		fc->nids++;
	}
	if (rc == E_OK && step != DB_DONE && step != DB_ROW)
		rc = db_err(c, e, "factor reviews");
	conn_done(c, s);
	buf_release(&sql);
	return rc;
}

enum err_code store_factor_counts(struct store *st, struct arena *a,
				  const struct viewer *viewer,
				  const struct factor_synonyms *syn,
				  int64_t min_reviews, size_t limit,
				  struct factor_count **out, size_t *n,
				  struct err *e)
{
	struct buf sql = BUF_INIT;
	struct factor_count *fc = NULL;
	int *keys_in = NULL; /* raw keys merged into each entry */
	size_t nfc = 0, cap = 0, keep = 0;
	struct conn *c = NULL;
	struct db_stmt *s = NULL;
	const char *groups;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	buf_puts(&sql, "SELECT " KEY_F ", count(DISTINCT f.review_id), "
		       "min(f.text) FROM factors f JOIN reviews t INDEXED BY "
		       "reviews_by_id ON t.id = f.review_id WHERE "
		       "f.deleted_at IS NULL AND t.deleted_at IS NULL");
	groups = vis(&sql, viewer, 1);
	buf_puts(&sql, " GROUP BY 1");
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e)) || tx_begin(c, 0, e) != E_OK) {
		rc = e->code;
		goto out;
	}
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		tx_rollback(c);
		goto out;
	}
	if (groups)
		db_bind_text(s, 1, groups, -1, DB_STATIC);
	while ((step = db_step(s)) == DB_ROW) {
		const char *k = db_column_text(s, 0);
		const char *text = db_column_text(s, 2);
		const char *canon;
		size_t i;

		if (!k || !*k)
			continue;
		canon = factor_canonical(syn, k);
		for (i = 0; i < nfc && strcmp(fc[i].key, canon); i++)
			;
		if (i == nfc) {
			if (nfc == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct factor_count *nf =
					arena_alloc(a, ncap * sizeof *nf);
				int *nk = arena_alloc(a, ncap * sizeof *nk);

				if (!nf || !nk) {
					rc = err_set(e, E_NOMEM, NULL,
						     "out of memory");
					break;
				}
				if (nfc) {
					memcpy(nf, fc, nfc * sizeof *nf);
					memcpy(nk, keys_in, nfc * sizeof *nk);
				}
				fc = nf;
				keys_in = nk;
				cap = ncap;
			}
			memset(&fc[i], 0, sizeof fc[i]);
			keys_in[i] = 0;
			fc[i].key = arena_strdup(a, canon);
			fc[i].label = factor_label(syn, canon);
			if (!fc[i].label) /* as written, spaces made one */
				fc[i].label = label_of(a, text ? text : k);
			if (!fc[i].key || !fc[i].label) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				break;
			}
			nfc++;
		}
		fc[i].reviews += db_column_int64(s, 1);
		keys_in[i]++;
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "factor counts");
	conn_done(c, s);
	s = NULL;
	/* a review that names two synonyms counts once */
	for (size_t i = 0; rc == E_OK && i < nfc; i++) {
		size_t ng;
		const char **g;
		const char *j;

		if (keys_in[i] < 2)
			continue;
		if (!(g = factor_group(a, syn, fc[i].key, &ng)) ||
		    !(j = json_keys(a, g, ng)))
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
		else
			rc = group_count(c, j, viewer, 0, &fc[i].reviews, e);
	}
	if (rc == E_OK && nfc) {
		qsort(fc, nfc, sizeof *fc, by_count);
		while (keep < nfc && fc[keep].reviews >= min_reviews &&
		       (!limit || keep < limit))
			keep++;
	}
	for (size_t i = 0; rc == E_OK && i < keep; i++) {
		size_t ng;
		const char **g = factor_group(a, syn, fc[i].key, &ng);
		const char *j = g ? json_keys(a, g, ng) : NULL;

		rc = j ? factor_reviews(c, a, j, viewer, &fc[i], e)
		       : err_set(e, E_NOMEM, NULL, "out of memory");
	}
	if (rc == E_OK)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
	if (rc == E_OK) {
		*out = fc;
		*n = keep;
	}
out:
	conn_done(c, s);
	conn_put(c);
	buf_release(&sql);
	return rc;
}

enum err_code store_factor_seen(struct store *st, struct arena *a,
				const struct viewer *viewer,
				const struct factor_synonyms *syn,
				int64_t review_id, struct factor_seen **out,
				size_t *n, struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	size_t cap = 8;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	*n = 0;
	if (!(*out = arena_alloc(a, cap * sizeof **out)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 0, e)) != E_OK) {
		conn_put(c);
		return rc;
	}
	if (!(s = conn_stmt(c,
			    "SELECT f.id, " KEY_F " FROM factors f WHERE "
			    "f.review_id = ?1 AND f.deleted_at IS NULL",
			    e))) {
		rc = e->code;
		goto done;
	}
	db_bind_int64(s, 1, review_id);
	/* the keys first: group_count reuses the connection */
	{
		const char **keys = arena_alloc(a, cap * sizeof *keys);

		while (keys && (step = db_step(s)) == DB_ROW) {
			const char *k = db_column_text(s, 1);

			if (*n == cap) {
				struct factor_seen *no =
					arena_alloc(a, 2 * cap * sizeof *no);
				const char **nk =
					arena_alloc(a, 2 * cap * sizeof *nk);

				if (!no || !nk) {
					keys = NULL;
					break;
				}
				memcpy(no, *out, cap * sizeof *no);
				memcpy(nk, keys, cap * sizeof *nk);
				*out = no;
				keys = nk;
				cap *= 2;
			}
			(*out)[*n].factor_id = db_column_int64(s, 0);
			(*out)[*n].seen = 0;
			if (!(keys[*n] = arena_strdup(a, k ? k : ""))) {
				keys = NULL;
				break;
			}
			(*out)[*n].key = keys[*n];
			(*n)++;
		}
		conn_done(c, s);
		if (!keys)
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
		else if (step != DB_DONE)
			rc = db_err(c, e, "factors");
		for (size_t i = 0; rc == E_OK && i < *n; i++) {
			const char **g;
			const char *j = NULL;
			size_t ng;

			if (!*keys[i])
				continue;
			g = factor_group(a, syn, factor_canonical(syn, keys[i]),
					 &ng);
			if (!g || !(j = json_keys(a, g, ng)))
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
			else
				rc = group_count(c, j, viewer, review_id,
						 &(*out)[i].seen, e);
		}
	}
done:
	if (rc == E_OK)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
	conn_put(c);
	if (rc != E_OK)
		*n = 0;
	return rc;
}

/* ---- related reviews ------------------------------------------------ */

struct cand {
	int64_t id;
	double score;
	int factors, tags, services, text;
	const char *title; /* once checked */
	int64_t started_at;
};

#define MAX_CANDS   400
#define PER_SOURCE  20 /* reviews read per shared tag or factor */
#define CHECK_CANDS 20 /* at most, checked for visibility (check_batch) */

static struct cand *cand_get(struct cand *cs, size_t *n, int64_t id)
{
	for (size_t i = 0; i < *n; i++)
		if (cs[i].id == id)
			return &cs[i];
	if (*n == MAX_CANDS)
		return NULL;
	memset(&cs[*n], 0, sizeof cs[*n]);
	cs[*n].id = id;
	return &cs[(*n)++];
}

static int by_score(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* The title words related reviews are looked for by: words of 3 bytes
 * or more, lower case, at most TITLE_WORDS; "alpha" leaves out those
 * made of digits only (a ticket or incident number). */
#define TITLE_WORDS 3

static int word_char(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || (unsigned char)ch >= 0x80;
}

/* title_query: the title's words (all of them; alpha: but numbers; max:
 * the first max), all required, as FTS5; NULL when fewer than
 * min_words. */
static const char *title_query(struct arena *a, const char *title, int alpha,
			       int max, int min_words)
{
	struct buf b = BUF_INIT;
	const char *p = title ? title : "", *out = NULL;
	int n = 0;

	buf_putc(&b, '(');
	while (*p && n < max) {
		const char *w;
		int digits = 1;

		while (*p && !word_char(*p))
			p++;
		w = p;
		while (word_char(*p)) {
			digits &= *p >= '0' && *p <= '9';
			p++;
		}
		if (p - w < 3 || (alpha && digits))
			continue;
		buf_puts(&b, n ? " AND \"" : "\"");
		for (; w < p; w++)
			buf_putc(&b, *w >= 'A' && *w <= 'Z'
					     ? (char)(*w - 'A' + 'a')
					     : *w);
		buf_putc(&b, '"');
		n++;
	}
	buf_putc(&b, ')');
	if (n >= min_words && !b.oom)
		out = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

/* add_ids adds points to each review id sql (?1 text, ?2 id) returns:
 * what 1 a shared factor, 2 a shared tag, 0 or less similar words worth
 * -what (counted once). */
static enum err_code add_ids(struct conn *c, const char *sql, const char *arg,
			     int64_t self, struct cand *cs, size_t *n,
			     int what, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, sql, e);
	int step;

	if (!s)
		return e->code;
	db_bind_text(s, 1, arg, -1, DB_STATIC);
	db_bind_int64(s, 2, self);
	while ((step = db_step(s)) == DB_ROW) {
		struct cand *cd = cand_get(cs, n, db_column_int64(s, 0));

		if (!cd)
			break;
		if (what <= 0) { /* text: -what is the points */
			if (!cd->text)
				cd->score -= what;
			cd->text = 1;
		} else if (what == 1) {
			cd->factors++;
			cd->score += 4;
		} else {
			cd->tags++;
			cd->score += 2;
		}
	}
	conn_done(c, s);
	if (step != DB_DONE && step != DB_ROW)
		return db_err(c, e, "related");
	return E_OK;
}

/* The first reviews whose text holds all the title's words: FTS5 walks
 * its lists in rowid order and stops at the limit, so common words cost
 * little (a column filter or the reverse order cost about twice as much:
 * they read whole lists). */
#define RELATED_TEXT_SQL                                                    \
	"SELECT rowid FROM review_fts WHERE review_fts MATCH ?1 AND rowid "  \
	"!= ?2 ORDER BY rowid LIMIT 10"
#define RELATED_FACTOR_SQL                                                  \
	"SELECT f.review_id FROM factors f WHERE " KEY_F " = ?1 AND "        \
	"f.deleted_at IS NULL AND f.review_id != ?2 ORDER BY f.review_id "   \
	"DESC LIMIT 20"
#define RELATED_TAG_SQL                                                     \
	"SELECT g.review_id FROM tags g WHERE g.name = ?1 AND g.deleted_at " \
	"IS NULL AND g.review_id != ?2 ORDER BY g.review_id DESC LIMIT 20"

/* What a review is compared by, read in one statement: its title and
 * services (JSON list text), its live tags and its factors' keys. */
struct own_terms {
	const char *title, *services;
	const char **tags, **keys;
	size_t ntags, nkeys;
};

#define OWN_TERMS_SQL                                                       \
	"SELECT 0, title, coalesce(services, '[]') FROM reviews WHERE id = "  \
	"?1 UNION ALL SELECT 1, name, NULL FROM tags WHERE review_id = ?1 "  \
	"AND deleted_at IS NULL UNION ALL SELECT DISTINCT 2, " KEY_F ", "    \
	"NULL FROM factors f WHERE f.review_id = ?1 AND f.deleted_at IS NULL"

/* own_terms fills *t (from a) for review id; t->title NULL when there is
 * no such review. */
static enum err_code own_terms(struct conn *c, struct arena *a, int64_t id,
			       struct own_terms *t, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, OWN_TERMS_SQL, e);
	size_t cap[2] = {0, 0};
	int step, oom = 0;

	memset(t, 0, sizeof *t);
	if (!s)
		return e->code;
	db_bind_int64(s, 1, id);
	while (!oom && (step = db_step(s)) == DB_ROW) {
		int kind = db_column_int(s, 0);
		const char *v = db_column_text(s, 1);
		char *copy = arena_strdup(a, v ? v : "");
		const char ***list = kind == 1 ? &t->tags : &t->keys;
		size_t *n = kind == 1 ? &t->ntags : &t->nkeys;

		if (!copy) {
			oom = 1;
			break;
		}
		if (kind == 0) {
			const char *sv = db_column_text(s, 2);

			t->title = copy;
			if (!(t->services = arena_strdup(a, sv ? sv : "[]")))
				oom = 1;
			continue;
		}
		if (*n == cap[kind - 1]) {
			size_t nc = cap[kind - 1] ? 2 * cap[kind - 1] : 8;
			const char **no = arena_alloc(a, nc * sizeof *no);

			if (!no) {
				oom = 1;
				break;
			}
			if (*n)
				memcpy(no, *list, *n * sizeof *no);
			*list = no;
			cap[kind - 1] = nc;
		}
		(*list)[(*n)++] = copy;
	}
	conn_done(c, s);
	if (oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (step != DB_DONE)
		return db_err(c, e, "related");
	return E_OK;
}

/* strong counts the candidates that a shared factor or two shared tags
 * put above any match by words alone. */
static size_t strong(const struct cand *cs, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += cs[i].score > 3;
	return k;
}

/* check_batch runs the check query sql (?1 ids as a JSON list, ?2 the
 * review's services, ?3 the viewer's groups) for candidates [from, to):
 * those the viewer sees get their title, start and shared services (and
 * *seen counts them); the others keep a NULL title. */
static enum err_code check_batch(struct conn *c, struct arena *a,
				 const char *sql, struct cand *cs, size_t from,
				 size_t to, const char *services,
				 const char *groups, size_t *seen,
				 struct err *e)
{
	struct db_stmt *s;
	struct buf ids = BUF_INIT;
	int step;

	if (from >= to)
		return E_OK;
	buf_putc(&ids, '[');
	for (size_t i = from; i < to; i++) {
		if (i > from)
			buf_putc(&ids, ',');
		buf_put_int(&ids, cs[i].id);
	}
	buf_putc(&ids, ']');
	if (ids.oom) {
		buf_release(&ids);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	if (!(s = conn_stmt(c, sql, e))) {
		buf_release(&ids);
		return e->code;
	}
	db_bind_text(s, 1, buf_cstr(&ids), -1, DB_TRANSIENT);
	buf_release(&ids);
	db_bind_text(s, 2, services ? services : "[]", -1, DB_STATIC);
	if (groups)
		db_bind_text(s, 3, groups, -1, DB_STATIC);
	while ((step = db_step(s)) == DB_ROW) {
		int64_t id = db_column_int64(s, 0);
		const char *t = db_column_text(s, 2);

		for (size_t i = from; i < to; i++) {
			if (cs[i].id != id)
				continue;
			cs[i].services = db_column_int(s, 1);
			cs[i].score += cs[i].services;
			cs[i].started_at = db_column_int64(s, 3);
			if (!(cs[i].title = arena_strdup(a, t ? t : "")))
				step = DB_NOMEM;
			(*seen)++;
		}
		if (step == DB_NOMEM)
			break;
	}
	conn_done(c, s);
	if (step == DB_NOMEM)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (step != DB_DONE)
		return db_err(c, e, "related");
	return E_OK;
}

enum err_code store_related(struct store *st, struct arena *a,
			    const struct viewer *viewer,
			    const struct factor_synonyms *syn, int64_t review_id,
			    size_t max, struct related_review **out, size_t *n,
			    struct err *e)
{
	struct cand *cs = arena_alloc(a, MAX_CANDS * sizeof *cs);
	struct own_terms own;
	size_t ncs = 0, got = 0;
	int text_found = 0;
	struct buf check = BUF_INIT;
	const char *groups, *tq;
	struct conn *c = NULL;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	if (max > 20)
		max = 20;
	*out = arena_alloc(a, (max ? max : 1) * sizeof **out);
	/* the best candidates at once (ids in ?1 as a JSON list) */
	buf_puts(&check, "SELECT t.id, (SELECT count(*) FROM "
			 "json_each(t.services) x WHERE x.value IN (SELECT "
			 "y.value FROM json_each(?2) y)), t.title, t.started_at "
			 "FROM reviews t WHERE t.id IN (SELECT CAST(value AS "
			 "INTEGER) FROM json_each(?1)) AND t.deleted_at IS "
			 "NULL");
	groups = vis(&check, viewer, 3);
	if (!cs || !*out || check.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e)) || tx_begin(c, 0, e) != E_OK) {
		rc = e->code;
		goto out;
	}
	if ((rc = own_terms(c, a, review_id, &own, e)) != E_OK)
		goto rollback;
	/* shared factors and tags first: each source reads a bounded,
	 * indexed list */
	for (size_t i = 0; i < own.nkeys && rc == E_OK; i++) {
		size_t ng;
		const char **g = factor_group(
			a, syn, factor_canonical(syn, own.keys[i]), &ng);

		for (size_t k = 0; g && k < ng && rc == E_OK; k++)
			rc = add_ids(c, RELATED_FACTOR_SQL, g[k], review_id, cs,
				     &ncs, 1, e);
	}
	for (size_t i = 0; i < own.ntags && rc == E_OK; i++)
		rc = add_ids(c, RELATED_TAG_SQL, own.tags[i], review_id, cs,
			     &ncs, 2, e);
	/* similar titles: the first TITLE_WORDS words but numbers, else the
	 * first two, else the first; each only when the one before found
	 * nothing, and each worth less. An FTS query costs as much as the
	 * rest of this together, and what it finds is the first few of
	 * possibly thousands of matches (the oldest): so it runs only
	 * while fewer than max candidates share a factor or two tags, each
	 * of which outranks a match by words alone. Once they fill the
	 * list, words no longer add to a candidate's rank or reasons. */
	for (int k = 0; own.title && k < 3 && rc == E_OK && !text_found &&
			strong(cs, ncs) < max;
	     k++) {
		int words = k == 0 ? TITLE_WORDS : 3 - k;

		tq = title_query(a, own.title, 1, words, words);
		if (tq)
			rc = add_ids(c, RELATED_TEXT_SQL, tq, review_id, cs,
				     &ncs, -(3 - k), e);
		for (size_t i = 0; i < ncs && !text_found; i++)
			text_found = cs[i].text;
	}
	if (rc != E_OK)
		goto rollback;
	qsort(cs, ncs, sizeof *cs, by_score);
	if (ncs > CHECK_CANDS)
		ncs = CHECK_CANDS;
	/* visibility and shared services of the best max + 2 (each costs
	 * a row read; two spare for a restricted one or a shared service
	 * that reorders the last places), and of the rest only when fewer
	 * than max of those are for this viewer */
	for (size_t i = 0; i < ncs; i++)
		cs[i].title = NULL;
	{
		size_t first = ncs < max + 2 ? ncs : max + 2, seen = 0;

		rc = check_batch(c, a, buf_cstr(&check), cs, 0, first,
				 own.services, groups, &seen, e);
		if (rc == E_OK && seen < max && first < ncs)
			rc = check_batch(c, a, buf_cstr(&check), cs, first, ncs,
					 own.services, groups, &seen, e);
		if (rc != E_OK)
			goto rollback;
	}
	for (size_t i = 0; i < ncs; i++)
		if (!cs[i].title)
			cs[i].score = -1;
	qsort(cs, ncs, sizeof *cs, by_score);
	for (size_t i = 0; i < ncs && got < max && cs[i].score > 0; i++) {
		struct related_review *r = &(*out)[got++];

		memset(r, 0, sizeof *r);
		r->id = cs[i].id;
		r->title = cs[i].title;
		r->started_at = cs[i].started_at;
		r->shared_factors = cs[i].factors;
		r->shared_tags = cs[i].tags;
		r->shared_services = cs[i].services;
		r->text = cs[i].text;
	}
	rc = tx_commit(c, e);
	if (rc == E_OK)
		*n = got;
	goto out;
rollback:
	tx_rollback(c);
out:
	conn_put(c);
	buf_release(&check);
	return rc;
}

enum err_code store_related_check(struct store *st, struct arena *a,
				  const struct viewer *viewer,
				  struct related_review *rel, size_t *n,
				  struct err *e)
{
	struct buf sql = BUF_INIT, ids = BUF_INIT;
	struct db_stmt *s = NULL;
	struct conn *c = NULL;
	const char *groups;
	enum err_code rc = E_OK;
	size_t kept = 0;
	int step;

	ERR_LOCAL(e);
	if (!*n)
		return E_OK;
	buf_puts(&sql, "SELECT t.id, t.title, t.started_at FROM reviews t "
		       "WHERE t.id IN (SELECT CAST(value AS INTEGER) FROM "
		       "json_each(?1)) AND t.deleted_at IS NULL");
	groups = vis(&sql, viewer, 2);
	buf_putc(&ids, '[');
	for (size_t i = 0; i < *n; i++) {
		if (i)
			buf_putc(&ids, ',');
		buf_put_int(&ids, rel[i].id);
		rel[i].title = NULL; /* not seen until read */
	}
	buf_putc(&ids, ']');
	if (sql.oom || ids.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e)) || !(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	db_bind_text(s, 1, buf_cstr(&ids), -1, DB_STATIC);
	if (groups)
		db_bind_text(s, 2, groups, -1, DB_STATIC);
	while ((step = db_step(s)) == DB_ROW) {
		int64_t id = db_column_int64(s, 0);
		const char *t = db_column_text(s, 1);

		for (size_t i = 0; i < *n; i++) {
			if (rel[i].id != id)
				continue;
			rel[i].started_at = db_column_int64(s, 2);
			if (!(rel[i].title = arena_strdup(a, t ? t : "")))
				step = DB_NOMEM;
		}
		if (step == DB_NOMEM)
			break;
	}
	if (step == DB_NOMEM)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	else if (step != DB_DONE)
		rc = db_err(c, e, "related");
	conn_done(c, s);
	for (size_t i = 0; rc == E_OK && i < *n; i++)
		if (rel[i].title)
			rel[kept++] = rel[i];
out:
	conn_put(c);
	buf_release(&sql);
	buf_release(&ids);
	*n = rc == E_OK ? kept : 0;
	return rc;
}

/* ---- on this day ---------------------------------------------------- */

#define OTD_MAX 500

enum err_code store_on_this_day(struct store *st, struct arena *a,
				const struct viewer *viewer, int month,
				int day, int year, int limit, int offset,
				struct record_list *out, int64_t *total,
				struct err *e)
{
	struct buf where = BUF_INIT, page = BUF_INIT, count = BUF_INIT;
	struct tm tm = {0};
	char md[8];
	const char *groups;
	struct conn *c = NULL;
	struct db_stmt *s = NULL;
	int64_t *ids, before;
	size_t got = 0;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	*total = 0;
	limit = limit <= 0 ? 50 : limit > OTD_MAX ? OTD_MAX : limit;
	offset = offset < 0 ? 0 : offset;
	snprintf(md, sizeof md, "%02d-%02d", month, day);
	tm.tm_year = year - 1900;
	tm.tm_mday = 1;
	before = (int64_t)timegm(&tm);
	buf_puts(&where, "t.deleted_at IS NULL AND strftime('%m-%d', "
			 "t.started_at, 'unixepoch') = ?1 AND t.started_at < "
			 "?2");
	groups = vis(&where, viewer, 3);
	buf_printf(&page,
		   "SELECT t.id FROM reviews t WHERE %s ORDER BY t.started_at "
		   "DESC, t.id DESC LIMIT %d OFFSET %d",
		   buf_cstr(&where), limit, offset);
	buf_printf(&count, "SELECT count(*) FROM reviews t WHERE %s",
		   buf_cstr(&where));
	ids = arena_alloc(a, sizeof *ids * (size_t)limit);
	out->items = arena_alloc(a, sizeof *out->items * (size_t)limit);
	if (where.oom || page.oom || count.oom || !ids || !out->items) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e)) || tx_begin(c, 0, e) != E_OK) {
		rc = e->code;
		goto out;
	}
	for (int q = 0; q < 2 && rc == E_OK; q++) {
		if (!(s = conn_stmt(c, buf_cstr(q ? &count : &page), e))) {
			rc = e->code;
			break;
		}
		db_bind_text(s, 1, md, -1, DB_TRANSIENT);
		db_bind_int64(s, 2, before);
		if (groups)
			db_bind_text(s, 3, groups, -1, DB_STATIC);
		while ((step = db_step(s)) == DB_ROW) {
			if (q)
				*total = db_column_int64(s, 0);
			else if (got < (size_t)limit)
				ids[got++] = db_column_int64(s, 0);
		}
		if (step != DB_DONE)
			rc = db_err(c, e, "on this day");
		conn_done(c, s);
		s = NULL;
	}
	if (rc == E_OK && got)
		rc = review_rows_read(c, a, ROWS_LIST, ids, got, out->items,
				      e);
	for (size_t i = 0; rc == E_OK && i < got; i++)
		if (out->items[i]) /* gone since (PostgreSQL) */
			out->items[out->n++] = out->items[i];
	if (rc == E_OK)
		rc = tx_commit(c, e);
	else
		tx_rollback(c);
out:
	if (rc != E_OK) {
		memset(out, 0, sizeof *out);
		*total = 0;
	}
	conn_put(c);
	buf_release(&where);
	buf_release(&page);
	buf_release(&count);
	return rc;
}
