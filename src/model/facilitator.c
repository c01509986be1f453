/* facilitator.c: the roster's def table and the rule that suggests a
 * facilitator for a review (facilitator.h). */
#include "model/facilitator.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/meeting.h"

static const struct field_def facilitator_fields[FAC_NFIELDS] = {
	[FAC_NAME] = {"name", "Name", FT_TEXT, F_REQUIRED, NULL, 0, 0, 200,
		      "As it is written as a meeting's facilitator", NULL},
	[FAC_TRAINED_ON] = {"trained_on", "Took the course", FT_DATE, 0, NULL,
			    0, 0, 10, "YYYY-MM-DD", NULL},
	[FAC_AVAILABLE] = {"available", "Available", FT_BOOL, 0, NULL, 0, 1, 0,
			   "Can facilitate now", "true"},
	[FAC_CONTACT] = {"contact", "Contact", FT_TEXT, 0, NULL, 0, 0, 320,
			 "An e-mail address", NULL},
	[FAC_NOTE] = {"note", "Note", FT_TEXT, 0, NULL, 0, 0, 1000, NULL,
		      NULL},
};

static void check_facilitator(const struct record *r,
			      struct field_errors *errs)
{
	const char *c = record_str(r, FAC_CONTACT);
	const char *n = record_str(r, FAC_NAME);

	if (c && !meeting_address_valid(c))
		record_add_error(errs, "contact",
				 "Contact must be an e-mail address");
	if (n && (strchr(n, '<') || strchr(n, '>')))
		record_add_error(errs, "name",
				 "Give the name alone; the address goes in "
				 "Contact");
}

const struct record_def facilitator_def = {
	"facilitator", "facilitators", NULL, facilitator_fields, FAC_NFIELDS,
	check_facilitator, -1, .variants = NULL,
};

int facilitator_names_match(const char *mf, const char *name)
{
	size_t n;

	if (!mf || !name)
		return 0;
	n = strlen(name);
	if (strncasecmp(mf, name, n))
		return 0;
	mf += n;
	while (*mf == ' ')
		mf++;
	return !*mf || *mf == '<';
}


static int by_recency(const void *pa, const void *pb)
{
	const struct facilitator *a = pa, *b = pb;

	if (a->last_facilitated != b->last_facilitated)
		return a->last_facilitated < b->last_facilitated ? -1 : 1;
	return strcasecmp(record_str(a->rec, FAC_NAME),
			  record_str(b->rec, FAC_NAME));
}

size_t facilitator_suggest(struct facilitator *all, size_t n,
			   const struct review_doc *doc,
			   struct facilitator *out)
{
	const struct record_list *people =
		doc ? &doc->children[CHILD_PERSON] : NULL;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const char *name = record_str(all[i].rec, FAC_NAME);

		all[i].involved = 0;
		for (size_t j = 0; people && j < people->n; j++) {
			const char *p = record_str(people->items[j], PERSON_NAME);
			const char *role =
				record_str(people->items[j], PERSON_ROLE);

			if (p && role && facilitator_names_match(p, name) &&
			    (!strcmp(role, "responder") || !strcmp(role, "actor")))
				all[i].involved = 1;
		}
		if (!all[i].involved &&
		    record_int(all[i].rec, FAC_AVAILABLE, 1) == 1)
			out[k++] = all[i];
	}
	qsort(out, k, sizeof *out, by_recency);
	return k;
}
