/* sqlite_transcript.c: the chat transcripts of a review: imports in one
 * transaction, filtered reads, the channel list, and promotion of
 * messages to timeline entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/transcript.h"
#include "store/sqlite_internal.h"
#include "util/timeutil.h"

#define TRANSCRIPT_LIST_DEFAULT 100

/* Messages are inserted TR_BATCH at a time by one multi-row INSERT OR
 * IGNORE (a third less time in SQLite than a statement per message). A
 * message waits in a transcript_rows as a copy of its values, its
 * strings in text, so that the caller's record need not outlive the
 * call; an import's reader fills one while the store inserts another. */
#define TR_BATCH 32

struct tr_row {
	unsigned char state[TR_NFIELDS]; /* 0: NULL, 1: int, 2: text */
	int64_t i[TR_NFIELDS];
	size_t off[TR_NFIELDS]; /* of the text in rows->text */
	int len[TR_NFIELDS];	/* its bytes (bound with them: no strlen) */
	int64_t source_id;	/* 0: NULL (035: the source whole) */
	int src_pre;		/* the source's prefix bytes (035), 0: none */
	int src_is_ts;		/* the rest after it is the message's ts */
};

struct transcript_rows {
	struct tr_row *row;
	size_t n, cap;
	struct buf text; /* their strings, NUL-terminated */
};

struct transcript_import {
	struct store *st;
	struct conn *c;
	int64_t review_id;
	int64_t now;
	int64_t last_id; /* the newest message id before the import */
	struct transcript_counts counts;
	struct db_stmt *ins;   /* one row, held for the whole import */
	struct db_stmt *batch; /* TR_BATCH rows, held too */
	struct transcript_rows pending; /* rows short of a batch, waiting */
	struct transcript_rows *one;	/* store_transcript_add's message */
	int fk_off;          /* foreign keys off, temp_store FILE on c */
	char *time_sql;	     /* the time index, dropped: made at commit */
	char *time_stat;     /* and its sqlite_stat1 row, if it had one */
	struct buf prefix;   /* the last source prefix met (035) */
	int64_t prefix_id;   /* its id in transcript_sources; 0: none yet */
};

/* An import that at least doubles the messages stored (and adds
 * TR_INDEX_AFTER or more) fills the table without its time index
 * (transcript_messages_time: 009) and makes the index again, sorted in
 * one pass, before it commits: inserting into it row by row was 11% of
 * a 1M-message import's CPU (bench/chat), and making it anew reads at
 * most twice the rows the import added. All in the import's
 * transaction: other connections (WAL) see the index until the commit,
 * and the new one from it; a failed import rolls the drop back. SQLite
 * only (PostgreSQL keeps its index). */
#define TR_INDEX_AFTER 4096
/* SQLite's sorter threads for that index (PRAGMA threads): its sort took
 * 0.7 s of the import's serial tail at 1M messages (bench/chat) */
#ifndef TR_SORT_THREADS
#define TR_SORT_THREADS "1"
#endif

/* The insert's first TR_SHARED parameters (review_id, version,
 * created_at, updated_at) are the same for every message of an import:
 * the TR_BATCH-row statement names them once, and both statements get
 * them bound once, when made (store_transcript_begin); a row binds only
 * its fields. */
#define TR_SHARED 4

/* batch_sql makes the TR_BATCH-row form of the one-row insert one (its
 * parameters ?1..?N numbered in order): row k's values are ?1..?4 (the
 * shared ones), then its own, numbered on from the row before's. */
static char *batch_sql(const char *one)
{
	const char *values = strstr(one, " VALUES (");
	struct buf b = BUF_INIT;
	int n = 0;

	if (!values)
		return NULL;
	for (const char *q = values; *q; q++)
		n += *q == '?';
	if (n <= TR_SHARED)
		return NULL;
	buf_append(&b, one, (size_t)(values - one));
	buf_puts(&b, " VALUES ");
	for (int k = 0; k < TR_BATCH; k++) {
		buf_puts(&b, k ? ", (" : "(");
		for (int p = 1; p <= n; p++)
			buf_printf(&b, "%s?%d", p > 1 ? ", " : "",
				   p <= TR_SHARED ? p
						  : k * (n - TR_SHARED) + p);
		buf_putc(&b, ')');
	}
	return buf_detach(&b);
}

