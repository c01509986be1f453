/* index.c: the list of reviews (GET /) with its counts, filters and
 * pages, and the list of deleted reviews (GET /deleted) to restore from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/access.h"
#include "util/timeutil.h"
#include "web/page.h"
#include "web/web.h"

/* The filter as given in the query, kept as text to fill the form and to
 * build links, and as a store filter. */
struct list_args {
	const char *kind, *severity, *status, *tag, *service, *from, *to, *q;
	const char *cursor; /* a valid cursor (page after the one linked from) */
	int page;
	struct review_filter f;
	char errors[2][96]; /* from, to */
	char q_error[256];  /* a search over the limits (model/review.h) */
	const char *q_typed; /* the refused search, kept in its box to edit */
};

static const char *arg(struct request *req, const char *name)
{
	const char *v = req_query(req, name);

	return v && *v ? v : NULL;
}

static int is_choice(const struct field_def *fd, const char *v)
{
	for (int i = 0; v && fd->choices[i]; i++)
		if (!strcmp(fd->choices[i], v))
			return 1;
	return 0;
}

/* read_args reads the filter from the query; values that are not valid are
 * dropped (with a note for the dates, which people type). */
static void read_args(struct request *req, struct list_args *la, int deleted)
{
	const struct config *cfg = req->app->cfg;
	const char *page = arg(req, "page");
	int64_t t;

	memset(la, 0, sizeof *la);
	la->kind = arg(req, "kind");
	la->severity = arg(req, "severity");
	la->status = arg(req, "status");
	la->tag = arg(req, "tag");
	la->service = arg(req, "service");
	la->from = arg(req, "from");
	la->to = arg(req, "to");
	la->q = arg(req, "q");
	if (la->q) {
		struct err e;

		err_clear(&e);
		if (review_search_check(la->q, &e) != E_OK) {
			snprintf(la->q_error, sizeof la->q_error, "%s",
				 e.message);
			la->q_typed = la->q;
			la->q = NULL;
		}
	}
	if (!is_choice(&review_def.fields[REVIEW_KIND], la->kind))
		la->kind = NULL;
	if (!is_choice(&review_def.fields[REVIEW_STATUS], la->status))
		la->status = NULL;
	if (la->severity && (strlen(la->severity) != 1 ||
			     la->severity[0] < '1' || la->severity[0] > '5'))
		la->severity = NULL;
	la->f.kind = la->kind;
	la->f.status = la->status;
	la->f.severity = la->severity ? la->severity[0] - '0' : 0;
	la->f.tag = la->tag;
	la->f.service = la->service;
	la->f.q = la->q;
	la->f.deleted = deleted;
	if (la->from && time_parse_date(la->from, &t) == 0) {
		la->f.from = t;
	} else if (la->from) {
		snprintf(la->errors[0], sizeof la->errors[0],
			 "\"From\" must be a date like 2026-11-20");
		la->from = NULL;
	}
	if (la->to && time_parse_date(la->to, &t) == 0) {
		la->f.to = t + 86399; /* the whole day */
	} else if (la->to) {
		snprintf(la->errors[1], sizeof la->errors[1],
			 "\"To\" must be a date like 2026-11-20");
		la->to = NULL;
	}
	la->page = page ? atoi(page) : 1;
	if (la->page < 1 || la->page > 1000000)
		la->page = 1;
	la->f.limit = cfg->page_size > 0 ? cfg->page_size : 25;
	la->f.offset = (la->page - 1) * la->f.limit;
	/* "Older" links carry the cursor of the last review shown, so a deep
	 * page costs what the first does; page stays for the numbers shown.
	 * A cursor that is not one is dropped (the offset of page serves). */
	la->cursor = arg(req, "cursor");
	if (la->cursor &&
	    (la->page < 2 ||
	     store_review_cursor_parse(la->cursor, &la->f, NULL) != E_OK))
		la->cursor = NULL;
}

/* link_to writes an href value: base, then the current filter with key
 * set to val (NULL: dropped) and the page number (1: left out). */
static void link_to(struct buf *b, const char *base, const struct list_args *la,
		    const char *key, const char *val, int page)
{
	const struct {
		const char *name, *value;
	} args[] = {
		{"q", la->q},
		{"kind", la->kind},
		{"severity", la->severity},
		{"status", la->status},
		{"tag", la->tag},
		{"service", la->service},
		{"from", la->from},
		{"to", la->to},
	};
	char num[16];
	int first = 1;

	html_raw(b, base);
	for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
		const char *v = args[i].value;
		if (key && !strcmp(key, args[i].name))
			v = val;
		if (!v)
			continue;
		html_raw(b, first ? "?" : "&amp;");
		html_raw(b, args[i].name);
		html_raw(b, "=");
		html_url_arg(b, v);
		first = 0;
	}
	if (page > 1) {
		snprintf(num, sizeof num, "%d", page);
		html_raw(b, first ? "?page=" : "&amp;page=");
		html_raw(b, num);
	}
}

