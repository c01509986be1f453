/* db_pg.c: the PostgreSQL driver of db.h, through libpq.
 *
 * A statement is a server-side prepared statement (PQprepare once per
 * connection; the store caches statements per connection, see conn_stmt).
 * Its SQL is the store's, in SQLite's parameter style: ?N becomes $N and a
 * bare ? the next number. Values go as text, blobs as binary; results come
 * as text (an integer column is parsed when read) and the whole result of
 * one execution is held, then stepped row by row.
 *
 * Behind PgBouncer in transaction mode (before 1.21) a named statement
 * does not outlive the transaction that made it: the server connection
 * goes back to the pool. The URL's pool_mode=transaction (our parameter,
 * taken out before libpq sees the URL) makes every statement unnamed:
 * prepare only checks and describes it, inside a transaction of its own,
 * and each execution sends its text (PQexecParams). Nothing else is kept
 * in the session: an INSERT outside a transaction reads its id in the
 * same transaction (see run), and no SET is sent at connect.
 *
 * When the database goes away (the connection breaks, the server shuts
 * down or terminates the backend, a failover leaves us on a read-only
 * standby) the error is DB_UNAVAILABLE and the connection is no longer
 * usable (db_usable): the store's pool closes it and connects again on
 * a later call.
 *
 * PostgreSQL aborts a transaction at its first error, where SQLite fails
 * only the statement. The store reads a statement's error and goes on
 * (a unique key met: "that name is taken"), so inside a transaction every
 * statement that writes runs under a savepoint that an error rolls back
 * to: the transaction stays usable, as it would on SQLite. A SELECT does
 * not (a savepoint and its release are two more commands for the server
 * to parse and run, and most of a write's statements are reads): the
 * store goes on after no failed read, and a write's failure is undone by
 * its own savepoint (tx_write's), or by the rollback of its transaction.
 * So that a transaction a read aborted is never taken for committed, a
 * COMMIT the server answers with ROLLBACK is an error. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>

#include "store/db.h"
#include "store/db_driver.h"
#include "util/metrics.h"

/* trip counts one round trip to the server (debrief_store_round_trips_total
 * in /metrics: bench/pg/run.sh divides it by the writes). */
static void trip(void) { metrics_count(METRIC_STORE_ROUND_TRIPS); }

/* type oids (catalog/pg_type_d.h, which libpq-dev does not install) */
#define OID_BOOL    16
#define OID_BYTEA   17
#define OID_INT8    20
#define OID_INT2    21
#define OID_INT4    23
#define OID_TEXT    25
#define OID_OID	    26
#define OID_FLOAT4  700
#define OID_FLOAT8  701
#define OID_NUMERIC 1700

/* at most this many deferred SAVEPOINT and RELEASE commands */
#define PEND_MAX 6

/* Every transaction the driver begins is at read committed, whatever the
 * database's default_transaction_isolation: the store's plain reads run
 * outside a transaction until its first write (docs/store.md), which
 * reads the same rows only at read committed, and its conflict rule
 * waits on row locks rather than failing with serialization errors. */
#define PG_BEGIN "BEGIN ISOLATION LEVEL READ COMMITTED"

struct pdb {
	struct db base;
	PGconn *h;
	unsigned next_name; /* prepared statements are named s1, s2, ... */
	int code;	    /* the last error's DB_* code */
	char msg[512];	    /* and its message */
	int64_t changes;
	int broken;  /* the database went away under this connection */
	int unnamed; /* pool_mode=transaction: no named statements */
	int64_t insert_id; /* an autocommit INSERT's id, when unnamed */
	int have_insert_id;
	/* the store began a transaction that is not sent yet: BEGIN goes
	 * with the next statement that is not a plain read, in its round
	 * trip (pipe, simple); plain reads before it run outside (see
	 * plain_read) */
	int begin;
	/* the store's SAVEPOINT and RELEASE commands not sent yet: they go
	 * before the next statement, in its round trip (see defer) */
	char *pend[PEND_MAX];
	int npend;
	/* a deferred command failed: the transaction is lost, and a
	 * ROLLBACK TO (which could undo a write already answered as done)
	 * is refused until the transaction ends */
	int lost;
};

struct param {
	const char *v; /* NULL: SQL NULL */
	int len;
	int binary;
	db_destructor free_fn;
};

struct pstmt {
	struct db_stmt base;
	char name[16];
	int nparams;
	int ncols; /* from the description, before any execution */
	PGresult *desc; /* the description: column names */
	struct param *p;
	PGresult *res; /* of the current execution, or NULL */
	int row;       /* the current row of res; -1 before the first */
	int done;
	int txctl; /* BEGIN, COMMIT, ROLLBACK...: never under a savepoint */
	int begin;  /* BEGIN, or a COMMIT or ROLLBACK (not ROLLBACK TO) */
	int ends;   /* that ends the transaction */
	int insert; /* an INSERT (unnamed: its id is read at once) */
	int read;   /* a SELECT: never under a savepoint (see the top) */
	int plain;  /* a SELECT that locks and changes nothing (plain_read) */
	int sp;	    /* SAVEPOINT, RELEASE or ROLLBACK TO (sp_kind) */
	char *cmd;  /* its text, when sp */
	int commit; /* COMMIT or END: the server's ROLLBACK is an error */
	int failed; /* the error of the batch it ran in (run_together) */
	char *text; /* the translated SQL, kept when unnamed */
	Oid *types; /* per parameter: 0 (the server infers), or text */
	/* column_blob's unescaped bytea, per column, until the next step */
	unsigned char **blobs;
	size_t *blob_lens;
};

#define D(d) ((struct pdb *)(d))
#define P(s) ((struct pstmt *)(s))

static int fail(struct pdb *d, int code, const char *msg)
{
	d->code = code;
	snprintf(d->msg, sizeof d->msg, "%s", msg ? msg : "unknown error");
	/* libpq's messages end with a newline */
	size_t n = strlen(d->msg);
	while (n && (d->msg[n - 1] == '\n' || d->msg[n - 1] == ' '))
		d->msg[--n] = 0;
	return code;
}

/* code_of maps a failed result's SQLSTATE onto the DB_* codes. */
static int code_of(const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *cons;

	if (!state)
		return DB_ERROR;
	/* the database is away: connection exceptions (08), a shutdown or
	 * a terminated backend (57P01-57P03), a standby that refuses
	 * writes (25006, after a failover) */
	if (!strncmp(state, "08", 2) || !strncmp(state, "57P0", 4) ||
	    !strcmp(state, "25006"))
		return DB_UNAVAILABLE;
	if (!strcmp(state, "23505")) {
		cons = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
		if (cons && strlen(cons) > 5 &&
		    !strcmp(cons + strlen(cons) - 5, "_pkey"))
			return DB_CONSTRAINT_PRIMARYKEY;
		return DB_CONSTRAINT_UNIQUE;
	}
	if (!strcmp(state, "23503"))
		return DB_CONSTRAINT_FOREIGNKEY;
	if (!strcmp(state, "23502"))
		return DB_CONSTRAINT_NOTNULL;
	if (!strcmp(state, "23514"))
		return DB_CONSTRAINT_CHECK;
	if (!strncmp(state, "23", 2))
		return DB_CONSTRAINT;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
	    !strcmp(state, "55P03"))
		return DB_BUSY;
	if (!strcmp(state, "53200"))
		return DB_NOMEM;
	return DB_ERROR;
}