/* bind_shared binds the parameters every row of s shares. */
static void bind_shared(struct transcript_import *ti, struct db_stmt *s)
{
	db_bind_int64(s, 1, ti->review_id);
	db_bind_int64(s, 2, 1);
	db_bind_int64(s, 3, ti->now);
	db_bind_int64(s, 4, ti->now);
}

enum err_code store_transcript_begin(struct store *st, int64_t review_id,
				     struct transcript_import **out,
				     struct err *e)
{
	struct transcript_import *ti;
	struct arena *a = NULL;
	struct record *rv;
	enum err_code rc;

	ERR_LOCAL(e);
	*out = NULL;
	if (!(ti = calloc(1, sizeof *ti)) || !(a = arena_new())) {
		free(ti);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	ti->st = st;
	ti->review_id = review_id;
	ti->now = time_now();
	if (!(ti->c = conn_get(st, e))) {
		rc = e->code;
		goto fail;
	}
	/* the review is checked here, inside the write transaction, so the
	 * per-row check of review_id's foreign key is left out (a fifth of
	 * the insert's time); and the time index made again at the commit
	 * (time_index_drop) sorts in a temporary file past cache_size, not
	 * all in memory as temp_store = MEMORY would (1M messages: 74 MB
	 * peak, not 27), with TR_SORT_THREADS helper threads sorting parts
	 * of it while this one merges (the chat import's reader thread is
	 * done by then: bench/chat). store_transcript_abort puts all three
	 * back. */
	/* fk_off first: should a later pragma fail after the first, the
	 * abort still puts them back before the connection is pooled */
	ti->fk_off = db_kind(ti->c->db) == DB_SQLITE;
	if (ti->fk_off &&
	    db_exec(ti->c->db,
		    "PRAGMA foreign_keys = OFF; PRAGMA temp_store = FILE; "
		    "PRAGMA threads = " TR_SORT_THREADS) != DB_OK) {
		rc = db_err(ti->c, e, "pragmas");
		goto fail;
	}
	if ((rc = tx_begin(ti->c, 1, e)) != E_OK)
		goto fail;
	if ((rc = review_load_live(ti->c, a, review_id, 0, &rv, e)) != E_OK)
		goto fail;
	{
		struct db_stmt *s = conn_stmt(
			ti->c,
			"SELECT coalesce(max(id), 0) FROM transcript_messages",
			e);
		if (!s) {
			rc = e->code;
			goto fail;
		}
		if (db_step(s) == DB_ROW)
			ti->last_id = db_column_int64(s, 0);
		else
			rc = db_err(ti->c, e, "transcript ids");
		conn_done(ti->c, s);
		if (rc != E_OK)
			goto fail;
	}
	if (!(ti->ins = conn_stmt(ti->c, st->transcript_insert, e))) {
		rc = e->code;
		goto fail;
	}
	bind_shared(ti, ti->ins);
	{
		char *sql = batch_sql(st->transcript_insert);
		if (!sql) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto fail;
		}
		ti->batch = conn_stmt(ti->c, sql, e);
		free(sql);
		if (!ti->batch) {
			rc = e->code;
			goto fail;
		}
		bind_shared(ti, ti->batch);
	}
	arena_free(a);
	*out = ti;
	return E_OK;
fail:
	arena_free(a);
	store_transcript_abort(ti);
	return rc;
}

/* insert_rows binds rows first..first+n of rs to s (whose row count is
 * n) and runs it, counting what was added and what was there already. */
static enum err_code insert_rows(struct transcript_import *ti,
				 struct db_stmt *s,
				 const struct transcript_rows *rs, size_t first,
				 int n, struct err *e)
{
	const struct def_sql *d = &ti->st->dsql[DEF_TRANSCRIPT];
	enum err_code rc = E_OK;
	int p = TR_SHARED + 1, added;

	for (size_t k = first; k < first + (size_t)n; k++) {
		const struct tr_row *r = &rs->row[k];

		/* the columns of the insert: the shared ones (bound once),
		 * then the def's fields in order */
		for (int f = 0; f < TR_NFIELDS; f++, p++)
			if (r->state[f] == 1)
				db_bind_int64(s, p, r->i[f]);
			else if (r->state[f] == 2)
				db_bind_text(s, p, rs->text.data + r->off[f],
					     r->len[f], DB_STATIC);
			else
				db_bind_null(s, p);
		if (r->source_id) /* then source_id (sql_build) */
			db_bind_int64(s, p++, r->source_id);
		else
			db_bind_null(s, p++);
	}
	if (db_step(s) != DB_DONE) {
		rc = db_err(ti->c, e, d->def->table);
	} else {
		added = db_changes(ti->c->db);
		ti->counts.added += added;
		ti->counts.duplicates += n - added;
	}
	db_reset(s);
	return rc;
}

