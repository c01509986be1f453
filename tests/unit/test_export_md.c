/* test_export_md.c: markdown with YAML front matter. Generated reviews
 * with every field set go out and back in without loss (the second export
 * is byte-identical); files in the shapes other tools write import
 * sensibly; bad files are refused with the file and line. */
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
#include "importers/md_format.h"
#include "store/store.h"
#include "unit/test_db.h"
#include "util/buf.h"

struct fx {
	char dir[64];
	char db1[128], db2[128];
	struct store *st1, *st2;
	struct arena *a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	snprintf(f->dir, sizeof f->dir, "/tmp/debrief-md-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	/* on PostgreSQL (DEBRIEF_TEST_PG), two new databases */
	if (test_on_pg()) {
		if (test_db_url(f->db1, sizeof f->db1, f->dir) < 0 ||
		    test_db_url(f->db2, sizeof f->db2, f->dir) < 0)
			return -1;
	} else {
		snprintf(f->db1, sizeof f->db1, "%s/one.db", f->dir);
		snprintf(f->db2, sizeof f->db2, "%s/two.db", f->dir);
	}
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

/* All the files of an export, one after another, and each file's text. */
struct files {
	struct buf all;
	char *text[64];
	size_t n;
};

static int collect(const struct export_review *r, void *arg)
{
	struct files *fl = arg;
	struct buf b = BUF_INIT;

	if (md_export_review(r, &b) < 0 || fl->n == 64)
		return -1;
	buf_append(&fl->all, b.data, b.len);
	fl->text[fl->n++] = buf_detach(&b);
	return 0;
}

static void export_md(struct store *st, struct files *fl)
{
	struct err e;

	memset(fl, 0, sizeof *fl);
	assert_int_equal(store_export_reviews(st, NULL, 0, 0, collect, fl, &e),
			 E_OK);
}

static void files_free(struct files *fl)
{
	for (size_t i = 0; i < fl->n; i++)
		free(fl->text[i]);
	buf_release(&fl->all);
}

static void import_text(struct fx *f, struct store *st, const char *name,
			const char *text)
{
	struct export_review r;
	struct import_batch b = {.allow_existing = 1, .actor = "import"};
	struct err e;

	if (md_parse(f->a, name, text, strlen(text), &r, &e) != E_OK)
		fail_msg("%s", e.message);
	b.reviews = &r;
	b.nreviews = 1;
	assert_int_equal(store_import(st, &b, &e), E_OK);
}

static void test_round_trip_of_every_field_is_byte_identical(void **state)
{
	struct fx *f = *state;
	struct files one, two;
	struct err e;

	for (int i = 1; i <= 12; i++) {
		struct review_doc doc;
		int64_t id;

		gen_doc(f->a, &doc, i, 3);
		if (i == 4) /* a review with nothing but its title */
			gen_doc(f->a, &doc, i, 0),
				doc.review = record_new(f->a, &review_def),
				record_set_str(doc.review, REVIEW_TITLE, "bare"),
				record_fill_defaults(f->a, doc.review);
		assert_int_equal(store_review_create(f->st1, f->a, "gen", &doc,
						     &id, &e),
				 E_OK);
	}
	export_md(f->st1, &one);
	assert_int_equal(one.n, 12);
	for (size_t i = 0; i < one.n; i++)
		import_text(f, f->st2, "generated.md", one.text[i]);
	export_md(f->st2, &two);
	assert_int_equal(one.all.len, two.all.len);
	assert_memory_equal(one.all.data, two.all.data, one.all.len);
	/* and the records themselves are the same, field by field */
	for (int64_t id = 1; id <= 12; id++) {
		struct review_doc d1, d2;

		assert_int_equal(store_review_get(f->st1, f->a, id, 0, &d1, &e),
				 E_OK);
		assert_int_equal(store_review_get(f->st2, f->a, id, 0, &d2, &e),
				 E_OK);
		for (size_t fi = 0; fi < review_def.nfields; fi++)
			assert_string_equal(
				record_value_text(f->a, d1.review, (int)fi),
				record_value_text(f->a, d2.review, (int)fi));
		for (int k = 0; k < CHILD_COUNT; k++) {
			assert_int_equal(d1.children[k].n, d2.children[k].n);
			for (size_t j = 0; j < d1.children[k].n; j++)
				for (size_t fi = 0;
				     fi < child_defs[k]->nfields; fi++)
					assert_string_equal(
						record_value_text(
							f->a,
							d1.children[k].items[j],
							(int)fi),
						record_value_text(
							f->a,
							d2.children[k].items[j],
							(int)fi));
		}
	}
	files_free(&one);
	files_free(&two);
}

/* Text that holds lines like the body's own section markers reads back as
 * it was (found by fuzz_md_import). */
static void test_marker_lines_in_text_read_back(void **state)
{
	struct fx *f = *state;
	static const char *const texts[] = {
		"before\n<!-- debrief:impact -->\nafter",
		"\\<!-- debrief:impact -->\n\\\\<!-- debrief:s -->",
		"<!-- debrief:s -->",
		"## Impact\n<!-- debrief:impact -->\n\n",
	};
	struct export_review r = {0}, back;
	struct buf b = BUF_INIT;
	struct err e;

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		r.review = record_new(f->a, &review_def);
		record_set_str(r.review, REVIEW_TITLE, "t");
		record_set_str(r.review, REVIEW_SUMMARY, texts[i]);
		record_set_str(r.review, REVIEW_IMPACT, "impact text");
		record_fill_defaults(f->a, r.review);
		r.review->id = 1;
		r.review->version = 1;
		r.review->created_at = r.review->updated_at = GEN_T0;
		buf_reset(&b);
		assert_int_equal(md_export_review(&r, &b), 0);
		if (md_parse(f->a, "m.md", b.data, b.len, &back, &e) != E_OK)
			fail_msg("%zu: %s\n%s", i, e.message, buf_cstr(&b));
		assert_string_equal(record_str(back.review, REVIEW_SUMMARY),
				    texts[i]);
		assert_string_equal(record_str(back.review, REVIEW_IMPACT),
				    "impact text");
	}
	buf_release(&b);
}

static const char other_tool[] =
	"---\n"
	"title: \"Cloud provider: regional outage\"\n"
	"url: https://status.example.com/incidents/42\n"
	"start_time: 2019-06-02 11:45:00\n"
	"end_time: 2019-06-02T15:30:00Z\n"
	"categories: [cloud, network]\n"
	"keywords: config-change, bgp\n"
	"company: Example Cloud\n"
	"product: compute\n"
	"layout: post\n"
	"authors:\n  - sam\n  - kim\n"
	"---\n"
	"A configuration change meant for a few servers reached many.\n"
	"\n"
	"Traffic shifted to other regions.\n";

static void test_other_tools_files_import_sensibly(void **state)
{
	struct fx *f = *state;
	struct export_review r;
	struct err e;
	struct buf b = BUF_INIT;
	struct export_review again;

	assert_int_equal(md_parse(f->a, "other.md", other_tool,
				  strlen(other_tool), &r, &e),
			 E_OK);
	assert_string_equal(record_str(r.review, REVIEW_TITLE),
			    "Cloud provider: regional outage");
	assert_int_equal(record_int(r.review, REVIEW_STARTED_AT, 0),
			 1559475900);
	assert_int_equal(record_int(r.review, REVIEW_RESOLVED_AT, 0),
			 1559489400);
	assert_string_equal(record_str(r.review, REVIEW_OWNER_TEAM),
			    "Example Cloud");
	assert_string_equal(record_value_text(f->a, r.review, REVIEW_SERVICES),
			    "compute");
	assert_string_equal(record_str(r.review, REVIEW_SUMMARY),
			    "A configuration change meant for a few servers "
			    "reached many.\n\nTraffic shifted to other "
			    "regions.");
	assert_int_equal(r.children[CHILD_TAG].n, 4);
	assert_string_equal(record_str(r.children[CHILD_TAG].items[3], 0),
			    "bgp");
	assert_int_equal(r.children[CHILD_LINK].n, 1);
	assert_string_equal(record_str(r.children[CHILD_LINK].items[0],
				       LINK_URL),
			    "https://status.example.com/incidents/42");
	/* unknown keys are kept, and written back as keys */
	assert_non_null(strstr(record_str(r.review, REVIEW_EXTRA),
			       "layout: post"));
	r.review->id = 7;
	assert_int_equal(md_export_review(&r, &b), 0);
	assert_non_null(strstr(buf_cstr(&b), "\nlayout: post\nauthors:\n"));
	assert_int_equal(md_parse(f->a, "again.md", b.data, b.len, &again, &e),
			 E_OK);
	assert_string_equal(record_str(again.review, REVIEW_EXTRA),
			    record_str(r.review, REVIEW_EXTRA));
	buf_release(&b);
}

static void test_hand_written_shapes(void **state)
{
	struct fx *f = *state;
	static const char *const ok[] = {
		/* the smallest file */
		"---\ntitle: Small\n---\n",
		/* a title from the first heading, a date alone, tags as text */
		"---\nstart_time: 2020-01-02\ntags: db , cache\n---\n"
		"# From the heading\n\nBody.\n",
		/* debrief's own sections, people and a timeline by hand */
		"---\ntitle: Ours\nseverity: 2\npeople:\n- name: ann\n"
		"  role: facilitator\ntimeline:\n- at: 2020-01-02T10:00:00Z\n"
		"  kind: alert\n  text: paged\n---\n\n## Impact\n"
		"<!-- debrief:impact -->\nSlow pages.\n\n",
	};
	struct export_review r;
	struct err e;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (md_parse(f->a, "hand.md", ok[i], strlen(ok[i]), &r, &e) !=
		    E_OK)
			fail_msg("%zu: %s", i, e.message);
	assert_string_equal(record_str(r.review, REVIEW_IMPACT), "Slow pages.");
	assert_int_equal(r.children[CHILD_TIMELINE].n, 1);
	assert_int_equal(md_parse(f->a, "h.md", ok[1], strlen(ok[1]), &r, &e),
			 E_OK);
	assert_string_equal(record_str(r.review, REVIEW_TITLE),
			    "From the heading");
	assert_int_equal(record_int(r.review, REVIEW_STARTED_AT, 0),
			 1577923200);
	assert_int_equal(r.children[CHILD_TAG].n, 2);
	assert_string_equal(record_str(r.children[CHILD_TAG].items[0], TAG_NAME),
			    "db");
}

/* Anchors and aliases read as yaml_parser_load read them (the anchored
 * value itself), also in kept keys. */
static void test_anchors_and_aliases(void **state)
{
	struct fx *f = *state;
	static const char text[] =
		"---\ntitle: &t Aliased\nsummary: *t\nx-a: &m {k: v}\n"
		"x-b: *m\n---\n";
	struct export_review r;
	struct err e;

	if (md_parse(f->a, "al.md", text, strlen(text), &r, &e) != E_OK)
		fail_msg("%s", e.message);
	assert_string_equal(record_str(r.review, REVIEW_SUMMARY), "Aliased");
	assert_string_equal(record_str(r.review, REVIEW_EXTRA),
			    "x-a:\n  k: v\nx-b:\n  k: v");
}

static void expect_bad(struct fx *f, const char *text, const char *words)
{
	struct export_review r;
	struct err e;

	assert_int_not_equal(md_parse(f->a, "bad.md", text, strlen(text), &r,
				      &e),
			     E_OK);
	assert_non_null(strstr(e.message, "bad.md"));
	if (!strstr(e.message, words))
		fail_msg("\"%s\" lacks \"%s\"", e.message, words);
}

static void test_bad_files_name_the_file_and_line(void **state)
{
	struct fx *f = *state;

	expect_bad(f, "no front matter\n", "bad.md:1: no YAML front matter");
	expect_bad(f, "---\ntitle: [open\n---\n", "not YAML");
	expect_bad(f, "---\ntitle: *nope\n---\n",
		   "bad.md:2: the front matter is not YAML: found undefined "
		   "alias");
	expect_bad(f, "---\na: &x 1\nb: &x 2\ntitle: t\n---\n",
		   "bad.md:3: the front matter is not YAML: second occurrence "
		   "found duplicate anchor; first occurrence");
	expect_bad(f, "---\ntitle: x\n", "does not end");
	expect_bad(f, "---\ntitle: x\nstarted_at: soon\n---\n",
		   "bad.md:3: started_at: \"soon\" is not a time");
	expect_bad(f, "---\ntitle: x\nseverity: 9\n---\n", "bad.md:3: severity");
	expect_bad(f, "---\ntitle: x\nkind: meteor\n---\n", "bad.md:3: kind");
	expect_bad(f, "---\ntitle: x\nstarted_at: 2026-01-02\nresolved_at: "
		   "2026-01-01\n---\n", "bad.md:4: resolved_at");
	expect_bad(f, "---\ntitle: caf\xe9\n---\n", "bad.md:2: not UTF-8");
	expect_bad(f, "---\n- a\n- b\n---\n", "key: value");
	expect_bad(f, "---\ntitle: x\npeople:\n- name: a\n  rank: 3\n---\n",
		   "bad.md:5: people: unknown field \"rank\"");
	expect_bad(f, "---\nid: zero\ntitle: x\n---\n", "id");
	expect_bad(f, "---\nkind: incident\n---\n", "title");
	/* found by fuzz_md_import */
	expect_bad(f, "---\ntitle: x\nurl: \"https://a.example/\\x01\"\n---\n",
		   "bad.md:3: url:");
	{
		/* "---" and a lone CR, with nothing after: no read past it
		 * (make asan) */
		char *four = malloc(4);
		struct export_review r;
		struct err e;

		memcpy(four, "---\r", 4);
		assert_int_not_equal(md_parse(f->a, "bad.md", four, 4, &r, &e),
				     E_OK);
		assert_non_null(strstr(e.message, "does not end"));
		free(four);
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_round_trip_of_every_field_is_byte_identical),
		T(test_marker_lines_in_text_read_back),
		T(test_other_tools_files_import_sensibly),
		T(test_hand_written_shapes),
		T(test_anchors_and_aliases),
		T(test_bad_files_name_the_file_and_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
