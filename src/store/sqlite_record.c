/* sqlite_record.c: records to rows and back. The SQL of every record kind
 * is generated from its record_def when the store opens, so that a field
 * added to a def needs only a migration. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/facilitator.h"
#include "model/ticket.h"
#include "model/transcript.h"
#include "store/sqlite_internal.h"
#include "util/buf.h"

/* Parameters of the insert statement: children have ?1 review_id, ?2
 * version, ?3 created_at, ?4 updated_at; a review has the same without
 * review_id. Fields follow. The update statement has ?1 version,
 * ?2 updated_at, ?3 deleted_at, ?4 id, and the fields from ?5. */
#define INSERT_FIRST(d) ((d)->child ? 5 : 4)
#define UPDATE_FIRST	5

const char *record_kind_name(const struct record_def *def)
{
	return def->segment ? def->segment : "review";
}

int fts_indexes(enum child_kind k)
{
	return k == CHILD_TIMELINE || k == CHILD_FOLLOWUP || k == CHILD_FACTOR ||
	       k == CHILD_COMMENT || k == CHILD_DEPARTURE ||
	       k == CHILD_QUESTION || k == CHILD_CONTINGENCY;
}

static int is_text(enum field_type t)
{
	return t == FT_TEXT || t == FT_MARKDOWN;
}

/* A chat message's source as read (migration 035): its file's prefix
 * and the rest, or the message's ts when the rest is NULL; the column
 * whole where the message has no source_id. */
#define TRANSCRIPT_SOURCE_SQL                                                \
	"coalesce((SELECT s.prefix FROM transcript_sources s WHERE s.id = " \
	"t.source_id) || coalesce(t.source, t.ts), t.source)"

void ids_sql(struct buf *b, int first)
{
	for (int i = 0; i < ID_BATCH; i++)
		buf_printf(b, "%s?%d", i ? ", " : "", first + i);
}

void ids_bind(struct db_stmt *s, int first, const int64_t *ids, size_t n,
	      int batch)
{
	for (int i = 0; i < batch; i++)
		if ((size_t)i < n)
			db_bind_int64(s, first + i, ids[i]);
		else
			db_bind_null(s, first + i);
}

static int build_def(struct def_sql *d, const struct record_def *def, int child)
{
	struct buf b = BUF_INIT;
	const char *tbl = def->table;
	size_t f;
	int p;

	d->def = def;
	d->child = child;

	buf_printf(&b,
		   "t.id, %st.version, t.created_at, t.updated_at, "
		   "t.deleted_at",
		   child ? "t.review_id, " : "");
	for (f = 0; f < def->nfields; f++)
		if (def == &transcript_def && f == TR_SOURCE)
			buf_puts(&b, ", " TRANSCRIPT_SOURCE_SQL);
		else
			buf_printf(&b, ", t.\"%s\"", def->fields[f].name);
	d->cols = buf_detach(&b);
	if (!d->cols)
		return -1;

	buf_printf(&b, "SELECT %s FROM %s t WHERE t.id = ?1", d->cols, tbl);
	d->select_one = buf_detach(&b);
	buf_printf(&b, "%s FOR UPDATE", d->select_one ? d->select_one : "");
	d->select_lock = buf_detach(&b);

	if (child) {
		buf_printf(&b,
			   "SELECT %s FROM %s t WHERE t.review_id = ?1 AND "
			   "t.deleted_at IS NULL ORDER BY ",
			   d->cols, tbl);
		if (def->sort_field >= 0)
			buf_printf(&b, "t.\"%s\", ",
				   def->fields[def->sort_field].name);
		buf_puts(&b, "t.id");
		d->select_children = buf_detach(&b);
		/* each review's rows in select_children's order, the reviews
		 * in order of id (no sort where (review_id, id) is indexed:
		 * tags_review) */
		buf_printf(&b, "SELECT %s FROM %s t WHERE t.review_id IN (",
			   d->cols, tbl);
		ids_sql(&b, 1);
		buf_puts(&b,
			 ") AND t.deleted_at IS NULL ORDER BY t.review_id, ");
		if (def->sort_field >= 0)
			buf_printf(&b, "t.\"%s\", ",
				   def->fields[def->sort_field].name);
		buf_puts(&b, "t.id");
		d->select_children_many = buf_detach(&b);
	}

	buf_printf(&b, "INSERT INTO %s (%sversion, created_at, updated_at", tbl,
		   child ? "review_id, " : "");
	for (f = 0; f < def->nfields; f++)
		buf_printf(&b, ", \"%s\"", def->fields[f].name);
	buf_puts(&b, ") VALUES (?1, ?2, ?3");
	for (p = 4; p < INSERT_FIRST(d) + (int)def->nfields; p++)
		buf_printf(&b, ", ?%d", p);
	buf_puts(&b, ")");
	d->insert = buf_detach(&b);

	buf_printf(&b,
		   "INSERT INTO %s (id, %sversion, created_at, updated_at, "
		   "deleted_at",
		   tbl, child ? "review_id, " : "");
	for (f = 0; f < def->nfields; f++)
		buf_printf(&b, ", \"%s\"", def->fields[f].name);
	buf_puts(&b, ") VALUES (?1");
	for (p = 2; p <= (child ? 6 : 5) + (int)def->nfields; p++)
		buf_printf(&b, ", ?%d", p);
	buf_puts(&b, ")");
	d->insert_as_is = buf_detach(&b);

	buf_printf(&b,
		   "INSERT INTO %s (%sversion, created_at, updated_at, "
		   "deleted_at",
		   tbl, child ? "review_id, " : "");
	for (f = 0; f < def->nfields; f++)
		buf_printf(&b, ", \"%s\"", def->fields[f].name);
	buf_puts(&b, ") VALUES (?2");
	for (p = 3; p <= (child ? 6 : 5) + (int)def->nfields; p++)
		buf_printf(&b, ", ?%d", p);
	buf_puts(&b, ")");
	d->insert_as_new = buf_detach(&b);

	buf_printf(&b,
		   "UPDATE %s SET version = ?1, updated_at = ?2, "
		   "deleted_at = ?3",
		   tbl);
	for (f = 0; f < def->nfields; f++)
		buf_printf(&b, ", \"%s\" = ?%d", def->fields[f].name,
			   UPDATE_FIRST + (int)f);
	if (def == &transcript_def) /* the source is now whole (035) */
		buf_puts(&b, ", source_id = NULL");
	buf_puts(&b, " WHERE id = ?4");
	d->update = buf_detach(&b);

	if (!d->select_one || !d->select_lock ||
	    (child && (!d->select_children || !d->select_children_many)) ||
	    !d->insert || !d->insert_as_is || !d->insert_as_new || !d->update)
		return -1;
	return 0;
}