/* time_index_drop drops the time index once the import has added as
 * many messages as there were (last_id: ids are never reused, so it is
 * at least their number), keeping its SQL and statistics to make it
 * again. */
static enum err_code time_index_drop(struct transcript_import *ti,
				     struct err *e)
{
	struct db_stmt *s;
	enum err_code rc = E_OK;

	if (ti->time_sql || db_kind(ti->c->db) != DB_SQLITE ||
	    ti->counts.added < TR_INDEX_AFTER || ti->counts.added < ti->last_id)
		return E_OK;
	if (!(s = conn_stmt(ti->c,
			    "SELECT sql FROM sqlite_schema WHERE type = 'index' "
			    "AND name = 'transcript_messages_time'",
			    e)))
		return e->code;
	if (db_step(s) == DB_ROW && db_column_text(s, 0) &&
	    !(ti->time_sql = strdup(db_column_text(s, 0))))
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
	conn_done(ti->c, s);
	if (rc != E_OK || !ti->time_sql)
		return rc;
	/* no sqlite_stat1 before the first ANALYZE: then none to keep */
	if (db_prepare(ti->c->db,
		       "SELECT stat FROM sqlite_stat1 WHERE idx = "
		       "'transcript_messages_time'",
		       &s) == DB_OK) {
		if (db_step(s) == DB_ROW && db_column_text(s, 0) &&
		    !(ti->time_stat = strdup(db_column_text(s, 0))))
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
		db_finalize(s);
	}
	if (rc == E_OK &&
	    db_exec(ti->c->db, "DROP INDEX transcript_messages_time") != DB_OK)
		rc = db_err(ti->c, e, "transcript time index");
	return rc;
}

/* time_index_make makes the dropped time index again, with its
 * statistics as they were (PRAGMA optimize refreshes them). */
static enum err_code time_index_make(struct transcript_import *ti,
				     struct err *e)
{
	struct db_stmt *s;
	enum err_code rc = E_OK;

	if (!ti->time_sql)
		return E_OK;
	if (db_exec(ti->c->db, ti->time_sql) != DB_OK)
		return db_err(ti->c, e, "transcript time index");
	if (!ti->time_stat)
		return E_OK;
	if (db_prepare(
		    ti->c->db,
		    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES "
		    "('transcript_messages', 'transcript_messages_time', ?1)",
		    &s) != DB_OK)
		return db_err(ti->c, e, "transcript time index");
	db_bind_text(s, 1, ti->time_stat, -1, DB_STATIC);
	if (db_step(s) != DB_DONE)
		rc = db_err(ti->c, e, "transcript time index");
	db_finalize(s);
	return rc;
}

/* prefix_id finds (or adds) the row of transcript_sources holding the
 * n bytes of prefix, into *id; the last one met is kept, so an import
 * asks once per file (a run of one file's messages). */
static enum err_code prefix_id(struct transcript_import *ti,
			       const char *prefix, size_t n, int64_t *id,
			       struct err *e)
{
	static const char *const sql[2] = {
		"SELECT id FROM transcript_sources WHERE prefix = ?1",
		"INSERT OR IGNORE INTO transcript_sources (prefix) VALUES (?1)",
	};
	enum err_code rc = E_OK;

