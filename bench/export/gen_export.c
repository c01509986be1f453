/* gen_export.c: writes a debrief JSON export (importers/json_format.h) of
 * N generated reviews with every field set and two children of every
 * kind, to standard output, one review in memory at a time. Usage:
 * gen_export N. For bench/export/run.sh. */
#include <stdio.h>
#include <stdlib.h>

#include "../../tests/unit/gen_review.h"
#include "importers/json_format.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	int64_t next[CHILD_COUNT] = {0};

	if (n < 1) {
		fprintf(stderr, "usage: gen_export N\n");
		return 2;
	}
	fputs("{\"debrief_export\":1,\"reviews\":[", stdout);
	for (long i = 1; i <= n; i++) {
		struct arena *a = arena_new();
		struct review_doc doc;
		struct export_review r = {0};
		json_t *j;
		char *text;

		if (!a)
			return 1;
		gen_doc(a, &doc, (int)i, 2);
		r.review = doc.review;
		r.review->id = i;
		r.review->version = 1;
		r.review->created_at = r.review->updated_at = GEN_T0 + i;
		/* what an export of an imported review holds: the kept rows'
		 * lists, empty */
		r.reads = r.inbound_links = r.sources = "[]";
		for (int k = 0; k < CHILD_COUNT; k++) {
			r.children[k] = doc.children[k];
			for (size_t c = 0; c < doc.children[k].n; c++) {
				struct record *ch = doc.children[k].items[c];
				ch->id = ++next[k];
				ch->version = 1;
				ch->created_at = ch->updated_at = GEN_T0 + i;
			}
		}
		j = export_review_json(&r);
		text = j ? json_dumps(j, JSON_COMPACT) : NULL;
		if (!text)
			return 1;
		printf("%s\n%s", i > 1 ? "," : "", text);
		free(text);
		json_decref(j);
		arena_free(a);
	}
	fputs("\n],\"users\":[\n],\"audit\":[\n],\n\"glossary_terms\":[],\n"
	      "\"facilitators\":[],\n\"drafts\":[]}\n",
	      stdout);
	return 0;
}
