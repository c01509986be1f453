/* test_router.c: the route table and lookup (router.c) and what handlers
 * read from a request (request.c) and write to a response (response.c),
 * without a server: requests are built by hand, headers given as lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "api/api.h"
#include "config.h"
#include "http/http.h"
#include "web/web.h"

struct fixture {
	struct arena *arena;
	struct config cfg;
	struct app app;
	struct request req;
	struct response res;
	struct kv headers[4];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	f->arena = arena_new();
	config_defaults(&f->cfg);
	f->app.cfg = &f->cfg;
	f->req.app = &f->app;
	f->req.arena = f->arena;
	f->req.body = "";
	f->req.headers = f->headers;
	f->res.arena = f->arena;
	f->res.status = 200;
	*state = f;
	return f->arena ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	buf_release(&f->res.body);
	arena_free(f->arena);
	free(f);
	return 0;
}

/* lookup sets method and path and returns router_match's handler. */
static handler_fn lookup(struct fixture *f, const char *method,
			 const char *path, char *allow, size_t allowlen)
{
	f->req.method = method;
	f->req.path = path;
	return router_match(&f->req, allow, allowlen);
}

static void header(struct fixture *f, const char *name, const char *value)
{
	f->headers[f->req.nheaders].key = name;
	f->headers[f->req.nheaders].value = value;
	f->req.nheaders++;
}

static void body(struct fixture *f, const char *b)
{
	f->req.body = b;
	f->req.body_len = strlen(b);
}

static void test_every_route_reaches_its_handler(void **state)
{
	static const struct {
		const char *method, *path;
		handler_fn want;
	} cases[] = {
		{"GET", "/", web_index_page},
		{"GET", "/deleted", web_deleted_page},
		{"GET", "/reviews/new", web_review_new_page},
		{"POST", "/reviews", web_review_create},
		{"GET", "/reviews/7", web_review_page},
		{"GET", "/reviews/7/edit", web_review_edit_page},
		{"POST", "/reviews/7/edit", web_review_save},
		{"GET", "/reviews/7/history", web_review_history_page},
		{"POST", "/reviews/7/delete", web_review_delete},
		{"POST", "/reviews/7/restore", web_review_restore},
		{"GET", "/static/app.css", web_static},
		{"GET", "/api/v1/health", api_health},
		{"GET", "/api/v1/reviews", api_reviews_list},
		{"POST", "/api/v1/reviews", api_reviews_create},
		{"GET", "/api/v1/reviews/7", api_review_get},
		{"PATCH", "/api/v1/reviews/7", api_review_patch},
		{"DELETE", "/api/v1/reviews/7", api_review_delete},
		{"POST", "/api/v1/reviews/7/restore", api_review_restore},
		{"GET", "/api/v1/reviews/7/revisions", api_revisions_list},
		{"GET", "/api/v1/reviews/7/timeline", api_children_list},
		{"POST", "/api/v1/reviews/7/followups", api_child_create},
		{"GET", "/api/v1/reviews/7/factors/3", api_child_get},
		{"PATCH", "/api/v1/reviews/7/people/3", api_child_patch},
		{"DELETE", "/api/v1/reviews/7/tags/3", api_child_delete},
	};
	struct fixture *f = *state;
	char allow[96];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		handler_fn h = lookup(f, cases[i].method, cases[i].path, allow,
				      sizeof allow);

		if (h != cases[i].want)
			fail_msg("%s %s went to the wrong handler",
				 cases[i].method, cases[i].path);
	}
}

static void test_literal_segment_wins_over_parameter(void **state)
{
	struct fixture *f = *state;
	char allow[96];

	assert_ptr_equal(lookup(f, "GET", "/reviews/new", allow, sizeof allow),
			 web_review_new_page);
	assert_int_equal(f->req.nparams, 0);
	assert_ptr_equal(
		lookup(f, "GET", "/reviews/newer", allow, sizeof allow),
		web_review_page);
	assert_ptr_equal(lookup(f, "GET", "/api/v1/reviews/4/revisions", allow,
				sizeof allow),
			 api_revisions_list);
}

