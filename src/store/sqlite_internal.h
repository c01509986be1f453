/* sqlite_internal.h: what the SQLite store's files share: the store and its
 * pool of connections, the per-connection statement cache, transactions,
 * and the record <-> row helpers generated from the record_def tables. */
#ifndef DEBRIEF_SQLITE_INTERNAL_H
#define DEBRIEF_SQLITE_INTERNAL_H

#include <pthread.h>
#include "store/db.h"
#include <stdint.h>
#include <time.h>

#include "store/store.h"
#include "util/buf.h"

/* Prepared statements a connection keeps, keyed by their SQL text. */
#define CONN_STMTS 128
/* Reviews whose search rows a group commit rewrites at its end (conn). */
#define FTS_DEFER_MAX 32

struct stmt_entry {
	uint64_t hash;
	char *sql; /* malloc'd copy of the key */
	struct db_stmt *st;
	uint64_t last_use;
	int busy; /* handed out and not yet given back */
};

/* One connection, used by one thread at a time (taken from the pool for
 * the length of one store call). */
struct conn {
	struct store *st;
	struct db *db;
	struct conn *next_free;
	struct conn *next_all;
	struct stmt_entry stmts[CONN_STMTS];
	size_t nstmts;
	uint64_t tick;
	struct timespec tx_start; /* when the open transaction began */
	int write_turn; /* holds the store's write turn (see tx_begin) */
	int pinned; /* store_read_begin's: its thread's store calls share
		     * it and one read transaction (see sqlite.c) */
	struct timespec hold_start; /* when its write transaction got the lock */
	/* Inside tx_write's group, fts_reindex only notes the review here and
	 * tx_write reindexes each once before the commit: FTS5 writes its
	 * pending terms as a new segment at every savepoint, so per write
	 * that was one segment (and its merges) per save of the group. */
	int fts_defer;
	size_t nfts;
	int64_t fts_ids[FTS_DEFER_MAX];
	uint64_t fts_parts; /* the parts they changed, all reviews' together */
};

/* tx_write's work: the writes of one store call, inside the open write
 * transaction of c (which may be another thread's connection); no
 * BEGIN, COMMIT or ROLLBACK of its own. */
typedef enum err_code (*tx_fn)(struct conn *c, void *arg, struct err *e);

/* A writer waiting for the write turn (tx_begin), first come first served;
 * or, with fn, a write queued by tx_write, which the writer that has the
 * turn may run in its own transaction (group commit). */
struct write_waiter {
	pthread_cond_t cv;
	struct write_waiter *next;
	int go; /* the turn was handed to it */
	tx_fn fn;
	void *arg;
	struct err *e;
	enum err_code rc;
	int done; /* fn ran and its transaction ended: rc is its answer */
	int again; /* with done: it lost a deadlock, undone; run it again */
	struct timespec queued;
};

/* The SQL of one record kind, built from its def when the store opens.
 * Columns come in this order: id, review_id (children only), version,
 * created_at, updated_at, deleted_at, then the def's fields. */
struct def_sql {
	const struct record_def *def;
	int child;
	char *cols;	       /* the column list, each prefixed "t." */
	char *select_one;      /* ?1 id; deleted or not */
	char *select_lock;     /* select_one locking the row (PostgreSQL) */
	char *select_children; /* children: ?1 review_id; live, in order */
	/* live children of ?1..?ID_BATCH review ids (ids_bind), by
	 * review_id, then in select_children's order */
	char *select_children_many;
	char *insert; /* fields from ?1 (see rec_insert) */
	/* id, review_id (children), version, created_at, updated_at,
	 * deleted_at, then the fields: a record as it is (store_import) */
	char *insert_as_is;
	char *insert_as_new; /* the same without id: ?1 is not used */
	char *update;	       /* see rec_update */
};

#define DEF_REVIEW	0
#define DEF_CHILD(kind) (1 + (kind))
#define DEF_TRANSCRIPT	(1 + CHILD_COUNT) /* chat messages (transcript.h) */
#define DEF_FACILITATOR	(2 + CHILD_COUNT) /* the roster (facilitator.h) */
#define DEF_TICKET	(3 + CHILD_COUNT) /* follow-ups' tickets (ticket.h) */
#define NDEFS		(4 + CHILD_COUNT)

/* The columns of reviews a page of rows reads (row_sql): ROWS_LIST a
 * list's (all but the long markdown; the tl;dr cut), ROWS_HIT a search
 * hit's (struct search_hit: issue 21, a hit read 51 columns to show 5). */
