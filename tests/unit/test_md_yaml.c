/* test_md_yaml.c: the front matter's own scanner (md_yaml_scan) against
 * libyaml (md_yaml_parse). Wherever the scanner accepts a text, its tree is
 * libyaml's: the same node types, scalars to the byte, lines, children.
 * The texts: the export of generated reviews (which it must accept),
 * random trees of tricky scalars through libyaml's emitter as the export
 * drives it, those texts mutated at random, and hand-written shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_review.h"
#include "importers/md_format.h"
#include "importers/md_yaml.h"
#include "md_tree.h"
#include "util/buf.h"

static uint64_t rng = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* compare runs both on text: when the scanner accepts, libyaml must read
 * the same tree. Returns whether the scanner accepted. */
static int compare(const char *text, size_t len)
{
	struct arena *a = arena_new();
	struct md_node *mine, *theirs;
	const char *problem, *context;
	int line, rc, lrc;
	char why[300];

	assert_non_null(a);
	rc = md_yaml_scan(a, text, len, &mine);
	assert_true(rc == 0 || rc == 1);
	if (rc == 1) {
		lrc = md_yaml_parse(a, text, len, &theirs, &problem, &context,
				    &line);
		if (lrc != 0)
			fail_msg("the scanner read what libyaml refuses (%s, "
				 "line %d):\n%.*s",
				 problem, line, (int)len, text);
		if (!md_tree_same(mine, theirs, why, sizeof why))
			fail_msg("trees differ: %s\n---\n%.*s---", why,
				 (int)len, text);
	} else {
		assert_null(mine);
	}
	arena_free(a);
	return rc == 1;
}

/* front_matter returns the text between the export's "---" lines. */
static const char *front_matter(const struct buf *b, size_t *len)
{
	const char *end = strstr(b->data + 4, "\n---\n");

	assert_non_null(end);
	*len = (size_t)(end + 1 - (b->data + 4));
	return b->data + 4;
}

static void
test_the_export_of_generated_reviews_is_read_by_the_scanner(void **state)
{
	(void)state;
	for (int seed = 1; seed <= 40; seed++) {
		struct arena *a = arena_new();
		struct review_doc doc;
		struct export_review r = {0};
		struct buf b = BUF_INIT;
		const char *fm;
		size_t len;

		gen_doc(a, &doc, seed, seed % 4);
		r.review = doc.review;
		r.review->id = seed;
		r.review->version = 1;
		memcpy(r.children, doc.children, sizeof r.children);
		if (seed % 5 == 0) /* keys of other tools, kept in extra */
			record_set_str(r.review, REVIEW_EXTRA,
				       "x-note: 'it''s: kept'\n"
				       "x-list:\n- a\n- - nested\n- k: v\n"
				       "x-empty: ''\nx-seq: []\n");
		assert_int_equal(md_export_review(&r, &b), 0);
		fm = front_matter(&b, &len);
		if (!compare(fm, len)) {
			fprintf(stderr, "%.*s", (int)len, fm);
			fail_msg("the scanner declines that export");
		}
		buf_release(&b);
		arena_free(a);
	}
}

/* Pieces of scalars that need quoting, escaping or another style. */
static const char *const pieces[] = {
	"a",
	"word",
	"two words",
	"é",
	"✓",
	"'",
	"\"",
	":",
	": ",
	"#",
	" #",
	"-",
	"- ",
	"--- ",
	"...",
	"\n",
	"\n\n",
	" ",
	"  ",
	"\t",
	"\\",
	"[",
	"]",
	"{",
	"}",
	",",
	"?",
	"? ",
	"&a",
	"*a",
	"!t",
	"|",
	">",
	"%",
	"@",
	"`",
	"\x01",
	"\x7f",
	"\xc2\x85",
	"\xe2\x80\xa8",
	"\xef\xbb\xbf",
	"\xc2\xa0",
	"null",
	"~",
	"true",
	"12",
	"-3",
	"0x1f",
	"\r",
	"\r\n",
	"\xf0\x9f\x98\x80",
	"\xef\xbf\xbd",
	"a:b",
	"a#b",
	"<!-- x -->",
	"\x1b",
	"\x07",
	"\x08",
	"\x0b",
	"\x0c",
	"\xe2\x80\xa9",
};

static char *gen_scalar(struct arena *a)
{
	struct buf b = BUF_INIT;
	unsigned n = rnd(6);
	char *s;

	if (rnd(40) == 0) /* long: an explicit key, folding limits */
		for (int i = 0; i < 1100; i++)
			buf_putc(&b, (char)('a' + i % 26));
	for (unsigned i = 0; i < n; i++)
		buf_puts(&b, pieces[rnd(sizeof pieces / sizeof pieces[0])]);
	s = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return s;
}

static void gen_value(struct ym *y, struct arena *a, int depth);