static void test_parameters_are_filled_in_order(void **state)
{
	struct fixture *f = *state;
	char allow[96];

	assert_ptr_equal(lookup(f, "PATCH", "/api/v1/reviews/12/timeline/345",
				allow, sizeof allow),
			 api_child_patch);
	assert_int_equal(f->req.nparams, 3);
	assert_string_equal(f->req.params[0], "12");
	assert_string_equal(f->req.params[1], "timeline");
	assert_string_equal(f->req.params[2], "345");
	assert_int_equal(req_param_id(&f->req, 0), 12);
	assert_int_equal(req_param_id(&f->req, 2), 345);
	assert_int_equal(req_param_id(&f->req, 1), 0);
	assert_int_equal(req_param_id(&f->req, 3), 0);
}

static void test_trailing_slash_is_tolerated(void **state)
{
	struct fixture *f = *state;
	char allow[96];

	assert_ptr_equal(lookup(f, "GET", "/reviews/9/", allow, sizeof allow),
			 web_review_page);
	assert_string_equal(f->req.params[0], "9");
	assert_ptr_equal(
		lookup(f, "GET", "/api/v1/reviews/", allow, sizeof allow),
		api_reviews_list);
}

static void test_empty_or_extra_segments_do_not_match(void **state)
{
	struct fixture *f = *state;
	char allow[96];

	assert_null(lookup(f, "GET", "/reviews//edit", allow, sizeof allow));
	assert_string_equal(allow, "");
	assert_null(
		lookup(f, "GET", "/reviews/1/edit/more", allow, sizeof allow));
	assert_null(lookup(f, "GET", "/static/", allow, sizeof allow));
	assert_null(lookup(f, "GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r",
			   allow, sizeof allow));
	assert_null(lookup(f, "GET", "relative", allow, sizeof allow));
}

static void test_head_uses_the_get_route(void **state)
{
	struct fixture *f = *state;
	char allow[96];

	assert_ptr_equal(lookup(f, "HEAD", "/reviews/3", allow, sizeof allow),
			 web_review_page);
}

static void test_other_method_lists_the_allowed_ones(void **state)
{
	struct fixture *f = *state;
	char allow[96];

	assert_null(lookup(f, "PUT", "/api/v1/reviews/3", allow, sizeof allow));
	assert_string_equal(allow, "GET, HEAD, PATCH, DELETE");
	assert_null(lookup(f, "POST", "/reviews/new", allow, sizeof allow));
	assert_string_equal(allow, "GET, HEAD");
	assert_null(lookup(f, "GET", "/api/v1/reviews/3/restore", allow,
			   sizeof allow));
	assert_string_equal(allow, "POST");
}

static void test_dispatch_gives_405_json_with_allow_under_api(void **state)
{
	struct fixture *f = *state;

	f->req.method = "PUT";
	f->req.path = "/api/v1/health";
	router_dispatch(&f->req, &f->res);
	assert_int_equal(f->res.status, 405);
	assert_string_equal(f->res.content_type, "application/json");
	assert_non_null(strstr(buf_cstr(&f->res.body),
			       "\"code\":\"method_not_allowed\""));
	assert_int_equal(f->res.nheaders, 1);
	assert_string_equal(f->res.headers[0].key, "Allow");
	assert_string_equal(f->res.headers[0].value, "GET, HEAD");
}

static void test_dispatch_unknown_api_path_is_json_404(void **state)
{
	struct fixture *f = *state;

	f->req.method = "GET";
	f->req.path = "/api/v2/whatever";
	router_dispatch(&f->req, &f->res);
	assert_int_equal(f->res.status, 404);
	assert_string_equal(f->res.content_type, "application/json");
}

static void test_param_id_accepts_only_canonical_positive_numbers(void **state)
{
	static const char *const bad[] = {
		"0",
		"-1",
		"+1",
		"01",
		"1x",
		" 1",
		"",
		"9223372036854775808",
		"99999999999999999999",
	};
	struct fixture *f = *state;

	f->req.nparams = 1;
	f->req.params[0] = "9223372036854775807";
	assert_true(req_param_id(&f->req, 0) == INT64_MAX);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		f->req.params[0] = bad[i];
		if (req_param_id(&f->req, 0) != 0)
			fail_msg("'%s' was taken as an id", bad[i]);
	}
}

static void test_query_and_header_lookups_without_a_connection(void **state)
{
	struct fixture *f = *state;
	struct kv q[] = {{"page", "2"}, {"kind", "incident"}};

	f->req.query = q;
	f->req.nquery = 2;
	header(f, "X-Thing", "yes");
	assert_string_equal(req_query(&f->req, "kind"), "incident");
	assert_null(req_query(&f->req, "Kind"));
	assert_string_equal(req_header(&f->req, "x-thing"), "yes");
	assert_null(req_header(&f->req, "X-Other"));
}

