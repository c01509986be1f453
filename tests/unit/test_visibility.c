/* test_visibility.c: restricted reviews below HTTP: the one rule in C
 * (review_visible) and its SQL twin in the store agree on every case; the
 * store's list, counts, search and version read leave out what a viewer
 * may not see; group names are checked; the request side (access.c)
 * decides who may restrict to which groups and keys caches by what the
 * asker sees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/access.h"
#include "model/record_json.h"
#include "model/review.h"
#include "store/store.h"

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct arena *a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-vis-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	f->a = arena_new();
	if (!f->a || store_open(f->path, &f->st, &e) != E_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char p[160];

	store_close(f->st);
	arena_free(f->a);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* groups_list splits "a,b" into a list value ("" is no list). */
static struct record *review_with(struct arena *a, const char *title,
				  const char *groups)
{
	struct record *r = record_new(a, &review_def);
	struct err e;

	record_set_str(r, REVIEW_TITLE, title);
	record_fill_defaults(a, r);
	if (groups)
		assert_int_equal(record_parse_value(a, r, REVIEW_RESTRICTED_TO,
						    groups, &e),
				 E_OK);
	return r;
}

static int64_t create(struct fx *f, struct record *r)
{
	struct review_doc doc = {.review = r};
	int64_t id = 0;
	struct err e;

	assert_int_equal(store_review_create(f->st, f->a, "t", &doc, &id, &e),
			 E_OK);
	return id;
}

/* The restrictions and viewers every agreement test runs over. */
static const char *const restrictions[] = {
	NULL, "", "security", "security, legal", "legal", "ops.team",
};

static const struct viewer viewers[] = {
	{1, NULL},
	{0, "[]"},
	{0, NULL},
	{0, "[\"security\"]"},
	{0, "[\"legal\",\"ops\"]"},
	{0, "[\"ops.team\",\"security\"]"},
	{0, "[\"Security\"]"},       /* another name */
	{0, "[1, \"x\", null]"},     /* only text items are groups */
	{0, "[[\"security\"]]"},     /* a nested list is not a group */
	{0, "{\"a\": \"security\"}"}, /* not a list: no group */
	{0, "\"security\""},         /* not a list: no group */
	{0, "not json"},
	{0, ""},
};

#define NR (sizeof restrictions / sizeof restrictions[0])
#define NV (sizeof viewers / sizeof viewers[0])

static void test_c_rule_and_sql_rule_agree_on_every_case(void **state)
{
	struct fx *f = *state;
	int64_t ids[NR];
	struct record *recs[NR];

	for (size_t i = 0; i < NR; i++) {
		char title[32];
		snprintf(title, sizeof title, "review %zu", i);
		recs[i] = review_with(f->a, title, restrictions[i]);
		ids[i] = create(f, recs[i]);
	}
	for (size_t v = 0; v < NV; v++) {
		struct review_filter flt = {.viewer = &viewers[v]};
		struct record_list list;
		struct review_counts counts;
		int64_t total = 0, seen = 0;

		assert_int_equal(store_review_list(f->st, f->a, &flt, &list,
						   NULL, &total, NULL),
				 E_OK);
		assert_int_equal(store_review_counts(f->st, &flt, &counts,
						     NULL),
				 E_OK);
		for (size_t i = 0; i < NR; i++) {
			struct review_doc doc;
			int64_t version;
			int in_list = 0;
			int c_rule, sql_rule;

			assert_int_equal(store_review_get(f->st, f->a, ids[i],
							  0, &doc, NULL),
					 E_OK);
			c_rule = review_visible(doc.review, &viewers[v]);
			sql_rule = store_review_version_for(f->st, ids[i],
							    &viewers[v],
							    &version,
							    NULL) == E_OK;
			for (size_t k = 0; k < list.n; k++)
				in_list |= list.items[k]->id == ids[i];
			if (c_rule != sql_rule || c_rule != in_list)
				fail_msg("viewer %zu (%s), review %zu (%s): C "
					 "%d, version read %d, list %d",
					 v, viewers[v].groups_json
						    ? viewers[v].groups_json
						    : "NULL",
					 i,
					 restrictions[i] ? restrictions[i]
							 : "NULL",
					 c_rule, sql_rule, in_list);
			seen += c_rule;
		}
		assert_int_equal(total, seen);
		assert_int_equal(counts.total, seen);
	}
}

static void test_expected_visibility_of_the_cases(void **state)
{
	struct arena *a = ((struct fx *)*state)->a;
	struct viewer sec = {0, "[\"security\"]"}, none = {0, "[]"};
	struct viewer admin = {1, "[]"};

	assert_true(review_visible(review_with(a, "x", NULL), &none));
	assert_true(review_visible(review_with(a, "x", ""), &none));
	assert_false(review_visible(review_with(a, "x", "security"), &none));
	assert_true(review_visible(review_with(a, "x", "security"), &sec));
	assert_true(review_visible(review_with(a, "x", "legal,security"),
				   &sec));
	assert_false(review_visible(review_with(a, "x", "legal"), &sec));
	assert_true(review_visible(review_with(a, "x", "legal"), &admin));
	assert_true(review_visible(review_with(a, "x", "legal"), NULL));
}

