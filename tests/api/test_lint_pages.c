/* test_lint_pages.c: the language coach on the server-rendered pages. A
 * save whose text has findings is stored and, without JavaScript, answered
 * with the edit page listing them above the form; with the live coach
 * (coach=live, added by static/lint.js) and without findings it goes to the
 * review page as before. The review page sums the findings up per section,
 * also when it comes from the page cache. One-line prose fields (titles,
 * factors, link comments) count like markdown fields. */
#include "api/page_checks.h"

#define COUNTERFACTUAL "The on-call engineer should have checked the dashboard."

/* post posts the NULL-terminated key, value pairs to path as a browser
 * form and returns the Location of the 303 it expects (caller frees). */
static char *post_expect_redirect(struct hs *s, const char *path,
				  const char *key, ...)
{
	struct http_resp r;
	char *loc;
	va_list ap;

	va_start(ap, key);
	assert_int_equal(post_form(s, path, vform(key, ap), &r), 303);
	va_end(ap);
	loc = http_header(&r, "Location");
	http_resp_free(&r);
	assert_non_null(loc);
	return loc;
}

/* before tells whether a occurs in hay, and before b. */
static int before(const char *hay, const char *a, const char *b)
{
	const char *pa = strstr(hay, a), *pb = strstr(hay, b);

	return pa && pb && pa < pb;
}

static void
test_create_with_findings_without_js_shows_them_above_the_form(void **state)
{
	struct hs *s = *state;
	char *loc, *html, want[64], path[64];
	long long id;
	json_t *doc;

	loc = post_expect_redirect(s, "/reviews", "title", "Checkout latency",
				   "summary",
				   "Über die Störung: " COUNTERFACTUAL, NULL);
	assert_int_equal(sscanf(loc, "/reviews/%lld/edit", &id), 1);
	snprintf(want, sizeof want, "/reviews/%lld/edit?saved=1", id);
	assert_string_equal(loc, want);
	/* stored exactly as written */
	doc = get_json(s, PATHF(path, "/api/v1/reviews/%lld", id), 200);
	assert_string_equal(jstr(doc, "summary"),
			    "Über die Störung: " COUNTERFACTUAL);
	json_decref(doc);

	html = page(s, loc, 200);
	free(loc);
	assert_true(contains(html, "<strong>Saved.</strong>"));
	assert_true(contains(html, "Language coach: 1 wording note"));
	/* by field, linked to its input, with the words, message and
	 * suggestion; above the form */
	assert_true(contains(html, "<a href=\"#f-summary\">Summary</a>"));
	assert_true(contains(html, "<q class=\"coach-text\">should have"));
	assert_true(contains(html, "badge coach-cat\">Counterfactual</span>"));
	assert_true(contains(html, "<span class=\"coach-msg\">"));
	assert_true(contains(html, "<span class=\"label\">Try</span> "));
	assert_true(
		before(html, "notice-coach", "<form class=\"review-form\""));
	/* the form itself shows the text as stored */
	assert_true(contains(html, "Über die Störung: " COUNTERFACTUAL
				   "</textarea>"));
	free(html);
}

static void
test_edit_save_with_a_finding_in_a_timeline_row_names_the_row(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(
		s,
		"{\"title\": \"Disk full\", \"summary\": \"Builds failed.\"}");
	char path[64], ver[24], want[64], *loc, *html;

	snprintf(ver, sizeof ver, "%lld", (long long)review_version(s, id));
	loc = post_expect_redirect(
		s, PATHF(path, "/reviews/%lld/edit", (long long)id), "version",
		ver, "title", "Disk full", "summary", "Builds failed.",
		"timeline[0].at", "2026-11-20 10:10", "timeline[0].kind",
		"observation", "timeline[0].text",
		"The root cause was a full disk.", NULL);
	snprintf(want, sizeof want, "/reviews/%lld/edit?saved=1",
		 (long long)id);
	assert_string_equal(loc, want);
	html = page(s, loc, 200);
	free(loc);
	assert_true(contains(html, "<strong>Saved.</strong>"));
	assert_true(contains(html, "<a href=\"#f-timeline-0--text\">Timeline "
				   "entry 1 · What happened</a>"));
	assert_true(contains(html, "<q class=\"coach-text\">root cause</q>"));
	assert_false(contains(html, "href=\"#f-summary\""));
	free(html);
	/* the edit page without the flag still lists them, without "Saved" */
	html = page(s, PATHF(path, "/reviews/%lld/edit", (long long)id), 200);
	assert_false(contains(html, "<strong>Saved.</strong>"));
	assert_true(contains(html, "Language coach: 1 wording note"));
	free(html);
}