static int fail_res(struct pdb *d, PGresult *r)
{
	const char *m = r ? PQresultErrorMessage(r) : NULL;
	int code = code_of(r);

	if (PQstatus(d->h) != CONNECTION_OK)
		code = DB_UNAVAILABLE; /* the socket broke */
	if (code == DB_UNAVAILABLE)
		d->broken = 1;
	return fail(d, code, m && *m ? m : PQerrorMessage(d->h));
}

static int is_begin(const char *sql);
static int is_end(const char *sql);
static int committed(struct pdb *d, PGresult *r);
static int sp_kind(const char *sql, const char **name, size_t *len);

/* pend_free forgets the deferred commands (sent, or their transaction
 * ended before they were). */
static void pend_free(struct pdb *d)
{
	for (int i = 0; i < d->npend; i++)
		free(d->pend[i]);
	d->npend = 0;
}

/* is_rollback: sql is a ROLLBACK of the whole transaction. */
static int is_rollback(const char *sql)
{
	return is_end(sql) &&
	       !strncasecmp(sql + strspn(sql, " \t\n"), "ROLLBACK", 8);
}

/* refused: a ROLLBACK TO after a deferred command failed (d->lost) could
 * bring back a transaction whose writes were lost; it fails instead. */
static int refused(struct pdb *d, const char *sql)
{
	if (!d->lost || sp_kind(sql, NULL, NULL) != 3)
		return 0;
	fail(d, DB_ERROR,
	     "the transaction was lost: a SAVEPOINT or RELEASE "
	     "sent with a later statement failed");
	return 1;
}

/* simple runs a command without parameters; DB_OK or an error code. A
 * BEGIN the store asked for and not yet sent (d->begin, see p_exec) goes
 * with it, in its round trip, and so do deferred SAVEPOINT and RELEASE
 * commands (d->pend); a COMMIT or ROLLBACK of a transaction nothing was
 * sent in has nothing to end. */
static int simple(struct pdb *d, const char *sql)
{
	PGresult *r;
	int st, rc = DB_OK, carried = d->npend;
	char *all = NULL;

	if (refused(d, sql))
		return d->code;
	if (is_end(sql)) {
		d->lost = 0;
		if (d->begin || is_rollback(sql))
			pend_free(d);
		if (d->begin) {
			d->begin = 0;
			return DB_OK;
		}
		carried = d->npend;
	}
	if (d->begin || d->npend) { /* one simple query, several commands */
		size_t n = strlen(sql) + sizeof PG_BEGIN "; ";
		for (int i = 0; i < d->npend; i++)
			n += strlen(d->pend[i]) + 2;
		if (!(all = malloc(n)))
			return fail(d, DB_NOMEM, "out of memory");
		*all = 0;
		if (d->begin)
			strcat(all, PG_BEGIN "; ");
		for (int i = 0; i < d->npend; i++) {
			strcat(all, d->pend[i]);
			strcat(all, "; ");
		}
		strcat(all, sql);
		d->begin = 0;
		pend_free(d);
	}
	trip();
	r = PQexec(d->h, all ? all : sql);
	free(all);
	st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY) {
		rc = fail_res(d, r);
		/* which command failed is not told: a deferred one may
		 * have, and the transaction is then lost */
		if (carried && !is_end(sql))
			d->lost = 1;
	} else if (is_end(sql) && !is_rollback(sql)) {
		rc = committed(d, r);
	}
	PQclear(r);
	return rc;
}

static int in_tx(struct pdb *d)
{
	int t = PQtransactionStatus(d->h);

	return d->begin || d->npend || t == PQTRANS_INTRANS ||
	       t == PQTRANS_INERROR;
}

/* word tells whether p starts the word w (case as given), not inside a
 * longer name. */
static int ident_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static int word(const char *start, const char *p, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(p, w, n)) /* p[n] is readable only after this */
		return 0;
	if (p > start && (ident_char(p[-1]) || p[-1] == '.' || p[-1] == '"'))
		return 0;
	return w[n - 1] == '(' || !ident_char(p[n]);
}

/* call_end is the character after the call that starts at p (its
 * closing parenthesis), quotes respected. */
static const char *call_end(const char *p)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				;
			if (!*p)
				return p;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			return p + 1;
		}
	}
	return p;
}

/* match_param is the parameter number of the statement's first full-text
 * match ("MATCH ?N"), 1 when there is none. */
static int match_param(const char *sql)
{
	const char *m = strstr(sql, " MATCH ?");

	return m && m[8] >= '1' && m[8] <= '9' ? atoi(m + 8) : 1;
}

/* The search tables: SQLite's FTS5 columns by number (fts_highlight). */
static const struct {
	const char *table;
	const char *cols[2];
} fts_tables[] = {
	{"review_fts", {"title", "body"}},
	{"transcript_fts", {"author", "text"}},
};

/* fts_call rewrites an FTS5 function call at p (bm25, fts_highlight:
 * db_sqlite_mark.c) over one of fts_tables into its tsvector twin,
 * reading the query from parameter k; the length of SQL consumed, 0 when
 * p is no such call. */
static size_t fts_call(const char *sql, const char *p, int k, char **o)
{
	for (size_t t = 0; t < sizeof fts_tables / sizeof fts_tables[0]; t++) {
		const char *tb = fts_tables[t].table;
		char w[48];
		const char *q;

		snprintf(w, sizeof w, "bm25(%s", tb);
		if (word(sql, p, "bm25(") && !strncmp(p, w, strlen(w))) {
			*o += sprintf(*o,
				      "(-ts_rank(%s.tsv, (SELECT "
				      "fts5_query($%d))))",
				      tb, k);
			return (size_t)(call_end(p) - p);
		}
		snprintf(w, sizeof w, "fts_highlight(%s, ", tb);
		if (word(sql, p, "fts_highlight(") &&
		    !strncmp(p, w, strlen(w))) {
			q = p + strlen(w);
			*o += sprintf(*o,
				      "ts_headline('english', coalesce(%s.%s, "
				      "''), (SELECT fts5_query($%d)), "
				      "'StartSel=' || "
				      "chr(2) || ', StopSel=' || chr(3) || "
				      "', HighlightAll=true')",
				      tb, fts_tables[t].cols[*q == '1'], k);
			return (size_t)(call_end(p) - p);
		}
	}
	return 0;
}

/* fts_match rewrites "T MATCH " at p, for a table T of fts_tables, into
 * "T.tsv @@ (SELECT fts5_query(" (the parameter and "))" follow); the
 * length of SQL consumed, 0 when p is no such match. The query is a
 * subquery (an InitPlan: built once a run) rather than a call with a
 * parameter, which a generic plan (the plan cache's choice after five
 * runs) evaluates again for every row it tests or ranks: fts5_query is
 * PL/pgSQL, and a search's page query over 1,000 matches cost 35 ms
 * instead of 5 (issue 20). */