static void test_form_decodes_plus_and_percent_and_keeps_repeats(void **state)
{
	struct fixture *f = *state;
	struct kv *all;

	header(f, "Content-Type", "application/x-www-form-urlencoded");
	body(f, "title=Disk+full%21&tag=a&tag=b%2Cc&empty=&flag&caf%C3%A9="
		"cr%C3%A8me&bad=%zz%4");
	assert_string_equal(req_form_get(&f->req, "title"), "Disk full!");
	assert_string_equal(req_form_get(&f->req, "tag"), "a");
	assert_string_equal(req_form_get(&f->req, "empty"), "");
	assert_string_equal(req_form_get(&f->req, "flag"), "");
	assert_string_equal(req_form_get(&f->req, "café"), "crème");
	assert_string_equal(req_form_get(&f->req, "bad"), "%zz%4");
	assert_null(req_form_get(&f->req, "missing"));
	assert_int_equal(req_form_all(&f->req, &all), 7);
	assert_string_equal(all[1].key, "tag");
	assert_string_equal(all[2].value, "b,c");
	assert_int_equal(f->req.form_parsed, 1);
}

static void test_form_with_invalid_utf8_is_marked(void **state)
{
	struct fixture *f = *state;
	struct kv *all;

	header(f, "Content-Type",
	       "application/x-www-form-urlencoded; charset=UTF-8");
	body(f, "a=1&title=%C0%AF&c=3");
	req_form_all(&f->req, &all);
	assert_int_equal(f->req.form_parsed, -1);
	assert_null(req_form_get(&f->req, "title"));
}

static void test_form_of_other_media_type_has_no_fields(void **state)
{
	struct fixture *f = *state;

	header(f, "Content-Type", "text/plain");
	body(f, "a=1");
	assert_null(req_form_get(&f->req, "a"));
	assert_int_equal(f->req.form_parsed, 1);
}

/* no route takes files yet: a multipart body (file parts included) is
 * never read as text, and marked so that the server answers 415 */
static void test_multipart_form_is_not_read_and_is_marked(void **state)
{
	struct fixture *f = *state;

	header(f, "Content-Type", "multipart/form-data; boundary=xyz");
	body(f, "--xyz\r\nContent-Disposition: form-data; name=\"a\"; "
		"filename=\"x.bin\"\r\nContent-Type: application/octet-stream"
		"\r\n\r\n\x7f"
		"ELF\r\n--xyz--\r\n");
	assert_null(req_form_get(&f->req, "a"));
	assert_int_equal(f->req.form_parsed, -2);
}

static void test_body_limit_is_per_route_and_capped_by_max_body(void **state)
{
	const size_t max = 8 * 1024 * 1024;

	/* a review form takes max_body, a sign-in a few KiB */
	assert_int_equal(router_body_limit("POST", "/reviews", max), max);
	assert_int_equal(router_body_limit("POST", "/reviews/7/edit", max),
			 max);
	assert_int_equal(router_body_limit("POST", "/api/v1/reviews", max),
			 max);
	assert_int_equal(router_body_limit("POST", "/login", max), 16 * 1024);
	assert_int_equal(router_body_limit("POST", "/reviews/7/delete", max),
			 16 * 1024);
	assert_int_equal(
		router_body_limit("POST", "/api/v1/reviews/7/timeline", max),
		1024 * 1024);
	assert_int_equal(router_body_limit("POST", "/api/v1/lint", max),
			 1024 * 1024);
	/* routes without a body take none */
	assert_int_equal(router_body_limit("GET", "/reviews/7", max), 0);
	assert_int_equal(router_body_limit("HEAD", "/", max), 0);
	/* a DELETE may name the version it deletes: a small body */
	assert_int_equal(router_body_limit("DELETE", "/api/v1/reviews/7", max),
			 16 * 1024);
	/* no route: small, so that the 404 or 405 is still answered */
	assert_int_equal(router_body_limit("POST", "/nowhere", max), 16 * 1024);
	assert_int_equal(router_body_limit("PUT", "/reviews/new", max),
			 16 * 1024);
	/* max_body is the ceiling of every route */
	assert_int_equal(router_body_limit("POST", "/login", 2048), 2048);
	assert_int_equal(router_body_limit("POST", "/api/v1/lint", 4096), 4096);
}

