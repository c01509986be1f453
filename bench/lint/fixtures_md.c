/* fixtures_md.c: prints the linter's labelled sentences
 * (tests/unit/lint_cases.h and bench/lint/heldout.h) as markdown, one
 * paragraph each, for bench/lint/diff.sh to lint with two builds. */
#include <stdio.h>

#include "lint/lint.h"

#include "../../tests/unit/lint_cases.h"
#include "heldout.h"

static void put(const struct lint_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%s\n\n", c[i].text);
}

int main(void)
{
	put(lint_cases, sizeof lint_cases / sizeof *lint_cases);
	put(lint_heldout, sizeof lint_heldout / sizeof *lint_heldout);
	put(lint_unseen, sizeof lint_unseen / sizeof *lint_unseen);
	return 0;
}