static size_t fts_match(const char *sql, const char *p, char **o)
{
	for (size_t t = 0; t < sizeof fts_tables / sizeof fts_tables[0]; t++) {
		const char *tb = fts_tables[t].table;
		size_t n = strlen(tb);

		if (word(sql, p, tb) && !strncmp(p + n, " MATCH ?", 8)) {
			*o += sprintf(*o, "%s.tsv @@ (SELECT fts5_query(", tb);
			return n + 7;
		}
	}
	return 0;
}

/* translate turns the store's SQL (SQLite's dialect) into PostgreSQL's,
 * outside quotes and comments:
 * - ?N becomes $N and a bare ? the next number;
 * - char() becomes chr(), group_concat() string_agg(), json_object()
 *   json_build_object() (SQLite's other JSON functions are functions of
 *   the schema, migrations/pg/001_init.sql);
 * - INSERT OR IGNORE becomes INSERT ... ON CONFLICT DO NOTHING;
 * - INDEXED BY and NOT INDEXED (SQLite planner hints) go;
 * - full-text search: "T MATCH ?N" becomes "T.tsv @@ (SELECT
 *   fts5_query($N))" (a function of the schema, migrations/pg/001_init.sql;
 *   a subquery so that it runs once, see fts_match), bm25(T...) a
 *   negated ts_rank, fts_highlight(T, col, ...) ts_headline over the whole
 *   text, for the tables of fts_tables.
 * *nparams gets the highest parameter number and, when used is not NULL,
 * *used (malloc'd, *nparams + 1 bytes) marks the numbers that occur:
 * SQLite takes ?1 and ?3 without ?2, PostgreSQL must be told the type of
 * a $2 it does not see (p_prepare). NULL when out of memory. */
char *db_pg_translate(const char *sql, int *nparams, unsigned char **used)
{
	size_t n = strlen(sql), len;
	char *out = malloc(n * 3 + 256), *o = out;
	int max = 0, ignore = 0, close = 0, mp = match_param(sql);
	unsigned char *seen = NULL;
	int nseen = 0;

	if (used)
		*used = NULL;
	if (!out)
		return NULL;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			*o++ = *p++;
			while (*p && *p != q)
				*o++ = *p++;
			if (*p)
				*o++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
		} else if (*p == '?') {
			int k = 0;
			p++;
			if (*p >= '0' && *p <= '9') {
				while (*p >= '0' && *p <= '9')
					k = k * 10 + (*p++ - '0');
			} else {
				k = max + 1;
			}
			if (k > max)
				max = k;
			if (used && k >= nseen) {
				int m = k * 2 + 8;
				unsigned char *more = realloc(seen, (size_t)m);

				if (!more) {
					free(seen);
					free(out);
					return NULL;
				}
				memset(more + nseen, 0, (size_t)(m - nseen));
				seen = more;
				nseen = m;
			}
			if (used)
				seen[k] = 1;
			o += sprintf(o, "$%d%s", k, close ? "))" : "");
			close = 0;
		} else if (word(sql, p, "char(")) {
			o += sprintf(o, "chr(");
			p += 5;
		} else if (word(sql, p, "group_concat(")) {
			o += sprintf(o, "string_agg(");
			p += 13;
		} else if (word(sql, p, "json_object(")) {
			o += sprintf(o, "json_build_object(");
			p += 12;
		} else if (word(sql, p, "INSERT OR IGNORE")) {
			o += sprintf(o, "INSERT");
			p += 16;
			ignore = 1;
		} else if (word(sql, p, "INDEXED BY")) {
			p += 10;
			while (*p == ' ')
				p++;
			while (*p && *p != ' ' && *p != ')' && *p != ',')
				p++;
		} else if (word(sql, p, "NOT INDEXED")) {
			p += 11;
		} else if ((len = fts_match(sql, p, &o)) > 0) {
			p += len;
			close = 1;
		} else if ((len = fts_call(sql, p, mp, &o)) > 0) {
			p += len;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	if (ignore) {
		while (o > out && (o[-1] == ' ' || o[-1] == ';' ||
				   o[-1] == '\n'))
			*--o = 0;
		strcpy(o, " ON CONFLICT DO NOTHING");
	}
	*nparams = max;
	if (used) {
		if (!seen && !(seen = calloc(1, 1))) {
			free(out);
			return NULL;
		}
		*used = seen;
	}
	return out;
}

/* is_txctl tells whether sql controls the transaction itself. */
static int is_txctl(const char *sql)
{
	static const char *const words[] = {"BEGIN",	"COMMIT",  "END",
					    "ROLLBACK", "SAVEPOINT", "RELEASE"};

	while (*sql == ' ' || *sql == '\t' || *sql == '\n')
		sql++;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i]);
		if (!strncasecmp(sql, words[i], n) &&
		    (sql[n] == 0 || sql[n] == ' ' || sql[n] == ';'))
			return 1;
	}
	return 0;
}

/* is_begin tells whether sql is a plain BEGIN. */
static int is_begin(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n')
		sql++;
	return !strncasecmp(sql, "BEGIN", 5) &&
	       (sql[5] == 0 || sql[5] == ';');
}

/* is_end tells whether sql ends the transaction: COMMIT, END or
 * ROLLBACK, not ROLLBACK TO a savepoint. */
static int is_end(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n')
		sql++;
	if (!strncasecmp(sql, "ROLLBACK", 8)) {
		sql += 8;
		while (*sql == ' ')
			sql++;
		return strncasecmp(sql, "TO", 2) != 0;
	}
	return (!strncasecmp(sql, "COMMIT", 6) &&
		(sql[6] == 0 || sql[6] == ';')) ||
	       (!strncasecmp(sql, "END", 3) && (sql[3] == 0 || sql[3] == ';'));
}

/* is_read tells whether sql is a SELECT. */
static int is_read(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n')
		sql++;
	return !strncasecmp(sql, "SELECT", 6) &&
	       (sql[6] == ' ' || sql[6] == '\t' || sql[6] == '\n');
}

/* committed checks a COMMIT's answer: PostgreSQL ends a transaction an
 * error aborted with ROLLBACK, and says so only in the command tag. */
static int committed(struct pdb *d, PGresult *r)
{
	if (strcmp(PQcmdStatus(r), "ROLLBACK") != 0)
		return DB_OK;
	return fail(d, DB_ERROR, "COMMIT: the transaction was rolled back "
				 "(a statement in it failed)");
}

/* sp_kind: 1 for SAVEPOINT x, 2 for RELEASE [SAVEPOINT] x, 3 for
 * ROLLBACK TO [SAVEPOINT] x, else 0; *name and *len the savepoint's name. */
