/* fuzz_merge.c: libFuzzer target for the edit form's base
 * (review_base_from_json: the hidden field a browser sends back) and the
 * three-way merge over it (review_merge). The input is up to three base
 * documents separated by NUL bytes: base, theirs, yours (a missing one is
 * the base again).
 *
 * Invariants: a refused base is E_BAD_REQUEST with a message; a merge of
 * anything is E_OK; every conflict points at a field of its kind (or the
 * whole row) and at a row of the merged list; when one side is the base,
 * there is no conflict and the review's fields are the other side's; a
 * merge of a document with itself changes nothing. */
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "model/review_merge.h"

static void check_conflicts(const struct merge_result *m)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct merge_conflict *c = &m->conflicts[i];
		const struct record_def *def;

		FUZZ_ASSERT(c->kind == MERGE_REVIEW ||
				    (c->kind >= 0 && c->kind < CHILD_COUNT &&
				     c->kind != CHILD_TAG),
			    "conflict kind %d", c->kind);
		def = c->kind == MERGE_REVIEW ? &review_def
					      : child_defs[c->kind];
		FUZZ_ASSERT(c->field >= -1 && c->field < (int)def->nfields,
			    "conflict field %d", c->field);
		FUZZ_ASSERT(c->kind == MERGE_REVIEW ||
				    c->pos < m->doc.children[c->kind].n,
			    "conflict row %zu of %zu", c->pos,
			    m->doc.children[c->kind].n);
	}
}

static void same_review(const struct record *a, const struct record *b,
			const char *what)
{
	for (size_t f = 0; f < a->def->nfields; f++)
		FUZZ_ASSERT(review_merge_same_value(a, b, (int)f),
			    "%s: field %s differs", what,
			    a->def->fields[f].name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct review_doc doc[3];
	struct merge_result m;
	struct arena *a = arena_new();
	const char *part[3] = {NULL, NULL, NULL};
	char *text = fuzz_cstr(data, size);
	size_t np = 0;
	struct err e;

	if (!a || !text)
		goto out;
	for (const char *p = text; np < 3 && p <= text + size;
	     p += strlen(p) + 1)
		part[np++] = p;
	for (size_t i = 0; i < np; i++) {
		err_clear(&e);
		if (review_base_from_json(a, part[i], &doc[i], &e) != E_OK) {
			FUZZ_ASSERT(e.code == E_BAD_REQUEST ||
					    e.code == E_NOMEM,
				    "code %d", e.code);
			FUZZ_ASSERT(e.message[0], "no message");
			goto out;
		}
	}
	for (size_t i = np; i < 3; i++)
		doc[i] = doc[0];
	FUZZ_ASSERT(review_merge(a, &doc[0], &doc[1], &doc[2], &m) == E_OK,
		    "merge failed");
	check_conflicts(&m);
	/* only theirs changed */
	FUZZ_ASSERT(review_merge(a, &doc[0], &doc[1], &doc[0], &m) == E_OK,
		    "merge failed");
	check_conflicts(&m);
	FUZZ_ASSERT(m.n == 0, "%zu conflicts without a change of yours", m.n);
	same_review(m.doc.review, doc[1].review, "theirs only");
	/* only yours changed */
	FUZZ_ASSERT(review_merge(a, &doc[0], &doc[0], &doc[2], &m) == E_OK,
		    "merge failed");
	check_conflicts(&m);
	FUZZ_ASSERT(m.n == 0, "%zu conflicts without a change of theirs", m.n);
	same_review(m.doc.review, doc[2].review, "yours only");
	/* nobody changed anything */
	FUZZ_ASSERT(review_merge(a, &doc[0], &doc[0], &doc[0], &m) == E_OK,
		    "merge failed");
	FUZZ_ASSERT(m.n == 0, "conflicts in a merge with itself");
	for (int k = 0; k < CHILD_COUNT; k++)
		FUZZ_ASSERT(m.doc.children[k].n <= doc[0].children[k].n,
			    "rows appeared in a merge with itself");
out:
	free(text);
	arena_free(a);
	return 0;
}
