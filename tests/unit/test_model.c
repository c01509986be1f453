/* test_model.c: the generic record, the review defs and JSON conversion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lint/lint.h"
#include "model/record.h"
#include "model/record_json.h"
#include "model/review.h"

static int setup(void **state)
{
	*state = arena_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static struct record *valid_review(struct arena *a)
{
	struct record *r = record_new(a, &review_def);

	record_set_str(r, REVIEW_TITLE, "Checkout latency");
	record_fill_defaults(a, r);
	return r;
}

static void test_defaults_fill_kind_and_status(void **state)
{
	struct record *r = valid_review(*state);

	assert_string_equal(record_str(r, REVIEW_KIND), "incident");
	assert_string_equal(record_str(r, REVIEW_STATUS), "draft");
	assert_false(record_isset(r, REVIEW_SEVERITY));
	assert_int_equal(record_validate(r, NULL), E_OK);
}

static void test_missing_title_is_invalid_naming_title(void **state)
{
	struct record *r = record_new(*state, &review_def);
	struct err e;

	record_fill_defaults(*state, r);
	assert_int_equal(record_validate(r, &e), E_INVALID);
	assert_string_equal(e.field, "title");
}

static void test_blank_title_is_invalid(void **state)
{
	struct record *r = valid_review(*state);
	struct err e;

	assert_int_equal(record_parse_value(*state, r, REVIEW_TITLE, "   ", &e),
			 E_OK);
	assert_int_equal(record_validate(r, &e), E_INVALID);
	assert_string_equal(e.field, "title");
}

static void test_severity_out_of_range_is_invalid(void **state)
{
	struct record *r = valid_review(*state);
	struct err e;

	record_set_int(r, REVIEW_SEVERITY, 6);
	assert_int_equal(record_validate(r, &e), E_INVALID);
	assert_string_equal(e.field, "severity");
	record_set_int(r, REVIEW_SEVERITY, 0);
	assert_int_equal(record_validate(r, &e), E_INVALID);
	record_set_int(r, REVIEW_SEVERITY, 5);
	assert_int_equal(record_validate(r, &e), E_OK);
}

static void test_unknown_enum_value_lists_choices(void **state)
{
	struct record *r = valid_review(*state);
	struct err e;

	record_set_str(r, REVIEW_KIND, "outage");
	assert_int_equal(record_validate(r, &e), E_INVALID);
	assert_string_equal(e.field, "kind");
	assert_non_null(strstr(e.message, "near-miss"));
}

static void test_resolved_before_started_is_invalid(void **state)
{
	struct record *r = valid_review(*state);
	struct err e;

	assert_int_equal(record_parse_value(*state, r, REVIEW_STARTED_AT,
					    "2026-11-20T10:00:00Z", &e), E_OK);
	assert_int_equal(record_parse_value(*state, r, REVIEW_RESOLVED_AT,
					    "2026-11-20 09:59", &e), E_OK);
	assert_int_equal(record_validate(r, &e), E_INVALID);
	assert_string_equal(e.field, "resolved_at");
}

static void test_title_of_100kb_is_too_long(void **state)
{
	struct record *r = valid_review(*state);
	char *big = arena_alloc(*state, 100 * 1024 + 1);
	struct err e;

	memset(big, 'x', 100 * 1024);
	record_set_str(r, REVIEW_TITLE, big);
	assert_int_equal(record_validate(r, &e), E_INVALID);
	assert_string_equal(e.field, "title");
	assert_non_null(strstr(e.message, "too long"));
}

static void test_control_characters_in_one_line_field_are_invalid(void **state)
{
	struct record *r = valid_review(*state);
	struct err e;

	record_set_str(r, REVIEW_TITLE, "a\nb");
	assert_int_equal(record_validate(r, &e), E_INVALID);
	record_set_str(r, REVIEW_SUMMARY, "line one\nline two\ttab");
	record_set_str(r, REVIEW_TITLE, "ok");
	assert_int_equal(record_validate(r, &e), E_OK);
}

/* has_control reads 8 bytes at a time: a control character is found at
 * every offset of a long field, printable edges (space, '~', UTF-8) are
 * not taken for one, and a multi-line field still allows newlines. */