	if (ti->prefix_id && ti->prefix.len == n &&
	    !memcmp(ti->prefix.data, prefix, n)) {
		*id = ti->prefix_id;
		return E_OK;
	}
	*id = 0;
	/* look, add if not there, look again */
	for (int k = 0; k < 3 && rc == E_OK && !*id; k++) {
		struct db_stmt *s = conn_stmt(ti->c, sql[k == 1], e);
		int step;

		if (!s)
			return e->code;
		db_bind_text(s, 1, prefix, (int)n, DB_STATIC);
		step = db_step(s);
		if (k != 1 && step == DB_ROW)
			*id = db_column_int64(s, 0);
		else if (step != DB_DONE)
			rc = db_err(ti->c, e, "transcript sources");
		conn_done(ti->c, s);
	}
	if (rc == E_OK && !*id)
		rc = err_set(e, E_STORE, NULL, "transcript source not kept");
	if (rc != E_OK)
		return rc;
	buf_reset(&ti->prefix);
	buf_append(&ti->prefix, prefix, n);
	if (ti->prefix.oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	ti->prefix_id = *id;
	return E_OK;
}

/* source_cut finds where source t (n bytes) is cut (035): its prefix
 * is up to its last '#' or ':' (0: none, the source is kept whole), and
 * *is_ts says whether the rest is the message's ts. The reader's thread
 * does it (store_transcript_rows_put), so the writer only looks the
 * prefix up. */
static size_t source_cut(const char *t, size_t n, const char *ts, int *is_ts)
{
	size_t k = n;

	while (k > 0 && t[k - 1] != '#' && t[k - 1] != ':')
		k--;
	*is_ts = k > 0 && ts && strlen(ts) == n - k &&
		 !memcmp(t + k, ts, n - k);
	return k;
}

/* source_split keeps row r's source (its text t), cut by source_cut, as
 * its file's prefix in transcript_sources, and the rest in the row, left
 * NULL when it is the message's ts (035); a source without a prefix is
 * kept whole. */
static enum err_code source_split(struct transcript_import *ti,
				  struct tr_row *r, const char *t,
				  struct err *e)
{
	size_t k = (size_t)r->src_pre;
	enum err_code rc;

	if (k == 0) {
		r->source_id = 0;
		return E_OK;
	}
	if ((rc = prefix_id(ti, t, k, &r->source_id, e)) != E_OK)
		return rc;
	if (r->src_is_ts) {
		r->state[TR_SOURCE] = 0;
		return E_OK;
	}
	r->off[TR_SOURCE] += k;
	r->len[TR_SOURCE] -= (int)k;
	return E_OK;
}

struct transcript_rows *store_transcript_rows_new(void)
{
	return calloc(1, sizeof(struct transcript_rows));
}

void store_transcript_rows_reset(struct transcript_rows *rows)
{
	rows->n = 0;
	buf_reset(&rows->text);
}

void store_transcript_rows_free(struct transcript_rows *rows)
{
	if (!rows)
		return;
	free(rows->row);
	buf_release(&rows->text);
	free(rows);
}

size_t store_transcript_rows_count(const struct transcript_rows *rows)
{
	return rows->n;
}

enum err_code store_transcript_rows_put(struct transcript_rows *rows,
					const struct record *msg, struct err *e)
{
	struct tr_row *r;
	enum err_code rc;

	ERR_LOCAL(e);
	if (!msg || msg->def != &transcript_def)
		return err_set(e, E_BAD_REQUEST, NULL,
			       "not a transcript message");
	if ((rc = record_validate(msg, e)) != E_OK)
		return rc;
	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? 2 * rows->cap : TR_BATCH;
		struct tr_row *nr = realloc(rows->row, cap * sizeof *nr);

		if (!nr)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		rows->row = nr;
		rows->cap = cap;
	}
	r = &rows->row[rows->n];
	r->source_id = 0;
	r->src_pre = 0;
	r->src_is_ts = 0;
	for (int f = 0; f < TR_NFIELDS; f++) {
		const struct value *v = &msg->v[f];

		r->state[f] = 0;
		if (v->state != V_SET)
			continue;
		switch (transcript_def.fields[f].type) {
		case FT_INT:
		case FT_TIME:
		case FT_BOOL:
			r->state[f] = 1;
			r->i[f] = v->i;
			break;
		case FT_LIST: /* a transcript has none */
			return err_set(e, E_BAD_REQUEST, NULL,
				       "a transcript field is a list");
		default: {
			const char *t = v->s ? v->s : "";
			size_t n = strlen(t);

			r->state[f] = 2;
			r->off[f] = rows->text.len;
			r->len[f] = (int)n; /* validated: at most 40 KB */
			buf_append(&rows->text, t, n + 1);
		}
		}
	}
	if (rows->text.oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (r->state[TR_SOURCE] == 2)
		r->src_pre = (int)source_cut(
			rows->text.data + r->off[TR_SOURCE],
			(size_t)r->len[TR_SOURCE],
			r->state[TR_TS] == 2 ? rows->text.data + r->off[TR_TS]
					     : NULL,
			&r->src_is_ts);
	rows->n++;
	return E_OK;
}

/* pend_copy appends row k of rs, its source split already, to
 * ti->pending. */
static enum err_code pend_copy(struct transcript_import *ti,
			       const struct transcript_rows *rs, size_t k,
			       struct err *e)
{
	struct transcript_rows *p = &ti->pending;
	struct tr_row *r;

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : TR_BATCH;
		struct tr_row *nr = realloc(p->row, cap * sizeof *nr);

