/* review_learning.c: what a review page says about the other reviews:
 * its related reviews and, beside each contributing factor, "seen in N
 * other reviews". Both depend on every other review and on who asks,
 * while the page is cached per review version and shared: so the page
 * holds slot markers (SLOT_RELATED, SLOT_SEEN) and this fills them for
 * each answer, from a fragment cached per review, asker's groups and
 * store generation in memory (the page cache), and from a list stored
 * beside the stored renders (store_related_get), so that a page that
 * misses the memory cache does not compute them again: it serves by the
 * freshness rule of store.h (the review's own version, and a bounded
 * age once others were written), and a list computed before the last
 * write is checked against the asker's visibility as it is served
 * (store_related_check): a review deleted or restricted since never
 * shows, titles are the current ones, and the "seen in" counts are
 * counted again. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/access.h"
#include "http/cache.h"
#include "model/factor_key.h"
#include "util/timeutil.h"
#include "web/page.h"
#include "web/web.h"

/* The fragment: the related section, then for each factor
 * FRAG_SEP id FRAG_ID its note. Neither byte is in escaped text (the
 * model keeps control characters out of one-line text).
 * The stored list is the fragment, LIST_BEGIN, then the related reviews
 * as data, each LIST_ITEM "id factors tags services text started
 * title_len" FRAG_ID and the title's bytes: the fragment serves as it is
 * while nothing was written since, the data when it must be checked. */
#define FRAG_SEP   '\x1e'
#define FRAG_ID	   '\x1f'
#define LIST_ITEM  '\x1d'
#define LIST_BEGIN '\x1c'

#define RELATED_MAX 5

/* reason writes one reason of a related review ("2 shared tags"). */
static void reason(struct buf *b, const char **sep, int n, const char *what)
{
	if (!n)
		return;
	html_raw(b, *sep);
	buf_put_int(b, n);
	html_raw(b, what);
	if (n != 1)
		html_raw(b, "s");
	*sep = ", ";
}

static void related_html(struct buf *b, const struct related_review *rel,
			 size_t n)
{
	if (!n)
		return;
	html_raw(b, "<section class=\"related\" aria-labelledby=\"related-h\">"
		    "<h2 id=\"related-h\">Related reviews</h2><ul>");
	for (size_t i = 0; i < n; i++) {
		const char *sep = "";

		html_raw(b, "<li><a href=\"/reviews/");
		buf_put_int(b, rel[i].id);
		html_raw(b, "\">");
		html_txt(b, rel[i].title);
		html_raw(b, "</a> <span class=\"why\">");
		reason(b, &sep, rel[i].shared_factors, " shared factor");
		reason(b, &sep, rel[i].shared_tags, " shared tag");
		reason(b, &sep, rel[i].shared_services, " shared service");
		if (rel[i].text) {
			html_raw(b, sep);
			html_raw(b, "similar words");
		}
		html_raw(b, "</span></li>");
	}
	html_raw(b, "</ul></section>");
}

/* notes writes the "seen in" notes of the fragment. */
static void notes(struct request *req, struct buf *b,
		  const struct factor_seen *seen, size_t nseen)
{
	for (size_t i = 0; i < nseen; i++) {
		buf_printf(b, "%c%lld%c", FRAG_SEP, (long long)seen[i].factor_id,
			   FRAG_ID);
		if (!seen[i].seen)
			continue;
		html_raw(b, " <a class=\"seen\" href=\"/search?q=");
		html_url_arg(b, arena_printf(req->arena, "\"%s\"", seen[i].key));
		html_rawf(b, "\">seen in %lld other review%s</a>",
			  (long long)seen[i].seen, seen[i].seen == 1 ? "" : "s");
	}
}

/* list_put writes the stored list of rel. */
static void list_put(struct buf *b, const struct related_review *rel,
		     size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t tl = strlen(rel[i].title);
		const long long v[] = {rel[i].id,	     rel[i].shared_factors,
				       rel[i].shared_tags,   rel[i].shared_services,
				       rel[i].text,	     rel[i].started_at,
				       (long long)tl};

		/* "%c%lld %d %d %d %d %lld %zu%c", without printf's cost */
		buf_putc(b, LIST_ITEM);
		for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
			if (k)
				buf_putc(b, ' ');
			buf_put_int(b, v[k]);
		}
		buf_putc(b, FRAG_ID);
		buf_append(b, rel[i].title, tl);
	}
}

/* list_get reads the related reviews of a stored list's data [p, end)
 * into *rel (from a): 0, or -1 when it is not one (then it is computed
 * again). */