static void test_control_character_found_at_any_offset(void **state)
{
	static const char bad[] = {0x01, 0x09 + 1, 0x1f, 0x7f, '\r'};
	struct record *r = valid_review(*state);
	char s[48];
	struct err e;

	for (size_t at = 0; at < sizeof s - 1; at++)
		for (size_t k = 0; k < sizeof bad; k++) {
			for (size_t i = 0; i < sizeof s - 1; i++)
				s[i] = "~ a"[(i + at) % 3];
			s[sizeof s - 1] = '\0';
			s[at] = bad[k];
			record_set_str(r, REVIEW_TITLE, s);
			assert_int_equal(record_validate(r, &e), E_INVALID);
			assert_string_equal(e.field, "title");
			s[at] = '\t';
			record_set_str(r, REVIEW_TITLE, s);
			assert_int_equal(record_validate(r, &e), E_OK);
		}
	record_set_str(r, REVIEW_TITLE,
		       "caf\xc3\xa9 \xe2\x80\x94 printable ~ all of it, "
		       "past eight bytes \xf0\x9f\x99\x82 ok");
	assert_int_equal(record_validate(r, &e), E_OK);
	record_set_str(r, REVIEW_TITLE, "caf\xc3\xa9 \xe2\x80\x94 then\x7f");
	assert_int_equal(record_validate(r, &e), E_INVALID);
	record_set_str(r, REVIEW_TITLE, "ok");
	record_set_str(r, REVIEW_SUMMARY,
		       "a long first line of a summary\r\nand the second\n");
	assert_int_equal(record_validate(r, &e), E_OK);
	record_set_str(r, REVIEW_SUMMARY,
		       "a long first line of a summary\r\nand \x1b[31m");
	assert_int_equal(record_validate(r, &e), E_INVALID);
}

static void test_link_url_must_have_safe_scheme(void **state)
{
	struct record *l = record_new(*state, &link_def);
	struct err e;

	record_fill_defaults(*state, l);
	record_set_str(l, LINK_URL, "javascript:alert(1)");
	assert_int_equal(record_validate(l, &e), E_INVALID);
	assert_string_equal(e.field, "url");
	record_set_str(l, LINK_URL, "//evil.example/");
	assert_int_equal(record_validate(l, &e), E_INVALID);
	record_set_str(l, LINK_URL, "https://grafana.example/d/abc");
	assert_int_equal(record_validate(l, &e), E_OK);
	record_set_str(l, LINK_URL, "/reviews/3");
	assert_int_equal(record_validate(l, &e), E_OK);
}

/* What browsers strip from a URL before they read it (tabs, line breaks,
 * leading spaces and control characters) and backslashes, which they
 * read as slashes, must not turn an accepted URL into another host's. */
static void test_link_url_is_checked_as_a_browser_reads_it(void **state)
{
	static const char *const bad[] = {
		"/\t/evil.example",     /* the hostile test's: Chromium goes */
		"/\n/evil.example",     /* to http://evil.example */
		"/\r\n/evil.example",
		"/\t\t\n/evil.example",
		"/\\evil.example",
		"\\/evil.example",
		"\\\\evil.example",
		"/\t\\evil.example",
		" //evil.example",
		"\t//evil.example",
		"\x01//evil.example",
		"\x1f/\t/evil.example",
		"//evil.example",
		" javascript:alert(1)",
		"java\tscript:alert(1)",
		"\njavascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		"data:text/html,x",
		"vbscript:x",
		"http:evil.example",     /* no authority: relative to the page */
		"http:/evil.example",
		"https:",
		"ftp://files.example",
		"evil.example",
		"reviews/3",
		"",
	};
	static const char *const good[] = {
		"https://grafana.example/d/abc",
		"HTTP://Example.COM",
		"http:\\\\example.com/x", /* browsers: http://example.com/x */
		"https:/\\example.com",
		"mailto:ops@example.com",
		"MAILTO:ops@example.com",
		"/reviews/3",
		"/reviews/3?x=//y",
		"/a//b",
		"/",
		"  https://example.com",
		"/\treviews",          /* a tab inside: still /reviews */
		"ht\ttps://example.com", /* reads as https://example.com */
	};
	struct record *l = record_new(*state, &link_def);
	struct err e;

	record_fill_defaults(*state, l);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		record_set_str(l, LINK_URL, bad[i]);
		if (record_validate(l, &e) != E_INVALID ||
		    strcmp(e.field, "url"))
			fail_msg("accepted bad URL %zu: \"%s\"", i, bad[i]);
		assert_false(record_url_is_safe(bad[i]));
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		record_set_str(l, LINK_URL, good[i]);
		if (record_validate(l, &e) != E_OK)
			fail_msg("refused good URL %zu: \"%s\": %s", i,
				 good[i], e.message);
		assert_true(record_url_is_safe(good[i]));
	}
	assert_false(record_url_is_safe(NULL));
}