int search_part_field(size_t f)
{
	enum field_type t = review_def.fields[f].type;

	/* restricted_to is who may read, not what the review says */
	return f != REVIEW_TITLE && f != REVIEW_RESTRICTED_TO &&
	       (is_text(t) || t == FT_LIST);
}

/* child_text writes the text one child of cd gives the search body: its
 * text fields, a space between each. */
static void child_text(struct buf *b, const struct record_def *cd)
{
	int first = 1;

	for (size_t f = 0; f < cd->nfields; f++) {
		if (!is_text(cd->fields[f].type))
			continue;
		buf_printf(b, "%scoalesce(c.%s, '')",
			   first ? "" : " || ' ' || ", cd->fields[f].name);
		first = 0;
	}
}

/* fts_nparts: the number of parts of a review's search body. */
static int fts_nparts(void)
{
	int n = 0;

	for (size_t f = 0; f < review_def.nfields; f++)
		n += search_part_field(f);
	for (int k = 0; k < CHILD_COUNT; k++)
		n += fts_indexes(k);
	return n;
}

uint64_t fts_parts_changed(const struct record *old, const struct record *r)
{
	uint64_t parts = 0;
	int i = 0;

	for (size_t f = 0; f < review_def.nfields; f++) {
		int part = search_part_field(f);

		if ((part || f == REVIEW_TITLE) &&
		    !record_field_equal(old, r, f))
			parts |= part ? (uint64_t)1 << i : FTS_TITLE;
		i += part;
	}
	return parts;
}

uint64_t fts_part_child(enum child_kind k)
{
	int i = 0;

	if (!fts_indexes(k))
		return 0;
	for (size_t f = 0; f < review_def.nfields; f++)
		i += search_part_field(f);
	for (int j = 0; j < (int)k; j++)
		i += fts_indexes(j);
	return (uint64_t)1 << i;
}

/* fts_part_sql writes one part's value, expr, to PostgreSQL's update of
 * the rows there (FTS_PG_UPDATE): NULL, which its trigger reads as the
 * part it has (pg/044), unless ?2 (the parts changed) names part i or
 * the row's parts are not the n of today's body (a row from before a
 * migration that changed them). So an update runs the subqueries and
 * sends the text of the parts it changed, not of all. */
static void fts_part_sql(struct buf *b, int i, int n, const char *expr)
{
	buf_printf(b,
		   "CASE WHEN CAST(?2 AS BIGINT) & %lld <> 0 OR "
		   "cardinality(review_fts.part_len) IS DISTINCT FROM %d "
		   "THEN %s END",
		   (long long)((uint64_t)1 << i), n, expr);
}

/* fts_part_put writes part i (of n) of the body, the SQL in x, to b after
 * sep (not before the first): as it is, or as fts_part_sql has it when
 * only_changed (PostgreSQL's update). */
static void fts_part_put(struct buf *b, struct buf *x, int only_changed,
			 int i, int n, const char *sep)
{
	if (x->oom)
		b->oom = 1;
	buf_puts(b, i ? sep : "");
	if (only_changed)
		fts_part_sql(b, i, n, buf_cstr(x));
	else
		buf_puts(b, buf_cstr(x));
}

/* The kinds of build_fts's statement. */
enum fts_sql {
	FTS_INSERT,    /* SQLite: the rows of the reviews */
	FTS_PG_INSERT, /* PostgreSQL: the rows of the reviews without one */
	FTS_PG_UPDATE, /* PostgreSQL: the rows there, where they changed */
};

/* build_fts: the statement that fills a review's row of review_fts with its
 * title and, as body, every other text field of the review and of the
 * children whose text is searched, one line after the other. PostgreSQL
 * is given the parts of the body (each field, each kind of child) and
 * makes the body and its tsvector from them, parsing only the parts
 * that changed (migrations/pg/034), and keeps of the parts only their
 * lengths (pg/036): it updates the rows there and inserts the others. The
 * update sends only the parts its ?2 names (fts_part_sql), NULL for the
 * others, which the trigger takes from the row (pg/044); it compares the
 * parts sent with the old ones cut from the body, and writes no row whose
 * title and parts did not change. */
