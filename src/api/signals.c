/* signals.c: the signals that learning happens (issue 17) in the API:
 * GET /api/v1/reviews/{id}/reads, GET /api/v1/reviews/{id}/inbound-links,
 * the most read reviews (GET /api/v1/reviews?sort=reads) and
 * GET /api/v1/learning (by month or by team). A review the asker does not
 * see answers as a missing one (access.h); lists across reviews count
 * only the reviews the asker sees. */
#include "api/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "api/learning_internal.h"
#include "http/access.h"
#include "model/record_json.h"
#include "store/store.h"
#include "util/timeutil.h"

enum err_code api_int_query(struct request *req, const char *name, long min,
			    long max, long dflt, long *out, struct err *e)
{
	const char *v = req_query(req, name);
	char *end;
	long n;

	*out = dflt;
	if (!v || !*v)
		return E_OK;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*end || errno || n < min || n > max)
		return err_set(e, E_BAD_REQUEST, name,
			       "%s must be a whole number from %ld to %ld",
			       name, min, max);
	*out = n;
	return E_OK;
}

/* visible_review answers 404 (as for a missing review) unless the asker
 * sees live review id; returns the id or 0. */
static int64_t visible_review(struct request *req, struct response *res)
{
	int64_t id = api_review_id(req, res), version;
	struct err e;

	if (!id)
		return 0;
	err_clear(&e);
	if (access_review_version(req, id, &version, &e) != E_OK) {
		api_fail(res, &e);
		return 0;
	}
	return id;
}

void api_review_reads(struct request *req, struct response *res)
{
	int64_t id = visible_review(req, res), reads, readers, since = 0;
	long days;
	struct err e;

	if (!id)
		return;
	err_clear(&e);
	if (api_int_query(req, "days", 0, 36500, 0, &days, &e) != E_OK)
		goto fail;
	if (days)
		since = time_now() - (int64_t)days * 86400;
	if (store_read_counts(req->app->store, id, since, &reads, &readers,
			      &e) != E_OK)
		goto fail;
	res_json(res, 200,
		 json_pack("{s:I, s:I}", "reads", (json_int_t)reads, "readers",
			   (json_int_t)readers));
	return;
fail:
	api_fail(res, &e);
}

json_t *api_link_json(const struct inbound_link *l)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s?}", "id",
			      (json_int_t)l->id, "review_id",
			      (json_int_t)l->review_id, "repository",
			      l->repository ? l->repository : "", "file",
			      l->file, "commit", l->commit, "text", l->text);
	char when[TIME_BUF];

	if (!o)
		return NULL;
	time_format(l->found_at, when);
	if (json_object_set_new(o, "line",
				l->line > 0 ? json_integer(l->line)
					    : json_null()) ||
	    json_object_set_new(o, "found_at", json_string(when))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void api_review_inbound_links(struct request *req, struct response *res)
{
	int64_t id = visible_review(req, res), total;
	struct inbound_link *links;
	size_t n;
	long limit, offset;
	json_t *out, *arr;
	struct err e;

	if (!id)
		return;
	err_clear(&e);
	if (api_int_query(req, "limit", 1, 1000, 100, &limit, &e) != E_OK ||
	    api_int_query(req, "offset", 0, 1000000000L, 0, &offset, &e) !=
		    E_OK ||
	    store_links_list(req->app->store, req->arena, id, (int)limit,
			     (int)offset, &links, &n, &total, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:[], s:I, s:i, s:i}", "links", "total",
			(json_int_t)total, "limit", (int)limit, "offset",
			(int)offset);
	arr = out ? json_object_get(out, "links") : NULL;
	for (size_t i = 0; arr && i < n; i++) {
		json_t *j = api_link_json(&links[i]);

		if (!j || json_array_append_new(arr, j)) {
			json_decref(out);
			out = arr = NULL;
		}
	}
	if (!out) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, out);
}

enum err_code api_most_read_args(struct request *req, int64_t *since,
				 struct err *e)
{
	long days;

	if (api_int_query(req, "days", 0, 36500, 30, &days, e) != E_OK)
		return e->code;
	*since = days ? time_now() - (int64_t)days * 86400 : 0;
	return E_OK;
}

static json_t *learning_row_json(const struct learning_row *r, int by_team)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			 by_team ? "team" : "month", r->key, "incidents",
			 (json_int_t)r->incidents, "reads",
			 (json_int_t)r->reads, "readers",
			 (json_int_t)r->readers, "comments",
			 (json_int_t)r->comments, "comments_after_publication",
			 (json_int_t)r->comments_after_pub, "attendees",
			 (json_int_t)r->attendees, "inbound_links",
			 (json_int_t)r->inbound_links);
}

static enum err_code learning_by(struct request *req, int *by_team,
			      struct err *e)
{
	const char *by = req_query(req, "by");

	*by_team = 0;
	if (!by || !*by || !strcmp(by, "month"))
		return E_OK;
	if (!strcmp(by, "team")) {
		*by_team = 1;
		return E_OK;
	}
	return err_set(e, E_BAD_REQUEST, "by",
		       "by must be \"month\" or \"team\"");
}

void api_learning(struct request *req, struct response *res)
{
	struct learning_row *rows;
	struct viewer viewer;
	int64_t total;
	size_t n;
	long limit, offset;
	int by_team;
	json_t *out, *arr;
	struct err e;

	err_clear(&e);
	access_viewer(req, &viewer);
	if (learning_by(req, &by_team, &e) != E_OK ||
	    api_int_query(req, "limit", 1, 500, 24, &limit, &e) != E_OK ||
	    api_int_query(req, "offset", 0, 1000000, 0, &offset, &e) != E_OK ||
	    store_learning_stats(req->app->store, req->arena, &viewer, by_team,
				 (int)limit, (int)offset, &rows, &n, &total,
				 &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	out = json_pack("{s:[], s:I, s:i, s:i}", by_team ? "teams" : "months",
			"total", (json_int_t)total, "limit", (int)limit,
			"offset", (int)offset);
	arr = out ? json_object_get(out, by_team ? "teams" : "months") : NULL;
	for (size_t i = 0; arr && i < n; i++) {
		json_t *j = learning_row_json(&rows[i], by_team);

		if (!j || json_array_append_new(arr, j)) {
			json_decref(out);
			out = arr = NULL;
		}
	}
	if (!out) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, out);
}
