/* db_sqlite_terms.c: fts_terms(word, max), an SQL function on each SQLite
 * connection that spells a list search's prefix word as the exact terms of
 * the search indexes it stands for (issue 21).
 *
 * A list search makes every word a prefix ("zookeep" finds "zookeeper"),
 * and SQLite 3.40's FTS5 reads a prefix's every match before its first
 * row, even for ORDER BY ... LIMIT or a test of one rowid: a word in 96,000
 * of 100,000 reviews cost about 20 ms a page. An OR of exact terms is read
 * lazily. fts_terms(word, max) tokenizes word as the indexes do (porter
 * unicode61 remove_diacritics 2, migrations 001, 009, 028), looks up the
 * terms that begin with its last token in temp.review_fts_terms and
 * temp.transcript_fts_terms (fts5vocab tables made at open), and returns
 * ("w t1" OR "w t2" ...): the word with its last token replaced by each
 * term, as quoted FTS5 phrases, so that it matches what "word"* matches.
 * It returns NULL, and the caller keeps the prefix, when there are more
 * than max terms, when a term would not come back from the tokenizer as
 * itself (the porter stem of a stem can differ: "agre" gives "agr"), or
 * when the word has no term; it returns '' when the word has no token (a
 * dash, an emoji), which FTS5 drops from a plain AND: the caller leaves
 * it out. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_driver.h"
#include "util/buf.h"

/* The tokenizer of review_fts and transcript_fts, after "porter". */
static const char *const tok_args[] = {"unicode61", "remove_diacritics",
				       "2"};

#define TERMS_TOKENS 64

/* A word's tokens: each one's bytes (copied) and where it starts. */
struct tokens {
	int n, oom;
	char *tok[TERMS_TOKENS];
	int len[TERMS_TOKENS], start[TERMS_TOKENS];
};

static int token_cb(void *ctx, int flags, const char *tok, int len,
		    int start, int end)
{
	struct tokens *t = ctx;

	(void)flags;
	(void)end;
	if (t->n == TERMS_TOKENS)
		return SQLITE_TOOBIG;
	if (!(t->tok[t->n] = malloc((size_t)len + 1))) {
		t->oom = 1;
		return SQLITE_NOMEM;
	}
	memcpy(t->tok[t->n], tok, (size_t)len);
	t->len[t->n] = len;
	t->start[t->n] = start;
	t->n++;
	return SQLITE_OK;
}

static void tokens_free(struct tokens *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->tok[i]);
	t->n = 0;
}

/* tokenize fills t with the tokens of s[0..n) as FTS5 reads a query. */
static int tokenize(fts5_api *api, const char *s, int n, int prefix,
		    struct tokens *t)
{
	fts5_tokenizer tk;
	Fts5Tokenizer *p = NULL;
	void *ud = NULL;
	int rc;

	memset(t, 0, sizeof *t);
	rc = api->xFindTokenizer(api, "porter", &ud, &tk);
	if (rc == SQLITE_OK)
		rc = tk.xCreate(ud, (const char **)tok_args, 3, &p);
	if (rc == SQLITE_OK)
		rc = tk.xTokenize(p, t, FTS5_TOKENIZE_QUERY |
					      (prefix ? FTS5_TOKENIZE_PREFIX : 0),
				  s, n, token_cb);
	if (p)
		tk.xDelete(p);
	return rc;
}

/* same_tokens: a and b hold the same tokens. */
static int same_tokens(const struct tokens *a, const struct tokens *b)
{
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++)
		if (a->len[i] != b->len[i] ||
		    memcmp(a->tok[i], b->tok[i], (size_t)a->len[i]))
			return 0;
	return 1;
}

/* struct terms: the distinct terms found so far, in the order found. */
struct terms {
	int n;
	char **s;
	int *len;
};

static int terms_add(struct terms *ts, const char *s, int len)
{
	char **ns;
	int *nl;

	for (int i = 0; i < ts->n; i++)
		if (ts->len[i] == len && !memcmp(ts->s[i], s, (size_t)len))
			return SQLITE_OK;
	ns = realloc(ts->s, sizeof *ns * (size_t)(ts->n + 1));
	if (ns)
		ts->s = ns;
	nl = realloc(ts->len, sizeof *nl * (size_t)(ts->n + 1));
	if (nl)
		ts->len = nl;
	if (!ns || !nl || !(ts->s[ts->n] = malloc((size_t)len + 1)))
		return SQLITE_NOMEM;
	memcpy(ts->s[ts->n], s, (size_t)len);
	ts->len[ts->n++] = len;
	return SQLITE_OK;
}

static void terms_free(struct terms *ts)
{
	for (int i = 0; i < ts->n; i++)
		free(ts->s[i]);
	free(ts->s);
	free(ts->len);
}

/* vocab_make makes the vocabulary tables that fts_terms reads: of type
 * instance, whose rows come from the index one by one (a row table counts
 * each term's rows first). Temporary: nothing is stored, and a database
 * keeps no table that only this program's SQLite knows. */