static char *build_fts(int many, enum fts_sql kind)
{
	struct buf b = BUF_INIT, x = BUF_INIT;
	const struct record_def *rd = &review_def;
	const char *sep = kind == FTS_INSERT ? " || char(10) || " : ", ";
	int i = 0, n = fts_nparts();

	if (n > 63) /* one bit a part, and FTS_TITLE */
		return NULL;
	if (kind == FTS_PG_UPDATE)
		buf_puts(&b, "UPDATE review_fts SET title = r.title, "
			     "parts = ARRAY[");
	else if (kind == FTS_PG_INSERT)
		buf_puts(&b, "INSERT INTO review_fts (rowid, title, parts) "
			     "SELECT r.id, r.title, ARRAY[");
	else
		buf_puts(&b, "INSERT INTO review_fts (rowid, title, body) "
			     "SELECT r.id, r.title, ");
	for (size_t f = 0; f < rd->nfields; f++) {
		if (!search_part_field(f))
			continue;
		buf_reset(&x);
		buf_printf(&x, "coalesce(r.%s, '')", rd->fields[f].name);
		fts_part_put(&b, &x, kind == FTS_PG_UPDATE, i++, n, sep);
	}
	for (int k = 0; k < CHILD_COUNT; k++) {
		const struct record_def *cd = child_defs[k];

		if (!fts_indexes(k))
			continue;
		buf_reset(&x);
		buf_puts(&x, "coalesce((SELECT group_concat(");
		child_text(&x, cd);
		buf_printf(&x,
			   ", char(10)) FROM %s c WHERE c.review_id = r.id "
			   "AND c.deleted_at IS NULL), '')",
			   cd->table);
		fts_part_put(&b, &x, kind == FTS_PG_UPDATE, i++, n, sep);
	}
	buf_release(&x);
	if (kind != FTS_INSERT)
		buf_puts(&b, "]");
	if (kind == FTS_PG_UPDATE)
		buf_puts(&b, " FROM reviews r WHERE review_fts.rowid = r.id "
			     "AND r.id");
	else
		buf_puts(&b, " FROM reviews r WHERE r.id");
	if (!many) {
		buf_puts(&b, " = ?1");
	} else if (kind != FTS_INSERT) {
		/* one parameter, the ids' array (fts_reindex_many) */
		buf_puts(&b, " = ANY (CAST(?1 AS BIGINT[]))");
	} else {
		buf_puts(&b, " IN (?1");
		for (int j = 2; j <= FTS_BATCH; j++)
			buf_printf(&b, ", ?%d", j);
		buf_puts(&b, ")");
	}
	if (kind == FTS_PG_INSERT)
		buf_puts(&b, " AND NOT EXISTS (SELECT 1 FROM review_fts f "
			     "WHERE f.rowid = r.id)");
	if (b.oom) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* build_fts_delete: PostgreSQL's delete of the rows of the reviews ?1
 * (an array) that are no longer there (the others are updated). */
static char *build_fts_delete(void)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "DELETE FROM review_fts WHERE rowid = ANY (CAST(?1 AS "
		     "BIGINT[])) AND NOT EXISTS (SELECT 1 FROM reviews r "
		     "WHERE r.id = review_fts.rowid)");
	return buf_detach(&b);
}

/* lines_of writes the number of lines of the SQL text x. */
static void lines_of(struct buf *b, const char *x)
{
	buf_printf(b, "(length(%s) - length(replace(%s, char(10), '')) + 1)", x,
		   x);
}

/* build_lines: the number of lines of each part of a review's search
 * body, as build_fts writes them, for sqlite_search.c to name the part a
 * marked line is in. LINES_SELECT reads review ?1's, one column a part
 * in the body's order (after its id). The others write them to
 * review_search_lines (SQLite, migration 040) as the parts of more than one
 * line, "part:lines" comma-separated ("30:10,31:3"; "" when every part
 * is one line): LINES_ONE for review ?1, LINES_MANY for the ids
 * ?1..?FTS_BATCH, LINES_ALL for every review (at migration 040). */