static void test_saves_without_findings_or_with_the_live_coach_go_to_the_review(
	void **state)
{
	struct hs *s = *state;
	char path[64], ver[24], want[64], *loc;
	long long id;

	/* create, clean */
	loc = post_expect_redirect(s, "/reviews", "title", "Clean", "summary",
				   "The deploy went out at 14:02.", NULL);
	assert_int_equal(sscanf(loc, "/reviews/%lld", &id), 1);
	/* a create opens the editor at the timeline (test_pages.c) */
	snprintf(want, sizeof want, "/reviews/%lld/edit?created=1#created", id);
	assert_string_equal(loc, want);
	free(loc);
	snprintf(want, sizeof want, "/reviews/%lld", id);
	/* edit, clean */
	snprintf(ver, sizeof ver, "%lld", (long long)review_version(s, id));
	loc = post_expect_redirect(s, PATHF(path, "/reviews/%lld/edit", id),
				   "version", ver, "title", "Clean", "summary",
				   "We rolled back at 14:20.", NULL);
	assert_string_equal(loc, want);
	free(loc);
	/* edit with findings, but the person saw them highlighted */
	snprintf(ver, sizeof ver, "%lld", (long long)review_version(s, id));
	loc = post_expect_redirect(s, PATHF(path, "/reviews/%lld/edit", id),
				   "version", ver, "title", "Clean", "summary",
				   COUNTERFACTUAL, "coach", "live", NULL);
	assert_string_equal(loc, want);
	free(loc);
	/* create with findings and the live coach */
	loc = post_expect_redirect(s, "/reviews", "title", "Live", "summary",
				   COUNTERFACTUAL, "coach", "live", NULL);
	assert_false(contains(loc, "saved=1"));
	assert_true(contains(loc, "/edit?created=1#created"));
	free(loc);
}

static void
test_a_form_with_errors_lists_the_findings_too_and_saves_nothing(void **state)
{
	struct hs *s = *state;
	int64_t before_total = review_total(s, 0);
	struct buf b = BUF_INIT;
	struct http_resp r;
	char *body;

	form_add(&b, "title", "");
	form_add(&b, "summary", COUNTERFACTUAL);
	body = buf_detach(&b);
	assert_int_equal(http_form(s, "/reviews", body, &r), 422);
	free(body);
	assert_true(contains(r.body, "could not be saved"));
	assert_false(contains(r.body, "<strong>Saved.</strong>"));
	assert_true(contains(r.body, "Language coach: 1 wording note"));
	http_resp_free(&r);
	assert_int_equal(review_total(s, 0), before_total);
}

static void
test_review_page_sums_up_findings_per_section_for_editors(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(
		s,
		"{\"title\": \"Queue backlog\", \"summary\": \"" COUNTERFACTUAL
		" The root cause was a full disk.\", \"impact\": \"Jobs "
		"waited.\", \"timeline\": [{\"at\": \"2026-11-20T10:00:00Z\","
		" \"kind\": \"action\", \"text\": \"It was human error.\"}]}");
	char path[64], *html;
	struct http_resp r;

	PATHF(path, "/reviews/%lld", (long long)id);
	html = page(s, path, 200);
	/* the counterfactual is a hint: listed on the edit page, not
	 * counted here (config coach_hints) */
	assert_true(contains(html,
			     "<strong>Language coach:</strong> 1 note in "
			     "Summary, 1 in Timeline"));
	assert_false(contains(html, "/coach/counterfactual"));
	assert_true(contains(html, "/edit\">see the edit page</a>"));
	free(html);
	/* served again from the page cache: still there */
	html = page(s, path, 200);
	assert_true(contains(html, "1 note in Summary, 1 in Timeline"));
	free(html);
	/* fixed through the API: a new version, no summary */
	assert_int_equal(
		http_json(s, "PATCH",
			  PATHF(path, "/api/v1/reviews/%lld", (long long)id),
			  "{\"summary\": \"The dashboard showed no "
			  "errors.\"}",
			  &r),
		200);
	http_resp_free(&r);
	html = page(s, PATHF(path, "/reviews/%lld", (long long)id), 200);
	assert_true(contains(html, "<strong>Language coach:</strong> 1 note in "
				   "Timeline"));
	assert_false(contains(html, "in Summary"));
	free(html);
}