static void test_json_needs_the_json_content_type(void **state)
{
	struct fixture *f = *state;
	struct err e;
	json_t *j;

	body(f, "{\"a\": 1}");
	assert_int_equal(req_json(&f->req, &j, &e), E_MEDIA_TYPE);
	assert_null(j);
	header(f, "Content-Type", "text/plain");
	assert_int_equal(req_json(&f->req, &j, &e), E_MEDIA_TYPE);
	f->headers[0].value = "application/json; charset=latin1";
	assert_int_equal(req_json(&f->req, &j, &e), E_MEDIA_TYPE);
	f->headers[0].value = "application/jsonx";
	assert_int_equal(req_json(&f->req, &j, &e), E_MEDIA_TYPE);
	f->headers[0].value = "Application/JSON; charset=\"utf-8\"";
	assert_int_equal(req_json(&f->req, &j, &e), E_OK);
	assert_int_equal(json_integer_value(json_object_get(j, "a")), 1);
}

static void test_json_errors_name_line_and_column(void **state)
{
	struct fixture *f = *state;
	struct err e;
	json_t *j;

	header(f, "Content-Type", "application/json");
	body(f, "{\n  \"title\": \"x\",\n  }");
	assert_int_equal(req_json(&f->req, &j, &e), E_BAD_REQUEST);
	assert_non_null(strstr(e.message, "line 3"));
	assert_non_null(strstr(e.message, "column"));
	body(f, "{\"a\": 1, \"a\": 2}");
	assert_int_equal(req_json(&f->req, &j, &e), E_BAD_REQUEST);
	body(f, "[1, 2]");
	assert_int_equal(req_json(&f->req, &j, &e), E_BAD_REQUEST);
	assert_non_null(strstr(e.message, "object"));
	body(f, "");
	assert_int_equal(req_json(&f->req, &j, &e), E_BAD_REQUEST);
}

static void test_json_with_invalid_utf8_names_the_byte_offset(void **state)
{
	struct fixture *f = *state;
	struct err e;
	json_t *j;

	header(f, "Content-Type", "application/json");
	body(f, "{\"title\": \"caf\xC3\"}");
	assert_int_equal(req_json(&f->req, &j, &e), E_BAD_REQUEST);
	assert_non_null(strstr(e.message, "byte offset 14"));
}

static void test_if_match_reads_plain_and_quoted_versions(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(req_if_match(&f->req), 0);
	header(f, "If-Match", "3");
	assert_int_equal(req_if_match(&f->req), 3);
	f->headers[0].value = " \"42\" ";
	assert_int_equal(req_if_match(&f->req), 42);
	f->headers[0].value = "*";
	assert_int_equal(req_if_match(&f->req), 0);
	f->headers[0].value = "W/\"3\"";
	assert_int_equal(req_if_match(&f->req), -1);
	f->headers[0].value = "abc";
	assert_int_equal(req_if_match(&f->req), -1);
	f->headers[0].value = "\"\"";
	assert_int_equal(req_if_match(&f->req), -1);
}

static void test_error_json_has_code_message_field_and_version(void **state)
{
	struct fixture *f = *state;
	struct err e;
	json_t *j, *err;

	err_clear(&e);
	err_set(&e, E_CONFLICT, "version", "stale");
	e.current_version = 5;
	res_error_json(&f->res, &e);
	assert_int_equal(f->res.status, 409);
	j = json_loads(buf_cstr(&f->res.body), 0, NULL);
	assert_non_null(j);
	err = json_object_get(j, "error");
	assert_string_equal(json_string_value(json_object_get(err, "code")),
			    "conflict");
	assert_string_equal(json_string_value(json_object_get(err, "message")),
			    "stale");
	assert_string_equal(json_string_value(json_object_get(err, "field")),
			    "version");
	assert_int_equal(
		json_integer_value(json_object_get(err, "current_version")), 5);
	json_decref(j);

	err_set(&e, E_NOT_FOUND, "", "%s", "");
	res_error_json(&f->res, &e);
	assert_int_equal(f->res.status, 404);
	j = json_loads(buf_cstr(&f->res.body), 0, NULL);
	err = json_object_get(j, "error");
	assert_true(json_is_null(json_object_get(err, "field")));
	assert_true(json_string_length(json_object_get(err, "message")) > 0);
	assert_null(json_object_get(err, "current_version"));
	json_decref(j);
}

