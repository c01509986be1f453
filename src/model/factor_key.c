/* factor_key.c: the key of a contributing factor and the synonym list
 * (factor_key.h). */
#include "model/factor_key.h"

#include <string.h>

char *factor_key(struct arena *a, const char *text)
{
	size_t n = text ? strlen(text) : 0, o = 0;
	char *out = arena_alloc(a, n + 1);
	int space = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char ch = text[i];

		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = 1;
			continue;
		}
		if (space && o)
			out[o++] = ' ';
		space = 0;
		out[o++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
	}
	out[o] = '\0';
	return out;
}

/* add appends one synonym; -1 on oom, -2 when key is in a group already. */
static int add(struct arena *a, struct factor_synonyms *s, size_t *cap,
	       const char *key, const char *canonical, const char *label)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->items[i].key, key))
			return strcmp(s->items[i].canonical, canonical) ? -2 : 0;
	if (s->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct factor_synonym *ni = arena_alloc(a, ncap * sizeof *ni);

		if (!ni)
			return -1;
		if (s->n)
			memcpy(ni, s->items, s->n * sizeof *ni);
		s->items = ni;
		*cap = ncap;
	}
	s->items[s->n].key = key;
	s->items[s->n].canonical = canonical;
	s->items[s->n].label = label;
	s->n++;
	return 0;
}

enum err_code factor_synonyms_parse(struct arena *a, const char *text,
				    struct factor_synonyms *out,
				    struct err *e)
{
	const char *p = text ? text : "";
	size_t cap = 0;
	int line = 0;

	memset(out, 0, sizeof *out);
	while (*p) {
		const char *end = strchr(p, '\n'), *colon;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *ln = arena_strndup(a, p, len), *canon, *rest, *tok, *save;
		const char *label;
		int rc;

		line++;
		p += len + (end ? 1 : 0);
		if (!ln)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		if (!*(canon = factor_key(a, ln)))
			continue;
		if (!(colon = strchr(ln, ':')))
			return err_set(e, E_INVALID, "factor_synonyms",
				       "factor_synonyms line %d: expected "
				       "\"name: other name, other name\"",
				       line);
		rest = (char *)colon + 1;
		ln[colon - ln] = '\0';
		for (size_t t = strlen(ln); t && (ln[t - 1] == ' ' ||
						 ln[t - 1] == '\t' ||
						 ln[t - 1] == '\r');
		     t--)
			ln[t - 1] = '\0';
		label = ln;
		while (*label == ' ' || *label == '\t')
			label++;
		canon = factor_key(a, ln);
		if (!canon)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		if (!*canon)
			return err_set(e, E_INVALID, "factor_synonyms",
				       "factor_synonyms line %d: the name "
				       "before the colon is empty",
				       line);
		rc = add(a, out, &cap, canon, canon, label);
		for (tok = strtok_r(rest, ",", &save); rc == 0 && tok;
		     tok = strtok_r(NULL, ",", &save)) {
			char *k = factor_key(a, tok);

			if (!k)
				rc = -1;
			else if (*k)
				rc = add(a, out, &cap, k, canon, label);
		}
		if (rc == -1)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		if (rc == -2)
			return err_set(e, E_INVALID, "factor_synonyms",
				       "factor_synonyms line %d: a name is in "
				       "two groups",
				       line);
	}
	return E_OK;
}

const char *factor_canonical(const struct factor_synonyms *s, const char *key)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (!strcmp(s->items[i].key, key))
			return s->items[i].canonical;
	return key;
}

const char **factor_group(struct arena *a, const struct factor_synonyms *s,
			  const char *canonical, size_t *n)
{
	const char **keys = arena_alloc(a, sizeof *keys * ((s ? s->n : 0) + 1));

	*n = 0;
	if (!keys)
		return NULL;
	keys[(*n)++] = canonical;
	for (size_t i = 0; s && i < s->n; i++)
		if (!strcmp(s->items[i].canonical, canonical) &&
		    strcmp(s->items[i].key, canonical))
			keys[(*n)++] = s->items[i].key;
	return keys;
}

const char *factor_label(const struct factor_synonyms *s,
			 const char *canonical)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (!strcmp(s->items[i].key, canonical))
			return s->items[i].label;
	return NULL;
}
