/* html.h: the one escaping writer. Every byte a page writes goes through
 * these functions: text and attribute values are escaped here, so a page
 * cannot forget to. Only html_raw and html_rawf write markup as is, and they
 * must only ever be given string literals or text this program made. All
 * writers append to a struct buf (whose sticky oom flag the caller checks
 * once at the end). */
#ifndef DEBRIEF_WEB_HTML_H
#define DEBRIEF_WEB_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* html_raw writes trusted markup unchanged. */
void html_raw(struct buf *b, const char *s);
/* html_rawf formats trusted markup; every %s argument must be trusted too
 * (numbers are always safe). */
void html_rawf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* html_txt writes text content: & < > " ' become entities. NULL writes
 * nothing. html_ntxt takes at most n bytes of s. */
void html_txt(struct buf *b, const char *s);
void html_ntxt(struct buf *b, const char *s, size_t n);

/* html_attr writes the value of an attribute that the caller has opened
 * with a double quote: the same escaping as html_txt, and also newlines
 * become &#10; so that a value survives a round trip through a form. */
void html_attr(struct buf *b, const char *s);

/* html_url_arg percent-encodes s for use as one query argument or path
 * segment: every byte except A-Z a-z 0-9 - _ . ~ becomes %XX. The result is
 * safe inside an attribute as well. */
void html_url_arg(struct buf *b, const char *s);

/* html_url_is_safe tells whether a user-given URL may become an href:
 * record_url_is_safe, the rule link URLs are saved under. */
int html_url_is_safe(const char *s);

/* The marker html_time puts before a time's text ("<!--debrief:t" and the
 * Unix time, then "-->"): web_personalize (personal.c) writes the time
 * in the reader's zone there, for each answer of a cached page. */
#define HTML_TIME_SLOT "<!--debrief:t"
/* html_time writes <time datetime="RFC 3339">YYYY-MM-DD HH:MM UTC</time>,
 * the text after HTML_TIME_SLOT, which web_personalize replaces with
 * the time in the reader's zone (UTC in the tooltip) unless that is UTC. */
void html_time(struct buf *b, int64_t t);

/* html_hidden writes <input type="hidden" name=.. value=..>. */
void html_hidden(struct buf *b, const char *name, const char *value);

/* html_option writes one <option> of a <select>. */
void html_option(struct buf *b, const char *value, const char *label,
		 int selected);

/* html_diff writes a word-level diff of two texts: unchanged words as
 * text, removed ones inside <del>, added ones inside <ins>, all escaped.
 * Very long texts with many changes fall back to a line-level diff, and
 * beyond that to "old removed, new added". Lives in diff.c. */
void html_diff(struct buf *b, const char *old_text, const char *new_text);

/* html_marked writes text as html_txt does, except that the bytes 0x02
 * and 0x03 around matched words (STORE_MARK_OPEN and STORE_MARK_CLOSE of
 * a search, store.h) become <mark> and </mark>; a mark left open is
 * closed at the end, a stray close dropped. */
void html_marked(struct buf *b, const char *s);

#endif