enum row_set {
	ROWS_LIST,
	ROWS_HIT,
	ROWS_NSETS
};

struct store {
	char *path;
	pthread_mutex_t mu; /* guards free and all */
	struct conn *free;
	struct conn *all;
	struct def_sql dsql[NDEFS];
	char *fts_reindex; /* ?1 review id */
	/* ?1..?FTS_BATCH review ids (NULL: none): fts_reindex_many */
	char *fts_reindex_many;
	char *fts_replace_many; /* SQLite: INSERT OR REPLACE, the same ids */
	/* PostgreSQL (the body's parts, migrations/pg/034): the insert of
	 * ?1's row, and for the ids of the array ?1 ('{1,2}'): insert the
	 * rows not there, update those there, delete those of reviews gone */
	char *fts_pg_insert_one, *fts_pg_insert_new, *fts_pg_update;
	char *fts_pg_delete_gone;
	/* The lines of each part of a review's search body (build_lines):
	 * read for ?1; written to review_search_lines (SQLite) for ?1, for
	 * ?1..?FTS_BATCH, for every review */
	char *lines_select, *lines_one, *lines_many, *lines_all;
	char *rows_sql[ROWS_NSETS]; /* row_sql of each set */
	int bulk;	   /* store_bulk_writes: synchronous = OFF */
	char *transcript_insert; /* the transcript insert, OR IGNORE */
	struct render_queue *renders; /* sqlite_render.c; NULL until used */
	/* The write turn: this process's writers queue here, in order,
	 * before BEGIN IMMEDIATE, instead of in SQLite's busy handler, which
	 * sleeps up to 100 ms between tries whether or not the lock went
	 * meanwhile (issue 21: with 50 writers a save waited seconds). */
	pthread_mutex_t wmu;
	int writing;
	struct write_waiter *whead, *wtail;
	/* The checkpointer (SQLite): a thread of its own copies the WAL back
	 * into the database file, started by the first commit, so that no
	 * commit does it while it holds the write turn (SQLite's own
	 * checkpoint runs in the commit that fills the WAL to 1,000 pages:
	 * every page written since, and a wait for the disk). */
	pthread_mutex_t ckmu;
	pthread_cond_t ckcv;
	pthread_t ckthread;
	int ckstate; /* 0 none, 1 running, 2 asked to stop */
	long ckcommits; /* commits since its last checkpoint */
};

/* ERR_LOCAL lets a public function that was given no struct err use one of
 * its own, so that internal helpers can always read e->code. */
#define ERR_LOCAL(e)               \
	struct err e##_local_;     \
	if (!(e))                  \
		(e) = &e##_local_; \
	err_clear(e)

/* sqlite.c: connections, statements, transactions */
struct conn *conn_get(struct store *st, struct err *e);
void conn_put(struct conn *c);
/* conn_stmt returns the cached statement for sql (prepared on first use),
 * marked busy until conn_done; NULL with E_STORE in e on failure. */
struct db_stmt *conn_stmt(struct conn *c, const char *sql, struct err *e);
/* conn_done resets the statement, clears its bindings and gives it back. */
void conn_done(struct conn *c, struct db_stmt *s);
/* conn_temp_store_memory puts back the temp_store = MEMORY that
 * db_sqlite_open sets, after an import that set FILE (SQLite; should it
 * fail, the connection still works, with temporary tables in files). */
void conn_temp_store_memory(struct conn *c);
/* db_err fills e from the connection's last error (E_STORE, or E_NOMEM)
 * and logs it; returns the code. */
enum err_code db_err(struct conn *c, struct err *e, const char *what);
/* db_read_int64 runs sql, with ?1 bound to *arg when arg is not NULL,
 * and reads the first column of its first row into *out: E_OK,
 * E_NOT_FOUND (e not filled) when there is no row, or E_STORE. e must not
 * be NULL (see ERR_LOCAL). For the cheap one-number reads. */
enum err_code db_read_int64(struct store *st, const char *sql,
			       const int64_t *arg, int64_t *out, struct err *e);
enum err_code tx_begin(struct conn *c, int write, struct err *e);
/* tx_begin_rows opens a write transaction that changes only rows it locks
 * itself (upserts, in one order): on PostgreSQL it does not wait for the
 * write turn (so it never waits behind review writes); on SQLite it is
 * tx_begin(c, 1), the file's one writer. */
