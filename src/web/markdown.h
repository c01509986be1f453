/* markdown.h: markdown to HTML with cmark-gfm in its safe mode (raw HTML
 * dropped, javascript:/vbscript:/data: links emptied) and the GFM table,
 * autolink, tasklist and strikethrough extensions. */
#ifndef DEBRIEF_WEB_MARKDOWN_H
#define DEBRIEF_WEB_MARKDOWN_H

#include "util/buf.h"

/* markdown_render appends the HTML for the markdown text md to b. NULL or
 * blank text writes nothing. Safe to call from many threads. Returns 0, or
 * -1 when out of memory (b may then hold part of the output). */
int markdown_render(struct buf *b, const char *md);

#endif
