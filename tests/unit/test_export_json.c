/* test_export_json.c: debrief's JSON export. Generated reviews with every
 * field set, edited and partly deleted, plus users and audit records,
 * exported, imported into an empty database and exported again give the
 * same bytes; bad files are refused with a message naming the file, and
 * nothing is imported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen_review.h"
#include "importers/json_format.h"
#include "store/store.h"
#include "util/buf.h"

struct fx {
	char dir[64];
	char db1[128], db2[128], file[128];
	struct store *st1, *st2;
	struct arena *a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-export-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db1, sizeof f->db1, "%s/one.db", f->dir);
	snprintf(f->db2, sizeof f->db2, "%s/two.db", f->dir);
	snprintf(f->file, sizeof f->file, "%s/export.json", f->dir);
	f->a = arena_new();
	if (store_open(f->db1, &f->st1, &e) != E_OK ||
	    store_open(f->db2, &f->st2, &e) != E_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[200];

	store_close(f->st1);
	store_close(f->st2);
	arena_free(f->a);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(f);
	return 0;
}

static int to_buf(const char *data, size_t len, void *arg)
{
	return buf_append(arg, data, len) < 0 ? -1 : 0;
}

static void export_all(struct store *st, struct buf *out)
{
	struct json_export_opts o = {.include_deleted = 1, .accounts = 1};
	struct err e;

	assert_int_equal(json_export(st, &o, to_buf, out, &e), E_OK);
	assert_false(out->oom);
}

static void write_file(const char *path, const char *text, size_t n)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, n, fp), n);
	fclose(fp);
}

/* fill makes n generated reviews with two children of every kind; edits
 * some, deletes a child of some and some whole reviews; adds users and
 * audit records. */
static void fill(struct fx *f, int n)
{
	struct err e;

	for (int i = 1; i <= n; i++) {
		struct review_doc doc;
		int64_t id;

		gen_doc(f->a, &doc, i, 2);
		assert_int_equal(store_review_create(f->st1, f->a, "gen", &doc,
						     &id, &e),
				 E_OK);
		if (i % 3 == 0) {
			struct record *p = record_new(f->a, &review_def);
			record_set_str(p, REVIEW_TITLE, "edited title");
			assert_int_equal(store_review_update(f->st1, f->a,
							     "editor", id, 0, p,
							     NULL, &e),
					 E_OK);
		}
		if (i % 4 == 0) {
			/* follow-ups: every kind of review has them */
			struct record_list l;
			assert_int_equal(store_child_list(f->st1, f->a,
							  CHILD_FOLLOWUP, id,
							  &l, &e),
					 E_OK);
			assert_int_equal(store_child_delete(
						 f->st1, f->a, "editor",
						 CHILD_FOLLOWUP, id,
						 l.items[0]->id, 0, NULL, &e),
					 E_OK);
		}
		if (i % 5 == 0)
			assert_int_equal(store_review_delete(f->st1, f->a,
							     "admin", id, 0,
							     &e),
					 E_OK);
	}
	assert_int_equal(store_user_create(f->st1, "ann", ROLE_ADMIN,
					   "[\"ops\"]", "$argon2id$secret",
					   GEN_T0, &e),
			 E_OK);
	assert_int_equal(store_user_create(f->st1, "bob", ROLE_READER, NULL,
					   "", GEN_T0 + 1, &e),
			 E_OK);
	assert_int_equal(store_audit_add(f->st1, GEN_T0, "ann", "login", "ok",
					 "127.0.0.1", &e),
			 E_OK);
	assert_int_equal(store_audit_add(f->st1, GEN_T0 + 5, "ann",
					 "user.create", "bob", NULL, &e),
			 E_OK);
}

static void test_round_trip_is_byte_identical(void **state)
{
	struct fx *f = *state;
	struct buf one = BUF_INIT, two = BUF_INIT;
	struct err e;
	size_t n = 0;

	fill(f, 25);
	export_all(f->st1, &one);
	write_file(f->file, buf_cstr(&one), one.len);
	assert_int_equal(json_import(f->st2, f->file, &n, &e), E_OK);
	assert_int_equal(n, 25);
	export_all(f->st2, &two);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(buf_cstr(&one), buf_cstr(&two), one.len);
	/* no secrets leave */
	assert_null(strstr(buf_cstr(&one), "argon2"));
	assert_null(strstr(buf_cstr(&one), "password"));
	/* deleted records and revisions are in it */
	assert_non_null(strstr(buf_cstr(&one), "\"deleted_at\""));
	assert_non_null(strstr(buf_cstr(&one), "\"action\":\"delete\""));
	/* the copy works as a store: search and ids */
	{
		struct review_doc doc;
		assert_int_equal(store_review_get(f->st2, f->a, 3, 0, &doc, &e),
				 E_OK);
		assert_string_equal(record_str(doc.review, REVIEW_TITLE),
				    "edited title");
		assert_int_equal(doc.children[CHILD_TAG].n, 2);
	}
	buf_release(&one);
	buf_release(&two);
}

