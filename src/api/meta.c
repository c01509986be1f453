/* meta.c: the operational routes: health, readiness, the Prometheus
 * metrics, and the JSON 404 for any /api/ path that is not a route. */
#include "api/api.h"

#include <string.h>

#include "api/api_internal.h"
#include "config.h"
#include "http/auth.h"
#include "store/store.h"
#include "util/metrics.h"

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

/* api_ready is health plus the store: one cheap read of the schema
 * version. 503 when the database cannot be read, so a load balancer
 * takes the server out. */
void api_ready(struct request *req, struct response *res)
{
	struct err e;
	int version = 0;
	json_t *j;

	err_clear(&e);
	if (store_schema_version(req->app->store, &version, &e) != E_OK)
		j = json_pack("{s:s,s:s}", "status", "unavailable", "error",
			      e.message);
	else
		j = json_pack("{s:s,s:i}", "status", "ready",
			      "schema_version", version);
	if (!j) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, e.code == E_OK ? 200 : 503, j);
}

/* metrics_allowed: with metrics.token set, the right Bearer token lets a
 * scraper in; with metrics.allow set, so does a peer address on that
 * list; with neither, loopback peers only. */
static int metrics_allowed(struct request *req, int *why)
{
	const struct config *cfg = req->app->cfg;
	const char *peer = auth_peer_address(req);
	char token[sizeof cfg->metrics_token];

	*why = 403;
	if (cfg->metrics_token[0]) {
		*why = 401;
		if (auth_bearer(req_header(req, "Authorization"), token,
				sizeof token) &&
		    auth_csrf_equal(cfg->metrics_token, token))
			return 1;
	}
	if (cfg->metrics_allow[0])
		return auth_proxy_trusted(cfg->metrics_allow, peer);
	if (cfg->metrics_token[0])
		return 0;
	return !strncmp(peer, "127.", 4) || !strcmp(peer, "::1") ||
	       !strncmp(peer, "::ffff:127.", 11);
}

void api_metrics(struct request *req, struct response *res)
{
	int why;

	if (!metrics_allowed(req, &why)) {
		res->status = why;
		res->content_type = "text/plain; charset=utf-8";
		if (why == 401)
			res_header(res, "WWW-Authenticate",
				   "Bearer realm=\"metrics\"");
		buf_puts(&res->body,
			 why == 401 ? "metrics need the token of metrics.token "
				      "(Authorization: Bearer ...)\n"
				    : "metrics are not open to this address "
				      "(see metrics.allow and metrics.token)\n");
		return;
	}
	res->status = 200;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	res_header(res, "Cache-Control", "no-store");
	if (metrics_render(&res->body) < 0)
		api_failf(res, E_NOMEM, NULL, "out of memory");
}
