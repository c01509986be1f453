/* learning.c: the rules of the learning signals (see learning.h): what
 * counts as a read, what a reference to a review looks like, what a
 * glossary term may be. */
#include "model/learning.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"

int read_is_bot(const char *ua)
{
	static const char *const marks[] = {
		"bot",	   "crawler", "spider", "slurp", "preview", "curl/",
		"wget/",   "python-requests", "facebookexternalhit",
		"monitor", NULL};

	if (!ua || !*ua)
		return 0;
	for (size_t i = 0; marks[i]; i++) {
		size_t n = strlen(marks[i]);

		for (const char *p = ua; *p; p++)
			if (!strncasecmp(p, marks[i], n))
				return 1;
	}
	return 0;
}

int read_counts(const struct read_view *v)
{
	if (!v || !v->reader || !*v->reader || v->is_author ||
	    read_is_bot(v->user_agent))
		return 0;
	return !v->last_read_at || v->now - v->last_read_at >= READ_GAP;
}

static int word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* digits_at reads the decimal number at s[i..n) (at most 15 digits, no
 * leading zero); its length, 0 when there is none. */
static size_t digits_at(const char *s, size_t i, size_t n, int64_t *out)
{
	size_t k = i;
	int64_t v = 0;

	if (k >= n || s[k] < '1' || s[k] > '9')
		return 0;
	while (k < n && isdigit((unsigned char)s[k]) && k - i < 15)
		v = v * 10 + (s[k++] - '0');
	if (k < n && isdigit((unsigned char)s[k]))
		return 0; /* too long to be an id */
	*out = v;
	return k - i;
}

size_t link_refs_find(const char *s, size_t n,
		      int (*fn)(const struct link_ref *ref, void *arg),
		      void *arg)
{
	static const char path[] = "/reviews/";
	const size_t plen = sizeof LINK_REF_PREFIX - 1, qlen = sizeof path - 1;
	size_t found = 0;

	for (size_t i = 0; i < n; i++) {
		struct link_ref ref = {0, i, 0};
		size_t d = 0;

		if (i + plen < n && !memcmp(s + i, LINK_REF_PREFIX, plen) &&
		    (i == 0 || !word_char((unsigned char)s[i - 1]))) {
			d = digits_at(s, i + plen, n, &ref.review_id);
			if (d)
				ref.len = plen + d;
		} else if (i + qlen < n && !memcmp(s + i, path, qlen)) {
			d = digits_at(s, i + qlen, n, &ref.review_id);
			if (d)
				ref.len = qlen + d;
		}
		if (!ref.len)
			continue;
		if (i + ref.len < n &&
		    word_char((unsigned char)s[i + ref.len]))
			continue; /* PM-42x, /reviews/42abc */
		found++;
		if (fn && fn(&ref, arg))
			break;
		i += ref.len - 1;
	}
	return found;
}

enum err_code glossary_check(const char *term, const char *definition,
			     struct err *e)
{
	size_t n = term ? strlen(term) : 0, chars = 0;
	int has_word = 0;

	if (!term || !utf8_valid(term, n, NULL))
		return err_set(e, E_INVALID, "term",
			       "The term is missing or not valid UTF-8");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)term[i];

		if (c < 0x20 || c == 0x7f)
			return err_set(e, E_INVALID, "term",
				       "The term must be one line of text, "
				       "without control characters");
		if ((c & 0xc0) != 0x80)
			chars++;
		has_word |= isalnum(c) || c >= 0x80;
	}
	if (isspace((unsigned char)term[0]) ||
	    (n && isspace((unsigned char)term[n - 1])))
		return err_set(e, E_INVALID, "term",
			       "The term cannot begin or end with a space");
	if (chars < GLOSSARY_TERM_MIN)
		return err_set(e, E_INVALID, "term",
			       "The term is too short: at least %d "
			       "characters, or every \"%s\" in every review "
			       "would be linked",
			       GLOSSARY_TERM_MIN, term);
	if (chars > GLOSSARY_TERM_MAX)
		return err_set(e, E_INVALID, "term",
			       "The term is too long: at most %d characters",
			       GLOSSARY_TERM_MAX);
	if (!has_word)
		return err_set(e, E_INVALID, "term",
			       "The term needs a letter or a digit");
	n = definition ? strlen(definition) : 0;
	if (!n)
		return err_set(e, E_INVALID, "definition",
			       "The definition is required");
	if (n > GLOSSARY_DEFINITION_MAX)
		return err_set(e, E_INVALID, "definition",
			       "The definition is too long: at most %d bytes",
			       GLOSSARY_DEFINITION_MAX);
	if (!utf8_valid(definition, n, NULL))
		return err_set(e, E_INVALID, "definition",
			       "The definition is not valid UTF-8");
	return E_OK;
}
