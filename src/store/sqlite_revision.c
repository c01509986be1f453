/* sqlite_revision.c: the history of a review: one revision row per write
 * to one record, with the changed fields as JSON [{field, old, new}],
 * deflated when that is shorter (changes_bind). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "store/sqlite_internal.h"

/* Shorter changes stay text: deflate gains little on them. */
#define CHANGES_DEFLATE_MIN 128

/* A deflated changes value is a blob: the text's length (4 bytes, little
 * endian), then the text deflated. Issue 21: the changes were 40% of a
 * database of generated reviews (a create names every field); deflated
 * they take less than half. Text values (older rows, short ones) are
 * read as they are. */
int changes_bind(struct db_stmt *s, int i, const char *text)
{
	size_t len = strlen(text);
	uLongf zlen;
	unsigned char *z;

	/* PostgreSQL compresses long values itself (TOAST); its column is
	 * text */
	if (len < CHANGES_DEFLATE_MIN || len > UINT32_MAX ||
	    db_kind(db_handle(s)) != DB_SQLITE)
		return db_bind_text(s, i, text, (int)len, DB_TRANSIENT);
	zlen = compressBound((uLong)len);
	z = malloc(4 + zlen);
	if (!z)
		return DB_NOMEM;
	for (int k = 0; k < 4; k++)
		z[k] = (unsigned char)(len >> (8 * k));
	if (compress2(z + 4, &zlen, (const Bytef *)text, (uLong)len, 1) !=
		    Z_OK ||
	    4 + zlen >= len) {
		free(z);
		return db_bind_text(s, i, text, (int)len, DB_TRANSIENT);
	}
	return db_bind_blob(s, i, z, (int)(4 + zlen), free);
}

const char *changes_text(struct arena *a, struct db_stmt *s, int col)
{
	const unsigned char *z;
	size_t n = (size_t)db_column_bytes(s, col), len = 0;
	uLongf out;
	char *text;

	if (db_column_type(s, col) != DB_BLOB) {
		const char *t = db_column_text(s, col);

		return arena_strndup(a, t ? (const char *)t : "[]",
				     t ? (size_t)db_column_bytes(s, col)
				       : 2);
	}
	z = db_column_blob(s, col);
	if (!z || n < 4)
		return NULL;
	for (int k = 0; k < 4; k++)
		len |= (size_t)z[k] << (8 * k);
	text = arena_alloc(a, len + 1);
	out = (uLongf)len;
	if (!text || uncompress((Bytef *)text, &out, z + 4, (uLong)(n - 4)) !=
			     Z_OK ||
	    out != (uLongf)len)
		return NULL;
	text[len] = '\0';
	return text;
}

/* changes_json encodes ch as a JSON array; malloc'd, NULL on oom. */
static char *changes_json(const struct change *ch, int n)
{
	json_t *arr = json_array();
	char *text = NULL;

	if (!arr)
		return NULL;
	for (int i = 0; i < n; i++) {
		json_t *o =
			json_pack("{s:s, s:s, s:s}", "field", ch[i].field,
				  "old", ch[i].old_text ? ch[i].old_text : "",
				  "new", ch[i].new_text ? ch[i].new_text : "");
		if (!o || json_array_append_new(arr, o) < 0)
			goto out;
	}
	text = json_dumps(arr, JSON_COMPACT);
out:
	json_decref(arr);
	return text;
}

enum err_code revision_add(struct conn *c, int64_t review_id,
			   const char *record_kind, int64_t record_id,
			   const char *action, const char *actor, int64_t at,
			   int64_t review_version, const struct change *ch,
			   int n, struct err *e)
{
	struct db_stmt *s;
	char *text = changes_json(ch, n);
	enum err_code rc = E_OK;

	if (!text)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	s = conn_stmt(c,
		      "INSERT INTO revisions (review_id, record_kind, "
		      "record_id, action, actor, at, review_version, changes) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		      e);
	if (!s) {
		free(text);
		return e->code;
	}
	db_bind_int64(s, 1, review_id);
	db_bind_text(s, 2, record_kind, -1, DB_STATIC);
	db_bind_int64(s, 3, record_id);
	db_bind_text(s, 4, action, -1, DB_STATIC);
	db_bind_text(s, 5, actor && *actor ? actor : "unknown", -1,
			  DB_STATIC);
	db_bind_int64(s, 6, at);
	db_bind_int64(s, 7, review_version);
	if (changes_bind(s, 8, text) != DB_OK)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	else if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "revisions");
	free(text);
	conn_done(c, s);
	return rc;
}

static const char *dup_col(struct arena *a, struct db_stmt *s, int col)
{
	const char *t = db_column_text(s, col);

	return arena_strndup(a, t ? (const char *)t : "",
			     (size_t)db_column_bytes(s, col));
}

