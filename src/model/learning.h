/* learning.h: the rules behind the signals that learning happens (issue
 * 17): which views of a review count as reads, how a reference to a
 * review is recognised in code and commit messages, and what a glossary
 * term may be. No I/O lives here. */
#ifndef DEBRIEF_LEARNING_H
#define DEBRIEF_LEARNING_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* A person's views of one review within READ_GAP seconds of their last
 * counted read count once. */
#define READ_GAP 3600

/* One view of a review, as the review page sees it. */
struct read_view {
	const char *reader;   /* the signed-in person; NULL or "": nobody */
	const char *user_agent; /* NULL: none sent */
	int is_author;        /* reader wrote part of the review */
	int64_t now;
	int64_t last_read_at; /* reader's last counted read of it; 0: none */
};

/* read_is_bot tells whether a user agent is a crawler, a link previewer
 * or a monitoring probe ("bot", "crawler", "spider", "slurp",
 * "preview", "curl/", "wget/", "python-requests", "monitor", any case).
 * Only signed-in people's views reach it, so automation that signs in
 * as a person (a headless browser) counts as that person. */
int read_is_bot(const char *user_agent);

/* read_counts is the one rule of what a read is: a view by a signed-in
 * person who is not one of the review's authors, not a bot, and not the
 * same person within READ_GAP seconds of their last counted read. */
int read_counts(const struct read_view *v);

/* A reference to a review found in a line of text. */
struct link_ref {
	int64_t review_id;
	size_t at, len; /* where in the line */
};

/* LINK_REF_PREFIX is the short id of a review: "PM-42" is review 42. */
#define LINK_REF_PREFIX "PM-"

/* link_refs_find finds the references to reviews in line[0..n): a short
 * id ("PM-42", not inside a longer word or number) or a review's URL
 * path ("/reviews/42", not followed by a digit or letter). Calls fn for
 * each in order; fn returns 0 to go on. Returns how many were found. */
size_t link_refs_find(const char *line, size_t n,
		      int (*fn)(const struct link_ref *ref, void *arg),
		      void *arg);

/* GLOSSARY_TERM_MIN and _MAX bound a term's length in characters; a term
 * of one letter would link every "a" and "I" of a review. */
#define GLOSSARY_TERM_MIN 2
#define GLOSSARY_TERM_MAX 100
#define GLOSSARY_DEFINITION_MAX 2000

/* glossary_check checks a term and its definition: E_OK, or E_INVALID
 * naming "term" or "definition" with a message for the person. Terms are
 * matched as literal text (never as a pattern), so "C++", "p99.9" or
 * "(SLO)" are fine; a term is 2 to 100 characters of valid UTF-8 with a
 * letter or digit and no control characters (one line). */
enum err_code glossary_check(const char *term, const char *definition,
			     struct err *e);

#endif