		if (!nr)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		p->row = nr;
		p->cap = cap;
	}
	r = &p->row[p->n];
	*r = rs->row[k];
	for (int f = 0; f < TR_NFIELDS; f++)
		if (r->state[f] == 2) {
			r->off[f] = p->text.len;
			buf_append(&p->text, rs->text.data + rs->row[k].off[f],
				   (size_t)r->len[f]);
			buf_putc(&p->text, '\0');
		}
	if (p->text.oom)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	p->n++;
	return E_OK;
}

/* insert_all inserts the rows of rs in order, after those waiting in
 * ti->pending, as store_transcript_add one by one would: each message's
 * source split (035), then TR_BATCH rows a statement; fewer wait in
 * ti->pending for the next call or the commit. On an error *failed is
 * the row whose add failed: its source's, or the last of its batch. */
static enum err_code insert_all(struct transcript_import *ti,
				struct transcript_rows *rs, size_t *failed,
				struct err *e)
{
	struct transcript_rows *p = &ti->pending;
	enum err_code rc = E_OK;
	size_t k = 0;

	for (; k < rs->n; k++) {
		struct tr_row *r = &rs->row[k];

		if (r->state[TR_SOURCE] == 2 &&
		    (rc = source_split(ti, r, rs->text.data + r->off[TR_SOURCE],
				       e)) != E_OK)
			goto out;
		if (p->n && (rc = pend_copy(ti, rs, k, e)) != E_OK)
			goto out;
		if (p->n == TR_BATCH) { /* a batch begun by an earlier call */
			rc = insert_rows(ti, ti->batch, p, 0, TR_BATCH, e);
			store_transcript_rows_reset(p);
			if (rc != E_OK || (rc = time_index_drop(ti, e)) != E_OK)
				goto out;
			continue;
		}
		if (p->n)
			continue;
		if (k + TR_BATCH <= rs->n) {
			size_t end = k + TR_BATCH;

			for (size_t j = k + 1; j < end; j++) {
				r = &rs->row[j];
				if (r->state[TR_SOURCE] == 2 &&
				    (rc = source_split(
					     ti, r,
					     rs->text.data + r->off[TR_SOURCE],
					     e)) != E_OK) {
					k = j;
					goto out;
				}
			}
			k = end - 1;
			if ((rc = insert_rows(ti, ti->batch, rs, end - TR_BATCH,
					      TR_BATCH, e)) != E_OK ||
			    (rc = time_index_drop(ti, e)) != E_OK)
				goto out;
			continue;
		}
		if ((rc = pend_copy(ti, rs, k, e)) != E_OK)
			goto out;
	}
out:
	if (failed)
		*failed = k;
	return rc;
}

enum err_code store_transcript_add_rows(struct transcript_import *ti,
					struct transcript_rows *rows,
					size_t *failed, struct err *e)
{
	ERR_LOCAL(e);
	return insert_all(ti, rows, failed, e);
}

enum err_code store_transcript_add(struct transcript_import *ti,
				   struct record *msg, struct err *e)
{
	enum err_code rc;

	ERR_LOCAL(e);
	if (!ti->one && !(ti->one = store_transcript_rows_new()))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	store_transcript_rows_reset(ti->one);
	if ((rc = store_transcript_rows_put(ti->one, msg, e)) != E_OK)
		return rc;
	return insert_all(ti, ti->one, NULL, e);
}

/* flush inserts the rows waiting, one by one (at the commit). */
static enum err_code flush(struct transcript_import *ti, struct err *e)
{
	struct transcript_rows *p = &ti->pending;
	enum err_code rc = E_OK;

	for (size_t k = 0; k < p->n && rc == E_OK; k++)
		rc = insert_rows(ti, ti->ins, p, k, 1, e);
	store_transcript_rows_reset(p);
	return rc;
}

/* fts_automerge sets how eagerly FTS5 merges the segments of the chat
 * search index as it writes them (SQLite; 4, FTS5's default, or 0 for
 * never). An import writes its new rows' index as one segment per 8 MB
 * of terms (019's hashsize) and turns merging off while it does: merging
 * them as they came was a quarter of the index's work (callgrind, 1M
 * messages), for 7 segments instead of 4. The writes after it merge them
 * again. */