static int list_get(struct arena *a, const char *p, const char *end,
		    struct related_review **rel, size_t *n)
{
	*n = 0;
	if (!(*rel = arena_alloc(a, RELATED_MAX * sizeof **rel)))
		return -1;
	while (p < end) {
		struct related_review *r = &(*rel)[*n];
		long long v[7];
		char *q;
		char *t;

		if (*p != LIST_ITEM || *n == RELATED_MAX)
			return -1;
		p++;
		for (size_t k = 0; k < 7; k++) {
			/* the data ends with a title: strtoll stops before
			 * end at FRAG_ID or a space */
			if (p >= end || *p < '-' || *p > '9')
				return -1;
			v[k] = strtoll(p, &q, 10);
			if (q >= end || *q != (k < 6 ? ' ' : FRAG_ID))
				return -1;
			p = q + 1;
		}
		if (v[6] < 0 || v[6] > end - p ||
		    !(t = arena_alloc(a, (size_t)v[6] + 1)))
			return -1;
		memcpy(t, p, (size_t)v[6]);
		t[v[6]] = '\0';
		p += v[6];
		r->id = v[0];
		r->shared_factors = (int)v[1];
		r->shared_tags = (int)v[2];
		r->shared_services = (int)v[3];
		r->text = (int)v[4];
		r->started_at = v[5];
		r->title = t;
		(*n)++;
	}
	return 0;
}

/* compute computes what fills the slots of review id for req: the
 * fragment into b, the list to store into list. */
static enum err_code compute(struct request *req, int64_t id, struct buf *b,
			     struct buf *list, struct err *e)
{
	struct app *app = req->app;
	struct factor_synonyms syn;
	struct related_review *rel;
	struct factor_seen *seen;
	struct viewer viewer;
	size_t nrel, nseen;
	enum err_code rc;

	access_viewer(req, &viewer);
	factor_synonyms_parse(req->arena, app->cfg->factor_synonyms, &syn,
			      NULL);
	if ((rc = store_related(app->store, req->arena, &viewer, &syn, id,
				RELATED_MAX, &rel, &nrel, e)) != E_OK ||
	    (rc = store_factor_seen(app->store, req->arena, &viewer, &syn, id,
				    &seen, &nseen, e)) != E_OK)
		return rc;
	related_html(b, rel, nrel);
	notes(req, b, seen, nseen);
	buf_append(list, b->len ? b->data : "", b->len);
	buf_putc(list, LIST_BEGIN);
	list_put(list, rel, nrel);
	return b->oom || list->oom ? err_set(e, E_NOMEM, NULL, "out of memory")
				   : E_OK;
}

/* from_list makes the fragment of review id from a stored list; checked:
 * it was computed before the last write, so what it names is checked
 * against req's visibility (and takes the titles of now), and the "seen
 * in" counts, which a write elsewhere may have moved, are counted again
 * (when the review has factors: its version is the one they were
 * counted at). E_NOT_FOUND: not a stored list. */
static enum err_code from_list(struct request *req, int64_t id,
			       const struct buf *list, int checked,
			       struct buf *b, struct err *e)
{
	const char *start = list->len ? list->data : "";
	const char *end = start + list->len;
	const char *data = memchr(start, LIST_BEGIN, list->len);
	struct related_review *rel;
	struct factor_synonyms syn;
	struct factor_seen *seen;
	struct viewer viewer;
	size_t n, nseen;
	enum err_code rc;

	if (!data)
		return E_NOT_FOUND;
	if (!checked) {
		buf_append(b, start, (size_t)(data - start));
		return b->oom ? err_set(e, E_NOMEM, NULL, "out of memory")
			      : E_OK;
	}
	if (list_get(req->arena, data + 1, end, &rel, &n) < 0)
		return E_NOT_FOUND;
	access_viewer(req, &viewer);
	if ((rc = store_related_check(req->app->store, req->arena, &viewer,
				      rel, &n, e)) != E_OK)
		return rc;
	related_html(b, rel, n);
	if (memchr(start, FRAG_SEP, (size_t)(data - start))) {
		factor_synonyms_parse(req->arena, req->app->cfg->factor_synonyms,
				      &syn, NULL);
		if ((rc = store_factor_seen(req->app->store, req->arena,
					    &viewer, &syn, id, &seen, &nseen,
					    e)) != E_OK)
			return rc;
		notes(req, b, seen, nseen);
	}
	return b->oom ? err_set(e, E_NOMEM, NULL, "out of memory") : E_OK;
}

