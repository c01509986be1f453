/* sqlite_visible.c: the SQL twin of review_visible (model/review.c), the
 * one rule of who sees a restricted review, as a clause that lists,
 * counts, search and the cheap version read share. Keep the two in step:
 * tests/unit/test_visibility.c runs both over the same cases. */
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/buf.h"

const char *visible_param(const struct viewer *v)
{
	if (!v || v->all)
		return NULL;
	return v->groups_json ? v->groups_json : "[]";
}

/* The viewer's groups: only a JSON array counts (anything else is no
 * group, as in review_visible), and of it only the text items. A review
 * with no restricted_to at all (most of them) is decided before any
 * json_each: a clause over every review (the learning page's) reads it
 * about 100,000 times. */
void visible_clause(struct buf *b, const char *alias, int param)
{
	/* "(%s.restricted_to IS NULL OR NOT EXISTS (SELECT 1 FROM
	 * json_each(%s.restricted_to)) OR EXISTS (SELECT 1 FROM
	 * json_each(%s.restricted_to) vr, json_each(CASE WHEN json_valid(?%d)
	 * THEN CASE json_type(?%d) WHEN 'array' THEN ?%d ELSE '[]' END ELSE
	 * '[]' END) vg WHERE vg.type = 'text' AND vr.value = vg.value))" with
	 * alias three times and param three times, written piece by piece:
	 * every related list, count and list builds it, and printf costs more
	 * than its query's step */
	static const char *const piece[] = {
		"(",
		".restricted_to IS NULL OR NOT EXISTS (SELECT 1 FROM json_each(",
		".restricted_to)) OR EXISTS (SELECT 1 FROM json_each(",
		".restricted_to) vr, json_each(CASE WHEN json_valid(?",
		") THEN CASE json_type(?",
		") WHEN 'array' THEN ?",
		(" ELSE '[]' END ELSE '[]' END) vg WHERE vg.type = 'text' AND "
		 "vr.value = vg.value))"),
	};

	for (size_t i = 0; i < sizeof piece / sizeof piece[0]; i++) {
		if (i >= 1 && i <= 3)
			buf_puts(b, alias);
		else if (i >= 4)
			buf_put_int(b, param);
		buf_puts(b, piece[i]);
	}
}

enum err_code store_review_version_for(struct store *st, int64_t id,
				       const struct viewer *v,
				       int64_t *version, struct err *e)
{
	const char *groups = visible_param(v);
	struct buf sql = BUF_INIT;
	struct conn *c = NULL;
	struct db_stmt *s = NULL;
	enum err_code rc = E_OK;
	int step;

	ERR_LOCAL(e);
	if (!groups)
		return store_review_version(st, id, version, e);
	buf_puts(&sql, "SELECT t.version FROM reviews t WHERE t.id = ?1 AND "
		       "t.deleted_at IS NULL AND ");
	visible_clause(&sql, "t", 2);
	if (sql.oom) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e)) || !(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, id);
	db_bind_text(s, 2, groups, -1, DB_STATIC);
	step = db_step(s);
	if (step == DB_ROW)
		*version = db_column_int64(s, 0);
	else if (step == DB_DONE) /* the same answer as for a missing one */
		rc = err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
			     (long long)id);
	else
		rc = db_err(c, e, "review version");
	conn_done(c, s);
out:
	conn_put(c);
	buf_release(&sql);
	return rc;
}