static void test_clean_review_page_has_no_coach_summary(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(
		s, "{\"title\": \"Clean\", \"summary\": \"The deploy went out "
		   "at 14:02.\"}");
	char path[64], *html;

	html = page(s, PATHF(path, "/reviews/%lld", (long long)id), 200);
	assert_false(contains(html, "coach-summary"));
	assert_false(contains(html, "Language coach"));
	free(html);
}

/* One-line prose fields (F_PROSE: follow-up titles, factors, the review
 * title, link comments) are linted like markdown; names, times and URLs
 * are not. */
static void
test_edit_save_with_root_cause_in_one_line_fields_lists_them(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(
		s, "{\"title\": \"Cache stampede\", \"summary\": \"Pages were "
		   "slow.\"}");
	char path[64], ver[24], want[64], *loc, *html;

	snprintf(ver, sizeof ver, "%lld", (long long)review_version(s, id));
	loc = post_expect_redirect(
		s, PATHF(path, "/reviews/%lld/edit", (long long)id), "version",
		ver, "title", "Cache stampede", "summary", "Pages were slow.",
		"followups[0].title", "Find the root cause of the stampede",
		"followups[0].horizon", "short", "followups[0].status", "open",
		"followups[0].owner", "Root Cause Analysis Team",
		"factors[0].text", "Human error in the TTL setting",
		"factors[0].kind", "trigger", "timeline[0].at",
		"2026-11-20 10:10", "timeline[0].kind", "action",
		"timeline[0].text", "Raised the TTL.", "timeline[0].actor",
		"root cause bot", NULL);
	snprintf(want, sizeof want, "/reviews/%lld/edit?saved=1",
		 (long long)id);
	assert_string_equal(loc, want);
	html = page(s, loc, 200);
	free(loc);
	assert_true(contains(html, "<strong>Saved.</strong>"));
	assert_true(contains(html, "Language coach: 2 wording notes"));
	assert_true(contains(html, "<a href=\"#f-followups-0--title\">"
				   "Follow-up 1 · Title</a>"));
	assert_true(contains(html, "<a href=\"#f-factors-0--text\">"
				   "Contributing factor 1 · Factor</a>"));
	assert_true(contains(html, "<q class=\"coach-text\">root cause</q>"));
	assert_true(contains(html, "<q class=\"coach-text\">Human error</q>"));
	/* an owner's or an actor's name is not prose */
	assert_false(contains(html, "href=\"#f-followups-0--owner\""));
	assert_false(contains(html, "href=\"#f-timeline-0--actor\""));
	free(html);
}

static void test_review_page_counts_findings_in_one_line_fields(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(
		s, "{\"title\": \"Human error in the deploy\", \"summary\": "
		   "\"Jobs waited.\", \"followups\": [{\"title\": \"Write "
		   "up the root cause\"}], \"links\": [{\"url\": "
		   "\"https://example.com/root-cause\", \"comment\": \"Chat "
		   "where the operator error was found\"}]}");
	char path[64], *html;

	html = page(s, PATHF(path, "/reviews/%lld", (long long)id), 200);
	assert_true(contains(html, "<strong>Language coach:</strong> 1 note in "
				   "Title, 1 in Follow-ups, 1 in Links"));
	free(html);
}

static void test_forms_load_lint_js_and_mark_every_markdown_field(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Forms\"}");
	char path[64], *html;
	struct http_resp r;

	html = page(s, "/reviews/new", 200);
	assert_true(contains(html, "<script src=\"/static/lint.js?v="));
	assert_true(contains(html, "data-lint name=\"summary\""));
	assert_true(contains(html, "data-lint name=\"tldr\""));
	/* the one-line prose fields, and no other one-line field */
	assert_true(contains(html, "type=\"text\" data-lint name=\"title\""));
	assert_false(contains(html, "data-lint name=\"owner_team\""));
	assert_false(contains(html, "data-lint name=\"impact_type\""));
	free(html);
	html = page(s, PATHF(path, "/reviews/%lld/edit", (long long)id), 200);
	assert_true(contains(html, "<script src=\"/static/lint.js?v="));
	assert_true(contains(html, "data-lint name=\"timeline[0].text\""));
	assert_true(contains(html, "data-lint name=\"timeline[0].context\""));
	assert_true(
		contains(html, "data-lint name=\"factors[0].description\""));
	assert_true(
		contains(html, "data-lint name=\"followups[0].description\""));
	assert_true(contains(html, "data-lint name=\"followups[0].title\""));
	assert_true(contains(html, "data-lint name=\"factors[0].text\""));
	assert_true(contains(html, "data-lint name=\"links[0].comment\""));
	assert_false(contains(html, "data-lint name=\"followups[0].owner\""));
	assert_false(contains(html, "data-lint name=\"followups[0].ticket\""));
	assert_false(contains(html, "data-lint name=\"timeline[0].actor\""));
	assert_false(contains(html, "data-lint name=\"timeline[0].source\""));
	assert_false(contains(html, "data-lint name=\"people[0].name\""));
	assert_false(contains(html, "data-lint name=\"links[0].url\""));
	assert_false(contains(html, "notice-coach"));
	free(html);
	assert_int_equal(http_get(s, "/static/lint.js", &r), 200);
	assert_true(contains(r.headers, "javascript"));
	assert_true(contains(r.body, "/api/v1/lint"));
	http_resp_free(&r);
}

