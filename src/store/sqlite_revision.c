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

/* kind_def: the def of the records a revision's record_kind names, NULL
 * for a kind that is not one record (transcripts). */
static const struct def_sql *kind_def(struct store *st, const char *kind)
{
	if (!strcmp(kind, "review"))
		return &st->dsql[DEF_REVIEW];
	for (int k = 0; k < CHILD_COUNT; k++)
		if (!strcmp(child_defs[k]->segment, kind))
			return &st->dsql[DEF_CHILD(k)];
	return NULL;
}

/* A create's changes are only the names of the fields it set,
 * {"first":["title",...]}, or "*" when each value it set has text (the
 * usual case; one byte in each of 170,000 rows at 10,000 generated
 * reviews): then the fields are those whose first value has text. Issue 21: copies of every field of every created record were 80%
 * of the revisions table. The values are the record's first version, read
 * back (changes_expand) from the record as it is now and the old values
 * of its later revisions: every write to a record's fields records them
 * (review_write, child_write, the edit page's save). Malloc'd, NULL on
 * oom. */
static char *first_json(const struct change *ch, int n)
{
	json_t *names = json_array(), *o = NULL;
	char *text = NULL;
	int all = 1;

	if (!names)
		return NULL;
	for (int i = 0; i < n; i++) {
		all &= ch[i].new_text && ch[i].new_text[0];
		if (json_array_append_new(names, json_string(ch[i].field)) < 0)
			goto out;
	}
	if (all)
		text = strdup("*");
	else if ((o = json_pack("{s:O}", "first", names)))
		text = json_dumps(o, JSON_COMPACT);
out:
	json_decref(o);
	json_decref(names);
	return text;
}

/* A compact create being read back: the fields it set and their values,
 * from the record now, then from its later revisions' old values. */
struct first {
	struct expand_item *item;
	const struct def_sql *d;
	int star;
	size_t n;
	int *fields;
	const char **vals;
};

/* first_begin reads what item's create set, as the record has it now. */
static int first_begin(struct conn *c, struct arena *a,
		       struct expand_item *item, struct first *fs)
{
	const char *text = *item->text;
	json_t *o = NULL, *first;
	struct record *r;
	struct err e;
	int rc = -1;

	memset(fs, 0, sizeof *fs);
	fs->item = item;
	fs->d = kind_def(c->st, item->record_kind);
	fs->star = !strcmp(text, "*");
	if (!fs->star)
		o = json_loads(text, 0, NULL);
	first = json_object_get(o, "first");
	if (!fs->d || !(fs->star || json_is_array(first)) ||
	    rec_load(c, a, fs->d, item->record_id, &r, &e) != E_OK)
		goto out;
	fs->n = fs->star ? fs->d->def->nfields : json_array_size(first);
	fs->vals = arena_alloc(a, sizeof *fs->vals * (fs->n ? fs->n : 1));
	fs->fields = arena_alloc(a, sizeof *fs->fields * (fs->n ? fs->n : 1));
	if (!fs->vals || !fs->fields)
		goto out;
	for (size_t i = 0; i < fs->n; i++) {
		int f = fs->star ? (int)i
				 : record_field(fs->d->def,
						json_string_value(
							json_array_get(first, i)));

		fs->fields[i] = f;
		if (f < 0 || !(fs->vals[i] = record_value_text(a, r, f)))
			goto out;
	}
	rc = 0;
out:
	json_decref(o);
	return rc;
}

/* first_apply: a later revision's changes; each old value is the field's
 * value before it. Applied newest first, the last one is the create's. */
static int first_apply(struct arena *a, struct first *fs, json_t *later)
{
	for (size_t k = 0; k < json_array_size(later); k++) {
		json_t *ch = json_array_get(later, k);
		const char *f = json_string_value(json_object_get(ch, "field"));
		const char *old = json_string_value(json_object_get(ch, "old"));

		for (size_t i = 0; f && old && i < fs->n; i++)
			if (!strcmp(f, fs->d->def->fields[fs->fields[i]].name) &&
			    !(fs->vals[i] = arena_strdup(a, old)))
				return -1;
	}
	return 0;
}

/* first_end writes the create's changes as a JSON array into item. */
static int first_end(struct arena *a, struct first *fs)
{
	json_t *out = json_array();
	char *t = NULL;

	*fs->item->text = NULL;
	if (!out)
		return -1;
	for (size_t i = 0; i < fs->n; i++) {
		json_t *ch;

		if (fs->star && !fs->vals[i][0])
			continue; /* "*": a field the create left empty */
		ch = json_pack("{s:s, s:s, s:s}", "field",
			       fs->d->def->fields[fs->fields[i]].name, "old", "",
			       "new", fs->vals[i]);
		if (!ch || json_array_append_new(out, ch) < 0)
			goto out;
	}
	if ((t = json_dumps(out, JSON_COMPACT)))
		*fs->item->text = arena_strdup(a, t);
out:
	free(t);
	json_decref(out);
	return *fs->item->text ? 0 : -1;
}

int changes_expand(struct conn *c, struct arena *a, int64_t review_id,
		   struct expand_item *items, size_t n)
{
	struct first *fs;
	struct db_stmt *s;
	size_t nf = 0;
	int64_t oldest = INT64_MAX;
	struct err e;
	int step, rc = 0;