static void test_search_is_bounded_in_bytes_and_words(void **state)
{
	char q[REVIEW_SEARCH_MAX + 2];
	struct err e;

	assert_int_equal(review_search_terms("  dns  cache-miss  -- ! é "), 3);
	assert_int_equal(review_search_terms(""), 0);
	assert_int_equal(review_search_check("dns outage", &e), E_OK);
	memset(q, 'x', sizeof q - 1);
	q[sizeof q - 1] = '\0';
	assert_int_equal(review_search_check(q, &e), E_BAD_REQUEST);
	assert_string_equal(e.field, "q");
	q[REVIEW_SEARCH_MAX] = '\0';
	assert_int_equal(review_search_check(q, &e), E_OK);
	for (int i = 0; i < REVIEW_SEARCH_MAX_TERMS + 1; i++)
		memcpy(q + 2 * i, "a ", 2);
	q[2 * (REVIEW_SEARCH_MAX_TERMS + 1)] = '\0';
	assert_int_equal(review_search_check(q, &e), E_BAD_REQUEST);
	q[2 * REVIEW_SEARCH_MAX_TERMS] = '\0';
	assert_int_equal(review_search_check(q, &e), E_OK);
	assert_int_equal(review_search_check("\xc3\x28", &e), E_BAD_REQUEST);
}

static void test_parse_value_rejects_bad_time_and_date(void **state)
{
	struct record *r = valid_review(*state);
	struct record *f = record_new(*state, &followup_def);
	struct err e;

	assert_int_equal(record_parse_value(*state, r, REVIEW_STARTED_AT,
					    "yesterday", &e), E_INVALID);
	assert_string_equal(e.field, "started_at");
	assert_int_equal(record_parse_value(*state, r, REVIEW_STARTED_AT,
					    "2026-02-30T10:00:00Z", &e), E_INVALID);
	assert_int_equal(record_parse_value(*state, f, FU_DUE, "2026-13-01", &e),
			 E_INVALID);
	assert_int_equal(record_parse_value(*state, f, FU_DUE, "2026-12-01", &e),
			 E_OK);
}

static void test_time_offsets_are_stored_as_utc(void **state)
{
	struct record *r = valid_review(*state);

	assert_int_equal(record_parse_value(*state, r, REVIEW_STARTED_AT,
					    "2026-11-20T11:30:00+01:00", NULL), E_OK);
	assert_string_equal(record_value_text(*state, r, REVIEW_STARTED_AT),
			    "2026-11-20T10:30:00Z");
}

static void test_list_parses_commas_trims_and_dedups(void **state)
{
	struct record *r = valid_review(*state);

	assert_int_equal(record_parse_value(*state, r, REVIEW_SERVICES,
					    " api , db,,api ", NULL), E_OK);
	assert_int_equal(r->v[REVIEW_SERVICES].nitems, 2);
	assert_string_equal(record_value_text(*state, r, REVIEW_SERVICES),
			    "api, db");
	assert_int_equal(record_parse_value(*state, r, REVIEW_SERVICES, " , ",
					    NULL), E_OK);
	assert_false(record_isset(r, REVIEW_SERVICES));
}

static void test_bool_parses_form_values(void **state)
{
	struct record *t = record_new(*state, &timeline_def);

	assert_int_equal(record_parse_value(*state, t, TL_DISPUTED, "on", NULL), 0);
	assert_int_equal(record_int(t, TL_DISPUTED, -1), 1);
	assert_int_equal(record_parse_value(*state, t, TL_DISPUTED, "", NULL), 0);
	assert_int_equal(record_int(t, TL_DISPUTED, -1), 0);
	assert_int_equal(record_parse_value(*state, t, TL_DISPUTED, "maybe", NULL),
			 E_INVALID);
}