/* A search's counts that stopped at their cap (issue 21) are lower
 * bounds: each number shown with "+". */
static const char *plus(int capped)
{
	return capped ? "+" : "";
}

static void count_item(struct buf *b, const struct list_args *la,
		       const char *key, const char *value, int64_t n,
		       int capped, const char *label_value)
{
	int active = key && ((!strcmp(key, "kind") && la->kind &&
			      !strcmp(la->kind, value)) ||
			     (!strcmp(key, "status") && la->status &&
			      !strcmp(la->status, value)));

	html_raw(b, "<li><a href=\"");
	link_to(b, "/", la, key, active ? NULL : value, 1);
	html_rawf(b, "\"%s><strong>%lld%s</strong> ",
		  active ? " aria-current=\"true\"" : "", (long long)n,
		  plus(capped));
	page_choice_label(b, label_value);
	html_raw(b, "</a></li>");
}

/* render_counts shows c; capped: they stopped at the search's cap, and
 * count its first matches only. */
static void render_counts(struct buf *b, const struct review_counts *c,
			  int capped, const struct list_args *la)
{
	const struct field_def *kinds = &review_def.fields[REVIEW_KIND];
	const struct field_def *statuses = &review_def.fields[REVIEW_STATUS];

	html_rawf(b,
		  "<section class=\"stats\" aria-label=\"Counts\">"
		  "<div class=\"stat stat-total\"><strong>%lld%s</strong> "
		  "<span>%s</span></div><div class=\"stat stat-followups\">"
		  "<strong>%lld%s</strong> <span>open follow-up%s</span></div>",
		  (long long)c->total, plus(capped),
		  c->total == 1 ? "review" : "reviews",
		  (long long)c->open_followups, plus(capped),
		  c->open_followups == 1 ? "" : "s");
	html_raw(b, "<div class=\"stat-groups\"><ul class=\"stat-group\" "
		    "aria-label=\"By kind\">");
	for (int i = 0; kinds->choices[i] && i < 8; i++)
		count_item(b, la, "kind", kinds->choices[i], c->by_kind[i],
			   capped, kinds->choices[i]);
	html_raw(b, "</ul><ul class=\"stat-group\" aria-label=\"By status\">");
	for (int i = 0; statuses->choices[i] && i < 8; i++)
		count_item(b, la, "status", statuses->choices[i],
			   c->by_status[i], capped, statuses->choices[i]);
	html_raw(b, "</ul></div>");
	if (capped)
		html_rawf(b,
			  "<p class=\"stats-note\">Counted over the first "
			  "%lld matches.</p>",
			  (long long)c->total);
	html_raw(b, "</section>\n");
}

static void select_filter(struct buf *b, const char *name, const char *label,
			  const struct field_def *fd, const char *value)
{
	html_rawf(b,
		  "<div class=\"field\"><label for=\"flt-%s\">%s</label>"
		  "<select id=\"flt-%s\" name=\"%s\">",
		  name, label, name, name);
	html_option(b, "", "Any", !value);
	if (fd) {
		for (int i = 0; fd->choices[i]; i++) {
			html_raw(b, "<option value=\"");
			html_attr(b, fd->choices[i]);
			html_raw(b, value && !strcmp(value, fd->choices[i])
					    ? "\" selected>"
					    : "\">");
			page_choice_label(b, fd->choices[i]);
			html_raw(b, "</option>");
		}
	} else {
		for (char s[2] = "1"; s[0] <= '5'; s[0]++) {
			char l[8];
			snprintf(l, sizeof l, "SEV %c", s[0]);
			html_option(b, s, l, value && !strcmp(value, s));
		}
	}
	html_raw(b, "</select></div>");
}

static void text_filter(struct buf *b, const char *name, const char *label,
			const char *type, const char *value, const char *error)
{
	html_rawf(b,
		  "<div class=\"field%s\"><label for=\"flt-%s\">%s</label>"
		  "<input id=\"flt-%s\" type=\"%s\" name=\"%s\" value=\"",
		  error && *error ? " has-error" : "", name, label, name, type,
		  name);
	html_attr(b, value);
	html_raw(b, "\">");
	if (error && *error) {
		html_raw(b, "<p class=\"field-error\">");
		html_txt(b, error);
		html_raw(b, "</p>");
	}
	html_raw(b, "</div>");
}