enum err_code tx_begin_rows(struct conn *c, struct err *e);
enum err_code tx_commit(struct conn *c, struct err *e);
void tx_rollback(struct conn *c);
/* tx_write runs fn(c, arg, e) in a write transaction, all or nothing, and
 * returns its code once that transaction is committed (or fn's error).
 * While another writer has the turn, the call waits in line; the writer
 * that gets the turn runs its own fn and then the fns queued behind it,
 * each in a savepoint, all under one commit (one wait for the disk), so
 * fn may run on another thread's connection while its caller waits. The
 * caller holds no connection of its own: a waiting writer holds none (the
 * one that gets the turn takes one; a thread inside store_read_begin uses
 * its pinned one), and its wait is between wait_out and wait_in
 * (util/wait.h), so that the HTTP server lets another request have its
 * handler place meanwhile (issue 21). */
enum err_code tx_write(struct store *st, tx_fn fn, void *arg, struct err *e);

/* sqlite_render.c: render_queue_close writes the queued renders and stops
 * their writer (store_close, while the connections are open). */
void render_queue_close(struct store *st);

/* sqlite_record.c: rows and records */
int sql_build(struct store *st);
void sql_free(struct store *st);
/* row_read turns the current row of s (columns as in def_sql) into a
 * record allocated from a; NULL on oom or a corrupt list (e filled). */
struct record *row_read(struct arena *a, const struct def_sql *d,
			struct db_stmt *s, int first, struct err *e);
/* rec_load reads one record by id (deleted or not); E_NOT_FOUND (e not
 * filled) when there is none. */
enum err_code rec_load(struct conn *c, struct arena *a, const struct def_sql *d,
		       int64_t id, struct record **out, struct err *e);
/* rec_load_for_write is rec_load inside a write transaction whose
 * version check must hold until commit: on PostgreSQL it locks the row
 * (SELECT ... FOR UPDATE), so another server's writer of it waits and
 * then sees the new version (the 409 rule across servers). */
enum err_code rec_load_for_write(struct conn *c, struct arena *a,
				 const struct def_sql *d, int64_t id,
				 struct record **out, struct err *e);
/* rec_insert stores r (its review_id, version, created_at, updated_at and
 * fields) and sets r->id. A duplicate of a unique field is E_INVALID. */
enum err_code rec_insert(struct conn *c, const struct def_sql *d,
			 struct record *r, struct err *e);
/* rec_insert_sql is rec_insert with another statement of the same
 * parameters (an INSERT OR IGNORE); r->id is 0 when no row was added. */
enum err_code rec_insert_sql(struct conn *c, const struct def_sql *d,
			     const char *sql, struct record *r, struct err *e);
/* rec_insert_stmt is rec_insert_sql with a statement the caller holds
 * (conn_stmt'd once for many rows: a transcript import); it is reset,
 * its bindings all set again by the next call. */
enum err_code rec_insert_stmt(struct conn *c, const struct def_sql *d,
			      struct db_stmt *s, struct record *r, struct err *e);
/* rec_bind_fields binds r's fields to parameters first.. of s, in def
 * order, as rec_insert does; -1 on oom. */
int rec_bind_fields(struct db_stmt *s, const struct record *r, int first);
/* rec_update writes r's version, updated_at, deleted_at and fields. */
enum err_code rec_update(struct conn *c, const struct def_sql *d,
			 const struct record *r, struct err *e);
/* rec_update_from writes r over old's row as rec_update does, but only
 * the fields that differ (and deleted_at when it does): SQLite rewrites
 * the entry of every index on a column an UPDATE sets, even to the same
 * value, so setting all of them wrote a page of each of the reviews
 * table's seven indexes on every save. */
enum err_code rec_update_from(struct conn *c, const struct def_sql *d,
			      const struct record *old, const struct record *r,
			      struct err *e);
/* rec_update_bind is rec_update_from's statement, bound and not run
 * (NULL and e set on failure), to run together with others
 * (db_run_together); rec_update_step runs it and gives it back. */
struct db_stmt *rec_update_bind(struct conn *c, const struct def_sql *d,
				const struct record *old,
				const struct record *r, struct err *e);
enum err_code rec_update_step(struct conn *c, const struct def_sql *d,
			      struct db_stmt *s, struct err *e);
enum err_code children_load(struct conn *c, struct arena *a,
			    const struct def_sql *d, int64_t review_id,
			    struct record_list *out, struct err *e);
