/* meeting_lag.c: GET /api/v1/meetings/lag, how long after an incident
 * resolved its review met, for the trends charts. */
#include "api/api.h"

#include "api/api_internal.h"
#include "http/access.h"
#include "model/meeting.h"
#include "store/store.h"
#include "util/timeutil.h"

/* GET /api/v1/meetings/lag: how long after the incident resolved its
 * review met, as the monthly median (by the month it resolved) over the
 * reviews the asker sees: {"months": [{"month": "2026-11",
 * "median_days": 6.5, "reviews": 3}]}, oldest first. */
void api_meeting_lag(struct request *req, struct response *res)
{
	struct viewer v;
	int64_t *resolved, *met;
	struct meeting_lag_month *months;
	double *lags;
	size_t n, k;
	json_t *out, *arr;
	struct err e;

	err_clear(&e);
	access_viewer(req, &v);
	if (store_meeting_lags(req->app->store, req->arena, &v, time_now(),
			       &resolved, &met, &n, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	months = arena_alloc(req->arena, sizeof *months * (n ? n : 1));
	lags = arena_alloc(req->arena, sizeof *lags * (n ? n : 1));
	if (!months || !lags || !(out = json_pack("{s:[]}", "months"))) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	k = meeting_lag_months(resolved, met, n, lags, months);
	arr = json_object_get(out, "months");
	for (size_t i = 0; i < k; i++)
		json_array_append_new(
			arr, json_pack("{s:s, s:f, s:I}", "month",
				       arena_printf(req->arena, "%04d-%02d",
						    months[i].year,
						    months[i].month),
				       "median_days", months[i].median_days,
				       "reviews", (json_int_t)months[i].reviews));
	res_json(res, 200, out);
}