static void test_one_review_export_is_the_same_object(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT, one = BUF_INIT;
	struct json_export_opts o = {.only_id = 2, .include_deleted = 1};
	struct err e;
	const char *line;

	fill(f, 3);
	export_all(f->st1, &all);
	assert_int_equal(json_export(f->st1, &o, to_buf, &one, &e), E_OK);
	/* the second line of each is review 2's object */
	line = strstr(buf_cstr(&one), "\n{\"id\":2,");
	assert_non_null(line);
	{
		const char *end = strchr(line + 1, '\n');
		size_t n = (size_t)(end - line);
		assert_non_null(strstr(buf_cstr(&all), "\n{\"id\":2,"));
		assert_memory_equal(strstr(buf_cstr(&all), "\n{\"id\":2,"),
				    line, n);
	}
	assert_null(strstr(buf_cstr(&one), "\"users\""));
	o.only_id = 99;
	assert_int_equal(json_export(f->st1, &o, to_buf, &one, &e),
			 E_NOT_FOUND);
	buf_release(&all);
	buf_release(&one);
}

static void test_a_reader_exports_only_what_it_sees(void **state)
{
	struct fx *f = *state;
	struct viewer outsider = {0, "[\"elsewhere\"]"},
		      member = {0, "[\"grp-1\"]"};
	struct json_export_opts o = {.viewer = &outsider};
	struct buf b = BUF_INIT;
	struct err e;

	fill(f, 2); /* review 1 restricted to grp-1, review 2 to grp-2 */
	assert_int_equal(json_export(f->st1, &o, to_buf, &b, &e), E_OK);
	assert_null(strstr(buf_cstr(&b), "{\"id\":1,"));
	assert_null(strstr(buf_cstr(&b), "{\"id\":2,"));
	buf_reset(&b);
	o.viewer = &member;
	assert_int_equal(json_export(f->st1, &o, to_buf, &b, &e), E_OK);
	assert_non_null(strstr(buf_cstr(&b), "\n{\"id\":1,"));
	assert_null(strstr(buf_cstr(&b), "\n{\"id\":2,"));
	o.only_id = 2;
	assert_int_equal(json_export(f->st1, &o, to_buf, &b, &e),
			 E_NOT_FOUND);
	buf_release(&b);
}

static int64_t count_reviews(struct store *st)
{
	struct review_counts c;
	struct review_filter fl = {0};
	struct err e;

	assert_int_equal(store_review_counts(st, &fl, &c, &e), E_OK);
	return c.total;
}

static void expect_refused(struct fx *f, const char *text, enum err_code code,
			   const char *words)
{
	struct err e;

	write_file(f->file, text, strlen(text));
	assert_int_equal(json_import(f->st2, f->file, NULL, &e), code);
	assert_non_null(strstr(e.message, f->file));
	if (!strstr(e.message, words))
		fail_msg("\"%s\" lacks \"%s\"", e.message, words);
	assert_int_equal(count_reviews(f->st2), 0);
}

static void test_bad_files_are_refused_and_nothing_imported(void **state)
{
	struct fx *f = *state;
	struct buf one = BUF_INIT;
	char *dup;
	const char *second;

	expect_refused(f, "{\"debrief_export\":1,\"reviews\":[\n{\"id\":1,",
		       E_BAD_REQUEST, ":2:");
	expect_refused(f, "{\"something\":\"else\"}", E_BAD_REQUEST,
		       "not a debrief JSON export");
	expect_refused(f, "{\"debrief_export\":1,\"reviews\":[\"\xff\"]}",
		       E_BAD_REQUEST, "UTF-8");
	expect_refused(f,
		       "{\"debrief_export\":1,\"reviews\":[{\"id\":1,"
		       "\"version\":1,\"title\":\"x\",\"kind\":\"incident\","
		       "\"status\":\"draft\",\"started_at\":\"yesterday\","
		       "\"created_at\":\"2026-01-01T00:00:00Z\","
		       "\"updated_at\":\"2026-01-01T00:00:00Z\"}]}",
		       E_BAD_REQUEST, "started_at");
	expect_refused(f,
		       "{\"debrief_export\":1,\"reviews\":[{\"id\":1,"
		       "\"version\":1,\"title\":\"x\",\"kind\":\"meteor\","
		       "\"status\":\"draft\","
		       "\"created_at\":\"2026-01-01T00:00:00Z\","
		       "\"updated_at\":\"2026-01-01T00:00:00Z\"}]}",
		       E_INVALID, "kind");
	/* a review given twice: the second line is the first review again */
	fill(f, 2);
	export_all(f->st1, &one);
	second = strstr(buf_cstr(&one), "\n{\"id\":2,");
	assert_non_null(second);
	dup = strdup(buf_cstr(&one));
	memcpy(dup + (second - buf_cstr(&one)), "\n{\"id\":1,", 9);
	expect_refused(f, dup, E_INVALID, "given twice");
	free(dup);
	buf_release(&one);
}

static void test_import_refuses_a_database_that_is_not_empty(void **state)
{
	struct fx *f = *state;
	struct buf one = BUF_INIT;
	struct err e;

	fill(f, 2);
	export_all(f->st1, &one);
	write_file(f->file, buf_cstr(&one), one.len);
	assert_int_equal(json_import(f->st1, f->file, NULL, &e), E_CONFLICT);
	assert_non_null(strstr(e.message, "not empty"));
	assert_int_equal(count_reviews(f->st1), 2 - 0); /* live ones */
	buf_release(&one);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_round_trip_is_byte_identical),
		T(test_one_review_export_is_the_same_object),
		T(test_a_reader_exports_only_what_it_sees),
		T(test_bad_files_are_refused_and_nothing_imported),
		T(test_import_refuses_a_database_that_is_not_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