static int sp_kind(const char *sql, const char **name, size_t *len)
{
	static const struct {
		const char *w;
		int kind;
	} heads[] = {{"SAVEPOINT ", 1}, {"RELEASE ", 2}, {"ROLLBACK TO ", 3}};
	const char *p = sql + strspn(sql, " \t\n");
	int kind = 0;

	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
		if (!strncasecmp(p, heads[i].w, strlen(heads[i].w))) {
			kind = heads[i].kind;
			p += strlen(heads[i].w);
			break;
		}
	if (!kind)
		return 0;
	p += strspn(p, " ");
	if (kind > 1 && !strncasecmp(p, "SAVEPOINT ", 10))
		p += 10 + strspn(p + 10, " ");
	if (name)
		*name = p;
	if (len)
		*len = strcspn(p, " ;\t\n");
	return kind;
}

/* same_sp: a and b name the same savepoint. */
static int same_sp(const char *a, const char *b)
{
	const char *na, *nb;
	size_t la, lb;

	sp_kind(a, &na, &la);
	sp_kind(b, &nb, &lb);
	return la == lb && !strncmp(na, nb, la);
}

/* defer keeps the store's SAVEPOINT or RELEASE (sql, of sp_kind 1 or 2)
 * for the next statement's round trip, inside a transaction: DB_OK, or
 * DB_ERROR when it is to be sent now. A RELEASE of a savepoint not sent
 * yet cancels both (nothing was done under it). */
static int defer(struct pdb *d, const char *sql)
{
	int kind = sp_kind(sql, NULL, NULL);

	if (!kind || kind == 3 || !in_tx(d) || d->lost)
		return DB_ERROR;
	if (kind == 2 && d->npend &&
	    sp_kind(d->pend[d->npend - 1], NULL, NULL) == 1 &&
	    same_sp(d->pend[d->npend - 1], sql)) {
		free(d->pend[--d->npend]);
		return DB_OK;
	}
	if (d->npend == PEND_MAX || !(d->pend[d->npend] = strdup(sql)))
		return DB_ERROR;
	d->npend++;
	return DB_OK;
}

/* undo_pending: a ROLLBACK TO the savepoint whose SAVEPOINT is the last
 * deferred command has nothing to undo (nothing was sent since); it
 * stays, as after a ROLLBACK TO. */
static int undo_pending(struct pdb *d, const char *sql)
{
	return sp_kind(sql, NULL, NULL) == 3 && d->npend && !d->lost &&
	       sp_kind(d->pend[d->npend - 1], NULL, NULL) == 1 &&
	       same_sp(d->pend[d->npend - 1], sql);
}

/* plain_read tells whether sql is a SELECT that locks and changes
 * nothing. At PostgreSQL's read committed each statement reads its own
 * snapshot, in a transaction or not, so such a read that comes before a
 * transaction's first write runs outside it: the BEGIN waits for the
 * first statement that is not one, and a read-only transaction sends
 * neither BEGIN nor COMMIT (two round trips of a page's reads). */
static int plain_read(const char *sql)
{
	static const char *const writes[] = {
		" FOR UPDATE", " FOR SHARE", " FOR NO KEY", " FOR KEY SHARE",
		"setval",      "nextval",    "currval",	    "lastval",
		"advisory",    "set_config", "txid_",	    "pg_"};

	if (!is_read(sql))
		return 0;
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
		if (strcasestr(sql, writes[i]))
			return 0;
	return 1;
}

/* is_insert tells whether sql is an INSERT. */
static int is_insert(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n')
		sql++;
	return !strncasecmp(sql, "INSERT", 6);
}

static void blobs_free(struct pstmt *s)
{
	if (!s->blobs)
		return;
	for (int i = 0; i < s->ncols; i++) {
		free(s->blobs[i]);
		s->blobs[i] = NULL;
	}
}

/* describe prepares text as s's statement (named, or the unnamed one)
 * and reads its result columns into s->desc. A failed prepare inside a
 * transaction must not abort it, so it runs under a savepoint there;
 * unnamed outside a transaction, prepare and describe run in one of
 * their own, so that a transaction pooler keeps them on one server. */
static int describe(struct pdb *d, struct pstmt *s, const char *text)
{
	const char *name = d->unnamed ? "" : s->name;
	int tx = in_tx(d), own = d->unnamed && !tx, rc;
	PGresult *r;

	if ((own || tx) &&
	    (rc = simple(d, own ? PG_BEGIN : "SAVEPOINT db_prep")) != DB_OK)
		return rc;
	trip();
	r = PQprepare(d->h, name, text, s->nparams, s->types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = fail_res(d, r);
		PQclear(r);
		if (!d->broken && (own || tx))
			simple(d, own ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT db_prep");
		return rc;
	}
	PQclear(r);
	/* described before any simple query, which drops the unnamed one */
	r = PQdescribePrepared(d->h, name);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = fail_res(d, r);
		PQclear(r);
		if ((own || tx) && !d->broken)
			simple(d, own ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT db_prep");
		return rc;
	}
	if ((own || tx) &&
	    (rc = simple(d, own ? "COMMIT" : "RELEASE SAVEPOINT db_prep")) !=
		    DB_OK) {
		PQclear(r);
		return rc;
	}
	s->desc = r;
	return DB_OK;
}

static int p_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	struct pdb *d = D(db);
	struct pstmt *s;
	char *text = NULL;
	unsigned char *used = NULL;
	Oid *types = NULL;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof *s);
	if (!s || !(text = db_pg_translate(sql, &s->nparams, &used)) ||
	    !(types = calloc((size_t)s->nparams + 1, sizeof *types))) {
		free(text);
		free(used);
		free(s);
		return fail(d, DB_NOMEM, "out of memory");
	}
	/* a number the statement skips: text, or PostgreSQL cannot tell */
	for (int k = 1; k <= s->nparams; k++)
		if (!used[k])
			types[k - 1] = OID_TEXT;
	free(used);
	s->base.db = db;
	s->row = -1;
	s->txctl = is_txctl(sql);
	s->begin = is_begin(sql);
	s->ends = is_end(sql);
	s->insert = is_insert(sql);
	s->read = is_read(sql);
	s->plain = plain_read(sql);
	s->sp = sp_kind(sql, NULL, NULL);
	if (s->sp && !(s->cmd = strdup(sql))) {
		free(text);
		free(types);
		free(s);
		return fail(d, DB_NOMEM, "out of memory");
	}
	s->commit = s->ends && strncasecmp(sql + strspn(sql, " \t\n"),
					   "ROLLBACK", 8) != 0;
	snprintf(s->name, sizeof s->name, "s%u", ++d->next_name);
	s->types = types;
	if ((rc = describe(d, s, text)) != DB_OK) {
		free(text);
		free(types);
		free(s->cmd);
		free(s);
		return rc;
	}
	if (d->unnamed)
		s->text = text;
	else
		free(text);
	s->ncols = PQnfields(s->desc);
	s->p = calloc((size_t)(s->nparams ? s->nparams : 1), sizeof *s->p);
	s->blobs = calloc((size_t)(s->ncols ? s->ncols : 1), sizeof *s->blobs);
	s->blob_lens =
		calloc((size_t)(s->ncols ? s->ncols : 1), sizeof *s->blob_lens);
	if (!s->p || !s->blobs || !s->blob_lens) {
		PQclear(s->desc);
		free(s->text);
		free(s->cmd);
		free(s->types);
		free(s->p);
		free(s->blobs);
		free(s->blob_lens);
		free(s);
		return fail(d, DB_NOMEM, "out of memory");
	}
	*out = &s->base;
	return DB_OK;
}