static void test_diff_lists_only_changed_fields(void **state)
{
	struct record *a = valid_review(*state), *b;
	struct change *ch;

	b = record_copy(*state, a);
	record_set_str(b, REVIEW_TITLE, "Checkout latency in eu-west");
	record_set_int(b, REVIEW_SEVERITY, 2);
	assert_int_equal(record_diff(*state, a, b, &ch), 2);
	assert_string_equal(ch[0].field, "title");
	assert_string_equal(ch[0].old_text, "Checkout latency");
	assert_string_equal(ch[0].new_text, "Checkout latency in eu-west");
	assert_string_equal(ch[1].field, "severity");
	assert_string_equal(ch[1].old_text, "");
	assert_string_equal(ch[1].new_text, "2");
	assert_int_equal(record_diff(*state, a, a, &ch), 0);
	/* a create lists every set field */
	assert_int_equal(record_diff(*state, NULL, a, &ch), 3);
}

static void test_apply_keeps_absent_and_clears_null(void **state)
{
	struct record *r = valid_review(*state);
	struct record *p = record_new(*state, &review_def);

	record_set_str(r, REVIEW_SUMMARY, "old summary");
	record_set_int(p, REVIEW_SEVERITY, 3);
	record_set_null(p, REVIEW_SUMMARY);
	record_apply(r, p);
	assert_string_equal(record_str(r, REVIEW_TITLE), "Checkout latency");
	assert_int_equal(record_int(r, REVIEW_SEVERITY, 0), 3);
	assert_false(record_isset(r, REVIEW_SUMMARY));
}

static void test_patched_applies_validates_and_lists_changes(void **state)
{
	struct record *old = valid_review(*state), *r = NULL;
	struct record *p = record_new(*state, &review_def);
	struct change *ch;
	struct err e;
	int n = -1;

	/* no patch, or one that repeats the current values: no changes */
	assert_int_equal(record_patched(*state, old, NULL, &r, &ch, &n, &e),
			 E_OK);
	assert_int_equal(n, 0);
	record_set_str(p, REVIEW_TITLE, "Checkout latency");
	assert_int_equal(record_patched(*state, old, p, &r, &ch, &n, &e), E_OK);
	assert_int_equal(n, 0);

	record_set_int(p, REVIEW_SEVERITY, 2);
	assert_int_equal(record_patched(*state, old, p, &r, &ch, &n, &e), E_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ch[0].field, "severity");
	assert_int_equal(record_int(r, REVIEW_SEVERITY, 0), 2);
	assert_false(record_isset(old, REVIEW_SEVERITY)); /* old untouched */

	record_set_int(p, REVIEW_SEVERITY, 9);
	r = NULL;
	assert_int_equal(record_patched(*state, old, p, &r, &ch, &n, &e),
			 E_INVALID);
	assert_string_equal(e.field, "severity");
	assert_null(r);
}

static void test_json_round_trip_keeps_every_type(void **state)
{
	const char *in = "{\"title\": \"DB failover\", \"kind\": \"near-miss\","
			 " \"severity\": 2, \"started_at\": \"2026-11-20T10:00:00Z\","
			 " \"services\": [\"db\", \"api\"],"
			 " \"summary\": \"<script>alert(1)</script> [x](javascript:y)\"}";
	json_error_t je;
	json_t *j = json_loads(in, 0, &je), *out;
	struct record *r;
	struct err e;

	assert_non_null(j);
	assert_int_equal(record_from_json(*state, &review_def, j, &r, &e), E_OK);
	record_fill_defaults(*state, r);
	r->id = 7;
	r->version = 1;
	out = record_to_json(r);
	assert_string_equal(json_string_value(json_object_get(out, "kind")),
			    "near-miss");
	assert_int_equal(json_integer_value(json_object_get(out, "severity")), 2);
	assert_string_equal(json_string_value(json_object_get(out, "started_at")),
			    "2026-11-20T10:00:00Z");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(out, "services"), 1)), "api");
	assert_string_equal(json_string_value(json_object_get(out, "summary")),
			    "<script>alert(1)</script> [x](javascript:y)");
	assert_true(json_is_null(json_object_get(out, "resolved_at")));
	assert_int_equal(json_integer_value(json_object_get(out, "id")), 7);
	json_decref(j);
	json_decref(out);
}

/* Found by tests/fuzz/fuzz_record_json: "" used to be a set, empty
 * markdown, so PATCH {"tldr": ""} recorded a change from "" to "". */