/* A list of ids in one statement (a page's rows, their tags): ids_sql
 * appends "?first, ..." (ID_BATCH parameters) for an IN (...), and
 * ids_bind binds ids[0..n) (n at most batch) to batch parameters from
 * first, those past n NULL, which match no row. One statement a batch
 * instead of one an id: on PostgreSQL one round trip. */
#define ID_BATCH 50
void ids_sql(struct buf *b, int first);
void ids_bind(struct db_stmt *s, int first, const int64_t *ids, size_t n,
	      int batch);
/* children_load_many is children_load of each of ids[0..n) into
 * out[0..n), a statement each ID_BATCH of them. */
enum err_code children_load_many(struct conn *c, struct arena *a,
				 const struct def_sql *d, const int64_t *ids,
				 size_t n, struct record_list *out,
				 struct err *e);
/* children_all loads every kind of a review's children into out (an
 * array of CHILD_COUNT), the statements run together (db_run_together:
 * one round trip on PostgreSQL). */
enum err_code children_all(struct conn *c, struct arena *a,
			   int64_t review_id, struct record_list *out,
			   struct err *e);
/* review_doc_load loads the review's row (deleted or not; E_NOT_FOUND
 * when there is none) and, when there is one, its children as
 * children_all does and, when tickets is not NULL, its tickets as
 * store_ticket_list does, all its statements run together. */
enum err_code review_doc_load(struct conn *c, struct arena *a,
			      int64_t review_id, struct record **review,
			      struct record_list *out,
			      struct record_list *tickets, struct err *e);
/* tickets_bind prepares store_ticket_list's statement for review_id into
 * *s (statement memory from a); tickets_read steps it, reads its rows
 * into out and gives it back (on failure too). */
enum err_code tickets_bind(struct conn *c, struct arena *a, int64_t review_id,
			   struct db_stmt **s, struct err *e);
enum err_code tickets_read(struct conn *c, struct arena *a, struct db_stmt *s,
			   struct record_list *out, struct err *e);
/* review_bump adds one to the review's version, stamps updated_at and
 * tells the new version. */
enum err_code review_bump(struct conn *c, int64_t review_id, int64_t now,
			  int64_t *new_version, struct err *e);
/* fts_reindex rewrites the review's row of the search index (inside
 * tx_write: before its commit, once per review of the group) after a
 * write that changed parts of it (FTS_ALL, fts_parts_changed,
 * fts_part_child; 0: none, nothing is written). PostgreSQL reads and
 * parses again only those parts (migrations/pg/044); SQLite writes the
 * whole row. */
enum err_code fts_reindex(struct conn *c, int64_t review_id, uint64_t parts,
			  struct err *e);
/* The parts of a review's search row: bit i for the body's part i
 * (build_fts: the review's searched fields, then each kind of child
 * searched), FTS_TITLE for its title. */
#define FTS_TITLE ((uint64_t)1 << 63)
#define FTS_ALL UINT64_MAX
/* fts_parts_changed: the parts whose review fields differ between the
 * review's rows old and r. */
uint64_t fts_parts_changed(const struct record *old, const struct record *r);
/* fts_part_child: child kind k's part (0 when its text is not searched). */
uint64_t fts_part_child(enum child_kind k);
/* reset_sequences moves PostgreSQL's identity sequences past the ids
 * that rows were written with (a copy, an import); PostgreSQL only. */
enum err_code reset_sequences(struct conn *c, struct err *e);
/* fts_reindex_many is fts_reindex for n (at most FTS_BATCH) reviews in
 * two statements. Inside a transaction SQLite has FTS5 write out what it
 * holds before every statement that may need a savepoint, so one review
 * a statement makes one index segment a review (and merges them later);
 * a bulk writer (store_import) reindexes its reviews a batch at once. */
#define FTS_BATCH 64
enum err_code fts_reindex_many(struct conn *c, const int64_t *ids, size_t n,
			       uint64_t parts, struct err *e);
/* fts_reindex_noted rewrites the search rows of the reviews noted in c
 * (fts_defer) and clears the note. On SQLite in one statement: FTS5
 * writes what it has pending as a new segment when each statement of a
 * transaction begins, so a delete and an insert per review wrote two
 * segments per save, each to be merged again. */
enum err_code fts_reindex_noted(struct conn *c, struct err *e);

/* review_gate_tx checks, inside a write transaction and after the write,
 * the review as stored against the rules that span its children
 * (review_gate: an operability review is not ready while a readiness
 * question blocks); an error rolls the write back. */