/* Every finding says why: the list above the form, the review page's
 * summary, each links the category's page of the guide, docs/lint.md
 * rendered by the server (GET /coach/NAME), in safe mode. */
static void test_findings_link_to_their_category_page_of_the_guide(void **state)
{
	struct hs *s = *state;
	static const char *const cats[] = {
		"counterfactual", "root-cause",	   "human-error",
		"hindsight",	  "passive-blame", "individual-judgement"};
	char path[96], *loc, *html;
	long long id;
	struct http_resp r;

	loc = post_expect_redirect(s, "/reviews", "title", "Why links",
				   "summary",
				   COUNTERFACTUAL " The root cause was a full "
						  "disk.",
				   NULL);
	assert_int_equal(sscanf(loc, "/reviews/%lld/edit", &id), 1);
	html = page(s, loc, 200);
	free(loc);
	assert_true(contains(html, "<a class=\"coach-why\" target=\"_blank\" "
				   "rel=\"noopener\" "
				   "href=\"/coach/counterfactual\">Why?"));
	free(html);
	html = page(s, PATHF(path, "/reviews/%lld", id), 200);
	/* the summary links the warnings' pages; a hint is not in it */
	assert_true(contains(html, "Why: <a class=\"coach-why\" "
				   "href=\"/coach/root-cause\">"
				   "Root cause</a>"));
	assert_false(contains(html, "href=\"/coach/counterfactual\""));
	free(html);
	/* the page opens on its own category, with examples */
	for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++) {
		html = page(s, PATHF(path, "/coach/%s", cats[i]), 200);
		snprintf(path, sizeof path,
			 "<article class=\"coach-help\" "
			 "id=\"%s\">",
			 cats[i]);
		assert_true(contains(html, path));
		snprintf(path, sizeof path,
			 "href=\"/coach/%s\" "
			 "aria-current=\"page\"",
			 cats[i]);
		assert_true(contains(html, path));
		assert_true(contains(html, "Example. Flagged:"));
		assert_true(contains(html, "Better:"));
		/* one section, not the next one */
		assert_false(contains(html, "Mentions, quotes and code"));
		free(html);
	}
	html = page(s, "/coach/counterfactual", 200);
	assert_true(contains(html, "An alternative past that did not happen"));
	assert_false(
		contains(html, "Language that presents one cause as the root"));
	free(html);
	html = page(s, "/coach", 200);
	assert_true(contains(html, "Mentions, quotes and code"));
	assert_true(contains(html, "not blame here"));
	free(html);
	/* unknown or misspelt categories are 404 */
	assert_int_equal(http_get(s, "/coach/blame", &r), 404);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/coach/Counterfactual", &r), 404);
	http_resp_free(&r);
	assert_int_equal(http_get(s, "/coach/Mentions", &r), 404);
	http_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_create_with_findings_without_js_shows_them_above_the_form),
		cmocka_unit_test(
			test_edit_save_with_a_finding_in_a_timeline_row_names_the_row),
		cmocka_unit_test(
			test_saves_without_findings_or_with_the_live_coach_go_to_the_review),
		cmocka_unit_test(
			test_a_form_with_errors_lists_the_findings_too_and_saves_nothing),
		cmocka_unit_test(
			test_review_page_sums_up_findings_per_section_for_editors),
		cmocka_unit_test(test_clean_review_page_has_no_coach_summary),
		cmocka_unit_test(
			test_edit_save_with_root_cause_in_one_line_fields_lists_them),
		cmocka_unit_test(
			test_review_page_counts_findings_in_one_line_fields),
		cmocka_unit_test(
			test_forms_load_lint_js_and_mark_every_markdown_field),
		cmocka_unit_test(
			test_findings_link_to_their_category_page_of_the_guide),
	};

	return cmocka_run_group_tests_name("lint pages", tests, server_up,
					   server_down);
}
