/* audit.c: GET /api/v1/audit: the audit trail (sign-ins, failed sign-ins,
 * permission changes, restores), newest first, paged by id, for admins. */
#include "api/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "store/store.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#define AUDIT_LIMIT_DEFAULT 100
#define AUDIT_LIMIT_MAX	    500
#define AUDIT_TEXT_MAX	    200

/* int_query reads query argument name as a whole number in [min, max];
 * dflt when absent or empty. */
static enum err_code int_query(struct request *req, const char *name,
			       long long min, long long max, long long dflt,
			       long long *out, struct err *e)
{
	const char *v = req_query(req, name);
	char *end;

	*out = dflt;
	if (!v || !*v)
		return E_OK;
	errno = 0;
	*out = strtoll(v, &end, 10);
	if (*end || errno || *out < min || *out > max)
		return err_set(e, E_BAD_REQUEST, name,
			       "%s must be a whole number from %lld to %lld",
			       name, min, max);
	return E_OK;
}

/* text_query reads an optional text argument (NULL when absent). */
static enum err_code text_query(struct request *req, const char *name,
				const char **out, struct err *e)
{
	const char *v = req_query(req, name);

	*out = v && *v ? v : NULL;
	if (!*out)
		return E_OK;
	if (strlen(v) > AUDIT_TEXT_MAX || !utf8_valid(v, strlen(v), NULL))
		return err_set(e, E_BAD_REQUEST, name,
			       "%s must be UTF-8 text of at most %d bytes",
			       name, AUDIT_TEXT_MAX);
	return E_OK;
}

/* text_json is s as a JSON string; bytes that are not UTF-8 (a name a
 * proxy sent, say) become '?' rather than failing the whole list. */
static json_t *text_json(struct arena *a, const char *s)
{
	size_t n = strlen(s), bad;
	char *copy;

	if (utf8_valid(s, n, NULL))
		return json_stringn(s, n);
	copy = arena_strndup(a, s, n);
	if (!copy)
		return NULL;
	while (!utf8_valid(copy, n, &bad))
		copy[bad] = '?';
	return json_stringn(copy, n);
}

static json_t *audit_json(struct arena *a, const struct store_audit *r)
{
	char at[TIME_BUF];

	time_format(r->at, at);
	return json_pack(
		"{s:I, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)r->id, "at",
		at, "actor", text_json(a, r->actor), "action",
		text_json(a, r->action), "detail", text_json(a, r->detail),
		"address", text_json(a, r->address));
}

void api_audit_list(struct request *req, struct response *res)
{
	struct store_audit_filter f = {0};
	struct store_audit *v;
	long long limit, before;
	size_t n;
	struct err e;
	json_t *j, *list;

	err_clear(&e);
	if (int_query(req, "limit", 1, AUDIT_LIMIT_MAX, AUDIT_LIMIT_DEFAULT,
		      &limit, &e) != E_OK ||
	    int_query(req, "before", 1, INT64_MAX, 0, &before, &e) != E_OK ||
	    text_query(req, "actor", &f.actor, &e) != E_OK ||
	    text_query(req, "action", &f.action, &e) != E_OK) {
		api_fail(res, &e);
		return;
	}
	/* one more than asked tells whether there is an older page */
	f.limit = (int)limit + 1;
	f.before = before;
	if (store_audit_query(req->app->store, req->arena, &f, &v, &n, &e) !=
	    E_OK) {
		api_fail(res, &e);
		return;
	}
	j = json_pack("{s:[], s:n}", "audit", "next_before");
	list = json_object_get(j, "audit");
	for (size_t i = 0; j && i < n && i < (size_t)limit; i++) {
		if (json_array_append_new(list,
					  audit_json(req->arena, &v[i]))) {
			json_decref(j);
			j = NULL;
		}
	}
	if (j && n > (size_t)limit &&
	    json_object_set_new(j, "next_before",
				json_integer(v[limit - 1].id)) < 0) {
		json_decref(j);
		j = NULL;
	}
	if (!j) {
		api_failf(res, E_NOMEM, NULL, "out of memory");
		return;
	}
	res_json(res, 200, j);
}