enum err_code review_gate_tx(struct conn *c, struct arena *a,
			    int64_t review_id, struct err *e);
/* review_gate_rec is review_gate_tx with the review as the write left
 * it (r, its row as written), which is then not read back. */
enum err_code review_gate_rec(struct conn *c, struct arena *a, struct record *r,
			      struct err *e);

/* review_links_tx checks the reviews r names (an operability review's
 * architecture review: live and of kind architecture) when they differ
 * from old's (NULL: a new review); E_INVALID naming the field. */
enum err_code review_links_tx(struct conn *c, struct arena *a,
			      const struct record *old, const struct record *r,
			      struct err *e);
/* The kinds of build_lines's statement (sqlite_record.c). */
enum lines_sql {
	LINES_SELECT, /* read review ?1's */
	LINES_ONE,    /* write review ?1's (review_search_lines) */
	LINES_MANY,   /* write those of ?1..?FTS_BATCH */
	LINES_ALL     /* write every review's (migration 040) */
};

/* search_part_field tells whether review field f is a part of the
 * search body (build_fts): a text or list field but the title and
 * restricted_to. */
int search_part_field(size_t f);
/* fts_indexes tells whether the text of child kind k is searched. */
int fts_indexes(enum child_kind k);
/* review_load_live loads review id for a write: E_NOT_FOUND (with message)
 * when missing or deleted, E_CONFLICT when expected_version is stale. */
enum err_code review_load_live(struct conn *c, struct arena *a, int64_t id,
			       int64_t expected_version, struct record **out,
			       struct err *e);

/* sqlite_child.c: child writes shared by create, save and the child calls */
#define CHILD_NO_INDEX ((size_t)-1)
/* child_field_error turns e->field "at" into "timeline[2].at". */
void child_field_error(struct err *e, enum child_kind k, size_t index);
/* child_prepare_new copies item, fills its defaults and validates it;
 * errors name the field as "segment[index].field" unless index is
 * CHILD_NO_INDEX. */
enum err_code child_prepare_new(struct arena *a, enum child_kind k,
				const struct record *item, size_t index,
				struct record **out, struct err *e);
/* child_insert stores a new child r (version 1) and its revision. */
enum err_code child_insert(struct conn *c, struct arena *a, const char *actor,
			   enum child_kind k, int64_t review_id,
			   struct record *r, int64_t now,
			   int64_t review_version, struct err *e);
/* child_write stores r, the changed old (an update, or a delete when
 * r->deleted_at is set), with the next version, and its revision. */
enum err_code child_write(struct conn *c, struct arena *a, const char *actor,
			  enum child_kind k, const struct record *old,
			  struct record *r, int64_t now, int64_t review_version,
			  struct err *e);

/* sqlite_revision.c */
/* changes_bind binds a revision's changes (JSON text) to parameter i of s,
 * deflated when that is shorter; an SQLite code. changes_text reads one
 * back from column col as text (from a); NULL on oom or a damaged value. */
int changes_bind(struct db_stmt *s, int i, const char *text);
const char *changes_text(struct arena *a, struct db_stmt *s, int col);
/* changes_expand turns the changes text of each create stored compactly
 * (sqlite_revision.c, first_json: "*" or {"first":[...]}) among items
 * (revisions of review_id) into the JSON array of every field it set, from
 * the record as it is now and its later revisions; any other text is left
 * as it is. -1 when one cannot be read (its text set to NULL). */
struct expand_item {
	const char *record_kind;
	int64_t record_id, id; /* id: the revision's */
	const char **text;     /* in: as stored; out: the JSON array */
};
int changes_expand(struct conn *c, struct arena *a, int64_t review_id,
		   struct expand_item *items, size_t n);
enum err_code revision_add(struct conn *c, int64_t review_id,
			   const char *record_kind, int64_t record_id,
			   const char *action, const char *actor, int64_t at,
			   int64_t review_version, const struct change *ch,
			   int n, struct err *e);
/* revision_bind is revision_add's insert, bound and not run (NULL and
 * e set on failure); revision_step runs it and gives it back. */
struct db_stmt *revision_bind(struct conn *c, int64_t review_id,
			      const char *record_kind, int64_t record_id,
			      const char *action, const char *actor, int64_t at,
			      int64_t review_version, const struct change *ch,
			      int n, struct err *e);
enum err_code revision_step(struct conn *c, struct db_stmt *s, struct err *e);