static void gen_mapping(struct ym *y, struct arena *a, int depth)
{
	unsigned n = 1 + rnd(4);

	md_yaml_map_start(y);
	for (unsigned i = 0; i < n; i++) {
		md_yaml_scalar(y, rnd(3) ? pieces[rnd(3)] : gen_scalar(a));
		gen_value(y, a, depth + 1);
	}
	md_yaml_map_end(y);
}

static void gen_value(struct ym *y, struct arena *a, int depth)
{
	unsigned k = depth > 3 ? 0 : rnd(6);

	if (k <= 2) {
		md_yaml_scalar(y, gen_scalar(a));
	} else if (k <= 4) {
		unsigned n = rnd(4);
		int flow = k == 3;

		md_yaml_seq_start(y, flow);
		for (unsigned i = 0; i < n; i++) {
			if (flow || rnd(2))
				md_yaml_scalar(y, gen_scalar(a));
			else
				gen_value(y, a, depth + 1);
		}
		md_yaml_seq_end(y);
	} else {
		gen_mapping(y, a, depth);
	}
}

/* emit_random writes a document of a random mapping into b as the export
 * does (unicode, no folding), or with libyaml's defaults. */
static void emit_random(struct arena *a, struct buf *b, int defaults)
{
	struct ym y = {0};

	assert_int_equal(
		md_yaml_doc_begin(&y, b, defaults ? MD_YAML_DEFAULTS : 0), 0);
	gen_mapping(&y, a, 0);
	md_yaml_doc_end(&y);
	/* a scalar the emitter cannot write (a control character in a
	 * literal) fails the document: then nothing is compared */
	if (y.failed)
		buf_reset(b);
}

static void test_random_trees_read_the_same_both_ways(void **state)
{
	int accepted = 0, total = 0;

	(void)state;
	for (int i = 0; i < 6000; i++) {
		struct arena *a = arena_new();
		struct buf b = BUF_INIT;

		emit_random(a, &b, i % 10 == 9);
		if (b.len) {
			total++;
			accepted += compare(b.data, b.len);
		}
		buf_release(&b);
		arena_free(a);
	}
	/* most of what the emitter writes is in the subset */
	print_message("scanner accepted %d of %d emitted documents\n", accepted,
		      total);
	assert_true(total > 3000);
	assert_true(accepted * 2 > total);
}

/* mutate changes text at random: a byte, a piece, a line's indentation, a
 * line doubled or dropped. */
static void mutate(struct buf *b)
{
	struct buf out = BUF_INIT;
	size_t at = b->len ? rnd((unsigned)b->len) : 0;
	const char *ins = "";
	size_t del = 0;

	switch (rnd(7)) {
	case 0: ins = pieces[rnd(sizeof pieces / sizeof pieces[0])]; break;
	case 1: del = 1; break;
	case 2: ins = " "; break;
	case 3: ins = "\n"; break;
	case 4:
		ins = pieces[rnd(sizeof pieces / sizeof pieces[0])];
		del = 1;
		break;
	case 5: { /* double the line at */
		size_t s = at, e = at;

		while (s && b->data[s - 1] != '\n')
			s--;
		while (e < b->len && b->data[e] != '\n')
			e++;
		if (e < b->len)
			e++;
		buf_append(&out, b->data, e);
		buf_append(&out, b->data + s, b->len - s);
		goto done;
	}
	default: /* a line's start */
		while (at && b->data[at - 1] != '\n')
			at--;
		if (rnd(2) && at < b->len && b->data[at] == ' ')
			del = 1;
		else
			ins = rnd(2) ? " " : "  ";
	}
	if (at + del > b->len)
		del = b->len - at;
	buf_append(&out, b->data, at);
	buf_puts(&out, ins);
	buf_append(&out, b->data + at + del, b->len - at - del);
done:
	buf_reset(b);
	buf_append(b, out.data, out.len);
	buf_release(&out);
}

static void test_mutated_texts_read_the_same_when_accepted(void **state)
{
	int accepted = 0, total = 0;

	(void)state;
	for (int i = 0; i < 4000; i++) {
		struct arena *a = arena_new();
		struct buf b = BUF_INIT;

		if (i % 4 == 0) {
			struct review_doc doc;
			struct export_review r = {0};
			const char *fm;
			size_t len;
			struct buf all = BUF_INIT;

			gen_doc(a, &doc, i, 1);
			r.review = doc.review;
			r.review->id = i + 1;
			memcpy(r.children, doc.children, sizeof r.children);
			assert_int_equal(md_export_review(&r, &all), 0);
			fm = front_matter(&all, &len);
			buf_append(&b, fm, len);
			buf_release(&all);
		} else {
			emit_random(a, &b, 0);
		}
		for (unsigned m = 1 + rnd(3); b.len && m; m--)
			mutate(&b);
		if (b.len) {
			total++;
			accepted += compare(b.data, b.len);
		}
		buf_release(&b);
		arena_free(a);
	}
	print_message("scanner accepted %d of %d mutated documents\n", accepted,
		      total);
	assert_true(accepted > total / 10);
}

