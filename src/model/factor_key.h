/* factor_key.h: recurring contributing factors (issue 17). Two factors
 * are "the same" when their keys are equal: the text with ASCII letters
 * lowered, every tab, newline and carriage return turned into a space,
 * runs of spaces collapsed to one and the ends trimmed; then a synonym
 * list from the configuration (factor_synonyms) maps keys onto one
 * canonical key. The store indexes the same key in SQL
 * (FACTOR_KEY_SQL): the two must agree, and tests/unit/test_factor_key.c
 * checks that they do. */
#ifndef DEBRIEF_FACTOR_KEY_H
#define DEBRIEF_FACTOR_KEY_H

#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

/* FACTOR_KEY_SQL(col) is factor_key in SQL over column col; migration
 * 013 indexes it over factors.text, byte for byte this expression. */
#define FACTOR_KEY_SQL(col)                                                  \
	"lower(trim(replace(replace(replace(replace(replace(replace(" col      \
	", char(9), ' '), char(10), ' '), char(13), ' '), ' ', "               \
	"char(1) || char(2)), char(2) || char(1), ''), char(1) || char(2), "   \
	"' ')))"

/* factor_key returns text's key, from a (NULL on oom). */
char *factor_key(struct arena *a, const char *text);

/* One synonym: key maps to canonical (a key too); label is the
 * canonical as the configuration spelled it. */
struct factor_synonym {
	const char *key, *canonical, *label;
};

struct factor_synonyms {
	struct factor_synonym *items;
	size_t n;
};

/* factor_synonyms_parse reads the configuration's list: one group a
 * line, "canonical: other, other" (the canonical maps to itself). Blank
 * lines are skipped. E_INVALID naming "factor_synonyms" for a line with
 * no colon or an empty name, or a key in two groups. Memory from a. */
enum err_code factor_synonyms_parse(struct arena *a, const char *text,
				    struct factor_synonyms *out,
				    struct err *e);

/* factor_canonical gives the canonical key of key (key itself when no
 * synonym names it). */
const char *factor_canonical(const struct factor_synonyms *s, const char *key);

/* factor_group fills keys (from a) with every key that maps to canonical
 * (canonical first); *n at least 1. NULL on oom. */
const char **factor_group(struct arena *a, const struct factor_synonyms *s,
			  const char *canonical, size_t *n);

/* factor_label is the canonical's spelling in the configuration, or
 * NULL when canonical is no synonym group's. */
const char *factor_label(const struct factor_synonyms *s,
			 const char *canonical);

#endif