static char *build_lines(enum lines_sql kind)
{
	struct buf b = BUF_INIT;
	const struct record_def *rd = &review_def;
	int n = 0;

	buf_puts(&b, "SELECT r.id AS id");
	for (size_t f = 0; f < rd->nfields; f++) {
		char x[96];

		if (!search_part_field(f))
			continue;
		snprintf(x, sizeof x, "coalesce(r.%s, '')", rd->fields[f].name);
		buf_puts(&b, ", ");
		lines_of(&b, x);
		buf_printf(&b, " AS l%d", n++);
	}
	for (int k = 0; k < CHILD_COUNT; k++) {
		const struct record_def *cd = child_defs[k];
		struct buf item = BUF_INIT;

		if (!fts_indexes(k))
			continue;
		child_text(&item, cd);
		buf_puts(&b, ", coalesce((SELECT sum(");
		lines_of(&b, buf_cstr(&item));
		buf_printf(&b,
			   ") FROM %s c WHERE c.review_id = r.id AND "
			   "c.deleted_at IS NULL), 1) AS l%d",
			   cd->table, n++);
		if (item.oom)
			b.oom = 1;
		buf_release(&item);
	}
	buf_puts(&b, " FROM reviews r");
	if (kind == LINES_SELECT || kind == LINES_ONE) {
		buf_puts(&b, " WHERE r.id = ?1");
	} else if (kind == LINES_MANY) {
		buf_puts(&b, " WHERE r.id IN (?1");
		for (int i = 2; i <= FTS_BATCH; i++)
			buf_printf(&b, ", ?%d", i);
		buf_puts(&b, ")");
	}
	if (kind != LINES_SELECT) {
		struct buf w = BUF_INIT;

		buf_puts(&w, "INSERT OR REPLACE INTO review_search_lines (id, "
			     "lines) SELECT id, substr(''");
		for (int i = 0; i < n; i++)
			buf_printf(&w, " || iif(l%d = 1, '', ',%d:' || l%d)", i,
				   i, i);
		buf_printf(&w, ", 2) FROM (%s)", buf_cstr(&b));
		buf_release(&b);
		b = w;
	}
	if (b.oom) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

int sql_build(struct store *st)
{
	if (build_def(&st->dsql[DEF_REVIEW], &review_def, 0) < 0)
		return -1;
	for (int k = 0; k < CHILD_COUNT; k++)
		if (build_def(&st->dsql[DEF_CHILD(k)], child_defs[k], 1) < 0)
			return -1;
	if (build_def(&st->dsql[DEF_TRANSCRIPT], &transcript_def, 1) < 0 ||
	    build_def(&st->dsql[DEF_TICKET], &ticket_def, 1) < 0)
		return -1;
	if (build_def(&st->dsql[DEF_FACILITATOR], &facilitator_def, 0) < 0)
		return -1;
	/* "INSERT INTO ..." -> "INSERT OR IGNORE INTO ...": a message is
	 * stored once per (review, channel, ts); and its source_id last
	 * (035: sqlite_transcript.c binds it after the fields) */
	{
		const char *ins = st->dsql[DEF_TRANSCRIPT].insert;
		const char *values = strstr(ins, ") VALUES (");
		int n = 0;

		for (const char *q = ins; *q; q++)
			n += *q == '?';
		if (!values || !(st->transcript_insert = malloc(
					 strlen(ins) + 64)))
			return -1;
		snprintf(st->transcript_insert, strlen(ins) + 64,
			 "INSERT OR IGNORE%.*s, source_id%.*s, ?%d)",
			 (int)(values - ins - 6), ins + 6,
			 (int)(strlen(values) - 1), values, n + 1);
	}
	st->fts_reindex = build_fts(0, FTS_INSERT);
	st->fts_reindex_many = build_fts(1, FTS_INSERT);
	st->fts_pg_insert_one = build_fts(0, FTS_PG_INSERT);
	st->fts_pg_insert_new = build_fts(1, FTS_PG_INSERT);
	st->fts_pg_update = build_fts(1, FTS_PG_UPDATE);
	st->fts_pg_delete_gone = build_fts_delete();
	st->lines_select = build_lines(LINES_SELECT);
	st->lines_one = build_lines(LINES_ONE);
	st->lines_many = build_lines(LINES_MANY);
	st->lines_all = build_lines(LINES_ALL);
	for (int i = 0; i < ROWS_NSETS; i++)
		if (!(st->rows_sql[i] = row_sql((enum row_set)i)))
			return -1;
	if (!st->fts_reindex || !st->fts_reindex_many ||
	    !st->fts_pg_insert_one || !st->fts_pg_insert_new ||
	    !st->fts_pg_update || !st->fts_pg_delete_gone ||
	    !st->lines_select || !st->lines_one || !st->lines_many ||
	    !st->lines_all)
		return -1;
	/* SQLite: "INSERT OR REPLACE ..." in one statement, for FTS5 writes
	 * what it holds as a new segment when each statement begins */
	{
		/* "INSERT" + the rest -> "INSERT OR REPLACE" + the rest */
		const char *rest = st->fts_reindex_many + strlen("INSERT");
		size_t n = strlen("INSERT OR REPLACE") + strlen(rest) + 1;

		if (!(st->fts_replace_many = malloc(n)))
			return -1;
		snprintf(st->fts_replace_many, n, "INSERT OR REPLACE%s", rest);
	}
	return 0;
}

void sql_free(struct store *st)
{
	for (int i = 0; i < NDEFS; i++) {
		struct def_sql *d = &st->dsql[i];
		free(d->cols);
		free(d->select_one);
		free(d->select_lock);
		free(d->select_children);
		free(d->select_children_many);
		free(d->insert);
		free(d->insert_as_is);
		free(d->insert_as_new);
		free(d->update);
	}
	free(st->fts_reindex);
	free(st->fts_reindex_many);
	free(st->fts_replace_many);
	free(st->fts_pg_insert_one);
	free(st->fts_pg_insert_new);
	free(st->fts_pg_update);
	free(st->fts_pg_delete_gone);
	free(st->lines_select);
	free(st->lines_one);
	free(st->lines_many);
	free(st->lines_all);
	for (int i = 0; i < ROWS_NSETS; i++)
		free(st->rows_sql[i]);
	free(st->transcript_insert);
}

/* read_list decodes a JSON array of strings into v. */
static int read_list(struct arena *a, const char *text, struct value *v)
{
	json_t *arr = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	size_t n, i;
	int rc = -1;

	if (!arr || !json_is_array(arr))
		goto out;
	n = json_array_size(arr);
	v->items = arena_alloc(a, sizeof *v->items * (n ? n : 1));
	if (!v->items)
		goto out;
	for (i = 0; i < n; i++) {
		json_t *it = json_array_get(arr, i);
		if (!json_is_string(it))
			goto out;
		v->items[i] = arena_strndup(a, json_string_value(it),
					    json_string_length(it));
		if (!v->items[i])
			goto out;
	}
	v->nitems = n;
	v->state = V_SET;
	rc = 0;
out:
	json_decref(arr);
	return rc;
}

struct record *row_read(struct arena *a, const struct def_sql *d,
			struct db_stmt *s, int first, struct err *e)
{
	struct record *r = record_new(a, d->def);
	int col = first;

	if (!r) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	r->id = db_column_int64(s, col++);
	if (d->child)
		r->review_id = db_column_int64(s, col++);
	else
		r->review_id = r->id;
	r->version = db_column_int64(s, col++);
	r->created_at = db_column_int64(s, col++);
	r->updated_at = db_column_int64(s, col++);
	r->deleted_at = db_column_int64(s, col++);
	for (size_t f = 0; f < d->def->nfields; f++, col++) {
		struct value *v = &r->v[f];
		const char *t;

		switch (d->def->fields[f].type) {
		case FT_INT:
		case FT_TIME:
		case FT_BOOL:
			if (db_column_type(s, col) == DB_NULL) {
				v->state = V_NULL;
				break;
			}
			v->state = V_SET;
			v->i = db_column_int64(s, col);
			break;
		case FT_LIST:
			if (!(t = db_column_text(s, col))) {
				v->state = V_NULL;
				break;
			}
			if (read_list(a, (const char *)t, v) < 0) {
				err_set(e, E_STORE, d->def->fields[f].name,
					"%s %lld: %s is not a JSON list",
					d->def->table, (long long)r->id,
					d->def->fields[f].name);
				return NULL;
			}
			break;
		default:
			/* a text column: NULL from db_column_text is SQL
			 * NULL unless SQLite ran out of memory */
			if (!(t = db_column_text(s, col))) {
				if (db_errcode(db_handle(s)) ==
				    DB_NOMEM)
					goto oom;
				v->state = V_NULL;
				break;
			}
			v->state = V_SET;
			v->s = arena_strndup(
				a, (const char *)t,
				(size_t)db_column_bytes(s, col));
			if (!v->s)
				goto oom;
		}
	}
	return r;
oom:
	err_set(e, E_NOMEM, NULL, "out of memory");
	return NULL;
}

/* bind_field binds field f of r to parameter p of s. Lists are encoded as
 * JSON and copied by SQLite. Returns -1 on oom. */
static int bind_field(struct db_stmt *s, const struct record *r, size_t f,
		      int p)
{
	const struct record_def *def = r->def;
	const struct value *v = &r->v[f];

	if (v->state != V_SET) {
		db_bind_null(s, p);
		return 0;
	}
	switch (def->fields[f].type) {
	case FT_INT:
	case FT_TIME:
	case FT_BOOL: db_bind_int64(s, p, v->i); break;
	case FT_LIST: {
		json_t *arr = json_array();
		char *text;

		for (size_t k = 0; arr && k < v->nitems; k++)
			if (json_array_append_new(
				    arr, json_string(v->items[k])) <
			    0) {
				json_decref(arr);
				arr = NULL;
			}
		text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
		json_decref(arr);
		if (!text)
			return -1;
		db_bind_text(s, p, text, -1, DB_TRANSIENT);
		free(text);
		break;
	}
	default:
		db_bind_text(s, p, v->s ? v->s : "", -1,
				  DB_STATIC);
	}
	return 0;
}

/* bind_fields binds r's fields to parameters first.. of s; -1 on oom. */
static int bind_fields(struct db_stmt *s, const struct record *r, int first)
{
	for (size_t f = 0; f < r->def->nfields; f++)
		if (bind_field(s, r, f, first + (int)f) < 0)
			return -1;
	return 0;
}

int rec_bind_fields(struct db_stmt *s, const struct record *r, int first)
{
	return bind_fields(s, r, first);
}

/* load_sql is rec_load with the statement to run (select_one or
 * select_lock). */
static enum err_code load_sql(struct conn *c, struct arena *a,
			      const struct def_sql *d, const char *sql,
			      int64_t id, struct record **out, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, sql, e);
	enum err_code rc = E_OK;
	int step;

	*out = NULL;
	if (!s)
		return e->code;
	db_bind_int64(s, 1, id);
	step = db_step(s);
	if (step == DB_ROW)
		rc = (*out = row_read(a, d, s, 0, e)) ? E_OK : e->code;
	else if (step == DB_DONE)
		rc = E_NOT_FOUND;
	else
		rc = db_err(c, e, d->def->table);
	conn_done(c, s);
	return rc;
}