static void test_json_blank_markdown_is_null_and_changes_nothing(void **state)
{
	json_error_t je;
	json_t *j = json_loads("{\"tldr\": \"\", \"summary\": \" \\n\"}", 0,
			       &je);
	struct record *old = record_new(*state, &review_def), *p, *r;
	struct change *ch;
	struct err e;
	int n = -1;

	assert_non_null(j);
	record_set_str(old, REVIEW_TITLE, "t");
	record_fill_defaults(*state, old);
	assert_int_equal(record_from_json(*state, &review_def, j, &p, &e), E_OK);
	assert_int_equal(p->v[REVIEW_TLDR].state, V_NULL);
	assert_int_equal(p->v[REVIEW_SUMMARY].state, V_NULL);
	assert_int_equal(record_patched(*state, old, p, &r, &ch, &n, &e), E_OK);
	assert_int_equal(n, 0);
	json_decref(j);
}

static void expect_json_error(struct arena *a, const char *in,
			      enum err_code code, const char *field)
{
	json_error_t je;
	json_t *j = json_loads(in, 0, &je);
	struct record *r;
	struct err e;

	assert_non_null(j);
	assert_int_equal(record_from_json(a, &review_def, j, &r, &e), code);
	assert_string_equal(e.field, field);
	json_decref(j);
}

static void test_json_unknown_field_is_bad_request(void **state)
{
	expect_json_error(*state, "{\"title\": \"x\", \"root_cause\": \"y\"}",
			  E_BAD_REQUEST, "root_cause");
}

static void test_json_wrong_types_are_bad_request(void **state)
{
	expect_json_error(*state, "{\"severity\": \"high\"}", E_BAD_REQUEST,
			  "severity");
	expect_json_error(*state, "{\"title\": 5}", E_BAD_REQUEST, "title");
	expect_json_error(*state, "{\"services\": \"db\"}", E_BAD_REQUEST,
			  "services");
	expect_json_error(*state, "{\"started_at\": \"noon\"}", E_BAD_REQUEST,
			  "started_at");
}

static void test_doc_from_json_reads_children_and_string_tags(void **state)
{
	const char *in =
		"{\"title\": \"t\", \"tags\": [\"db\", {\"name\": \"net\"}],"
		" \"timeline\": [{\"at\": \"2026-11-20T10:05:00Z\", \"text\": \"b\"},"
		"                {\"at\": \"2026-11-20T10:01:00Z\", \"text\": \"a\"}],"
		" \"followups\": [{\"title\": \"Add alert\"}]}";
	json_error_t je;
	json_t *j = json_loads(in, 0, &je), *out;
	struct review_doc doc;
	struct err e;

	assert_int_equal(review_doc_from_json(*state, j, &doc, &e), E_OK);
	assert_int_equal(doc.children[CHILD_TAG].n, 2);
	assert_string_equal(record_str(doc.children[CHILD_TAG].items[1], TAG_NAME),
			    "net");
	assert_int_equal(doc.children[CHILD_TIMELINE].n, 2);
	assert_string_equal(record_str(doc.children[CHILD_TIMELINE].items[0],
				       TL_KIND), "observation");
	assert_string_equal(record_str(doc.children[CHILD_FOLLOWUP].items[0],
				       FU_STATUS), "open");
	record_fill_defaults(*state, doc.review);
	review_sort_children(&doc);
	assert_string_equal(record_str(doc.children[CHILD_TIMELINE].items[0],
				       TL_TEXT), "a");
	out = review_doc_to_json(&doc);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(out, "tags"), 0)), "db");
	assert_int_equal(json_array_size(json_object_get(out, "timeline")), 2);
	json_decref(out);
	json_decref(j);
}

static void test_doc_child_error_names_index_and_field(void **state)
{
	const char *in = "{\"title\": \"t\", \"timeline\": [{\"at\": "
			 "\"2026-11-20T10:05:00Z\", \"text\": \"b\"}, "
			 "{\"at\": 12}]}";
	json_error_t je;
	json_t *j = json_loads(in, 0, &je);
	struct review_doc doc;
	struct err e;

	assert_int_equal(review_doc_from_json(*state, j, &doc, &e), E_BAD_REQUEST);
	assert_string_equal(e.field, "timeline[1].at");
	json_decref(j);
}

static void test_durations_derive_from_times(void **state)
{
	struct record *r = valid_review(*state);
	struct review_durations d;

	record_parse_value(*state, r, REVIEW_STARTED_AT, "2026-11-20 10:00", NULL);
	record_parse_value(*state, r, REVIEW_DETECTED_AT, "2026-11-20 10:07", NULL);
	record_parse_value(*state, r, REVIEW_RESOLVED_AT, "2026-11-20 12:00", NULL);
	review_durations(r, &d);
	assert_int_equal(d.to_detect, 7 * 60);
	assert_int_equal(d.to_mitigate, -1);
	assert_int_equal(d.to_resolve, 2 * 3600);
}

