/* precision.c: precision and recall per category of the linter on the
 * labelled sentences written for it: tests/unit/lint_cases.h (the unit
 * fixtures, which the rules were tuned on) and bench/lint/heldout.h (a
 * second set, see its header for what it has been used for, and a third
 * set the rules were not tuned on). Sentence level: a sentence
 * counts as flagged for a category when any finding of it is reported.
 * Prints one table per set and, with -v, every miss and false alarm.
 * Run by bench/lint/precision.sh. */
#include <stdio.h>
#include <string.h>

#include "lint/lint.h"

#include "../../tests/unit/lint_cases.h"
#include "heldout.h"

static int verbose;

static unsigned cats_of(const char *text)
{
	struct arena *a = arena_new();
	struct lint_finding *f;
	struct err e;
	size_t n;
	unsigned mask = 0;

	if (!a)
		return 0;
	err_clear(&e);
	if (lint_text(a, text, strlen(text), NULL, &f, &n, &e) == E_OK)
		for (size_t i = 0; i < n; i++)
			mask |= LINT_MASK(f[i].cat);
	arena_free(a);
	return mask;
}

static void score(const char *name, const struct lint_case *cs, size_t n)
{
	size_t tp[LINT_NCATEGORIES] = {0}, fp[LINT_NCATEGORIES] = {0},
	       fn[LINT_NCATEGORIES] = {0};
	double f1sum = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned got = cats_of(cs[i].text);

		for (int c = 0; c < LINT_NCATEGORIES; c++) {
			int g = (got & LINT_MASK(c)) != 0,
			    w = (cs[i].cats & LINT_MASK(c)) != 0;

			tp[c] += g && w;
			fp[c] += g && !w;
			fn[c] += !g && w;
			if (verbose && g != w)
				printf("  %s %s: %s\n", g ? "FALSE" : "MISS",
				       lint_category_name(c), cs[i].text);
		}
	}
	printf("%s (%zu sentences)\n", name, n);
	printf("  %-22s %4s %4s %4s %9s %7s\n", "category", "tp", "fp", "fn",
	       "precision", "recall");
	for (int c = 0; c < LINT_NCATEGORIES; c++) {
		double p = tp[c] + fp[c] ? (double)tp[c] / (tp[c] + fp[c]) : 1,
		       r = tp[c] + fn[c] ? (double)tp[c] / (tp[c] + fn[c]) : 1;

		f1sum += p + r > 0 ? 2 * p * r / (p + r) : 0;
		printf("  %-22s %4zu %4zu %4zu %9.2f %7.2f\n",
		       lint_category_name(c), tp[c], fp[c], fn[c], p, r);
	}
	printf("  macro-F1 %.3f\n", f1sum / LINT_NCATEGORIES);
}

int main(int argc, char **argv)
{
	verbose = argc > 1 && !strcmp(argv[1], "-v");
	score("tests/unit/lint_cases.h (fixtures)", lint_cases,
	      sizeof lint_cases / sizeof lint_cases[0]);
	score("bench/lint/heldout.h (second set)", lint_heldout,
	      sizeof lint_heldout / sizeof lint_heldout[0]);
	score("bench/lint/heldout.h lint_unseen (third set, not tuned on)",
	      lint_unseen, sizeof lint_unseen / sizeof lint_unseen[0]);
	return 0;
}