enum err_code rec_load(struct conn *c, struct arena *a, const struct def_sql *d,
		       int64_t id, struct record **out, struct err *e)
{
	return load_sql(c, a, d, d->select_one, id, out, e);
}

enum err_code rec_load_for_write(struct conn *c, struct arena *a,
				 const struct def_sql *d, int64_t id,
				 struct record **out, struct err *e)
{
	/* PostgreSQL: the row stays locked until commit, so that two
	 * writers of one record (on any server) take turns and the second
	 * sees the first's version; SQLite's write lock already is the
	 * whole file's */
	return load_sql(c, a, d,
			db_kind(c->db) == DB_POSTGRES ? d->select_lock
						      : d->select_one,
			id, out, e);
}

/* write_err turns a failed insert or update into an error: a unique index
 * (a tag given twice) is the user's mistake, anything else the store's. */
static enum err_code write_err(struct conn *c, const struct def_sql *d,
			       struct err *e)
{
	if (db_errcode(c->db) == DB_CONSTRAINT_UNIQUE)
		return err_set(e, E_INVALID, d->def->fields[0].name,
			       "This %s is already on the review",
			       d->def->name);
	return db_err(c, e, d->def->table);
}

enum err_code rec_insert(struct conn *c, const struct def_sql *d,
			 struct record *r, struct err *e)
{
	return rec_insert_sql(c, d, d->insert, r, e);
}

enum err_code rec_insert_sql(struct conn *c, const struct def_sql *d,
			     const char *sql, struct record *r, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, sql, e);
	enum err_code rc;

	if (!s)
		return e->code;
	rc = rec_insert_stmt(c, d, s, r, e);
	conn_done(c, s);
	return rc;
}