static void test_counts_and_open_followups_leave_out_hidden_reviews(
	void **state)
{
	struct fx *f = *state;
	struct viewer outsider = {0, "[\"ops\"]"}, insider = {0,
							      "[\"security\"]"};
	struct review_filter fo = {.viewer = &outsider};
	struct review_filter fi = {.viewer = &insider};
	struct record *fu = record_new(f->a, &followup_def);
	struct review_counts co, ci;
	int64_t id, nv;
	struct err e;

	create(f, review_with(f->a, "open to all", NULL));
	id = create(f, review_with(f->a, "secret", "security"));
	record_set_str(fu, FU_TITLE, "rotate keys");
	assert_int_equal(store_child_create(f->st, f->a, "t", CHILD_FOLLOWUP,
					    id, fu, NULL, &nv, &e),
			 E_OK);
	assert_int_equal(store_review_counts(f->st, &fo, &co, NULL), E_OK);
	assert_int_equal(store_review_counts(f->st, &fi, &ci, NULL), E_OK);
	assert_int_equal(co.total, 1);
	assert_int_equal(co.by_kind[0], 1);
	assert_int_equal(co.by_status[0], 1);
	assert_int_equal(co.by_severity[0], 1);
	assert_int_equal(co.open_followups, 0);
	assert_int_equal(ci.total, 2);
	assert_int_equal(ci.by_kind[0], 2);
	assert_int_equal(ci.open_followups, 1);
}

static void test_search_finds_hidden_review_only_for_its_groups(void **state)
{
	struct fx *f = *state;
	struct viewer outsider = {0, "[\"ops\"]"}, insider = {0,
							      "[\"security\"]"};
	struct review_filter flt = {.q = "exfiltration"};
	struct record_list list;
	int64_t total;

	create(f, review_with(f->a, "exfiltration attempt", "security"));
	flt.viewer = &outsider;
	assert_int_equal(store_review_list(f->st, f->a, &flt, &list, NULL,
					   &total, NULL),
			 E_OK);
	assert_int_equal(list.n, 0);
	assert_int_equal(total, 0);
	flt.viewer = &insider;
	assert_int_equal(store_review_list(f->st, f->a, &flt, &list, NULL,
					   &total, NULL),
			 E_OK);
	assert_int_equal(list.n, 1);
	assert_int_equal(total, 1);
	/* the group name is who may read, not what the review says */
	flt.q = "security";
	assert_int_equal(store_review_list(f->st, f->a, &flt, &list, NULL,
					   &total, NULL),
			 E_OK);
	assert_int_equal(total, 0);
}

static void test_hidden_review_version_read_says_what_a_missing_one_says(
	void **state)
{
	struct fx *f = *state;
	struct viewer outsider = {0, "[\"ops\"]"};
	int64_t id = create(f, review_with(f->a, "secret", "security"));
	int64_t version = 0;
	struct err hidden, missing;
	char msg[64];

	assert_int_equal(store_review_version_for(f->st, id, &outsider,
						  &version, &hidden),
			 E_NOT_FOUND);
	assert_int_equal(store_review_version_for(f->st, id + 1, &outsider,
						  &version, &missing),
			 E_NOT_FOUND);
	snprintf(msg, sizeof msg, "There is no review %lld", (long long)id);
	assert_string_equal(hidden.message, msg);
	assert_string_equal(hidden.field, missing.field);
	assert_int_equal(store_review_version_for(f->st, id, NULL, &version,
						  NULL),
			 E_OK);
	assert_int_equal(version, 1);
}