/* Hand-written shapes: what the scanner must read itself (the export's
 * shapes) and what it leaves to libyaml; the trees agree either way. */
static void test_hand_written_shapes(void **state)
{
	static const struct {
		const char *text;
		int accepted;
	} cases[] = {
		{"a: 1\n", 1},
		{"a: 1", 1},
		{"a:\n", 1},
		{"a:\nb: 2\n", 1},
		{"a: [x, 'y z', \"q\\\"\\u00e9\\x41\\N\\L\"]\n", 1},
		{"a: []\n", 1},
		{"a: \"\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\\"\\\\\\N\\_\\L\\P"
		 "\\x41\\u00e9\\U0001F600\\x7f\\u0000\"\n",
		 1},
		{"a:\n- x\n- y: 1\n  z: |-\n    t\n\n    u\n- ''\nb: 2\n", 1},
		{"a:\n  - x\n  -\n  - 'it''s'\n", 1},
		{"a:\n  b:\n    c: d\n  e: f\ng: h\n", 1},
		{"a: |\n  x\n\n\nb: 1\n", 1},
		{"a: |+\n  x\n\n\nb: 1\n", 1},
		{"a: |-\n  x\n\n", 1},
		{"a: |2-\n    x\n  y\n", 1},
		{"a: |-\n\n  x\n", 1},
		{"a: |\n  x\n    y\n   \n  z\n", 1},
		{"a: |\nb: 1\n", 1},
		{"a: |-", 1},
		{"- a\n", 0},
		{"a: b # c\n", 0},
		{"# c\na: b\n", 0},
		{"a: b\n\nc: d\n", 0},
		{"a: &x b\nc: *x\n", 0},
		{"a: !t b\n", 0},
		{"a: >\n  x\n  y\n", 0},
		{"a: {b: c}\n", 0},
		{"a: b\n  c\n", 0},
		{"a: 'b\n  c'\n", 0},
		{"? a\n: b\n", 0},
		{"a:\tb\n", 0},
		{"a: b\r\n", 0},
		{"--- a\n", 0},
		{"a: b\n...\n", 0},
		{"a: b: c\n", 0},
		{"a: b\n- c\n", 0},
		{"a:\n- b\n  c\n", 0},
		{"a: [b, c,]\n", 0},
		{"a: [b,\n  c]\n", 0},
		{"a: \"\\/\"\n", 0},
		{"a: \"\\ud800\"\n", 0},
		{"a: \xc2\x85\n", 0},
		{"\xef\xbb\xbf"
		 "a: 1\n",
		 0},
		{"  a: 1\n", 0},
		{"", 0},
		{"a: |0\n  x\n", 0},
		{"a: |\n   \n  x\n", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = compare(cases[i].text, strlen(cases[i].text));

		if (got != cases[i].accepted)
			fail_msg("case %zu: the scanner %s:\n%s", i,
				 got ? "accepts" : "declines", cases[i].text);
	}
}

/* A byte libyaml refuses or reads as a line break, anywhere in a long
 * line (the check takes 8 bytes at a time), makes the scanner decline. */
static void test_a_control_byte_anywhere_declines(void **state)
{
	static const char *const bad[] = {
		"\x01",	    "\t",	    "\r",	    "\x7f",
		"\xc2\x85", "\xe2\x80\xa8", "\xef\xbb\xbf", "\xef\xbf\xbf"};
	char text[128];

	(void)state;
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		for (int at = 3; at < 40; at++) {
			memset(text, 'x', sizeof text);
			memcpy(text, "a: ", 3);
			memcpy(text + at, bad[k], strlen(bad[k]));
			text[60] = '\n';
			text[61] = '\0';
			if (compare(text, 61))
				fail_msg("accepted byte %zu at %d", k, at);
		}
}

/* md_yaml_load gives libyaml's message for what is not YAML, the same as
 * before the scanner. */
static void test_load_of_bad_yaml_names_libyamls_problem(void **state)
{
	struct arena *a = arena_new();
	struct md_node *root;
	const char *problem, *context;
	int line;

	(void)state;
	assert_int_equal(md_yaml_load(a, "a: b\nc: [d\n", 11, &root, &problem,
				      &context, &line),
			 -1);
	assert_null(root);
	assert_non_null(problem);
	assert_int_equal(
		md_yaml_load(a, "a: b\n", 5, &root, &problem, &context, &line),
		0);
	assert_non_null(root);
	assert_null(problem);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_the_export_of_generated_reviews_is_read_by_the_scanner),
		cmocka_unit_test(test_random_trees_read_the_same_both_ways),
		cmocka_unit_test(
			test_mutated_texts_read_the_same_when_accepted),
		cmocka_unit_test(test_hand_written_shapes),
		cmocka_unit_test(test_a_control_byte_anywhere_declines),
		cmocka_unit_test(test_load_of_bad_yaml_names_libyamls_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