enum err_code rec_insert_stmt(struct conn *c, const struct def_sql *d,
			      struct db_stmt *s, struct record *r, struct err *e)
{
	enum err_code rc = E_OK;
	int p = 1;

	if (d->child)
		db_bind_int64(s, p++, r->review_id);
	db_bind_int64(s, p++, r->version);
	db_bind_int64(s, p++, r->created_at);
	db_bind_int64(s, p++, r->updated_at);
	if (bind_fields(s, r, INSERT_FIRST(d)) < 0)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	else if (db_step(s) != DB_DONE)
		rc = write_err(c, d, e);
	else if (db_changes(c->db) == 0)
		r->id = 0; /* INSERT OR IGNORE met its key */
	else
		r->id = db_last_insert_id(c->db);
	if (rc == E_OK && !d->child)
		r->review_id = r->id;
	db_reset(s);
	return rc;
}

enum err_code rec_update(struct conn *c, const struct def_sql *d,
			 const struct record *r, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, d->update, e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	db_bind_int64(s, 1, r->version);
	db_bind_int64(s, 2, r->updated_at);
	if (r->deleted_at)
		db_bind_int64(s, 3, r->deleted_at);
	else
		db_bind_null(s, 3);
	db_bind_int64(s, 4, r->id);
	if (bind_fields(s, r, UPDATE_FIRST) < 0)
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	else if (db_step(s) != DB_DONE)
		rc = write_err(c, d, e);
	conn_done(c, s);
	return rc;
}

struct db_stmt *rec_update_bind(struct conn *c, const struct def_sql *d,
				const struct record *old,
				const struct record *r, struct err *e)
{
	const struct record_def *def = d->def;
	struct buf b = BUF_INIT;
	struct db_stmt *s;
	int del = old->deleted_at != r->deleted_at;
	int p = 3;

	/* ?1 version, ?2 updated_at, ?3 id, then the changed fields, then
	 * deleted_at if it changed */
	buf_printf(&b, "UPDATE %s SET version = ?1, updated_at = ?2",
		   def->table);
	for (size_t f = 0; f < def->nfields; f++)
		if (!record_field_equal(old, r, f))
			buf_printf(&b, ", \"%s\" = ?%d", def->fields[f].name,
				   ++p);
	if (del)
		buf_printf(&b, ", deleted_at = ?%d", ++p);
	buf_puts(&b, " WHERE id = ?3");
	if (!b.data) {
		buf_release(&b);
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	s = conn_stmt(c, b.data, e);
	buf_release(&b);
	if (!s)
		return NULL;
	db_bind_int64(s, 1, r->version);
	db_bind_int64(s, 2, r->updated_at);
	db_bind_int64(s, 3, r->id);
	p = 3;
	for (size_t f = 0; f < def->nfields; f++)
		if (!record_field_equal(old, r, f) &&
		    bind_field(s, r, f, ++p) < 0) {
			conn_done(c, s);
			err_set(e, E_NOMEM, NULL, "out of memory");
			return NULL;
		}
	if (del && r->deleted_at)
		db_bind_int64(s, ++p, r->deleted_at);
	else if (del)
		db_bind_null(s, ++p);
	return s;
}

enum err_code rec_update_step(struct conn *c, const struct def_sql *d,
			      struct db_stmt *s, struct err *e)
{
	enum err_code rc = E_OK;

	if (db_step(s) != DB_DONE)
		rc = write_err(c, d, e);
	conn_done(c, s);
	return rc;
}

enum err_code rec_update_from(struct conn *c, const struct def_sql *d,
			      const struct record *old, const struct record *r,
			      struct err *e)
{
	struct db_stmt *s = rec_update_bind(c, d, old, r, e);

	return s ? rec_update_step(c, d, s, e) : e->code;
}

/* children_read reads the rows of s, a review's select_children bound
 * and maybe already run (children_all), into out, and gives s back. */
static enum err_code children_read(struct conn *c, struct arena *a,
				   const struct def_sql *d, struct db_stmt *s,
				   struct record_list *out, struct err *e)
{
	size_t cap = 16;
	enum err_code rc = E_OK;
	int step;

	while ((step = db_step(s)) == DB_ROW) {
		struct record *r;

		if (!out->items || out->n == cap) {
			struct record **items;
			if (out->items)
				cap *= 2;
			items = arena_alloc(a, sizeof *items * cap);
			if (!items) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				goto out;
			}
			if (out->n)
				memcpy(items, out->items,
				       sizeof *items * out->n);
			out->items = items;
		}
		if (!(r = row_read(a, d, s, 0, e))) {
			rc = e->code;
			goto out;
		}
		out->items[out->n++] = r;
	}
	if (step != DB_DONE)
		rc = db_err(c, e, d->def->table);
out:
	conn_done(c, s);
	return rc;
}

enum err_code children_load(struct conn *c, struct arena *a,
			    const struct def_sql *d, int64_t review_id,
			    struct record_list *out, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, d->select_children, e);

	out->n = 0;
	out->items = NULL;
	if (!s)
		return e->code;
	db_bind_int64(s, 1, review_id);
	return children_read(c, a, d, s, out, e);
}

enum err_code children_load_many(struct conn *c, struct arena *a,
				 const struct def_sql *d, const int64_t *ids,
				 size_t n, struct record_list *out,
				 struct err *e)
{
	enum err_code rc = E_OK;

