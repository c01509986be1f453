/* db_sqlite_rank.c: the search's bm25 on each SQLite connection, an FTS5
 * auxiliary function that takes the place of FTS5's own (issue 21).
 *
 * FTS5's bm25 counts, before it scores the first row, every row that holds
 * each phrase of the query, for the phrase's idf: a word in 96,000 of
 * 100,000 reviews cost 2.5 ms of CPU however few rows were ranked. This
 * one scores a row exactly as FTS5's does (k1 = 1.2, b = 0.75, the column
 * weights as arguments, the idf at least 1e-6) but counts a phrase's rows
 * only up to RANK_COUNT_MAX: past half the rows the idf is the floor
 * anyway; short of half, a phrase in more than RANK_COUNT_MAX rows gets
 * its count estimated from how far into the rowids (oldest first) its
 * first RANK_COUNT_MAX rows reach. Scores then differ slightly from
 * FTS5's for such a phrase, only in a query of several phrases can that
 * change the order, and such a query is ranked within a window anyway
 * (store_search's rank_window).
 * FTS5's API is declared in sqlite3.h
 * (https://sqlite.org/fts5.html#extending_fts5). */
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "store/db_driver.h"

/* A phrase's rows are counted up to this many. */
#define RANK_COUNT_MAX 2000
#define RANK_PHRASES   64

/* ln is the natural logarithm of x > 0, without libm (the binary loads
 * only libc and cmark-gfm at start): x = m * 2^k, m in [1, 2), and
 * ln(m) = 2 atanh((m - 1) / (m + 1)) by its series. */
static double ln(double x)
{
	uint64_t bits;
	int k;
	double m, z, z2, term, sum = 0;

	memcpy(&bits, &x, sizeof bits);
	k = (int)((bits >> 52) & 0x7ff) - 1023;
	bits = (bits & ~((uint64_t)0x7ff << 52)) | ((uint64_t)1023 << 52);
	memcpy(&m, &bits, sizeof m);
	z = (m - 1) / (m + 1);
	z2 = z * z;
	term = z;
	for (int i = 1; i < 60 && term > 1e-17; i += 2) {
		sum += term / i;
		term *= z2;
	}
	return k * 0.69314718055994530942 + 2 * sum;
}

/* What a query's first row computes for the others. */
struct rank_data {
	int nphrase;
	double avgdl;
	double idf[RANK_PHRASES];
};

struct phrase_count {
	sqlite3_int64 n, last;
};

static int count_rows(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
	struct phrase_count *pc = arg;

	pc->last = api->xRowid(fts);
	return ++pc->n >= RANK_COUNT_MAX ? SQLITE_DONE : SQLITE_OK;
}

/* rank_data_get computes (once a query) each phrase's idf and the mean
 * row length; NULL when out of memory or FTS5 fails (*rc). */
static struct rank_data *rank_data_get(const Fts5ExtensionApi *api,
				       Fts5Context *fts, int *rc)
{
	struct rank_data *d = api->xGetAuxdata(fts, 0);
	sqlite3_int64 rows = 0, tokens = 0;

	if (d)
		return d;
	if (!(d = sqlite3_malloc(sizeof *d))) {
		*rc = SQLITE_NOMEM;
		return NULL;
	}
	d->nphrase = api->xPhraseCount(fts);
	if (d->nphrase > RANK_PHRASES)
		d->nphrase = RANK_PHRASES;
	if ((*rc = api->xRowCount(fts, &rows)) == SQLITE_OK)
		*rc = api->xColumnTotalSize(fts, -1, &tokens);
	d->avgdl = rows > 0 ? (double)tokens / (double)rows : 1;
	for (int i = 0; *rc == SQLITE_OK && i < d->nphrase; i++) {
		struct phrase_count pc = {0, 0};
		double n, idf;

		*rc = api->xQueryPhrase(fts, i, &pc, count_rows);
		n = (double)pc.n;
		/* stopped early: as many rows beyond the last one counted
		 * as before it, in proportion */
		if (pc.n >= RANK_COUNT_MAX && pc.last > 0 && pc.last < rows)
			n = n * (double)rows / (double)pc.last;
		if (n > (double)rows)
			n = (double)rows;
		idf = rows - n + 0.5 > 0 ? ln((rows - n + 0.5) / (n + 0.5)) : 0;
		d->idf[i] = idf > 0 ? idf : 1e-6;
	}
	if (*rc != SQLITE_OK) {
		sqlite3_free(d);
		return NULL;
	}
	/* a failed xSetAuxdata has freed d already (its xDelete) */
	if ((*rc = api->xSetAuxdata(fts, d, sqlite3_free)) != SQLITE_OK)
		return NULL;
	return d;
}

/* rank_bm25 is bm25(table, weight, ...): FTS5's formula, negated (lower
 * is better). */
static void rank_bm25(const Fts5ExtensionApi *api, Fts5Context *fts,
		      sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	const double k1 = 1.2, b = 0.75;
	double freq[RANK_PHRASES] = {0}, score = 0, len;
	int rc = SQLITE_OK, ninst = 0, ntok = 0;
	struct rank_data *d = rank_data_get(api, fts, &rc);

	if (d)
		rc = api->xInstCount(fts, &ninst);
	for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int phrase, col, off;

		rc = api->xInst(fts, i, &phrase, &col, &off);
		if (rc == SQLITE_OK && phrase >= 0 && phrase < d->nphrase)
			freq[phrase] += nval > col
						? sqlite3_value_double(val[col])
						: 1.0;
	}
	if (rc == SQLITE_OK)
		rc = api->xColumnSize(fts, -1, &ntok);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	len = (double)ntok;
	for (int i = 0; i < d->nphrase; i++)
		score += d->idf[i] * (freq[i] * (k1 + 1.0)) /
			 (freq[i] + k1 * (1 - b + b * len / d->avgdl));
	sqlite3_result_double(ctx, -score);
}

void *db_sqlite_fts5_api(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &s, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	return api && api->iVersion >= 2 ? api : NULL;
}

int db_sqlite_rank_register(sqlite3 *h)
{
	fts5_api *api = db_sqlite_fts5_api(h);

	if (!api)
		return SQLITE_ERROR;
	return api->xCreateFunction(api, "bm25", NULL, rank_bm25, NULL);
}