	fs = arena_alloc(a, sizeof *fs * (n ? n : 1));
	if (!fs)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *t = *items[i].text;

		if (!t || (t[0] != '{' && strcmp(t, "*")))
			continue; /* stored in full */
		if (first_begin(c, a, &items[i], &fs[nf]) < 0) {
			*items[i].text = NULL;
			return -1;
		}
		if (items[i].id < oldest)
			oldest = items[i].id;
		nf++;
	}
	if (!nf)
		return 0;
	/* one pass over the review's later revisions, newest first, for all
	 * of them (a page of History may hold hundreds of creates) */
	s = conn_stmt(c,
		      "SELECT id, record_kind, record_id, changes FROM "
		      "revisions WHERE review_id = ?1 AND id > ?2 ORDER BY id "
		      "DESC",
		      &e);
	if (!s)
		return -1;
	db_bind_int64(s, 1, review_id);
	db_bind_int64(s, 2, oldest);
	while (rc == 0 && (step = db_step(s)) == DB_ROW) {
		int64_t id = db_column_int64(s, 0);
		const char *kind = db_column_text(s, 1);
		int64_t rid = db_column_int64(s, 2);
		json_t *later = NULL;

		for (size_t i = 0; rc == 0 && kind && i < nf; i++) {
			const struct expand_item *it = fs[i].item;
			const char *t;

			if (it->record_id != rid || id <= it->id ||
			    strcmp(it->record_kind, kind))
				continue;
			if (!later && (!(t = changes_text(a, s, 3)) ||
				       !(later = json_loads(t, 0, NULL)))) {
				*fs[i].item->text = NULL;
				rc = -1;
				break;
			}
			if (first_apply(a, &fs[i], later) < 0) {
				*fs[i].item->text = NULL;
				rc = -1;
			}
		}
		json_decref(later);
	}
	if (rc == 0 && step != DB_DONE)
		rc = -1;
	conn_done(c, s);
	for (size_t i = 0; rc == 0 && i < nf; i++)
		rc = first_end(a, &fs[i]);
	return rc;
}

struct db_stmt *revision_bind(struct conn *c, int64_t review_id,
			      const char *record_kind, int64_t record_id,
			      const char *action, const char *actor, int64_t at,
			      int64_t review_version, const struct change *ch,
			      int n, struct err *e)
{
	struct db_stmt *s;
	char *text = !strcmp(action, "create") && record_id > 0 &&
				     kind_def(c->st, record_kind)
			     ? first_json(ch, n)
			     : changes_json(ch, n);

	if (!text) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	s = conn_stmt(c,
		      "INSERT INTO revisions (review_id, record_kind, "
		      "record_id, action, actor, at, review_version, changes) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		      e);
	if (!s) {
		free(text);
		return NULL;
	}
	db_bind_int64(s, 1, review_id);
	db_bind_text(s, 2, record_kind, -1, DB_STATIC);
	db_bind_int64(s, 3, record_id);
	db_bind_text(s, 4, action, -1, DB_STATIC);
	db_bind_text(s, 5, actor && *actor ? actor : "unknown", -1, DB_STATIC);
	db_bind_int64(s, 6, at);
	db_bind_int64(s, 7, review_version);
	if (changes_bind(s, 8, text) != DB_OK) {
		free(text);
		conn_done(c, s);
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	free(text);
	return s;
}

enum err_code revision_step(struct conn *c, struct db_stmt *s, struct err *e)
{
	enum err_code rc = E_OK;

	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "revisions");
	conn_done(c, s);
	return rc;
}

enum err_code revision_add(struct conn *c, int64_t review_id,
			   const char *record_kind, int64_t record_id,
			   const char *action, const char *actor, int64_t at,
			   int64_t review_version, const struct change *ch,
			   int n, struct err *e)
{
	struct db_stmt *s = revision_bind(c, review_id, record_kind, record_id,
					  action, actor, at, review_version, ch,
					  n, e);

	return s ? revision_step(c, s, e) : e->code;
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
	const char **texts = NULL; /* each one's changes as stored */
	struct expand_item *ex;
	size_t cap = 0, count = 0;
	enum err_code rc = E_OK;
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
			const char **more;
			cap = cap ? cap * 2 : 32;
			bigger = arena_alloc(a, sizeof *bigger * cap);
			more = arena_alloc(a, sizeof *more * cap);
			if (!bigger || !more) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				goto out;
			}
			if (count) {
				memcpy(bigger, items, sizeof *items * count);
				memcpy(more, texts, sizeof *texts * count);
			}
			items = bigger;
			texts = more;
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
		texts[count] = changes_text(a, s, 8);
		count++;
	}
	if (step != DB_DONE) {
		rc = db_err(c, e, "revisions");
		goto out;
	}
	/* creates stored compactly, read back all at once */
	if (count && !(ex = arena_alloc(a, sizeof *ex * count))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < count; i++)
		ex[i] = (struct expand_item){items[i].record_kind,
					     items[i].record_id, items[i].id,
					     &texts[i]};
	if (count)
		(void)changes_expand(c, a, review_id, ex, count);
	for (size_t i = 0; i < count; i++)
		if (!texts[i] || read_changes(a, texts[i], &items[i]) < 0) {
			rc = err_set(e, E_STORE, NULL,
				     "revision %lld has unreadable changes",
				     (long long)items[i].id);
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