static void render_filters(struct buf *b, const struct list_args *la,
			   const char *action)
{
	html_raw(b, "<form class=\"filters\" method=\"get\" action=\"");
	html_attr(b, action);
	html_raw(b, "\" role=\"search\"><div class=\"filter-q\">");
	text_filter(b, "q", "Search", "search",
		    la->q_error[0] ? la->q_typed : la->q, la->q_error);
	html_raw(b, "</div><div class=\"filter-grid\">");
	select_filter(b, "kind", "Kind", &review_def.fields[REVIEW_KIND],
		      la->kind);
	select_filter(b, "severity", "Severity", NULL, la->severity);
	select_filter(b, "status", "Status", &review_def.fields[REVIEW_STATUS],
		      la->status);
	text_filter(b, "tag", "Tag", "text", la->tag, NULL);
	text_filter(b, "service", "Service", "text", la->service, NULL);
	text_filter(b, "from", "Started from", "date", la->from, la->errors[0]);
	text_filter(b, "to", "to", "date", la->to, la->errors[1]);
	html_raw(b, "</div><div class=\"filter-actions\">"
		    "<button type=\"submit\">Filter</button> <a href=\"");
	html_attr(b, action);
	html_raw(b, "\">Clear</a></div></form>\n");
}

static void render_tags(struct buf *b, const struct record_list *tags,
			const struct list_args *la)
{
	for (size_t i = 0; tags && i < tags->n; i++) {
		const char *t = record_str(tags->items[i], TAG_NAME);
		html_raw(b, "<a class=\"tag\" href=\"");
		link_to(b, "/", la, "tag", t, 1);
		html_raw(b, "\">");
		html_txt(b, t);
		html_raw(b, "</a> ");
	}
}

/* render_rows writes the table of reviews; deleted pages get a restore
 * button instead of tags. */
