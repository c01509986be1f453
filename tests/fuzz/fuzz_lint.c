/* fuzz_lint.c: libFuzzer target for the language coach engine (lint_text)
 * on arbitrary bytes, and its text, JSON and SARIF writers.
 *
 * Invariants: invalid UTF-8 or a NUL byte is E_BAD_REQUEST, anything else
 * is linted; findings are sorted, lie within the input, start and end on
 * code point boundaries, and their line and column (and end_line and
 * end_column) are what utf8_line_col says for those offsets; the JSON and
 * SARIF writers produce JSON that parses; messages (some quote the input)
 * are UTF-8. The input's length picks the
 * options (quotes linted, one phrase allowed, a category disabled) so that
 * the seed corpus stays plain text. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "lint/lint.h"
#include "util/utf8.h"

static void check_json(struct buf *b, const char *what)
{
	json_error_t jerr;
	json_t *j = json_loadb(b->data ? b->data : "", b->len, 0, &jerr);

	FUZZ_ASSERT(!b->oom, "out of memory in the %s writer", what);
	FUZZ_ASSERT(j, "the %s writer wrote bad JSON: %s at %d:%d", what,
		    jerr.text, jerr.line, jerr.column);
	json_decref(j);
}

static int on_boundary(const uint8_t *data, size_t size, size_t off)
{
	return off == size || (data[off] & 0xC0) != 0x80;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allow[] = {"root cause"};
	struct lint_config cfg = {0};
	struct lint_finding *f = NULL;
	struct arena *a = arena_new();
	struct buf b = BUF_INIT;
	char *text = fuzz_cstr(data, size);
	size_t n = 0;
	int first;
	struct err e;

	if (!a || !text)
		goto out;
	cfg.threads = 1;
	cfg.lint_quotes = size & 1;
	if (size % 3 == 0) {
		cfg.allow = allow;
		cfg.nallow = 1;
	}
	if (size % 5 == 0)
		cfg.disabled_mask = LINT_MASK(size / 5 % LINT_NCATEGORIES);
	err_clear(&e);
	if (lint_text(a, text, size, &cfg, &f, &n, &e) != E_OK) {
		FUZZ_ASSERT(e.code == E_BAD_REQUEST &&
				    !utf8_valid(text, size, NULL),
			    "valid input refused: %d %s", e.code, e.message);
		goto out;
	}
	FUZZ_ASSERT(utf8_valid(text, size, NULL), "invalid UTF-8 linted");
	for (size_t i = 0; i < n; i++) {
		int line, col;

		FUZZ_ASSERT(f[i].start < f[i].end && f[i].end <= size,
			    "finding %zu is [%zu, %zu) of %zu bytes", i,
			    f[i].start, f[i].end, size);
		FUZZ_ASSERT(i == 0 || f[i - 1].start <= f[i].start,
			    "findings out of order at %zu", i);
		FUZZ_ASSERT(on_boundary(data, size, f[i].start) &&
				    on_boundary(data, size, f[i].end),
			    "finding %zu [%zu, %zu) splits a code point", i,
			    f[i].start, f[i].end);
		FUZZ_ASSERT((unsigned)f[i].cat < LINT_NCATEGORIES &&
				    !(cfg.disabled_mask & LINT_MASK(f[i].cat)),
			    "finding %zu has category %d", i, f[i].cat);
		FUZZ_ASSERT(f[i].category && f[i].message && f[i].suggestion,
			    "finding %zu lacks a text", i);
		/* messages written for the finding quote the input, cut at
		 * a code point boundary */
		FUZZ_ASSERT(utf8_valid(f[i].message, strlen(f[i].message),
				       NULL) &&
				    utf8_valid(f[i].suggestion,
					       strlen(f[i].suggestion), NULL),
			    "finding %zu has a message that is not UTF-8", i);
		utf8_line_col(text, f[i].start, &line, &col);
		FUZZ_ASSERT(f[i].line == line && f[i].column == col,
			    "finding %zu at byte %zu says %d:%d, not %d:%d", i,
			    f[i].start, f[i].line, f[i].column, line, col);
		utf8_line_col(text, f[i].end, &line, &col);
		FUZZ_ASSERT(f[i].end_line == line && f[i].end_column == col,
			    "finding %zu ends at byte %zu: %d:%d, not %d:%d", i,
			    f[i].end, f[i].end_line, f[i].end_column, line,
			    col);
	}
	FUZZ_ASSERT(lint_write_text(&b, "fuzz.md", text, f, n) == 0,
		    "lint_write_text");
	buf_reset(&b);
	FUZZ_ASSERT(lint_write_json(&b, text, f, n) == 0, "lint_write_json");
	check_json(&b, "JSON");
	buf_reset(&b);
	first = 1;
	FUZZ_ASSERT(lint_sarif_begin(&b) == 0 &&
			    lint_sarif_findings(&b, &first, "fuzz.md", text, f,
						n) == 0 &&
			    lint_sarif_end(&b) == 0,
		    "SARIF writer");
	check_json(&b, "SARIF");
out:
	buf_release(&b);
	arena_free(a);
	free(text);
	return 0;
}
