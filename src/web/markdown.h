/* markdown.h: markdown to HTML with cmark-gfm in its safe mode (raw HTML
 * dropped, javascript:/vbscript:/data: links emptied) and the GFM table,
 * autolink, tasklist and strikethrough extensions, each render bounded in
 * time and size. */
#ifndef DEBRIEF_WEB_MARKDOWN_H
#define DEBRIEF_WEB_MARKDOWN_H

#include <stddef.h>

#include "util/buf.h"

/* The most table cells (rows x header columns, summed over the text's
 * tables) rendered as tables: 1,000 rows of 20 columns. Text with more
 * renders its tables as the plain text they were typed as. */
#define MARKDOWN_TABLE_CELLS 20000
/* The most cells one table row may have (its '|'), header included. */
#define MARKDOWN_TABLE_ROW_CELLS 1000

/* The most images ("![") in one text; more is shown escaped in a <pre>. */
#define MARKDOWN_MAX_IMAGES 4000

/* Text with more '@' than this is rendered without autolinks. */
#define MARKDOWN_MAX_AT 2000

/* The most HTML one text may render into (a bound computed before
 * rendering); text that would make more is shown escaped in a <pre>. */
#define MARKDOWN_MAX_HTML (8u * 1024 * 1024)

/* The page a text is rendered into: once b holds this much, markdown_render
 * writes its text escaped in a <pre> (a page of a thousand texts, each
 * within the bounds above, would still cost seconds). */
#define MARKDOWN_PAGE_HTML (4u * 1024 * 1024)

/* markdown_render appends the HTML for the markdown text md to b. NULL or
 * blank text writes nothing. b is the page: see MARKDOWN_PAGE_HTML. Safe to call from many threads; the lock
 * they share is held for one bounded parse. Returns 0, or -1 when out of
 * memory (b may then hold part of the output). */
int markdown_render(struct buf *b, const char *md);

/* markdown_plain writes md when it is plain prose, which every markdown
 * renderer renders as its paragraphs with nothing but '"' escaped: ASCII
 * lines, none of them starting with what opens a block (anything but a
 * letter, or digits before '.' or ')') nor ending in a space, and no
 * character that means something inline or to the extensions (\ ` * _ [
 * ] ! < > & # ~ | @ { } ^, ":/", "www."). Returns 1 when written (as cmark-gfm
 * writes it: test_markdown checks), 0 when md is not plain (nothing
 * written), -1 when out of memory. markdown_render tries it first. */
int markdown_plain(struct buf *b, const char *md);

/* markdown_render_cmark is markdown_render without markdown_plain: every
 * text through cmark-gfm. */
int markdown_render_cmark(struct buf *b, const char *md);

/* markdown_table_cells is at least the number of table cells cmark-gfm
 * parses in md (each row padded to the header's columns, or its own when
 * longer): exact for plain tables, more for lines that only look like a
 * table's delimiter row. Past MARKDOWN_TABLE_CELLS, or when one row has
 * more than MARKDOWN_TABLE_ROW_CELLS, a number above MARKDOWN_TABLE_CELLS. */
size_t markdown_table_cells(const char *md);

/* markdown_ref_copies is at least the bytes cmark-gfm copies when it
 * parses md's reference links (each use copies its definition): the
 * longest line that could start a definition, to the next blank line,
 * times the number of ']' in md. Text above MARKDOWN_MAX_HTML is not
 * parsed. */
size_t markdown_ref_copies(const char *md);

#endif
