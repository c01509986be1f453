/* meta.c: the API's own routes: health, and the JSON 404 for any /api/
 * path that is not a route. */
#include "api/api.h"

#include "api/api_internal.h"

void api_not_found(struct request *req, struct response *res)
{
	api_failf(res, E_NOT_FOUND, NULL, "no such API route: %s %s",
		  req->method ? req->method : "", req->path ? req->path : "");
}

void api_health(struct request *req, struct response *res)
{
	json_t *j = json_pack("{s:s}", "status", "ok");

	if (!j) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, j);
}
