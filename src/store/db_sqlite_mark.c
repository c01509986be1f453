/* db_sqlite_mark.c: fts_highlight(T, col, open, close), an FTS5 auxiliary
 * function on each SQLite connection: FTS5's highlight() for the search's
 * tables, at a third of its cost (issue 21).
 *
 * highlight() tokenizes the whole column with the table's tokenizer to
 * find the byte offsets of the matched tokens. review_fts and
 * transcript_fts stem with porter over unicode61 (migrations 001, 009,
 * 028), and porter changes only a token's text: it passes each token of
 * unicode61 on with its offsets, one for one, so token i is the same token
 * for unicode61 alone. This function tokenizes with unicode61 alone, with
 * the tables' options (remove_diacritics 2), and stops after the last
 * matched token of the column: the body highlight of a search page of the
 * Morgue import took 0.19 ms of CPU with porter, 0.05 without.
 * Its output is highlight()'s: the matches of the column (xInst), each
 * run of overlapping phrases marked once, between open and close. It is
 * right only for a table tokenized 'porter unicode61 remove_diacritics 2'
 * (or the same without porter); test_fts_mark checks both the output and
 * that every FTS5 table of the schema is tokenized so.
 * FTS5's API: https://sqlite.org/fts5.html#extending_fts5 */
#include <sqlite3.h>
#include <stdlib.h>

#include "store/db_driver.h"

/* The tokenizer under porter in the tables, and its options. */
static const char *const mark_args[] = {"remove_diacritics", "2"};

/* One connection's tokenizer (the function's context; a connection runs
 * one statement step at a time, so one is enough). */
struct mark_tok {
	fts5_tokenizer tk;
	Fts5Tokenizer *t;
};

/* The state of one column's marking. */
struct mark {
	const Fts5ExtensionApi *api;
	Fts5Context *fts;
	int col, ninst, inst; /* the next instance to read */
	int start, end;	      /* the run of tokens to mark next (-1: none) */
	int pos;	      /* the position of the next token */
	int off;	      /* the bytes of in copied to out */
	const char *in, *open, *close;
	sqlite3_str *out;
};

/* mark_next reads into m->start, m->end the next run of m's column's
 * instances that overlap (a phrase that begins within the run before it
 * joins it), as FTS5's highlight() does; -1 when there is none. */
static int mark_next(struct mark *m)
{
	int rc = SQLITE_OK;

	m->start = m->end = -1;
	while (m->inst < m->ninst) {
		int phrase, col, off, end;

		if ((rc = m->api->xInst(m->fts, m->inst, &phrase, &col,
					&off)) != SQLITE_OK)
			return rc;
		if (col == m->col) {
			end = off - 1 + m->api->xPhraseSize(m->fts, phrase);
			if (m->start < 0) {
				m->start = off;
				m->end = end;
			} else if (off <= m->end) {
				if (end > m->end)
					m->end = end;
			} else {
				break;
			}
		}
		m->inst++;
	}
	return rc;
}

/* mark_token is unicode61's callback: it copies the text up to a run's
 * first token, opens the mark, and closes it after the run's last one;
 * SQLITE_DONE after the last run (the rest is copied as it is). */
static int mark_token(void *ctx, int tflags, const char *tok, int ntok,
		      int start, int end)
{
	struct mark *m = ctx;
	int pos, rc = SQLITE_OK;

	(void)tok;
	(void)ntok;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	pos = m->pos++;
	if (pos == m->start) {
		sqlite3_str_append(m->out, m->in + m->off, start - m->off);
		sqlite3_str_appendall(m->out, m->open);
		m->off = start;
	}
	if (pos == m->end) {
		sqlite3_str_append(m->out, m->in + m->off, end - m->off);
		sqlite3_str_appendall(m->out, m->close);
		m->off = end;
		rc = mark_next(m);
		if (rc == SQLITE_OK && m->start < 0)
			rc = SQLITE_DONE;
	}
	return rc;
}

/* fts_highlight(T, col, open, close): the text of column col of the row,
 * its matches between open and close (NULL: nothing); NULL when the
 * column is NULL. */
static void fts_highlight(const Fts5ExtensionApi *api, Fts5Context *fts,
			  sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	struct mark_tok *mt = api->xUserData(fts);
	struct mark m = {0};
	int n = 0, rc;

	if (nval != 3) {
		sqlite3_result_error(
			ctx,
			"wrong number of arguments to function fts_highlight()",
			-1);
		return;
	}
	m.api = api;
	m.fts = fts;
	m.start = m.end = -1;
	m.col = sqlite3_value_int(val[0]);
	m.open = (const char *)sqlite3_value_text(val[1]);
	m.close = (const char *)sqlite3_value_text(val[2]);
	if (!m.open)
		m.open = "";
	if (!m.close)
		m.close = "";
	rc = api->xColumnText(fts, m.col, &m.in, &n);
	if (rc != SQLITE_OK || !m.in) {
		if (rc != SQLITE_OK)
			sqlite3_result_error_code(ctx, rc);
		return;
	}
	if ((rc = api->xInstCount(fts, &m.ninst)) == SQLITE_OK)
		rc = mark_next(&m);
	if (rc == SQLITE_OK && m.start < 0) { /* no match in this column */
		sqlite3_result_text(ctx, m.in, n, SQLITE_TRANSIENT);
		return;
	}
	m.out = sqlite3_str_new(NULL);
	if (rc == SQLITE_OK)
		rc = mt->tk.xTokenize(mt->t, &m, FTS5_TOKENIZE_AUX, m.in, n,
				      mark_token);
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_str_append(m.out, m.in + m.off, n - m.off);
	if (rc == SQLITE_OK)
		rc = sqlite3_str_errcode(m.out);
	n = sqlite3_str_length(m.out);
	if (rc == SQLITE_OK)
		sqlite3_result_text(ctx, sqlite3_str_finish(m.out), n,
				    sqlite3_free);
	else
		sqlite3_free(sqlite3_str_finish(m.out));
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
}

static void mark_tok_free(void *p)
{
	struct mark_tok *mt = p;

	if (mt && mt->t)
		mt->tk.xDelete(mt->t);
	free(mt);
}

int db_sqlite_mark_register(struct sqlite3 *h)
{
	fts5_api *api = db_sqlite_fts5_api(h);
	struct mark_tok *mt;
	void *ud = NULL;
	int rc;

	if (!api)
		return SQLITE_ERROR;
	if (!(mt = calloc(1, sizeof *mt)))
		return SQLITE_NOMEM;
	rc = api->xFindTokenizer(api, "unicode61", &ud, &mt->tk);
	if (rc == SQLITE_OK)
		rc = mt->tk.xCreate(ud, (const char **)mark_args,
				    sizeof mark_args / sizeof mark_args[0],
				    &mt->t);
	if (rc != SQLITE_OK) {
		mark_tok_free(mt);
		return rc;
	}
	/* FTS5 frees mt with the connection (its xDestroy), but not when
	 * it fails to take it */
	if ((rc = api->xCreateFunction(api, "fts_highlight", mt, fts_highlight,
				       mark_tok_free)) != SQLITE_OK)
		mark_tok_free(mt);
	return rc;
}