static int vocab_make(sqlite3 *h)
{
	return sqlite3_exec(h,
			    "CREATE VIRTUAL TABLE IF NOT EXISTS "
			    "temp.review_fts_terms USING fts5vocab(main, "
			    "review_fts, instance);"
			    "CREATE VIRTUAL TABLE IF NOT EXISTS "
			    "temp.transcript_fts_terms USING fts5vocab(main, "
			    "transcript_fts, instance)",
			    NULL, NULL, NULL);
}

/* The seek of vocab_scan in each vocabulary table. */
enum { SCAN_REVIEW, SCAN_TRANSCRIPT, NSCANS };
static const char *const scan_sql[NSCANS] = {
	"SELECT term FROM temp.review_fts_terms WHERE term >= ?1 LIMIT 1",
	"SELECT term FROM temp.transcript_fts_terms WHERE term >= ?1 LIMIT 1",
};

/* struct terms_fn: fts_terms' state on one connection: FTS5's API and
 * vocab_scan's seeks, prepared at the first search and kept until the
 * connection closes (db_sqlite_terms_close). The function runs inside
 * SQLite, below the store's statement cache (conn_stmt): it prepared
 * both seeks again for every word searched (issue 21). prepares counts
 * into the connection's db.prepares. */
struct terms_fn {
	fts5_api *api;
	sqlite3_stmt *scan[NSCANS];
	long *prepares;
};

/* scan_prepare prepares fn's seek of table which (making the vocabulary
 * tables first when they are gone: a temp_store pragma, an import's
 * connection, drops them). */
static int scan_prepare(struct terms_fn *fn, sqlite3 *h, int which)
{
	int rc;

	sqlite3_finalize(fn->scan[which]);
	fn->scan[which] = NULL;
	__atomic_add_fetch(fn->prepares, 1, __ATOMIC_RELAXED);
	rc = sqlite3_prepare_v3(h, scan_sql[which], -1,
				SQLITE_PREPARE_PERSISTENT, &fn->scan[which],
				NULL);
	if (rc != SQLITE_OK && (rc = vocab_make(h)) == SQLITE_OK)
		rc = sqlite3_prepare_v3(h, scan_sql[which], -1,
					SQLITE_PREPARE_PERSISTENT,
					&fn->scan[which], NULL);
	return rc;
}

/* vocab_scan adds to ts the terms of table which (an fts5vocab table of
 * type instance) that begin with pre[0..n); stops past max of them
 * (returns SQLITE_FULL). Each term is one seek: "term >= x" starts at x,
 * and the next term is the first at or after the last one with a 0 byte
 * appended (an instance table's rows are its terms' every instance:
 * stepping on would read them all). The seek is fn's, reset after. */
static int vocab_scan(struct terms_fn *fn, sqlite3 *h, int which,
		      const char *pre, int n, int max, struct terms *ts)
{
	char *key = NULL;
	sqlite3_stmt *s;
	int rc = SQLITE_OK, keylen = n, again = 1;

	if (!fn->scan[which] && (rc = scan_prepare(fn, h, which)) != SQLITE_OK)
		return rc;
	s = fn->scan[which];
	if (!(key = malloc((size_t)n + 1)))
		return SQLITE_NOMEM;
	memcpy(key, pre, (size_t)n);
	for (;;) {
		const char *t;
		int len;
		char *nk;

		sqlite3_bind_text(s, 1, key, keylen, SQLITE_STATIC);
		if ((rc = sqlite3_step(s)) == SQLITE_ERROR && again) {
			/* its table dropped since (a temp_store pragma):
			 * made and prepared again, once */
			again = 0;
			if ((rc = scan_prepare(fn, h, which)) != SQLITE_OK)
				break;
			s = fn->scan[which];
			continue;
		}
		again = 0;
		if (rc != SQLITE_ROW) {
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
			break;
		}
		t = (const char *)sqlite3_column_text(s, 0);
		len = sqlite3_column_bytes(s, 0);
		if (!t || len < n || memcmp(t, pre, (size_t)n)) {
			rc = SQLITE_OK;
			break;
		}
		if ((rc = terms_add(ts, t, len)) != SQLITE_OK)
			break;
		if (ts->n > max) {
			rc = SQLITE_FULL;
			break;
		}
		if (!(nk = realloc(key, (size_t)len + 1))) {
			rc = SQLITE_NOMEM;
			break;
		}
		key = nk;
		memcpy(key, t, (size_t)len);
		key[len] = 0;
		keylen = len + 1;
		sqlite3_reset(s);
	}
	if (fn->scan[which]) {
		sqlite3_reset(fn->scan[which]);
		sqlite3_clear_bindings(fn->scan[which]); /* key goes */
	}
	free(key);
	return rc;
}

/* phrase_put appends s[0..n) to b as the inside of an FTS5 string. */
static void phrase_put(struct buf *b, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		buf_append(b, s[i] == '"' ? "\"\"" : s + i, s[i] == '"' ? 2 : 1);
}