static void param_free(struct param *p)
{
	if (p->free_fn && p->free_fn != DB_STATIC && p->v)
		(p->free_fn == DB_TRANSIENT ? free : p->free_fn)((void *)p->v);
	memset(p, 0, sizeof *p);
}

static void p_clear_bindings(struct db_stmt *st)
{
	struct pstmt *s = P(st);

	for (int i = 0; i < s->nparams; i++)
		param_free(&s->p[i]);
}

static void p_reset(struct db_stmt *st)
{
	struct pstmt *s = P(st);

	blobs_free(s);
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->done = 0;
	s->failed = 0;
}

static void p_finalize(struct db_stmt *st)
{
	struct pstmt *s = P(st);
	struct pdb *d = D(st->db);
	char sql[40];

	p_reset(st);
	p_clear_bindings(st);
	/* outside a failed transaction, free the server's copy too */
	if (!d->unnamed && !d->broken && PQstatus(d->h) == CONNECTION_OK &&
	    PQtransactionStatus(d->h) != PQTRANS_INERROR) {
		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
		trip();
		PQclear(PQexec(d->h, sql));
	}
	PQclear(s->desc);
	free(s->text);
	free(s->cmd);
	free(s->types);
	free(s->p);
	free(s->blobs);
	free(s->blob_lens);
	free(s);
}

static struct param *slot(struct db_stmt *st, int i)
{
	struct pstmt *s = P(st);

	if (i < 1 || i > s->nparams)
		return NULL;
	param_free(&s->p[i - 1]);
	return &s->p[i - 1];
}

static int put(struct db_stmt *st, int i, const char *v, int n, int binary,
	       db_destructor f)
{
	struct param *p = slot(st, i);
	int own = f != DB_STATIC && f != DB_TRANSIENT; /* f frees v */
	int terminated = n < 0; /* text that ends at its NUL */
	char *copy;

	if (!p) {
		if (own && v)
			f((void *)v);
		return fail(D(st->db), DB_ERROR, "parameter out of range");
	}
	if (!v)
		return DB_OK; /* NULL */
	if (n < 0)
		n = (int)strlen(v);
	/* libpq reads a text value up to its NUL: a text with a length
	 * of its own is copied and terminated, as is a transient value */
	if (f == DB_TRANSIENT || (!binary && !terminated)) {
		copy = malloc((size_t)n + 1);
		if (copy) {
			memcpy(copy, v, (size_t)n);
			copy[n] = 0;
		}
		if (own)
			f((void *)v);
		if (!copy)
			return fail(D(st->db), DB_NOMEM, "out of memory");
		v = copy;
		f = DB_TRANSIENT;
	}
	p->v = v;
	p->len = n;
	p->binary = binary;
	p->free_fn = f;
	return DB_OK;
}

static int p_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return put(st, i, buf, -1, 0, DB_TRANSIENT);
}

static int p_bind_double(struct db_stmt *st, int i, double v)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%.17g", v);
	return put(st, i, buf, -1, 0, DB_TRANSIENT);
}

static int p_bind_text(struct db_stmt *st, int i, const char *v, int n,
		       db_destructor f)
{
	return put(st, i, v, n, 0, f);
}

static int p_bind_blob(struct db_stmt *st, int i, const void *v, int n,
		       db_destructor f)
{
	return put(st, i, v ? v : "", v ? n : 0, 1, v ? f : DB_STATIC);
}

static int p_bind_null(struct db_stmt *st, int i)
{
	return slot(st, i) ? DB_OK
			   : fail(D(st->db), DB_ERROR,
				  "parameter out of range");
}

static int p_bind_parameter_count(struct db_stmt *st)
{
	return P(st)->nparams;
}

/* execute sends the statement's values: to its named statement, or
 * its text when unnamed. */
static PGresult *execute(struct pdb *d, struct pstmt *s)
{
	const char *vals[s->nparams ? s->nparams : 1];
	int lens[s->nparams ? s->nparams : 1];
	int fmts[s->nparams ? s->nparams : 1];

	for (int i = 0; i < s->nparams; i++) {
		vals[i] = s->p[i].v;
		lens[i] = s->p[i].len;
		fmts[i] = s->p[i].binary;
	}
	trip();
	if (d->unnamed)
		return PQexecParams(d->h, s->text, s->nparams, s->types, vals,
				    lens, fmts, 0);
	return PQexecPrepared(d->h, s->name, s->nparams, vals, lens, fmts,
			      0);
}

/* send_stmt is execute's sending half, for a pipeline; 0 on failure. */
static int send_stmt(struct pdb *d, struct pstmt *s)
{
	const char *vals[s->nparams ? s->nparams : 1];
	int lens[s->nparams ? s->nparams : 1];
	int fmts[s->nparams ? s->nparams : 1];

	for (int i = 0; i < s->nparams; i++) {
		vals[i] = s->p[i].v;
		lens[i] = s->p[i].len;
		fmts[i] = s->p[i].binary;
	}
	if (d->unnamed)
		return PQsendQueryParams(d->h, s->text, s->nparams, s->types, vals,
					 lens, fmts, 0);
	return PQsendQueryPrepared(d->h, s->name, s->nparams, vals, lens,
				   fmts, 0);
}

static int send_cmd(struct pdb *d, const char *sql)
{
	return PQsendQueryParams(d->h, sql, 0, NULL, NULL, NULL, NULL, 0);
}

/* pipe runs the n statements ss in one round trip: a pipeline of them,
 * then one sync (one after the other they cost a round trip each, and a
 * page's reads run some dozens of statements). Inside a transaction they
 * run under one savepoint when guard is set (SAVEPOINT first, RELEASE
 * last; not for a statement that is a SAVEPOINT itself): when one fails
 * the server skips the rest and the RELEASE, and the savepoint is rolled
 * back to, so that the transaction stays usable. A BEGIN the store asked
 * for and not yet sent (d->begin) goes first. out[i] gets ss[i]'s result
 * when all succeed. */