static enum err_code fts_automerge(struct transcript_import *ti, int n,
				   struct err *e)
{
	char sql[96];

	if (db_kind(ti->c->db) != DB_SQLITE)
		return E_OK;
	snprintf(sql, sizeof sql,
		 "INSERT INTO transcript_fts (transcript_fts, rank) "
		 "VALUES ('automerge', %d)",
		 n);
	if (db_exec(ti->c->db, sql) != DB_OK)
		return db_err(ti->c, e, "transcript search index");
	return E_OK;
}

enum err_code store_transcript_commit(struct transcript_import *ti,
				      const char *actor,
				      struct transcript_counts *counts,
				      struct err *e)
{
	struct change ch;
	char text[64];
	int64_t version;
	enum err_code rc = E_OK;

	ERR_LOCAL(e);
	if ((rc = flush(ti, e)) != E_OK ||
	    (rc = time_index_make(ti, e)) != E_OK)
		goto out;
	if (ti->counts.added > 0) {
		/* the search index of the new rows, in one statement */
		struct db_stmt *s;

		if ((rc = fts_automerge(ti, 0, e)) != E_OK)
			goto out;
		s = conn_stmt(
			ti->c,
			"INSERT INTO transcript_fts (rowid, author, text) "
			"SELECT id, author, text FROM transcript_messages "
			"WHERE id > ?1",
			e);
		if (!s) {
			rc = e->code;
			goto out;
		}
		db_bind_int64(s, 1, ti->last_id);
		if (db_step(s) != DB_DONE)
			rc = db_err(ti->c, e, "transcript search index");
		conn_done(ti->c, s);
		if (rc != E_OK || (rc = fts_automerge(ti, 4, e)) != E_OK)
			goto out;
		snprintf(text, sizeof text, "%lld messages added",
			 (long long)ti->counts.added);
		ch.field = "messages";
		ch.old_text = "";
		ch.new_text = text;
		if ((rc = review_bump(ti->c, ti->review_id, ti->now, &version,
				      e)) != E_OK ||
		    (rc = revision_add(ti->c, ti->review_id, "transcripts", 0,
				       "import", actor ? actor : "", ti->now,
				       version, &ch, 1, e)) != E_OK)
			goto out;
	}
	rc = tx_commit(ti->c, e);
	if (rc == E_OK && counts)
		*counts = ti->counts;
out:
	store_transcript_abort(ti);
	return rc;
}

void store_transcript_abort(struct transcript_import *ti)
{
	if (!ti)
		return;
	if (ti->c) {
		conn_done(ti->c, ti->ins);
		conn_done(ti->c, ti->batch);
		tx_rollback(ti->c);
		/* outside a transaction the pragma only sets a flag */
		if (ti->fk_off) {
			db_exec(ti->c->db, "PRAGMA foreign_keys = ON; "
					   "PRAGMA threads = 0");
			conn_temp_store_memory(ti->c);
		}
		conn_put(ti->c);
	}
	free(ti->pending.row);
	buf_release(&ti->pending.text);
	store_transcript_rows_free(ti->one);
	buf_release(&ti->prefix);
	free(ti->time_sql);
	free(ti->time_stat);
	free(ti);
}

/* review_visible_for checks that review_id is live and seen by v. */
static enum err_code review_seen(struct store *st, int64_t review_id,
				 const struct viewer *v, struct err *e)
{
	int64_t version;

	return store_review_version_for(st, review_id, v, &version, e);
}

#define TR_MAX_BINDS 8

/* The WHERE clause of a list over "transcript_messages t". */
struct tr_where {
	struct buf sql;
	struct {
		const char *s;
		int64_t i;
	} binds[TR_MAX_BINDS];
	int n;
};

static void tr_cond(struct tr_where *w, const char *fmt, const char *s,
		    int64_t i)
{
	w->binds[w->n].s = s;
	w->binds[w->n].i = i;
	w->n++;
	buf_puts(&w->sql, " AND ");
	buf_printf(&w->sql, fmt, w->n);
}

static void tr_bind(struct db_stmt *s, const struct tr_where *w)
{
	for (int i = 0; i < w->n; i++) {
		if (w->binds[i].s)
			db_bind_text(s, i + 1, w->binds[i].s, -1,
					  DB_STATIC);
		else
			db_bind_int64(s, i + 1, w->binds[i].i);
	}
}