/* seen_note finds factor id's note in the fragment [f, end). */
static const char *seen_note(const char *f, const char *end, long long id,
			     size_t *n)
{
	const char *p = memchr(f, FRAG_SEP, (size_t)(end - f));

	while (p) {
		char *q;
		long long got = strtoll(p + 1, &q, 10);
		const char *next = memchr(p + 1, FRAG_SEP,
					  (size_t)(end - p - 1));

		if (got == id && q < end && *q == FRAG_ID) {
			*n = (size_t)((next ? next : end) - (q + 1));
			return q + 1;
		}
		p = next;
	}
	return NULL;
}

/* splice writes body with its slots filled from the fragment. */
static void splice(struct buf *out, const char *body, size_t len,
		   const char *frag, size_t flen)
{
	const char *p = body, *end = body + len, *fend = frag + flen;
	const char *rel_end = memchr(frag, FRAG_SEP, flen);
	static const char rel[] = SLOT_RELATED, seen[] = SLOT_SEEN;

	if (!rel_end)
		rel_end = fend;
	while (p < end) {
		const char *m = memmem(p, (size_t)(end - p), "<!--debrief:", 12);

		if (!m) {
			buf_append(out, p, (size_t)(end - p));
			break;
		}
		buf_append(out, p, (size_t)(m - p));
		if ((size_t)(end - m) >= sizeof rel - 1 &&
		    !memcmp(m, rel, sizeof rel - 1)) {
			buf_append(out, frag, (size_t)(rel_end - frag));
			p = m + sizeof rel - 1;
		} else if ((size_t)(end - m) > sizeof seen - 1 &&
			   !memcmp(m, seen, sizeof seen - 1)) {
			char *q;
			long long id = strtoll(m + sizeof seen - 1, &q, 10);
			const char *close = q;
			const char *note;
			size_t n = 0;

			if (close + 3 > end || memcmp(close, "-->", 3)) {
				buf_append(out, m, 12); /* not ours */
				p = m + 12;
				continue;
			}
			if ((note = seen_note(rel_end, fend, id, &n)))
				buf_append(out, note, n);
			p = close + 3;
		} else {
			buf_append(out, m, 12); /* another slot: left */
			p = m + 12;
		}
	}
}

/* stored_key is the key of the stored fragment for the asker's groups
 * (who): with the build and severities (web_render_tag) and a hash of the
 * factor synonyms, which shape it too. NULL: not stored. */
static const char *stored_key(struct request *req, const char *who)
{
	const char *tag = web_render_tag(req->app->cfg);
	const unsigned char *p =
		(const unsigned char *)req->app->cfg->factor_synonyms;
	uint32_t h = 2166136261u; /* FNV-1a */

	if (!*tag)
		return NULL;
	for (; *p; p++)
		h = (h ^ *p) * 16777619u;
	return arena_printf(req->arena, "%s-s%08x|%s", tag, (unsigned)h, who);
}

void web_review_learning_fill(struct request *req, struct response *res,
			      int64_t id, int64_t version, int64_t generation)
{
	struct app *app = req->app;
	const char *who = access_cache_key(req);
	struct buf frag = BUF_INIT, out = BUF_INIT, list = BUF_INIT;
	const char *key = NULL, *skey = NULL;
	int64_t now = time_now(), at = 0;
	int claimed = 0;
	struct err e;

	err_clear(&e);
	if (!res->body.len || res->body.oom ||
	    !memmem(res->body.data, res->body.len, SLOT_RELATED,
		    sizeof SLOT_RELATED - 1))
		return;
	if (who && generation)
		key = arena_printf(req->arena, "frag:review-learning:%lld|%zu:%s",
				   (long long)id, strlen(who), who);
	if (key) {
		if (!page_cache_get_or_wait(app->cache, key, generation, &frag))
			claimed = 1;
		else
			goto fill;
		skey = stored_key(req, who);
	}
	buf_reset(&frag);
	if (skey && store_related_get(app->store, id, skey, version, generation,
				      now, &list, &at, NULL) == E_OK &&
	    from_list(req, id, &list, at != generation, &frag, &e) == E_OK)
		goto put;
	buf_reset(&frag);
	buf_reset(&list);
	err_clear(&e);
	if (compute(req, id, &frag, &list, &e) != E_OK) {
		if (claimed)
			page_cache_abandon(app->cache, key, generation);
		buf_release(&frag); /* the page stays, without the notes */
		buf_release(&list);
		return;
	}
	if (skey)
		store_related_put(app->store, id, skey, version, generation,
				  now, list.len ? list.data : "", list.len);
put:
	if (claimed)
		page_cache_put(app->cache, key, generation, frag.data,
			       frag.len);
fill:
	splice(&out, res->body.data, res->body.len, frag.len ? frag.data : "",
	       frag.len);
	buf_release(&frag);
	buf_release(&list);
	if (out.oom) {
		buf_release(&out);
		return;
	}
	buf_release(&res->body);
	res->body = out;
}