static int pipe(struct pdb *d, struct pstmt **ss, int n, int guard,
		PGresult **out)
{
	int begin = d->begin, np = d->npend, sp = guard && in_tx(d);
	int m, first, pre, plain = !sp && !np;
	int q = 0, synced = 0, rc = DB_OK, sent = 1;
	PGresult *r;

	for (int i = 0; i < n; i++) {
		out[i] = NULL;
		plain &= ss[i]->plain;
	}
	if (begin && plain) /* reads before the first write: no BEGIN yet */
		begin = 0;
	pre = begin + np;
	m = pre + 2 * sp + n;
	first = pre + sp;
	PGresult *res[m];
	memset(res, 0, sizeof res);
	if (!PQenterPipelineMode(d->h))
		return fail(d, DB_ERROR, PQerrorMessage(d->h));
	if (begin) {
		d->begin = 0; /* sent now, or the connection is gone */
		sent = send_cmd(d, PG_BEGIN);
	}
	for (int i = 0; sent && i < np; i++)
		sent = send_cmd(d, d->pend[i]);
	pend_free(d);
	if (sent && sp)
		sent = send_cmd(d, "SAVEPOINT db_stmt");
	for (int i = 0; sent && i < n; i++)
		sent = send_stmt(d, ss[i]);
	if (sent && sp)
		sent = send_cmd(d, "RELEASE SAVEPOINT db_stmt");
	if (!sent || (trip(), !PQpipelineSync(d->h))) {
		rc = fail_res(d, NULL);
		if (!PQexitPipelineMode(d->h))
			d->broken = 1;
		return rc;
	}
	/* each command's result is followed by a NULL; then the sync */
	while (q <= m) {
		r = PQgetResult(d->h);
		if (!r) {
			if (PQstatus(d->h) != CONNECTION_OK && q >= m)
				break;
			q++;
			continue;
		}
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			synced = 1;
			break;
		}
		if (q < m && !res[q])
			res[q] = r;
		else
			PQclear(r);
	}
	/* a connection left in pipeline mode would fail every later
	 * statement: the pool must drop it */
	if (!PQexitPipelineMode(d->h))
		d->broken = 1;
	/* the first command that failed (the ones after it were skipped) */
	for (int i = 0; i < m; i++) {
		int st = res[i] ? PQresultStatus(res[i]) : PGRES_FATAL_ERROR;
		if (st == PGRES_COMMAND_OK ||
		    (st == PGRES_TUPLES_OK && i >= first && i < first + n))
			continue;
		rc = fail_res(d, st == PGRES_FATAL_ERROR ? res[i] : NULL);
		/* a deferred SAVEPOINT or RELEASE failed: see d->lost */
		if (i >= begin && i < pre)
			d->lost = 1;
		if (sp && i >= first && i < first + n && synced && !d->broken)
			simple(d, "ROLLBACK TO SAVEPOINT db_stmt");
		break;
	}
	if (rc == DB_OK && (!synced || PQstatus(d->h) != CONNECTION_OK))
		rc = fail_res(d, NULL);
	if (rc == DB_OK)
		for (int i = 0; i < n; i++) {
			out[i] = res[first + i];
			res[first + i] = NULL;
		}
	for (int i = 0; i < m; i++)
		PQclear(res[i]);
	return rc;
}

/* insert_id reads lastval() into d->insert_id, under a savepoint (a
 * table without a sequence has none, and the error must not abort). */
static void insert_id(struct pdb *d)
{
	PGresult *r;

	if (simple(d, "SAVEPOINT db_id") != DB_OK)
		return;
	trip();
	r = PQexec(d->h, "SELECT lastval()");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		d->insert_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		d->have_insert_id = 1;
		simple(d, "RELEASE SAVEPOINT db_id");
	} else {
		simple(d, "ROLLBACK TO SAVEPOINT db_id");
	}
	PQclear(r);
}

/* run executes the statement once, under a savepoint inside a
 * transaction (see the top of the file). Unnamed, an INSERT outside a
 * transaction gets one of its own, so that its id (lastval) is read on
 * the server connection that inserted. */
static int run(struct pstmt *s)
{
	struct pdb *d = D(s->base.db);
	int own = d->unnamed && s->insert && !in_tx(d);
	int guard = !s->txctl && !s->read && !own && in_tx(d), st, rc;
	PGresult *r;

	d->have_insert_id = 0;
	if (s->sp && refused(d, s->cmd))
		return d->code;
	if (s->ends) { /* the transaction ends: so does what waited for it */
		d->lost = 0;
		if (!s->commit)
			pend_free(d);
	}
	/* under a savepoint, after BEGIN (a plain read goes before it), or
	 * after deferred commands: one pipeline */
	if (guard || d->npend || (d->begin && !s->plain)) {
		if ((rc = pipe(d, &s, 1, guard, &r)) != DB_OK)
			return rc;
		if (s->commit && (rc = committed(d, r)) != DB_OK) {
			PQclear(r);
			return rc;
		}
		d->changes = atoll(PQcmdTuples(r));
		s->res = r;
		s->row = -1;
		return DB_OK;
	}
	if (own && (rc = simple(d, PG_BEGIN)) != DB_OK)
		return rc;
	r = execute(d, s);
	st = PQresultStatus(r);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		rc = fail_res(d, r);
		PQclear(r);
		if (own && !d->broken)
			simple(d, "ROLLBACK");
		return rc;
	}
	if (own) {
		insert_id(d);
		if ((rc = simple(d, "COMMIT")) != DB_OK) {
			PQclear(r);
			return rc;
		}
	}
	if (s->commit && (rc = committed(d, r)) != DB_OK) {
		PQclear(r);
		return rc;
	}
	d->changes = atoll(PQcmdTuples(r));
	s->res = r;
	s->row = -1;
	return DB_OK;
}

static int p_step(struct db_stmt *st)
{
	struct pstmt *s = P(st);
	struct pdb *d = D(st->db);
	int rc;

	if (s->done)
		return DB_DONE;
	blobs_free(s);
	if (s->failed) { /* its batch failed and cannot run again */
		rc = s->failed;
		s->failed = 0;
		s->done = 1;
		return rc;
	}
	/* BEGIN waits for the next statement; ending a transaction that
	 * was never sent has nothing to do (see simple); a SAVEPOINT or
	 * RELEASE goes with the next statement (defer), and a ROLLBACK TO
	 * a savepoint not sent yet has nothing to undo */
	if (!s->res && ((s->begin && !d->begin &&
			 PQtransactionStatus(d->h) == PQTRANS_IDLE) ||
			(s->ends && d->begin) ||
			(s->sp && (defer(d, s->cmd) == DB_OK ||
				   undo_pending(d, s->cmd))))) {
		if (s->ends) {
			pend_free(d);
			d->lost = 0;
		}
		if (!s->sp)
			d->begin = s->begin;
		s->done = 1;
		d->changes = 0;
		return DB_DONE;
	}
	if (!s->res && (rc = run(s)) != DB_OK)
		return rc;
	if (++s->row < PQntuples(s->res))
		return DB_ROW;
	s->done = 1;
	return DB_DONE;
}

static int have(struct pstmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < PQntuples(s->res) && i >= 0 &&
	       i < PQnfields(s->res);
}

static const void *p_column_blob(struct db_stmt *st, int i);

static int p_column_count(struct db_stmt *st) { return P(st)->ncols; }

static const char *p_column_name(struct db_stmt *st, int i)
{
	struct pstmt *s = P(st);

	return s->desc && i >= 0 && i < s->ncols ? PQfname(s->desc, i) : NULL;
}