static void render_rows(struct buf *b, const struct config *cfg,
			const struct record_list *list,
			const struct record_list *tags,
			const struct list_args *la, int deleted)
{
	html_raw(b, "<table class=\"reviews\"><thead><tr><th scope=\"col\">"
		    "Review</th><th scope=\"col\">Kind</th><th scope=\"col\">"
		    "Severity</th><th scope=\"col\">Status</th>"
		    "<th scope=\"col\">Started</th>");
	html_raw(b, deleted ? "<th scope=\"col\">Deleted</th><th scope=\"col\">"
			      "<span class=\"sr-only\">Restore</span></th>"
			    : "<th scope=\"col\">Tags</th>");
	html_raw(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < list->n; i++) {
		const struct record *r = list->items[i];

		/* a deleted review has no page, but its history is there */
		html_rawf(
			b,
			"<tr><td class=\"title\"><a href=\"/reviews/%lld%s\">",
			(long long)r->id, deleted ? "/history" : "");
		html_txt(b, record_str(r, REVIEW_TITLE));
		html_raw(b, "</a>");
		if (record_isset(r, REVIEW_TLDR)) {
			/* the markdown source, shortened: a hint, not the
			 * rendered text (that is on the review page) */
			html_raw(b, "<p class=\"row-tldr\">");
			page_excerpt(b, record_str(r, REVIEW_TLDR), 160, 0);
			html_raw(b, "</p>");
		}
		html_raw(b, "</td><td data-label=\"Kind\">");
		page_badge(b, "kind", record_str(r, REVIEW_KIND));
		html_raw(b, "</td><td data-label=\"Severity\">");
		page_severity(b, cfg, record_int(r, REVIEW_SEVERITY, 0));
		html_raw(b, "</td><td data-label=\"Status\">");
		page_badge(b, "status", record_str(r, REVIEW_STATUS));
		html_raw(b, "</td><td data-label=\"Started\" class=\"when\">");
		if (record_isset(r, REVIEW_STARTED_AT))
			html_time(b, record_int(r, REVIEW_STARTED_AT, 0));
		else
			html_raw(b, "<span class=\"muted\">—</span>");
		if (deleted) {
			html_raw(b, "</td><td class=\"when\">");
			if (r->deleted_at)
				html_time(b, r->deleted_at);
			html_rawf(b,
				  "</td><td><form method=\"post\" action=\""
				  "/reviews/%lld/restore\">",
				  (long long)r->id);
			page_csrf_field(b);
			html_raw(b, "<button type=\"submit\" class=\"small\">"
				    "Restore</button></form>");
		} else {
			html_raw(b, "</td><td class=\"tags\">");
			render_tags(b, tags ? &tags[i] : NULL, la);
		}
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody></table>\n");
}

static void render_pager(struct buf *b, const char *base,
			 const struct list_args *la,
			 const struct record_list *list, int64_t total,
			 int capped)
{
	int64_t pages = (total + la->f.limit - 1) / la->f.limit;
	int64_t first = (int64_t)la->f.offset + 1;
	int64_t last = first + la->f.limit - 1;

	if (last > total)
		last = total;
	html_raw(b, "<nav class=\"pager\" aria-label=\"Pages\">");
	if (total > 0 && first <= total)
		html_rawf(b, "<span>%lld–%lld of %lld%s</span>",
			  (long long)first, (long long)last, (long long)total,
			  plus(capped));
	if (la->page > 1) {
		html_raw(b, "<a rel=\"prev\" href=\"");
		link_to(b, base, la, NULL, NULL, la->page - 1);
		html_raw(b, "\">← Newer</a>");
	}
	if (la->page < pages) {
		html_raw(b, "<a rel=\"next\" href=\"");
		link_to(b, base, la, NULL, NULL, la->page + 1);
		if (list->n == (size_t)la->f.limit) {
			char cur[STORE_CURSOR_MAX];

			store_review_cursor(list->items[list->n - 1], cur,
					    sizeof cur);
			html_raw(b, "&amp;cursor=");
			html_url_arg(b, cur);
		}
		html_raw(b, "\">Older →</a>");
	}
	html_raw(b, "</nav>\n");
}

/* deleted_notice: after a delete, the index offers admins to undo it
 * (restoring is theirs). */
static void deleted_notice(struct request *req, struct buf *b)
{
	const char *d = req_query(req, "deleted");
	long long id = d ? atoll(d) : 0;

	if (id <= 0)
		return;
	html_rawf(b,
		  "<div class=\"notice\" role=\"status\"><form method=\"post\" "
		  "action=\"/reviews/%lld/restore\">",
		  id);
	page_csrf_field(b);
	html_raw(b, "<p>The review was deleted. " SLOT_ADMIN_BEGIN
		    "<button type=\"submit\" class=\"link\">Undo</button>"
		    SLOT_ADMIN_END "</p></form></div>\n");
}

/* index_cache_key names the index page for these query arguments and
 * for what the asker may see (access_cache_key: "all", or the asker's
 * groups): each part length-prefixed so that no two share a key. Pages are
 * cached by the store's generation, which moves with every write. */
static const char *index_cache_key(struct request *req,
				   const struct list_args *la)
{
	const char *const v[] = {la->kind, la->severity, la->status,
				 la->tag,  la->service,	 la->from,
				 la->to,   la->q,	 req_query(req, "deleted"),
				 la->cursor};
	const char *who = access_cache_key(req);
	struct buf k = BUF_INIT;
	const char *key;

	if (!who)
		return NULL;
	/* the day too: the overdue notice (calendar.c), lingering
	 * follow-ups (web_lingering_note) and "On this day"
	 * (on_this_day.c) move with the clock, not only with writes */
	buf_printf(&k, "page:index:%d|%lld|%zu:%s", la->page,
		   (long long)(time_now() / 86400), strlen(who), who);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		buf_printf(&k, "|%zu:%s", v[i] ? strlen(v[i]) : 0,
			   v[i] ? v[i] : "");
	key = k.oom ? NULL : arena_strdup(req->arena, buf_cstr(&k));
	buf_release(&k);
	return key;
}

static void list_page(struct request *req, struct response *res, int deleted)
{
	struct app *app = req->app;
	struct buf *b = &res->body;
	struct list_args la;
	struct record_list list = {0};
	struct record_list *tags = NULL;
	struct review_counts counts;
	struct viewer viewer;
	int64_t total = 0;
	struct err e;
	const char *base = deleted ? "/deleted" : "/";
	const char *key = NULL;
	int64_t generation = 0;
	int claimed = 0; /* this request renders the page others wait for */
	int capped = 0;

	err_clear(&e);
	read_args(req, &la, deleted);
	access_viewer(req, &viewer);
	la.f.viewer = &viewer;
	/* a search's counts stop at a cap past the page (issue 21) */
	la.f.count_cap = (int)app->cfg->search_count_cap;
	la.f.capped = &capped;
	/* a page with a note about what was typed is never cached: its key
	 * would be that of the page without the dropped value */
	if (!deleted && !la.q_error[0] && !la.errors[0][0] &&
	    !la.errors[1][0] && (key = index_cache_key(req, &la)) &&
	    store_generation(app->store, &generation, NULL) == E_OK) {
		/* a miss waits for another request's render, or claims it:
		 * put or abandon on every path below */
		if (page_cache_get_or_wait(app->cache, key, generation, b)) {
			res->status = 200;
			res->content_type = "text/html; charset=utf-8";
			return;
		}
		claimed = 1;
	}
	buf_reset(b);
	/* the live list's total is the sum of its counts (one pass over a
	 * search's matches fewer), read with the list (its words looked up
	 * once) */
	if ((deleted ? store_review_list(app->store, req->arena, &la.f, &list,
					 NULL, &total, &e)
		     : store_review_list_counts(app->store, req->arena, &la.f,
						&list, &tags, &counts, &e)) !=
	    E_OK) {
		if (claimed)
			page_cache_abandon(app->cache, key, generation);
		page_fail(req, res, &e);
		return;
	}
	if (!deleted)
		total = counts.total;
	page_begin(res, deleted ? "Deleted reviews" : "Reviews",
		   deleted ? NAV_DELETED : NAV_REVIEWS);
	html_rawf(b, "<div class=\"page-head\"><h1>%s</h1>",
		  deleted ? "Deleted reviews" : "Reviews");
	if (!deleted)
		html_raw(b, SLOT_EDITOR_BEGIN "<a class=\"button primary\" "
			    "href=\"/reviews/new\">New review</a>"
			    " <a class=\"button\" href=\"/reviews/new?kind="
			    "architecture\">New architecture review</a>"
			    " <a class=\"button\" href=\"/reviews/new?kind="
			    "operability\">New operability review</a>"
			    SLOT_EDITOR_END);
	html_raw(b, "</div>\n");
	if (!deleted) /* the other order: learning.c */
		html_raw(b, "<p class=\"sort-by\">Sort: <strong>Newest"
			    "</strong> · <a href=\"/?sort=reads\">Most read"
			    "</a></p>\n");
	if (deleted) {
		html_raw(b, "<p class=\"lead\">Deleted reviews are kept with "
			    "their history and can be restored.</p>\n");
	} else {
		deleted_notice(req, b);
		page_overdue_notice(req, b);
		render_counts(b, &counts, capped, &la);
		web_lingering_note(req, b);
		if (la.page == 1 && !la.cursor && !la.kind && !la.severity &&
		    !la.status && !la.tag && !la.service && !la.from &&
		    !la.to && !la.q)
			web_on_this_day_box(req, b, (int64_t)time(NULL));
	}
	render_filters(b, &la, base);
	if (list.n)
		render_rows(b, app->cfg, &list, tags, &la, deleted);
	else if (total)
		html_raw(b, "<p class=\"empty\">There are no reviews on this "
			    "page.</p>\n");
	else if (deleted)
		html_raw(b,
			 "<p class=\"empty\">Nothing has been deleted.</p>\n");
	else if (la.kind || la.severity || la.status || la.tag || la.service ||
		 la.from || la.to || la.q)
		html_raw(b,
			 "<p class=\"empty\">No review matches these filters."
			 " <a href=\"/\">Show all reviews</a></p>\n");
	else
		html_raw(b, "<div class=\"empty\"><p>No reviews yet. Reviews "
			    "are how we learn from incidents, near misses and "
			    "things that went well.</p>" SLOT_EDITOR_BEGIN
			    "<p><a class=\"button primary\" "
			    "href=\"/reviews/new\">Write the first one</a></p>"
			    SLOT_EDITOR_END "</div>\n");
	render_pager(b, base, &la, &list, total, capped);
	page_end(res);
	if (la.q_error[0])
		res->status = 400; /* the search was not run */
	/* Stored under the generation read before the queries: a write in
	 * between only makes the next request miss. */
	if (claimed && generation && res->status == 200 && !b->oom)
		page_cache_put(app->cache, key, generation, b->data, b->len);
	else if (claimed)
		page_cache_abandon(app->cache, key, generation);
}

void web_index_page(struct request *req, struct response *res)
{
	const char *sort = req_query(req, "sort");

	if (sort && !strcmp(sort, "reads")) {
		web_most_read_page(req, res);
		return;
	}
	list_page(req, res, 0);
}

void web_deleted_page(struct request *req, struct response *res)
{
	list_page(req, res, 1);
}
