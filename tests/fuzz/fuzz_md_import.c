/* fuzz_md_import.c: libFuzzer target for the markdown importer
 * (md_parse: YAML front matter through md_yaml_scan or libyaml, the body's
 * sections) and the exporter (md_export_review).
 *
 * Invariants: a refused file gets E_BAD_REQUEST or E_INVALID and a message
 * that names the file; an accepted one validates against the model, and
 * its export reads back (md_parse again) and exports to the same bytes: the
 * round trip after the first import is lossless. Wherever the front
 * matter's own scanner (md_yaml_scan) reads the text between the "---"
 * lines, libyaml (md_yaml_parse) reads it too, to the same tree.
 *
 * An input may name its file (fuzz_file_name: 0xff, a length, the name;
 * else "fuzz.md"): `import md` gives md_parse the path as it was typed,
 * any bytes, and the messages must name it. */
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "importers/md_format.h"
#include "importers/md_yaml.h"
#include "unit/md_tree.h"

static void check_valid(const struct export_review *r)
{
	struct err e;

	FUZZ_ASSERT(record_validate(r->review, &e) == E_OK, "review: %s",
		    e.message);
	for (int k = 0; k < CHILD_COUNT; k++)
		for (size_t i = 0; i < r->children[k].n; i++)
			FUZZ_ASSERT(record_validate(r->children[k].items[i],
						    &e) == E_OK,
				    "%s: %s", child_defs[k]->name, e.message);
}

/* check_scanner runs both readers on the front matter of data (from after
 * a first "---" line to the next "---" line, or to the end). */
static void check_scanner(struct arena *a, const char *data, size_t size)
{
	const char *text = data, *end;
	struct md_node *mine, *theirs;
	const char *problem, *context;
	size_t len = size;
	int line;
	char why[300];

	if (size >= 4 && !memcmp(data, "---\n", 4)) {
		text += 4;
		len -= 4;
	}
	end = memmem(text, len, "\n---", 4);
	if (end)
		len = (size_t)(end + 1 - text);
	if (md_yaml_scan(a, text, len, &mine) != 1)
		return;
	FUZZ_ASSERT(md_yaml_parse(a, text, len, &theirs, &problem, &context,
				  &line) == 0,
		    "the scanner reads what libyaml refuses: %s (line %d)",
		    problem, line);
	FUZZ_ASSERT(md_tree_same(mine, theirs, why, sizeof why),
		    "the scanner's tree is not libyaml's: %s", why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct export_review r, again, third;
	struct buf one = BUF_INIT, two = BUF_INIT;
	struct err e;
	char name[256];

	if (!a)
		return 0;
	fuzz_file_name(&data, &size, name, "fuzz.md");
	check_scanner(a, (const char *)data, size);
	err_clear(&e);
	if (md_parse(a, name, (const char *)data, size, &r, &e) != E_OK) {
		FUZZ_ASSERT(e.code == E_BAD_REQUEST || e.code == E_INVALID,
			    "code %d: %s", e.code, e.message);
		FUZZ_ASSERT(fuzz_names_file(e.message, name) &&
				    !strncmp(e.message, name,
					     strlen(name) < 32 ? strlen(name)
							       : 32),
			    "the message does not name the file: %s",
			    e.message);
		goto out;
	}
	check_valid(&r);
	if (!r.review->id)
		r.review->id = 1;
	FUZZ_ASSERT(md_export_review(&r, &one) == 0, "export failed");
	err_clear(&e);
	FUZZ_ASSERT(md_parse(a, "again.md", one.data, one.len, &again, &e) ==
			    E_OK,
		    "the export does not read back: %s\n%s", e.message,
		    buf_cstr(&one));
	check_valid(&again);
	FUZZ_ASSERT(md_export_review(&again, &two) == 0, "export failed");
	if (one.len != two.len || memcmp(one.data, two.data, one.len) != 0) {
		/* a second round must be stable at least */
		struct buf three = BUF_INIT;

		err_clear(&e);
		FUZZ_ASSERT(md_parse(a, "third.md", two.data, two.len, &third,
				     &e) == E_OK,
			    "%s", e.message);
		FUZZ_ASSERT(md_export_review(&third, &three) == 0, "export");
		FUZZ_ASSERT(three.len == two.len &&
				    !memcmp(three.data, two.data, two.len),
			    "the export changes on every round:\n%s\n---\n%s",
			    buf_cstr(&two), buf_cstr(&three));
		buf_release(&three);
	}
out:
	buf_release(&one);
	buf_release(&two);
	arena_free(a);
	return 0;
}