	memset(out, 0, sizeof *out * n);
	for (size_t at = 0; rc == E_OK && at < n; at += ID_BATCH) {
		size_t m = n - at < ID_BATCH ? n - at : ID_BATCH;
		size_t count[ID_BATCH] = {0};
		struct record_list got = {NULL, 0};
		struct db_stmt *s = conn_stmt(c, d->select_children_many, e);

		if (!s)
			return e->code;
		ids_bind(s, 1, ids + at, m, ID_BATCH);
		if ((rc = children_read(c, a, d, s, &got, e)) != E_OK)
			break;
		/* each review's rows, in the order read */
		for (size_t i = 0; i < got.n; i++)
			for (size_t j = 0; j < m; j++)
				if (ids[at + j] == got.items[i]->review_id) {
					count[j]++;
					break;
				}
		for (size_t j = 0; j < m && rc == E_OK; j++)
			if (count[j] &&
			    !(out[at + j].items = arena_alloc(
				      a, sizeof *out->items * count[j])))
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
		for (size_t i = 0; rc == E_OK && i < got.n; i++)
			for (size_t j = 0; j < m; j++)
				if (ids[at + j] == got.items[i]->review_id) {
					struct record_list *l = &out[at + j];

					l->items[l->n++] = got.items[i];
					break;
				}
	}
	return rc;
}

/* children_bind prepares and binds the select_children of every kind
 * into s (CHILD_COUNT); *n of them are, on failure too. */
static enum err_code children_bind(struct conn *c, int64_t review_id,
				   struct db_stmt **s, int *n, struct err *e)
{
	for (*n = 0; *n < CHILD_COUNT; (*n)++) {
		s[*n] = conn_stmt(c, c->st->dsql[DEF_CHILD(*n)].select_children,
				  e);
		if (!s[*n])
			return e->code;
		db_bind_int64(s[*n], 1, review_id);
	}
	return E_OK;
}

/* children_finish reads the n bound statements of children_bind into
 * out while rc is E_OK, and gives every one back. */
static enum err_code children_finish(struct conn *c, struct arena *a,
				     struct db_stmt **s, int n,
				     enum err_code rc, struct record_list *out,
				     struct err *e)
{
	for (int k = 0; k < CHILD_COUNT; k++) {
		out[k].n = 0;
		out[k].items = NULL;
	}
	for (int k = 0; k < n; k++)
		if (rc == E_OK)
			rc = children_read(c, a, &c->st->dsql[DEF_CHILD(k)],
					   s[k], &out[k], e);
		else
			conn_done(c, s[k]);
	return rc;
}

enum err_code children_all(struct conn *c, struct arena *a, int64_t review_id,
			   struct record_list *out, struct err *e)
{
	struct db_stmt *s[CHILD_COUNT];
	enum err_code rc;
	int n;

	rc = children_bind(c, review_id, s, &n, e);
	if (rc == E_OK)
		db_run_together(s, n);
	return children_finish(c, a, s, n, rc, out, e);
}

enum err_code review_doc_load(struct conn *c, struct arena *a,
			      int64_t review_id, struct record **review,
			      struct record_list *out,
			      struct record_list *tickets, struct err *e)
{
	const struct def_sql *d = &c->st->dsql[DEF_REVIEW];
	struct db_stmt *s[1 + CHILD_COUNT + 1], *tk = NULL;
	enum err_code rc = E_OK;
	int n = 0, step;

	*review = NULL;
	if (tickets) {
		tickets->n = 0;
		tickets->items = NULL;
	}
	if (!(s[0] = conn_stmt(c, d->select_one, e)))
		return children_finish(c, a, s + 1, 0, e->code, out, e);
	db_bind_int64(s[0], 1, review_id);
	rc = children_bind(c, review_id, s + 1, &n, e);
	if (rc == E_OK && tickets)
		rc = tickets_bind(c, a, review_id, &tk, e);
	if (rc == E_OK) {
		s[1 + n] = tk;
		db_run_together(s, 1 + n + (tk != NULL));
	}
	if (rc == E_OK) {
		step = db_step(s[0]);
		if (step == DB_ROW)
			rc = (*review = row_read(a, d, s[0], 0, e)) ? E_OK
								    : e->code;
		else if (step == DB_DONE)
			rc = E_NOT_FOUND;
		else
			rc = db_err(c, e, d->def->table);
	}
	conn_done(c, s[0]);
	rc = children_finish(c, a, s + 1, n, rc, out, e);
	if (tk && rc == E_OK)
		rc = tickets_read(c, a, tk, tickets, e);
	else if (tk)
		conn_done(c, tk);
	return rc;
}

enum err_code review_bump(struct conn *c, int64_t review_id, int64_t now,
			  int64_t *new_version, struct err *e)
{
	struct db_stmt *s = conn_stmt(c,
				    "UPDATE reviews SET version = version + 1, "
				    "updated_at = ?2 WHERE id = ?1 "
				    "RETURNING version",
				    e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	db_bind_int64(s, 1, review_id);
	db_bind_int64(s, 2, now);
	if (db_step(s) == DB_ROW)
		*new_version = db_column_int64(s, 0);
	else
		rc = db_err(c, e, "review version");
	conn_done(c, s);
	return rc;
}

/* lines_write rewrites review_search_lines for review id (SQLite), from
 * the review's parts: INSERT OR REPLACE, as fts_reindex_many's lines_many
 * (reviews are never deleted from the table, only marked). */
static enum err_code lines_write(struct conn *c, int64_t id, struct err *e)
{
	struct db_stmt *s = conn_stmt(c, c->st->lines_one, e);
	enum err_code rc = E_OK;

	if (!s)
		return e->code;
	db_bind_int64(s, 1, id);
	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "search lines");
	conn_done(c, s);
	return rc;
}

enum err_code fts_reindex(struct conn *c, int64_t review_id, uint64_t parts,
			  struct err *e)
{
	struct db_stmt *s;
	enum err_code rc = E_OK;

