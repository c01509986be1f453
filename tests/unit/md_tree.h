/* md_tree.h: whether two trees of front matter nodes (md_yaml.h) are the
 * same, for the tests that hold md_yaml_scan to libyaml (test_md_yaml,
 * fuzz_md_import). */
#ifndef DEBRIEF_TEST_MD_TREE_H
#define DEBRIEF_TEST_MD_TREE_H

#include <stdio.h>
#include <string.h>

#include "importers/md_yaml.h"

/* md_tree_same: 1 when x (the scanner's) and y (libyaml's) are the same
 * tree: node types, lines, scalars to the byte, entries; else 0 and what
 * differs in why. */
static int md_tree_same(const struct md_node *x, const struct md_node *y,
			char *why, size_t n)
{
	if (!x || !y) {
		snprintf(why, n, "a node is missing (%p %p)", (const void *)x,
			 (const void *)y);
		return x == y;
	}
	if (x->type != y->type || x->line != y->line || x->n != y->n) {
		snprintf(
			why, n,
			"type %d/%d line %d/%d entries %zu/%zu (scanner/libyaml)",
			x->type, y->type, x->line, y->line, x->n, y->n);
		return 0;
	}
	if (x->type == YAML_SCALAR_NODE &&
	    (x->len != y->len || memcmp(x->s, y->s, x->len + 1) != 0)) {
		snprintf(why, n, "scalar \"%s\" (%zu) / \"%s\" (%zu), line %d",
			 x->s, x->len, y->s, y->len, x->line);
		return 0;
	}
	for (size_t i = 0; i < x->n; i++)
		if (!md_tree_same(x->kids[i], y->kids[i], why, n))
			return 0;
	return 1;
}

#endif