enum err_code store_transcript_list(struct store *st, struct arena *a,
				    int64_t review_id,
				    const struct transcript_filter *f,
				    struct record_list *out, int64_t *total,
				    struct err *e)
{
	static const struct transcript_filter none;
	const struct def_sql *d = &st->dsql[DEF_TRANSCRIPT];
	struct tr_where w = {BUF_INIT, {{0}}, 0};
	struct buf sql = BUF_INIT;
	struct conn *c = NULL;
	struct db_stmt *s = NULL;
	const char *q;
	enum err_code rc;
	int limit, offset, step;

	ERR_LOCAL(e);
	memset(out, 0, sizeof *out);
	if (total)
		*total = 0;
	if (!f)
		f = &none;
	if ((rc = review_seen(st, review_id, f->viewer, e)) != E_OK)
		return rc;
	limit = f->limit <= 0			   ? TRANSCRIPT_LIST_DEFAULT
		: f->limit > TRANSCRIPT_LIST_MAX ? TRANSCRIPT_LIST_MAX
						   : f->limit;
	offset = f->offset < 0 ? 0 : f->offset;

	buf_puts(&w.sql, "t.deleted_at IS NULL");
	tr_cond(&w, "t.review_id = ?%d", NULL, review_id);
	if (f->channel)
		tr_cond(&w, "t.channel = ?%d", f->channel, 0);
	if (f->since)
		tr_cond(&w, "t.at >= ?%d", NULL, f->since);
	if (f->until)
		tr_cond(&w, "t.at <= ?%d", NULL, f->until);
	if (f->q && (q = fts_query(a, f->q)))
		tr_cond(&w,
			"t.id IN (SELECT rowid FROM transcript_fts "
			"WHERE transcript_fts MATCH ?%d)",
			q, 0);
	buf_printf(&sql,
		   "SELECT %s FROM transcript_messages t WHERE %s ORDER BY "
		   "t.at, t.at_us, t.id LIMIT ?%d OFFSET ?%d",
		   d->cols, buf_cstr(&w.sql), w.n + 1, w.n + 2);
	if (sql.oom || w.sql.oom ||
	    !(out->items = arena_alloc(a, sizeof *out->items * limit))) {
		rc = err_set(e, E_NOMEM, NULL, "out of memory");
		goto out;
	}
	if (!(c = conn_get(st, e))) {
		rc = e->code;
		goto out;
	}
	if ((rc = tx_begin(c, 0, e)) != E_OK)
		goto out;
	if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
		rc = e->code;
		goto fail;
	}
	tr_bind(s, &w);
	db_bind_int(s, w.n + 1, limit);
	db_bind_int(s, w.n + 2, offset);
	while ((step = db_step(s)) == DB_ROW) {
		struct record *r = row_read(a, d, s, 0, e);
		if (!r) {
			rc = e->code;
			goto fail;
		}
		out->items[out->n++] = r;
	}
	if (step != DB_DONE) {
		rc = db_err(c, e, "transcript list");
		goto fail;
	}
	conn_done(c, s);
	s = NULL;
	if (total) {
		buf_reset(&sql);
		buf_printf(&sql,
			   "SELECT count(*) FROM transcript_messages t "
			   "WHERE %s",
			   buf_cstr(&w.sql));
		if (sql.oom) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto fail;
		}
		if (!(s = conn_stmt(c, buf_cstr(&sql), e))) {
			rc = e->code;
			goto fail;
		}
		tr_bind(s, &w);
		if (db_step(s) == DB_ROW) {
			*total = db_column_int64(s, 0);
		} else {
			rc = db_err(c, e, "transcript count");
			goto fail;
		}
		conn_done(c, s);
		s = NULL;
	}
	rc = tx_commit(c, e);
	goto out;
fail:
	if (s)
		conn_done(c, s);
	tx_rollback(c);
	memset(out, 0, sizeof *out);
out:
	conn_put(c);
	buf_release(&sql);
	buf_release(&w.sql);
	return rc;
}

enum err_code store_transcript_channels(struct store *st, struct arena *a,
					int64_t review_id, const char ***names,
					int64_t **counts, size_t *n,
					struct err *e)
{
	struct conn *c;
	struct db_stmt *s;
	enum err_code rc = E_OK;
	size_t cap = 16;
	int step;