/* sqlite_visible.c: the SQL twin of review_visible */
/* visible_param is the text to bind for viewer v's groups, or NULL when v
 * sees every review (then no clause is needed). */
const char *visible_param(const struct viewer *v);
/* visible_clause appends the rule over the reviews row alias, with the
 * viewer's groups bound to ?param (it may appear more than once). */
void visible_clause(struct buf *b, const char *alias, int param);

/* sqlite_list_sql.c: fts_query turns what a person typed into an FTS5 query
 * that cannot be a syntax error (every word a quoted prefix, all
 * required); NULL when nothing searchable is left. Memory from a. */
const char *fts_query(struct arena *a, const char *q);
/* sqlite_list_sql.c: the SQL of a list filter (see sqlite_list.c) */
#define MAX_BINDS 14

/* A WHERE clause over "reviews t" and the values of its parameters. */
struct filter_sql {
	struct buf where;
	struct {
		const char *s; /* text, or NULL for the integer */
		int64_t i;
	} binds[MAX_BINDS];
	int n;
};

/* A list's queries, chosen for one filter: the page of ids, and the total
 * (from the maintained counts when the filter allows). */
struct list_sql {
	struct filter_sql page, count;
	struct buf page_sql, count_sql;
	int limit, offset;
	int64_t cap; /* the count stops here (count_cap); 0: it does not */
	/* page_sql in the opposite order (empty when count_sql is not the
	 * exact number of the page's matches: store_review_list reads a
	 * page past the middle from the end) */
	struct buf back_sql;
};

/* filter_bind binds fs's values to s from ?1. */
void filter_bind(struct db_stmt *s, const struct filter_sql *fs);
/* count_query runs sql, "SELECT count(*) ..." with fs's values, into *out. */
enum err_code count_query(struct conn *c, const char *sql,
			  const struct filter_sql *fs, int64_t *out,
			  struct err *e);
/* fts_match spells f's text query as a list runs it into *q (NULL: no
 * text filter; memory from a), *exact 1 when each word is spelled as
 * exact terms. A request's list and counts share one (issue 21). */
enum err_code fts_match(struct conn *c, struct arena *a,
			const struct review_filter *f, const char **q,
			int *exact, struct err *e);
/* list_sql_build chooses the queries of store_review_list for f, with q
 * and exact from fts_match (ls zeroed with empty bufs; release with
 * list_sql_release). */
enum err_code list_sql_build(struct conn *c, struct arena *a,
			     const struct review_filter *f, const char *q,
			     int exact, struct list_sql *ls, struct err *e);
void list_sql_release(struct list_sql *ls);
/* chat_matches tells whether any chat message matches the FTS5 query fts
 * (one probe of the index: without chat, a search is the text's alone). */
enum err_code chat_matches(struct conn *c, const char *fts, int *out,
			   struct err *e);
/* row_sql: the rows of reviews by id (?1..?ID_BATCH, ids_bind), in no
 * order, with the columns of set (the others NULL); malloc'd, NULL on
 * oom. The store keeps one of each set (st->rows_sql). */
char *row_sql(enum row_set set);
/* review_rows_read reads the rows of ids[0..n), with the columns of set,
 * into out[0..n), in the order of ids (NULL where there is none), a
 * statement each ID_BATCH of them. sqlite_list.c */
enum err_code review_rows_read(struct conn *c, struct arena *a,
			       enum row_set set, const int64_t *ids, size_t n,
			       struct record **out, struct err *e);
/* counts_sql builds store_review_counts's one query for f (q from
 * fts_match) into sql, over fs (its WHERE and values); *followups_sql
 * stays empty. *cap is where the counts stop (f->count_cap), 0 when they
 * do not. */
enum err_code counts_sql(struct conn *c, struct arena *a,
			 const struct review_filter *f, const char *q,
			 struct filter_sql *fs, struct buf *sql,
			 struct buf *followups_sql, int64_t *cap,
			 struct err *e);

/* explain_prepare prepares "EXPLAIN QUERY PLAN sql" into *s, for the
 * caller to bind; explain_read then appends to b the line "query: what"
 * and one line per step of the plan, and finalizes s (the store's
 * *_plan functions, for tests). */
enum err_code explain_prepare(struct conn *c, const char *sql,
			      struct db_stmt **s, struct err *e);
enum err_code explain_read(struct conn *c, struct db_stmt *s, struct buf *b,
			   const char *what, struct err *e);

/* record_kind_name is "review" or the child's segment. */
const char *record_kind_name(const struct record_def *def);

#endif