static void
test_error_json_survives_a_message_cut_inside_a_character(void **state)
{
	struct fixture *f = *state;
	struct err e;
	char title[400];

	memset(title, 0, sizeof title);
	for (size_t i = 0; i + 2 < sizeof title; i += 2)
		memcpy(title + i, "\xC3\xA9", 2);     /* é */
	err_set(&e, E_INVALID, "title", "%s", title); /* cut inside an é */
	res_error_json(&f->res, &e);
	assert_int_equal(f->res.status, 422);
}

static void test_json_response_and_redirect(void **state)
{
	struct fixture *f = *state;
	char loc[32];

	res_json(&f->res, 201, json_pack("{s:i}", "id", 4));
	assert_int_equal(f->res.status, 201);
	assert_string_equal(buf_cstr(&f->res.body), "{\"id\":4}");
	res_json(&f->res, 200, NULL);
	assert_int_equal(f->res.status, 500);

	strcpy(loc, "/reviews/4");
	res_redirect(&f->res, loc);
	memset(loc, 'x', sizeof loc - 1); /* the header kept its own copy */
	assert_int_equal(f->res.status, 303);
	assert_int_equal(f->res.body.len, 0);
	assert_string_equal(f->res.headers[f->res.nheaders - 1].key,
			    "Location");
	assert_string_equal(f->res.headers[f->res.nheaders - 1].value,
			    "/reviews/4");
}

static void test_session_user_is_the_configured_anonymous_user(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(session_current_user(&f->req), "local");
	strcpy(f->cfg.anonymous_user, "alex");
	assert_string_equal(session_current_user(&f->req), "alex");
}

/* request_as gives an in-process request a route, its parameters and a
 * reader signed in by token (so the handler notes no read). */
static void test_request_as_finds_the_route_and_signs_in(void **state)
{
	struct fixture *f = *state;
	struct request req;
	struct response res;

	assert_ptr_equal(request_as(&req, &res, &f->app, f->arena, "GET",
				    "/reviews/42", "ann", ROLE_READER,
				    "[\"ops\"]"),
			 web_review_page);
	assert_string_equal(req.route, "/reviews/{id}");
	assert_int_equal(req.nparams, 1);
	assert_string_equal(req.params[0], "42");
	assert_int_equal(req_param_id(&req, 0), 42);
	assert_true(req.auth_resolved);
	assert_string_equal(req.user, "ann");
	assert_int_equal(req.role, ROLE_READER);
	assert_int_equal(req.auth_via, AUTH_VIA_TOKEN);
	assert_string_equal(req.groups, "[\"ops\"]");
	assert_int_equal(res.status, 200);
	assert_null(request_as(&req, &res, &f->app, f->arena, "GET",
			       "/no/such/page", "ann", ROLE_READER, "[]"));
	assert_null(req.route);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_every_route_reaches_its_handler),
		T(test_request_as_finds_the_route_and_signs_in),
		T(test_literal_segment_wins_over_parameter),
		T(test_parameters_are_filled_in_order),
		T(test_trailing_slash_is_tolerated),
		T(test_empty_or_extra_segments_do_not_match),
		T(test_head_uses_the_get_route),
		T(test_other_method_lists_the_allowed_ones),
		T(test_dispatch_gives_405_json_with_allow_under_api),
		T(test_dispatch_unknown_api_path_is_json_404),
		T(test_param_id_accepts_only_canonical_positive_numbers),
		T(test_query_and_header_lookups_without_a_connection),
		T(test_form_decodes_plus_and_percent_and_keeps_repeats),
		T(test_form_with_invalid_utf8_is_marked),
		T(test_form_of_other_media_type_has_no_fields),
		T(test_multipart_form_is_not_read_and_is_marked),
		T(test_body_limit_is_per_route_and_capped_by_max_body),
		T(test_json_needs_the_json_content_type),
		T(test_json_errors_name_line_and_column),
		T(test_json_with_invalid_utf8_names_the_byte_offset),
		T(test_if_match_reads_plain_and_quoted_versions),
		T(test_error_json_has_code_message_field_and_version),
		T(test_error_json_survives_a_message_cut_inside_a_character),
		T(test_json_response_and_redirect),
		T(test_session_user_is_the_configured_anonymous_user),
#undef T
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