static int p_column_type(struct db_stmt *st, int i)
{
	struct pstmt *s = P(st);

	if (!have(s, i) || PQgetisnull(s->res, s->row, i))
		return DB_NULL;
	switch (PQftype(s->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return DB_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC:
		return DB_FLOAT;
	case OID_BYTEA:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

static int64_t p_column_int64(struct db_stmt *st, int i)
{
	struct pstmt *s = P(st);
	const char *v;

	if (!have(s, i) || PQgetisnull(s->res, s->row, i))
		return 0;
	v = PQgetvalue(s->res, s->row, i);
	if (PQftype(s->res, i) == OID_BOOL)
		return *v == 't';
	if (PQftype(s->res, i) == OID_FLOAT4 ||
	    PQftype(s->res, i) == OID_FLOAT8 ||
	    PQftype(s->res, i) == OID_NUMERIC)
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

static double p_column_double(struct db_stmt *st, int i)
{
	struct pstmt *s = P(st);

	if (!have(s, i) || PQgetisnull(s->res, s->row, i))
		return 0;
	return strtod(PQgetvalue(s->res, s->row, i), NULL);
}

static const char *p_column_text(struct db_stmt *st, int i)
{
	struct pstmt *s = P(st);

	if (!have(s, i) || PQgetisnull(s->res, s->row, i))
		return NULL;
	if (PQftype(s->res, i) == OID_BYTEA)
		return p_column_blob(st, i) ? (const char *)s->blobs[i] : NULL;
	if (PQftype(s->res, i) == OID_BOOL)
		return *PQgetvalue(s->res, s->row, i) == 't' ? "1" : "0";
	return PQgetvalue(s->res, s->row, i);
}

static const void *p_column_blob(struct db_stmt *st, int i)
{
	struct pstmt *s = P(st);
	unsigned char *b;
	size_t n;

	if (!have(s, i) || PQgetisnull(s->res, s->row, i))
		return NULL;
	if (PQftype(s->res, i) != OID_BYTEA) {
		s->blob_lens[i] = (size_t)PQgetlength(s->res, s->row, i);
		return PQgetvalue(s->res, s->row, i);
	}
	if (s->blobs[i])
		return s->blobs[i];
	b = PQunescapeBytea(
		(const unsigned char *)PQgetvalue(s->res, s->row, i), &n);
	if (!b)
		return NULL;
	/* a copy with a NUL after the bytes, for column_text */
	s->blobs[i] = malloc(n + 1);
	if (s->blobs[i]) {
		memcpy(s->blobs[i], b, n);
		s->blobs[i][n] = 0;
		s->blob_lens[i] = n;
	}
	PQfreemem(b);
	return s->blobs[i];
}

static int p_column_bytes(struct db_stmt *st, int i)
{
	struct pstmt *s = P(st);

	if (!have(s, i) || PQgetisnull(s->res, s->row, i))
		return 0;
	if (PQftype(s->res, i) == OID_BYTEA) {
		if (!p_column_blob(st, i))
			return 0;
		return (int)s->blob_lens[i];
	}
	return PQgetlength(s->res, s->row, i);
}

/* p_exec: the store's BEGIN is kept for its first statement (d->begin);
 * the driver's own (describe, run) are sent by simple at once, since
 * they must hold a transaction pooler's server connection. */
static int p_exec(struct db *db, const char *sql)
{
	struct pdb *d = D(db);

	if (is_begin(sql) && !d->begin &&
	    PQtransactionStatus(d->h) == PQTRANS_IDLE) {
		d->begin = 1;
		return DB_OK;
	}
	if (defer(d, sql) == DB_OK || undo_pending(d, sql))
		return DB_OK;
	return simple(d, sql);
}

static const char *p_errmsg(struct db *db) { return D(db)->msg; }
static int p_errcode(struct db *db) { return D(db)->code; }
static int64_t p_changes(struct db *db) { return D(db)->changes; }

static int64_t p_last_insert_id(struct db *db)
{
	PGresult *r;
	int64_t id = 0;

	if (D(db)->have_insert_id)
		return D(db)->insert_id;
	trip();
	r = PQexec(D(db)->h, "SELECT lastval()");

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

/* p_run_together: see db_run_together. */
static int p_run_together(struct db_stmt **st, int n)
{
	struct pdb *d = D(st[0]->db);
	struct pstmt *ss[n];
	PGresult *res[n];
	int rc, reads = 1, plain = 1, t, inside;

	for (int i = 0; i < n; i++) {
		ss[i] = P(st[i]);
		if (ss[i]->res || ss[i]->done || ss[i]->txctl ||
		    st[i]->db != st[0]->db ||
		    (d->unnamed && ss[i]->insert && !in_tx(d)))
			return DB_ERROR; /* not for a batch: stepped alone */
		reads &= ss[i]->read;
		plain &= ss[i]->plain;
	}
	d->have_insert_id = 0;
	/* whether the batch runs in a transaction: plain reads before a
	 * BEGIN not sent yet go first, outside it (pipe) */
	t = PQtransactionStatus(d->h);
	inside = t == PQTRANS_INTRANS || t == PQTRANS_INERROR || d->npend ||
		 (d->begin && !plain);
	/* reads only: no savepoint (see the top). A failed batch is not
	 * run again, each statement reports its error: writes were undone
	 * whole (their savepoint, or the pipeline's implicit transaction),
	 * and stepping them alone would do the work twice and could keep
	 * part of it; reads aborted the transaction they failed in. Reads
	 * outside one are stepped alone, each with its own error. */
	if ((rc = pipe(d, ss, n, !reads, res)) != DB_OK) {
		if (!reads || inside)
			for (int i = 0; i < n; i++)
				ss[i]->failed = rc;
		return rc;
	}
	for (int i = 0; i < n; i++) {
		d->changes = atoll(PQcmdTuples(res[i]));
		ss[i]->res = res[i];
		ss[i]->row = -1;
	}
	return DB_OK;
}

static int p_in_transaction(struct db *db) { return in_tx(D(db)); }

/* p_usable: not after the database went away; an idle connection with
 * something to read has been told so (a terminated backend's last error,
 * or the socket's end) and is not used again either. */
static int p_usable(struct db *db)
{
	struct pdb *d = D(db);
	struct pollfd p = {.fd = PQsocket(d->h), .events = POLLIN};

	if (d->broken || PQstatus(d->h) != CONNECTION_OK || p.fd < 0)
		return 0;
	if (PQtransactionStatus(d->h) != PQTRANS_IDLE)
		return 1;
	return poll(&p, 1, 0) == 0;
}

static void p_close(struct db *db)
{
	pend_free(D(db));
	PQfinish(D(db)->h);
	free(db);
}

static const struct db_ops pg_ops = {
	.prepare = p_prepare,
	.finalize = p_finalize,
	.bind_int64 = p_bind_int64,
	.bind_double = p_bind_double,
	.bind_text = p_bind_text,
	.bind_blob = p_bind_blob,
	.bind_null = p_bind_null,
	.bind_parameter_count = p_bind_parameter_count,
	.step = p_step,
	.reset = p_reset,
	.clear_bindings = p_clear_bindings,
	.column_count = p_column_count,
	.column_name = p_column_name,
	.column_type = p_column_type,
	.column_int64 = p_column_int64,
	.column_double = p_column_double,
	.column_text = p_column_text,
	.column_blob = p_column_blob,
	.column_bytes = p_column_bytes,
	.exec = p_exec,
	.errmsg = p_errmsg,
	.errcode = p_errcode,
	.changes = p_changes,
	.last_insert_id = p_last_insert_id,
	.in_transaction = p_in_transaction,
	.usable = p_usable,
	.close = p_close,
	.run_together = p_run_together,
};

static void quiet(void *arg, const PGresult *r)
{
	(void)arg;
	(void)r; /* notices (an identifier cut, a savepoint) are not errors */
}

/* pool_mode takes our own parameter pool_mode=session|transaction out of
 * the URL's query (libpq refuses parameters it does not know), into
 * conn (size n); *unnamed is 1 for transaction. -1 with msg on a bad
 * value. */
static int pool_mode(const char *url, char *conn, size_t n, int *unnamed,
		     char *msg, unsigned mn)
{
	const char *q = strchr(url, '?'), *p, *end, *v;
	size_t len;

	*unnamed = 0;
	if (strlen(url) >= n) {
		snprintf(msg, mn, "the database URL is too long");
		return -1;
	}
	if (!q) {
		strcpy(conn, url);
		return 0;
	}
	len = (size_t)(q - url);
	memcpy(conn, url, len);
	conn[len] = 0;
	for (p = q + 1; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '&');
		if (!end)
			end = p + strlen(p);
		if ((size_t)(end - p) >= 10 && !strncmp(p, "pool_mode=", 10)) {
			v = p + 10;
			if ((size_t)(end - v) == 11 &&
			    !strncmp(v, "transaction", 11)) {
				*unnamed = 1;
			} else if ((size_t)(end - v) != 7 ||
				   strncmp(v, "session", 7)) {
				snprintf(msg, mn,
					 "pool_mode in the database URL is "
					 "session or transaction, not %.*s",
					 (int)(end - v), v);
				return -1;
			}
			continue;
		}
		if (end > p) {
			len = strlen(conn);
			snprintf(conn + len, n - len, "%c%.*s",
				 strchr(conn, '?') ? '&' : '?', (int)(end - p),
				 p);
		}
	}
	return 0;
}

int db_pg_tool_conninfo(const char *url, char *out, size_t n, char *password,
			size_t pn, char *msg, unsigned mn)
{
	char conn[2048], *err = NULL;
	PQconninfoOption *opts, *o;
	size_t len = 0;
	int unnamed;

	if (n)
		out[0] = 0;
	if (pn)
		password[0] = 0;
	if (pool_mode(url, conn, sizeof conn, &unnamed, msg, mn) < 0)
		return -1;
	if (!(opts = PQconninfoParse(conn, &err))) {
		snprintf(msg, mn, "the database URL cannot be read: %s",
			 err ? err : "out of memory");
		PQfreemem(err);
		return -1;
	}
	for (o = opts; o->keyword; o++) {
		if (!o->val || !o->val[0])
			continue;
		if (!strcmp(o->keyword, "password")) {
			if (strlen(o->val) >= pn)
				goto long_;
			strcpy(password, o->val);
			continue;
		}
		/* keyword='value', with ' and \ escaped by a backslash */
		if (len + strlen(o->keyword) + 4 >= n)
			goto long_;
		len += (size_t)sprintf(out + len, "%s%s='", len ? " " : "",
				       o->keyword);
		for (const char *c = o->val; *c; c++) {
			if (len + 4 >= n)
				goto long_;
			if (*c == '\'' || *c == '\\')
				out[len++] = '\\';
			out[len++] = *c;
		}
		out[len++] = '\'';
		out[len] = 0;
	}
	PQconninfoFree(opts);
	return 0;
long_:
	PQconninfoFree(opts);
	snprintf(msg, mn, "the database URL is too long");
	return -1;
}

/* login_refused tells whether a failed connect was refused by the server
 * for who we are or what we asked for: it wanted a password we have not
 * got or took the one we sent and failed (28P01), or the role or the
 * database does not exist, or pg_hba.conf lets no such login in (28000,
 * 3D000). libpq gives no SQLSTATE for a failed connect: the server's
 * English message is read. A server away, starting, shutting down or not
 * accepting connections is none of these. */
static int login_refused(PGconn *h)
{
	static const char *const said[] = {
		"authentication failed", "does not exist", "pg_hba.conf"};
	const char *m = PQerrorMessage(h);

	if (PQconnectionNeedsPassword(h))
		return 1;
	for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
		if (m && strstr(m, said[i]))
			return 1;
	return 0;
}

int db_pg_open(const char *url, struct db **out, char *msg, unsigned n)
{
	struct pdb *d;
	size_t cap = strlen(url) + 2;
	char *conn = malloc(cap);
	int unnamed;

	*out = NULL;
	if (!conn) {
		snprintf(msg, n, "out of memory");
		return DB_NOMEM;
	}
	if (pool_mode(url, conn, cap, &unnamed, msg, n) < 0) {
		free(conn);
		return DB_ERROR;
	}
	/* a URL libpq cannot read is a mistake, not a database away */
	{
		char *bad = NULL;
		PQconninfoOption *o = PQconninfoParse(conn, &bad);

		if (!o) {
			snprintf(msg, n, "the database URL: %s",
				 bad ? bad : "out of memory");
			msg[strcspn(msg, "\n")] = 0;
			PQfreemem(bad);
			free(conn);
			return DB_ERROR;
		}
		PQconninfoFree(o);
	}
	d = calloc(1, sizeof *d);
	if (!d) {
		free(conn);
		snprintf(msg, n, "out of memory");
		return DB_NOMEM;
	}
	d->base.ops = &pg_ops;
	d->base.kind = DB_POSTGRES;
	d->unnamed = unnamed;
	d->h = PQconnectdb(conn);
	free(conn);
	if (!d->h || PQstatus(d->h) != CONNECTION_OK) {
		const char *m = d->h ? PQerrorMessage(d->h) : "out of memory";
		size_t len;

		snprintf(msg, n, "cannot connect to PostgreSQL: %s", m);
		len = strlen(msg);
		while (len && msg[len - 1] == '\n')
			msg[--len] = 0;
		/* the server answered and refused us: a wrong password,
		 * user or database is the configuration's mistake, which
		 * no retry mends (exit at start, an error logged later) */
		if (d->h && login_refused(d->h)) {
			snprintf(msg, n,
				 "PostgreSQL refused the login (a configuration "
				 "error: check the user, password and database "
				 "of --db or the PG* variables): %s",
				 m);
			len = strlen(msg);
			while (len && msg[len - 1] == '\n')
				msg[--len] = 0;
			PQfinish(d->h);
			free(d);
			return DB_ERROR;
		}
		PQfinish(d->h);
		free(d);
		/* a server that is down, starting or refusing connections:
		 * the database is away, try again later */
		return DB_UNAVAILABLE;
	}
	PQsetNoticeReceiver(d->h, quiet, NULL);
	/* behind a transaction pooler a SET would stay with a server
	 * connection others use; nothing depends on it (times are
	 * converted AT TIME ZONE 'UTC') */
	if (!unnamed && simple(d, "SET client_min_messages = warning; "
				  "SET TIME ZONE 'UTC'") != DB_OK) {
		snprintf(msg, n, "PostgreSQL: %s", d->msg);
		PQfinish(d->h);
		free(d);
		return DB_ERROR;
	}
	*out = &d->base;
	return DB_OK;
}