/* read_changes decodes a revision's changes into memory from a. */
static int read_changes(struct arena *a, const char *text, struct revision *rv)
{
	json_t *arr = json_loads(text, 0, NULL);
	size_t n;
	int rc = -1;

	if (!arr || !json_is_array(arr))
		goto out;
	n = json_array_size(arr);
	rv->changes = arena_alloc(a, sizeof *rv->changes * (n ? n : 1));
	if (!rv->changes)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		const char *f = json_string_value(json_object_get(o, "field"));
		const char *old = json_string_value(json_object_get(o, "old"));
		const char *nw = json_string_value(json_object_get(o, "new"));
		struct change *ch = &rv->changes[i];

		if (!f || !old || !nw)
			goto out;
		ch->field = arena_strdup(a, f);
		ch->old_text = arena_strdup(a, old);
		ch->new_text = arena_strdup(a, nw);
		if (!ch->field || !ch->old_text || !ch->new_text)
			goto out;
	}
	rv->nchanges = n;
	rc = 0;
out:
	json_decref(arr);
	return rc;
}

/* read_revisions reads the revisions of the newest max_saves saves
 * (review versions; -1: all) of review_id older than version before,
 * newest first. */
static enum err_code read_revisions(struct store *st, struct arena *a,
				    int64_t review_id, int64_t before,
				    int64_t max_saves, struct revision **out,
				    size_t *n, struct err *e)
{
	struct conn *c;
	struct db_stmt *s = NULL;
	struct revision *items = NULL;
	size_t cap = 0, count = 0;
	enum err_code rc = E_OK;
	const char *text;
	int step;

	ERR_LOCAL(e);
	*out = NULL;
	*n = 0;
	if (!(c = conn_get(st, e)))
		return e->code;
	s = conn_stmt(c,
		      "SELECT id, review_id, record_kind, record_id, action, "
		      "actor, at, review_version, changes FROM revisions "
		      "WHERE review_id = ?1 AND review_version < ?2 AND "
		      "review_version >= (SELECT MIN(v) FROM (SELECT "
		      "DISTINCT review_version AS v FROM revisions WHERE "
		      "review_id = ?1 AND review_version < ?2 ORDER BY v DESC "
		      "LIMIT ?3) AS page) ORDER BY id DESC",
		      e);
	if (!s) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, review_id);
	db_bind_int64(s, 2, before);
	/* SQLite reads a negative LIMIT as none; PostgreSQL refuses it */
	db_bind_int64(s, 3, max_saves < 0 ? INT64_MAX : max_saves);
	while ((step = db_step(s)) == DB_ROW) {
		struct revision *rv;

		if (count == cap) {
			struct revision *bigger;
			cap = cap ? cap * 2 : 32;
			bigger = arena_alloc(a, sizeof *bigger * cap);
			if (!bigger) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				goto out;
			}
			if (count)
				memcpy(bigger, items, sizeof *items * count);
			items = bigger;
		}
		rv = &items[count];
		rv->id = db_column_int64(s, 0);
		rv->review_id = db_column_int64(s, 1);
		rv->record_kind = dup_col(a, s, 2);
		rv->record_id = db_column_int64(s, 3);
		rv->action = dup_col(a, s, 4);
		rv->actor = dup_col(a, s, 5);
		rv->at = db_column_int64(s, 6);
		rv->review_version = db_column_int64(s, 7);
		if (!rv->record_kind || !rv->action || !rv->actor) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto out;
		}
		text = changes_text(a, s, 8);
		if (!text || read_changes(a, text, rv) < 0) {
			rc = err_set(e, E_STORE, NULL,
				     "revision %lld has unreadable changes",
				     (long long)rv->id);
			goto out;
		}
		count++;
	}
	if (step != DB_DONE) {
		rc = db_err(c, e, "revisions");
		goto out;
	}
	if (count == 0 && before == INT64_MAX) {
		/* every review has its "create"; none: there is no review */
		struct record *r;
		rc = rec_load(c, a, &st->dsql[DEF_REVIEW], review_id, &r, e);
		if (rc == E_NOT_FOUND)
			err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
				(long long)review_id);
		if (rc != E_OK)
			goto out;
	}
	*out = items;
	*n = count;
out:
	conn_done(c, s);
	conn_put(c);
	return rc;
}

enum err_code store_revision_list(struct store *st, struct arena *a,
				  int64_t review_id, struct revision **out,
				  size_t *n, struct err *e)
{
	return read_revisions(st, a, review_id, INT64_MAX, -1, out, n, e);
}

enum err_code store_revision_page(struct store *st, struct arena *a,
				  int64_t review_id, int64_t before_version,
				  size_t max_saves, struct revision_page *out,
				  struct err *e)
{
	int64_t oldest, older = 0;
	const char *sql;
	enum err_code rc;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	if (before_version <= 0)
		before_version = INT64_MAX;
	rc = read_revisions(st, a, review_id, before_version,
			    max_saves ? (int64_t)max_saves : 1, &out->revs,
			    &out->n, e);
	if (rc != E_OK)
		return rc;
	rc = db_read_int64(st,
			   "SELECT COUNT(*) FROM revisions WHERE review_id = ?1",
			   &review_id, &out->total, e);
	if (rc != E_OK || !out->n)
		return rc;
	/* older saves: any revision below this page's oldest version */
	oldest = out->revs[out->n - 1].review_version;
	sql = arena_printf(a,
			   "SELECT COUNT(*) FROM (SELECT 1 FROM revisions "
			   "WHERE review_id = ?1 AND review_version < %lld "
			   "LIMIT 1) AS older",
			   (long long)oldest);
	if (!sql)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	rc = db_read_int64(st, sql, &review_id, &older, e);
	out->older_than = older ? oldest : 0;
	return rc;
}
