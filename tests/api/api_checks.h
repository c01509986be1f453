/* api_checks.h: small helpers shared by the JSON API tests (test_reviews,
 * test_children, test_bad_input, test_durability): a server per test,
 * the error shape, and snapshots to show that bad input changed nothing.
 * Included by test files only; every function is static. */
#ifndef DEBRIEF_TEST_API_CHECKS_H
#define DEBRIEF_TEST_API_CHECKS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "api/harness.h"

#define UNUSED_FN __attribute__((unused))

/* server_up / server_down: a fresh server and database for each test; a
 * test that needs extra arguments starts its own. */
UNUSED_FN static int server_up(void **state)
{
	struct hs *s = calloc(1, sizeof *s);

	if (!s || hs_start(s, NULL) < 0) {
		free(s);
		return -1;
	}
	*state = s;
	return 0;
}

UNUSED_FN static int server_down(void **state)
{
	struct hs *s = *state;
	int rc = 0;

	if (!s)
		return 0;
	if (s->pid > 0 && hs_stop(s) != 0)
		rc = -1; /* a server that does not exit 0 on SIGTERM fails */
	hs_cleanup(s);
	free(s);
	return rc;
}

/* pathf formats a request path into a static buffer per call site. */
#define PATHF(buf, ...) (snprintf(buf, sizeof buf, __VA_ARGS__), buf)

/* check_error asserts the one error shape {"error": {"code", "message",
 * "field"}} with status and code; field is checked when not NULL. */
UNUSED_FN static void check_error(const struct http_resp *r, long status,
				  const char *code, const char *field)
{
	json_t *err, *f;

	if (r->status != status)
		fprintf(stderr, "unexpected status %ld (want %ld): %s\n",
			r->status, status, r->body ? r->body : "");
	assert_int_equal(r->status, status);
	assert_non_null(r->json);
	err = json_object_get(r->json, "error");
	assert_true(json_is_object(err));
	assert_string_equal(json_string_value(json_object_get(err, "code")),
			    code);
	assert_true(json_string_length(json_object_get(err, "message")) > 0);
	if (field) {
		f = json_object_get(err, "field");
		assert_true(json_is_string(f));
		assert_string_equal(json_string_value(f), field);
	}
}

/* check_unavailable asserts a 503 in the one error shape with a
 * Retry-After of some seconds: a write that was not acknowledged. */
UNUSED_FN static void check_unavailable(const struct http_resp *r)
{
	char *retry;

	check_error(r, 503, "unavailable", NULL);
	retry = http_header(r, "Retry-After");
	assert_non_null(retry);
	assert_true(atoi(retry) > 0);
	free(retry);
}

/* create_review posts body and returns the new id (asserting 201). */
UNUSED_FN static int64_t create_review(struct hs *s, const char *body)
{
	struct http_resp r;
	int64_t id;

	assert_int_equal(http_json(s, "POST", "/api/v1/reviews", body, &r),
			 201);
	assert_non_null(r.json);
	id = json_integer_value(json_object_get(r.json, "id"));
	assert_true(id > 0);
	http_resp_free(&r);
	return id;
}

/* get_json GETs path, asserts the status and hands back the parsed body
 * (caller decrefs). */
UNUSED_FN static json_t *get_json(struct hs *s, const char *path, long status)
{
	struct http_resp r;
	json_t *j;

	assert_int_equal(http_get(s, path, &r), status);
	assert_non_null(r.json);
	j = json_incref(r.json);
	http_resp_free(&r);
	return j;
}

UNUSED_FN static json_t *get_review(struct hs *s, int64_t id)
{
	char path[64];

	return get_json(s, PATHF(path, "/api/v1/reviews/%lld", (long long)id),
			200);
}

UNUSED_FN static int64_t review_version(struct hs *s, int64_t id)
{
	json_t *j = get_review(s, id);
	int64_t v = json_integer_value(json_object_get(j, "version"));

	json_decref(j);
	return v;
}

/* review_total: how many live (or, with deleted, deleted) reviews. */
UNUSED_FN static int64_t review_total(struct hs *s, int deleted)
{
	json_t *j = get_json(s,
			     deleted ? "/api/v1/reviews?deleted=1&limit=1"
				     : "/api/v1/reviews?limit=1",
			     200);
	int64_t n = json_integer_value(json_object_get(j, "total"));

	json_decref(j);
	return n;
}

/* assert_unchanged: the review reads back exactly as before. */
UNUSED_FN static void assert_unchanged(struct hs *s, int64_t id, json_t *before)
{
	json_t *after = get_review(s, id);

	if (!json_equal(before, after)) {
		char *a = json_dumps(before, JSON_SORT_KEYS);
		char *b = json_dumps(after, JSON_SORT_KEYS);

		fprintf(stderr, "review changed:\nbefore %s\nafter  %s\n",
			a ? a : "?", b ? b : "?");
		free(a);
		free(b);
	}
	assert_true(json_equal(before, after));
	json_decref(after);
}

/* jstr / jint read a member of an object (NULL / 0 when absent). */
UNUSED_FN static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

UNUSED_FN static int64_t jint(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

#endif