static void test_group_names_are_checked(void **state)
{
	struct arena *a = ((struct fx *)*state)->a;
	static const char *const bad[] = {
		"Security", "sec urity", "sec/urity", "s\303\251curit\303\251",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	static const char *const good[] = {
		"security", "sec-ops", "ops.team_1", "0",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct err e;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct record *r = review_with(a, "x", bad[i]);
		if (record_validate(r, &e) != E_INVALID)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_string_equal(e.field, "restricted_to");
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct record *r = review_with(a, "x", good[i]);
		if (record_validate(r, &e) != E_OK)
			fail_msg("\"%s\": %s", good[i], e.message);
	}
	assert_false(review_group_valid(""));
	assert_false(review_group_valid(NULL));
	{ /* from JSON, a group may come twice */
		static const char *twice[] = {"ops", "ops"};
		struct record *r = review_with(a, "x", NULL);

		record_set_list(r, REVIEW_RESTRICTED_TO, twice, 2);
		assert_int_equal(record_validate(r, &e), E_INVALID);
		assert_string_equal(e.field, "restricted_to");
		assert_non_null(strstr(e.message, "twice"));
	}
}

static void test_json_has_empty_restricted_to_list_not_null(void **state)
{
	struct fx *f = *state;
	struct review_doc doc;
	json_t *j, *rt;
	int64_t id = create(f, review_with(f->a, "open", NULL));

	assert_int_equal(store_review_get(f->st, f->a, id, 0, &doc, NULL),
			 E_OK);
	j = review_doc_to_json(&doc);
	rt = json_object_get(j, "restricted_to");
	assert_true(json_is_array(rt));
	assert_int_equal(json_array_size(rt), 0);
	json_decref(j);
}

/* ---- the request side ------------------------------------------------ */

static void fake_request(struct request *req, struct arena *a, int role,
			 const char *groups)
{
	memset(req, 0, sizeof *req);
	req->arena = a;
	req->auth_resolved = 1;
	req->user = "someone";
	req->role = role;
	req->groups = groups;
}

static enum err_code restrict_check(struct arena *a, int role,
				    const char *groups, const char *old,
				    const char *wanted, struct err *e)
{
	struct request req;
	struct record *patch = record_new(a, &review_def);
	struct record *o = old ? review_with(a, "x", old) : NULL;

	fake_request(&req, a, role, groups);
	if (wanted)
		record_parse_value(a, patch, REVIEW_RESTRICTED_TO, wanted, e);
	err_clear(e);
	return access_check_restrict(&req, o, patch, e);
}

static void test_editor_may_restrict_only_to_own_groups(void **state)
{
	struct arena *a = ((struct fx *)*state)->a;
	const char *mine = "[\"security\",\"ops\"]";
	struct err e;

	assert_int_equal(restrict_check(a, ROLE_EDITOR, mine, NULL,
					"security", &e),
			 E_OK);
	assert_int_equal(restrict_check(a, ROLE_EDITOR, mine, NULL,
					"security, ops", &e),
			 E_OK);
	assert_int_equal(restrict_check(a, ROLE_EDITOR, mine, NULL, "legal",
					&e),
			 E_INVALID);
	assert_string_equal(e.field, "restricted_to");
	assert_non_null(strstr(e.message, "you can only restrict a review to "
					  "groups you belong to"));
	assert_int_equal(restrict_check(a, ROLE_EDITOR, mine, NULL,
					"security, legal", &e),
			 E_INVALID);
	/* a group that was there already may stay */
	assert_int_equal(restrict_check(a, ROLE_EDITOR, mine, "legal, ops",
					"legal, ops", &e),
			 E_OK);
	/* opening a review to everyone is fine; nothing given: no change */
	assert_int_equal(restrict_check(a, ROLE_EDITOR, mine, "ops", "", &e),
			 E_OK);
	assert_int_equal(restrict_check(a, ROLE_EDITOR, mine, "ops", NULL, &e),
			 E_OK);
	/* admins may name any group */
	assert_int_equal(restrict_check(a, ROLE_ADMIN, "[]", NULL, "legal",
					&e),
			 E_OK);
}

static void test_editor_cannot_lock_themselves_out(void **state)
{
	struct arena *a = ((struct fx *)*state)->a;
	struct err e;

	assert_int_equal(restrict_check(a, ROLE_EDITOR, "[\"ops\"]",
					"ops, legal", "legal", &e),
			 E_INVALID);
	assert_string_equal(e.field, "restricted_to");
	assert_non_null(strstr(e.message, "no longer see"));
}

static void test_cache_key_is_what_the_asker_sees(void **state)
{
	struct arena *a = ((struct fx *)*state)->a;
	struct request r1, r2, r3, r4;

	fake_request(&r1, a, ROLE_READER, "[\"b\",\"a\",\"b\"]");
	fake_request(&r2, a, ROLE_EDITOR, "[\"a\",\"b\"]");
	fake_request(&r3, a, ROLE_READER, "[\"a\"]");
	fake_request(&r4, a, ROLE_ADMIN, "[\"a\"]");
	assert_string_equal(access_cache_key(&r1), access_cache_key(&r2));
	assert_string_not_equal(access_cache_key(&r1), access_cache_key(&r3));
	assert_string_equal(access_cache_key(&r4), "all");
	assert_string_not_equal(access_cache_key(&r3), "all");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_c_rule_and_sql_rule_agree_on_every_case),
		T(test_expected_visibility_of_the_cases),
		T(test_counts_and_open_followups_leave_out_hidden_reviews),
		T(test_search_finds_hidden_review_only_for_its_groups),
		T(test_hidden_review_version_read_says_what_a_missing_one_says),
		T(test_group_names_are_checked),
		T(test_json_has_empty_restricted_to_list_not_null),
		T(test_editor_may_restrict_only_to_own_groups),
		T(test_editor_cannot_lock_themselves_out),
		T(test_cache_key_is_what_the_asker_sees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