/* spell finds in alt a text that the tokenizer reads as want's tokens:
 * w's first pre bytes and then the last token, bare or with one of a few
 * endings (the index holds stems, and a stem's own stem can differ:
 * "database" is indexed as "databas", which reads back as "databa").
 * 0: none found. */
static int spell(fts5_api *api, const char *w, int pre,
		 const struct tokens *want, struct buf *alt)
{
	static const char *const endings[] = {"", "e", "s", "es", "ed", "ing"};
	const char *t = want->tok[want->n - 1];
	int n = want->len[want->n - 1];

	for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++) {
		struct tokens at;
		int same;

		buf_reset(alt);
		buf_append(alt, w, (size_t)pre);
		buf_append(alt, t, (size_t)n);
		buf_puts(alt, endings[i]);
		if (alt->oom)
			return 0;
		same = tokenize(api, alt->data, (int)alt->len, 0, &at) ==
			       SQLITE_OK &&
		       same_tokens(want, &at);
		tokens_free(&at);
		if (same)
			return 1;
	}
	return 0;
}

static void fts_terms(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct terms_fn *fn = sqlite3_user_data(ctx);
	fts5_api *api = fn->api;
	sqlite3 *h = sqlite3_context_db_handle(ctx);
	const char *w = (const char *)sqlite3_value_text(argv[0]);
	int wn = sqlite3_value_bytes(argv[0]);
	int max = argc > 1 ? sqlite3_value_int(argv[1]) : 0;
	struct tokens wt;
	struct terms ts = {0, NULL, NULL};
	struct buf b = BUF_INIT, alt = BUF_INIT;
	int rc, last, keep = 0;

	if (!w || max <= 0)
		return;
	rc = tokenize(api, w, wn, 1, &wt);
	if (rc == SQLITE_OK && !wt.n) {
		/* no token (a dash, an emoji): the caller leaves the word
		 * out, as FTS5 drops its empty phrase from a plain AND */
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		goto out;
	}
	if (rc != SQLITE_OK)
		goto out;
	last = wt.n - 1;
	rc = vocab_scan(fn, h, SCAN_REVIEW, wt.tok[last], wt.len[last], max,
			&ts);
	if (rc == SQLITE_OK)
		rc = vocab_scan(fn, h, SCAN_TRANSCRIPT, wt.tok[last],
				wt.len[last], max, &ts);
	if (rc != SQLITE_OK || !ts.n)
		goto out;
	/* each term in place of the last token, after the word's own bytes
	 * before it, must read back as the word's tokens with that term */
	buf_putc(&b, '(');
	free(wt.tok[last]);
	for (int i = 0; i < ts.n; i++) {
		wt.tok[last] = ts.s[i];
		wt.len[last] = ts.len[i];
		keep = spell(api, w, wt.start[last], &wt, &alt);
		wt.tok[last] = NULL;
		if (!keep)
			goto out;
		if (i)
			buf_puts(&b, " OR ");
		buf_putc(&b, '"');
		phrase_put(&b, alt.data, (int)alt.len);
		buf_putc(&b, '"');
	}
	buf_putc(&b, ')');
	if (!b.oom)
		sqlite3_result_text(ctx, buf_cstr(&b), (int)b.len,
				    SQLITE_TRANSIENT);
	else
		rc = SQLITE_NOMEM;
out:
	if (rc == SQLITE_NOMEM || wt.oom)
		sqlite3_result_error_nomem(ctx);
	else if (rc != SQLITE_OK && rc != SQLITE_FULL && rc != SQLITE_TOOBIG)
		sqlite3_result_error(ctx, sqlite3_errmsg(h), -1);
	tokens_free(&wt);
	terms_free(&ts);
	buf_release(&b);
	buf_release(&alt);
}

int db_sqlite_terms_register(struct sqlite3 *h, long *prepares,
			     struct terms_fn **out)
{
	fts5_api *api = db_sqlite_fts5_api(h);
	struct terms_fn *fn;
	int rc;

	*out = NULL;
	if (!api)
		return SQLITE_ERROR;
	if (!(fn = calloc(1, sizeof *fn)))
		return SQLITE_NOMEM;
	fn->api = api;
	fn->prepares = prepares;
	(void)vocab_make(h); /* else made at the first search */
	/* SQLite frees fn when the function goes (at close), or now on
	 * failure */
	rc = sqlite3_create_function_v2(h, "fts_terms", 2,
					SQLITE_UTF8 | SQLITE_DIRECTONLY, fn,
					fts_terms, NULL, NULL, free);
	if (rc == SQLITE_OK)
		*out = fn;
	return rc;
}

void db_sqlite_terms_close(struct terms_fn *fn)
{
	for (int i = 0; fn && i < NSCANS; i++) {
		sqlite3_finalize(fn->scan[i]);
		fn->scan[i] = NULL;
	}
}