	if (!parts) /* nothing the row holds changed */
		return E_OK;
	if (c->fts_defer) {
		size_t i = 0;

		while (i < c->nfts && c->fts_ids[i] != review_id)
			i++;
		if (i < c->nfts || c->nfts < FTS_DEFER_MAX) {
			if (i == c->nfts)
				c->fts_ids[c->nfts++] = review_id;
			c->fts_parts |= parts;
			return E_OK;
		}
	}
	if (db_kind(c->db) == DB_POSTGRES)
		return fts_reindex_many(c, &review_id, 1, parts, e);
	if (!(s = conn_stmt(c, "DELETE FROM review_fts WHERE rowid = ?1", e)))
		return e->code;
	db_bind_int64(s, 1, review_id);
	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "search index");
	conn_done(c, s);
	if (rc != E_OK)
		return rc;
	if (!(s = conn_stmt(c, c->st->fts_reindex, e)))
		return e->code;
	db_bind_int64(s, 1, review_id);
	if (db_step(s) != DB_DONE)
		rc = db_err(c, e, "search index");
	conn_done(c, s);
	if (rc != E_OK)
		return rc;
	return lines_write(c, review_id, e);
}

/* fts_step_many runs the m statements sql with ids[0..n), one after the
 * other, sent together (db_run_together). SQLite's have FTS_BATCH
 * parameters (those past n NULL, which match no row); PostgreSQL's one,
 * the ids as an array, and its update a second, the parts changed. */
static enum err_code fts_step_many(struct conn *c, const char *const *sql,
				   int m, const int64_t *ids, size_t n,
				   uint64_t parts, struct err *e)
{
	struct db_stmt *s[5];
	enum err_code rc = E_OK;
	char list[FTS_BATCH * 21 + 3];
	size_t len = 0;
	int got, np;

	list[len++] = '{';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%lld",
					i ? "," : "", (long long)ids[i]);
	list[len++] = '}';
	list[len] = 0;
	for (got = 0; got < m; got++) {
		if (!(s[got] = conn_stmt(c, sql[got], e))) {
			rc = e->code;
			break;
		}
		np = db_bind_parameter_count(s[got]);
		if (db_kind(c->db) == DB_POSTGRES && (np == 1 || np == 2)) {
			db_bind_text(s[got], 1, list, (int)len, DB_TRANSIENT);
			if (np == 2)
				db_bind_int64(s[got], 2,
					      (int64_t)(parts & ~FTS_TITLE));
		} else {
			ids_bind(s[got], 1, ids, n, FTS_BATCH);
		}
	}
	if (rc == E_OK)
		db_run_together(s, m);
	for (int k = 0; k < got; k++) {
		if (rc == E_OK && db_step(s[k]) != DB_DONE)
			rc = db_err(c, e, "search index");
		conn_done(c, s[k]);
	}
	return rc;
}

enum err_code fts_reindex_many(struct conn *c, const int64_t *ids, size_t n,
			       uint64_t parts, struct err *e)
{

	if (n == 0)
		return E_OK;
	if (n > FTS_BATCH)
		return err_set(e, E_STORE, NULL, "search index: %zu reviews "
						 "at once (at most %d)",
			       n, FTS_BATCH);
	/* SQLite: one statement, one new index segment. PostgreSQL: the
	 * rows there are updated, so that only their changed parts are
	 * parsed again (migrations/pg/034), in one round trip. Their plan
	 * is made once: PostgreSQL's choice planned each run again, which
	 * cost as much as the run (its estimate for a generic plan of an
	 * array of ids is above one for the ids given) */
	if (db_kind(c->db) == DB_SQLITE)
		return fts_step_many(
			c,
			(const char *const[]){c->st->fts_replace_many,
					      c->st->lines_many},
			2, ids, n, parts, e);
	return fts_step_many(
		c,
		(const char *const[]){
			"SET LOCAL plan_cache_mode = force_generic_plan",
			c->st->fts_pg_delete_gone, c->st->fts_pg_update,
			c->st->fts_pg_insert_new,
			"SET LOCAL plan_cache_mode TO DEFAULT"},
		5, ids, n, parts, e);
}

enum err_code fts_reindex_noted(struct conn *c, struct err *e)
{
	size_t n = c->nfts;
	uint64_t parts = c->fts_parts;
	enum err_code rc = E_OK;

	c->fts_defer = 0;
	c->nfts = 0;
	c->fts_parts = 0;
	/* each review's row gets the parts any of them changed: a part that
	 * did not change is sent and found equal, as before */
	for (size_t i = 0; i < n && rc == E_OK; i += FTS_BATCH)
		rc = fts_reindex_many(c, c->fts_ids + i,
				      n - i < FTS_BATCH ? n - i : FTS_BATCH,
				      parts, e);
	return rc;
}

enum err_code review_load_live(struct conn *c, struct arena *a, int64_t id,
			       int64_t expected_version, struct record **out,
			       struct err *e)
{
	enum err_code rc =
		rec_load_for_write(c, a, &c->st->dsql[DEF_REVIEW], id, out, e);

	if (rc == E_NOT_FOUND || (rc == E_OK && (*out)->deleted_at))
		return err_set(e, E_NOT_FOUND, NULL, "There is no review %lld",
			       (long long)id);
	if (rc != E_OK)
		return rc;
	if (expected_version && expected_version != (*out)->version) {
		err_set(e, E_CONFLICT, "version",
			"The review was changed by someone else since you "
			"read it (you have version %lld, it is now at %lld)",
			(long long)expected_version,
			(long long)(*out)->version);
		e->current_version = (*out)->version;
		return E_CONFLICT;
	}
	return E_OK;
}