	ERR_LOCAL(e);
	*names = NULL;
	*counts = NULL;
	*n = 0;
	if (!(c = conn_get(st, e)))
		return e->code;
	if (!(s = conn_stmt(c,
			    "SELECT channel, count(*) FROM transcript_messages "
			    "WHERE review_id = ?1 AND deleted_at IS NULL "
			    "GROUP BY channel ORDER BY channel",
			    e))) {
		rc = e->code;
		goto out;
	}
	db_bind_int64(s, 1, review_id);
	while ((step = db_step(s)) == DB_ROW) {
		if (!*names || *n == cap) {
			const char **nn;
			int64_t *nc;
			if (*names)
				cap *= 2;
			nn = arena_alloc(a, sizeof *nn * cap);
			nc = arena_alloc(a, sizeof *nc * cap);
			if (!nn || !nc) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				break;
			}
			if (*n) {
				memcpy(nn, *names, sizeof *nn * *n);
				memcpy(nc, *counts, sizeof *nc * *n);
			}
			*names = nn;
			*counts = nc;
		}
		(*names)[*n] = arena_strdup(
			a, db_column_text(s, 0));
		(*counts)[*n] = db_column_int64(s, 1);
		if (!(*names)[*n]) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			break;
		}
		(*n)++;
	}
	if (rc == E_OK && step != DB_DONE)
		rc = db_err(c, e, "transcript channels");
	conn_done(c, s);
	if (rc != E_OK)
		*n = 0;
out:
	conn_put(c);
	return rc;
}

/* promote_one makes the timeline entry of message m. */
static struct record *promote_one(struct arena *a, const struct record *m,
				  const char *source_prefix)
{
	struct record *t = record_new(a, &timeline_def);
	const char *text = record_str(m, TR_TEXT);
	const char *author = record_str(m, TR_AUTHOR);

	if (!t)
		return NULL;
	record_set_int(t, TL_AT, record_int(m, TR_AT, 0));
	record_set_str(t, TL_KIND, "chat");
	if (author && *author)
		record_set_str(t, TL_ACTOR, author);
	record_set_str(t, TL_TEXT,
		       text && strspn(text, " \t\n") < strlen(text)
			       ? text
			       : "(a message without text)");
	record_set_str(t, TL_SOURCE,
		       arena_printf(a, "%s%lld",
				    source_prefix ? source_prefix : "",
				    (long long)m->id));
	return t;
}

enum err_code store_transcript_promote(struct store *st, struct arena *a,
				       const char *actor, int64_t review_id,
				       int64_t expected_version,
				       const int64_t *ids, size_t n,
				       const char *source_prefix,
				       int64_t *new_review_version,
				       struct err *e)
{
	const struct def_sql *d = &st->dsql[DEF_TRANSCRIPT];
	int64_t now = time_now(), version = 0;
	struct record *rv;
	struct conn *c;
	enum err_code rc;

	ERR_LOCAL(e);
	if (n == 0)
		return err_set(e, E_BAD_REQUEST, "ids",
			       "Choose at least one message to add to the "
			       "timeline");
	if (!(c = conn_get(st, e)))
		return e->code;
	if ((rc = tx_begin(c, 1, e)) != E_OK)
		goto out;
	if ((rc = review_load_live(c, a, review_id, expected_version, &rv,
				   e)) != E_OK ||
	    (rc = review_bump(c, review_id, now, &version, e)) != E_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct record *m, *t, *r;

		rc = rec_load(c, a, d, ids[i], &m, e);
		if (rc == E_NOT_FOUND ||
		    (rc == E_OK && (m->review_id != review_id || m->deleted_at)))
			rc = err_set(e, E_NOT_FOUND, "ids",
				     "There is no message %lld in the chat "
				     "of review %lld",
				     (long long)ids[i], (long long)review_id);
		if (rc != E_OK)
			goto fail;
		if (!(t = promote_one(a, m, source_prefix))) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto fail;
		}
		if ((rc = child_prepare_new(a, CHILD_TIMELINE, t, i, &r, e)) !=
			    E_OK ||
		    (rc = child_insert(c, a, actor, CHILD_TIMELINE, review_id,
				       r, now, version, e)) != E_OK)
			goto fail;
	}
	if ((rc = fts_reindex(c, review_id, fts_part_child(CHILD_TIMELINE),
			      e)) != E_OK ||
	    (rc = tx_commit(c, e)) != E_OK)
		goto fail;
	if (new_review_version)
		*new_review_version = version;
	goto out;
fail:
	tx_rollback(c);
out:
	conn_put(c);
	return rc;
}
