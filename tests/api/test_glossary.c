/* test_glossary.c: /api/v1/glossary and the review page's term links
 * against the real server: the first use of a term links to its
 * definition, a change to the glossary is a new page (never a stale
 * cached one), bad terms (one letter, no letter, a duplicate) are refused
 * naming the field and change nothing, terms with pattern characters are
 * literal, and only editors change the glossary. */
#include "api/account_checks.h"

struct world {
	struct hs *s;
	char editor[160], reader[160];
};

static int world_up(void **state)
{
	struct world *W = calloc(1, sizeof *W);

	assert_non_null(W);
	W->s = acct_prepare();
	acct_add_user(W->s, "ed", "editor");
	acct_add_user(W->s, "rea", "reader");
	acct_token(W->s, "ed", "write", W->editor, sizeof W->editor);
	acct_token(W->s, "rea", "write", W->reader, sizeof W->reader);
	if (hs_start(W->s, NULL) < 0)
		return -1;
	*state = W;
	return 0;
}

static int world_down(void **state)
{
	struct world *W = *state;

	hs_stop(W->s);
	hs_cleanup(W->s);
	free(W->s);
	free(W);
	return 0;
}

static int64_t add_term(struct world *W, const char *json, long want,
			const char *field)
{
	struct http_resp r;
	int64_t id = 0;

	assert_int_equal(acct_send(W->s, W->editor, "POST", "/api/v1/glossary",
				   json, &r),
			 want);
	if (want == 201)
		id = json_integer_value(json_object_get(r.json, "id"));
	if (field)
		assert_string_equal(json_string_value(json_object_get(
					    json_object_get(r.json, "error"),
					    "field")),
				    field);
	http_resp_free(&r);
	return id;
}

static int64_t total_terms(struct world *W)
{
	struct http_resp r;
	int64_t n;

	assert_int_equal(acct_send(W->s, W->reader, "GET", "/api/v1/glossary",
				   NULL, &r),
			 200);
	n = json_integer_value(json_object_get(r.json, "total"));
	assert_int_equal((int64_t)json_array_size(json_object_get(r.json,
								  "terms")),
			 n);
	http_resp_free(&r);
	return n;
}

static void test_bad_terms_are_refused_and_change_nothing(void **state)
{
	struct world *W = *state;

	add_term(W, "{\"term\": \"SLO\", \"definition\": \"Service level "
		    "objective\"}",
		 201, NULL);
	add_term(W, "{\"term\": \"a\", \"definition\": \"one letter\"}", 422,
		 "term");
	add_term(W, "{\"term\": \"++\", \"definition\": \"no letter\"}", 422,
		 "term");
	add_term(W, "{\"term\": \"slo\", \"definition\": \"again\"}", 409,
		 "term");
	add_term(W, "{\"term\": \"MTTR\"}", 422, "definition");
	add_term(W, "{\"term\": \"MTTR\", \"definition\": \"x\", \"color\": "
		    "\"red\"}",
		 400, "color");
	add_term(W, "{\"term\": 7, \"definition\": \"x\"}", 400, "term");
	assert_int_equal(total_terms(W), 1);
	/* readers read the glossary but do not change it */
	assert_int_equal(acct_send(W->s, W->reader, "POST", "/api/v1/glossary",
				   "{\"term\": \"MTTR\", \"definition\": "
				   "\"x\"}",
				   NULL),
			 403);
	assert_int_equal(acct_send(W->s, W->editor, "PATCH",
				   "/api/v1/glossary/999",
				   "{\"definition\": \"x\"}", NULL),
			 404);
	assert_int_equal(total_terms(W), 1);
}

static char *page(struct world *W, int64_t id)
{
	char path[64];
	struct http_resp r;
	char *body;

	snprintf(path, sizeof path, "/reviews/%lld", (long long)id);
	assert_int_equal(acct_send(W->s, W->reader, "GET", path, NULL, &r),
			 200);
	body = strdup(r.body);
	http_resp_free(&r);
	return body;
}

static void test_a_review_links_terms_and_follows_glossary_changes(
	void **state)
{
	struct world *W = *state;
	struct http_resp r;
	char path[64], *p;
	int64_t id, slo, cpp;

	slo = add_term(W, "{\"term\": \"SLO\", \"definition\": \"Service level "
			  "objective\"}",
		       201, NULL);
	cpp = add_term(W, "{\"term\": \"C++\", \"definition\": \"A language\"}",
		       201, NULL);
	assert_int_equal(acct_send(W->s, W->editor, "POST", "/api/v1/reviews",
				   "{\"title\": \"Budget\", \"summary\": "
				   "\"The SLO held; the SLO is fine. `C++` "
				   "then Cxx and C++.\"}",
				   &r),
			 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	http_resp_free(&r);
	p = page(W, id);
	snprintf(path, sizeof path, "href=\"/glossary#term-%lld\"",
		 (long long)slo);
	assert_non_null(strstr(p, path));
	assert_non_null(strstr(p, "title=\"Service level objective\">SLO</a>"
				  " held; the SLO is fine"));
	assert_non_null(strstr(p, "<code>C++</code> then Cxx and <a class=\""
				  "gloss\""));
	assert_null(strstr(p, "debrief:md"));
	free(p);
	/* a new definition is on the page at once */
	snprintf(path, sizeof path, "/api/v1/glossary/%lld", (long long)slo);
	assert_int_equal(acct_send(W->s, W->editor, "PATCH", path,
				   "{\"definition\": \"What we promise\"}",
				   NULL),
			 200);
	p = page(W, id);
	assert_non_null(strstr(p, "title=\"What we promise\">SLO</a>"));
	free(p);
	/* and a removed term is no longer linked */
	snprintf(path, sizeof path, "/api/v1/glossary/%lld", (long long)cpp);
	assert_int_equal(acct_send(W->s, W->editor, "DELETE", path, NULL,
				   NULL),
			 204);
	p = page(W, id);
	assert_null(strstr(p, "A language"));
	free(p);
	/* the glossary page has the anchor the links point to */
	assert_int_equal(acct_send(W->s, W->reader, "GET", "/glossary", NULL,
				   &r),
			 200);
	snprintf(path, sizeof path, "id=\"term-%lld\"", (long long)slo);
	assert_non_null(strstr(r.body, path));
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, world_up, world_down)
		T(test_bad_terms_are_refused_and_change_nothing),
		T(test_a_review_links_terms_and_follows_glossary_changes),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