static void test_child_kind_segments(void **state)
{
	assert_int_equal(child_kind_from_segment("timeline"), CHILD_TIMELINE);
	assert_int_equal(child_kind_from_segment("followups"), CHILD_FOLLOWUP);
	assert_int_equal(child_kind_from_segment("tags"), CHILD_TAG);
	assert_int_equal(child_kind_from_segment("reviews"), -1);
	assert_int_equal(child_kind_from_segment(NULL), -1);
}

/* Found by tests/fuzz/fuzz_record_json: {"services": [""]} was a set
 * list that reads as nothing. */
static void test_blank_list_item_is_invalid(void **state)
{
	static const char *items[] = {"db", " "};
	struct record *r = valid_review(*state);
	struct err e;

	record_set_list(r, REVIEW_SERVICES, items, 2);
	assert_int_equal(record_validate(r, &e), E_INVALID);
	assert_string_equal(e.field, "services");
	record_set_list(r, REVIEW_SERVICES, items, 1);
	assert_int_equal(record_validate(r, &e), E_OK);
}

static void test_tag_with_comma_is_invalid(void **state)
{
	struct record *t = record_new(*state, &tag_def);
	struct err e;

	record_set_str(t, TAG_NAME, "a,b");
	assert_int_equal(record_validate(t, &e), E_INVALID);
	assert_string_equal(e.field, "name");
}

static void test_json_version_reads_positive_integers(void **state)
{
	json_t *ok = json_pack("{s:i}", "version", 3);
	json_t *bad = json_pack("{s:s}", "version", "3");
	json_t *none = json_object();
	struct err e;

	assert_int_equal(json_version(ok, &e), 3);
	assert_int_equal(json_version(bad, &e), -1);
	assert_string_equal(e.field, "version");
	assert_int_equal(json_version(none, &e), 0);
	json_decref(ok);
	json_decref(bad);
	json_decref(none);
}

/* lint_allow_def keeps its own copy of the linter's category names (the
 * model needs no linter): they must agree, in order, and the entry is not
 * part of the edit form. */
static void test_lint_allow_categories_are_the_linters(void **state)
{
	const struct field_def *fd = &lint_allow_def.fields[LA_CATEGORY];
	size_t n = 0;

	(void)state;
	for (; fd->choices[n]; n++)
		assert_string_equal(fd->choices[n],
				    lint_category_name((enum lint_category)n));
	assert_int_equal(n, LINT_NCATEGORIES);
	assert_int_equal(child_kind_from_segment("lint-allows"),
			 CHILD_LINT_ALLOW);
	assert_false(child_in_form(CHILD_LINT_ALLOW));
	assert_true(child_in_form(CHILD_TIMELINE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_defaults_fill_kind_and_status),
		T(test_missing_title_is_invalid_naming_title),
		T(test_blank_title_is_invalid),
		T(test_severity_out_of_range_is_invalid),
		T(test_unknown_enum_value_lists_choices),
		T(test_resolved_before_started_is_invalid),
		T(test_title_of_100kb_is_too_long),
		T(test_control_characters_in_one_line_field_are_invalid),
		T(test_control_character_found_at_any_offset),
		T(test_link_url_must_have_safe_scheme),
		T(test_link_url_is_checked_as_a_browser_reads_it),
		T(test_search_is_bounded_in_bytes_and_words),
		T(test_parse_value_rejects_bad_time_and_date),
		T(test_time_offsets_are_stored_as_utc),
		T(test_list_parses_commas_trims_and_dedups),
		T(test_bool_parses_form_values),
		T(test_diff_lists_only_changed_fields),
		T(test_apply_keeps_absent_and_clears_null),
		T(test_patched_applies_validates_and_lists_changes),
		T(test_json_round_trip_keeps_every_type),
		T(test_json_blank_markdown_is_null_and_changes_nothing),
		T(test_json_unknown_field_is_bad_request),
		T(test_json_wrong_types_are_bad_request),
		T(test_doc_from_json_reads_children_and_string_tags),
		T(test_doc_child_error_names_index_and_field),
		T(test_durations_derive_from_times),
		T(test_child_kind_segments),
		T(test_tag_with_comma_is_invalid),
		T(test_lint_allow_categories_are_the_linters),
		T(test_blank_list_item_is_invalid),
		T(test_json_version_reads_positive_integers),
#undef T
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
