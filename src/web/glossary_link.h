/* glossary_link.h: linking the first use of each glossary term in a
 * rendered review to its definition (issue 17, memory aids). */
#ifndef DEBRIEF_WEB_GLOSSARY_LINK_H
#define DEBRIEF_WEB_GLOSSARY_LINK_H

#include <stddef.h>

#include "store/store.h"
#include "util/buf.h"

/* The review page wraps each rendered markdown text in these markers;
 * only text between them is linked, and glossary_link removes them.
 * Like the page's slots they begin with "<!--debrief:", which neither
 * escaped text nor safe-mode markdown can produce. */
#define GLOSS_BEGIN "<!--debrief:md-->"
#define GLOSS_END   "<!--debrief:/md-->"

/* glossary_link copies html[0..n) to out with the first use of each of
 * terms[0..nterms) inside the markers linked to its definition
 * (<a class="gloss" href="/glossary#term-ID" title="definition">), and
 * the markers dropped. A use is the term as typed, any ASCII case, not
 * part of a longer word; never inside a link, code, a pre block, a
 * heading or any tag. Terms are matched as literal text. Returns 0, or
 * -1 when out of memory. */
int glossary_link(struct buf *out, const char *html, size_t n,
		  const struct glossary_term *terms, size_t nterms);

#endif
