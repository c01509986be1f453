/* markdown.c: cmark-gfm rendering for every markdown field on a page.
 *
 * cmark-gfm keeps the table of "special" inline characters in a global
 * that each parse changes while it runs (cmark_manage_extensions_special_
 * characters adds and removes the extensions' characters, in
 * cmark_parser_feed through the table extension and in
 * cmark_parser_finish), so two parses at once can lose strikethrough or
 * autolinks. Parses are therefore serialised with one mutex; rendering the
 * parsed tree touches no global and runs outside it.
 *
 * What keeps one render from stalling the others is that every render is
 * bounded before it starts:
 * - Debian 12's cmark-gfm pads every table row to the header's column
 *   count, so 12 KB of "|a|a|..." header and one-letter rows make rows x
 *   columns cells (2,000 x 2,000: 14 s, 40 MB of HTML, 1 GB of memory).
 *   A row with many more cells than the header costs more still (40,000
 *   pipes in one row: 7 s). markdown_table_cells counts the cells from the
 *   text before parsing; above MARKDOWN_TABLE_CELLS, or a row above
 *   MARKDOWN_TABLE_ROW_CELLS, the text is parsed without the table
 *   extension (its tables read as the plain text they were typed as).
 * - Images whose text holds links ("![[]()" repeated) cost the square of
 *   their number; above MARKDOWN_MAX_IMAGES the text is shown as below.
 *   Above MARKDOWN_MAX_AT '@' the text is parsed without the autolink
 *   extension, which costs microseconds for each.
 * - A page renders many texts (a review has any number of timeline
 *   entries), each within the bounds above: once the page holds
 *   MARKDOWN_PAGE_HTML, its further texts are shown escaped.
 * - A reference link copies its definition's URL and title into every
 *   use when parsed ("[a]" costs 3 bytes of input: 40,000 uses of a
 *   100 KB URL take 2 GB), and cmark aborts the process when an output
 *   buffer passes 1 GB. markdown_ref_copies bounds those copies from the
 *   text, html_bound the HTML from the parsed tree before rendering; text
 *   above either bound is shown escaped in a <pre> instead. */
#include "web/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/html.h"

enum { EXT_TABLE, EXT_AUTOLINK, EXT_TASKLIST, EXT_STRIKE, NEXT };

static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t md_lock = PTHREAD_MUTEX_INITIALIZER;
static cmark_syntax_extension *md_ext[NEXT];

static void md_init(void)
{
	static const char *const names[NEXT] = {
		[EXT_TABLE] = "table",
		[EXT_AUTOLINK] = "autolink",
		[EXT_TASKLIST] = "tasklist",
		[EXT_STRIKE] = "strikethrough",
	};

	cmark_gfm_core_extensions_ensure_registered();
	for (size_t i = 0; i < NEXT; i++)
		md_ext[i] = cmark_find_syntax_extension(names[i]);
}

/* skip_quote skips the indentation and blockquote markers that start a
 * line, where a table may sit. */
static const char *skip_quote(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '>'))
		p++;
	return p;
}

static int blank_line(const char *p, const char *end)
{
	p = skip_quote(p, end);
	return p == end || (p + 1 == end && *p == '\r');
}

/* delimiter_columns: when [p, end) could be a table's delimiter row
 * ("|---|:-:|", after quote markers), the number of its columns (cells
 * holding a '-'); else 0. A loose reading: counting a line that is not a
 * delimiter row only makes table_cells larger. */
static size_t delimiter_columns(const char *p, const char *end)
{
	size_t cols = 0;
	int pipe = 0, dash = 0;

	for (p = skip_quote(p, end); p < end; p++) {
		switch (*p) {
		case '|':
			pipe = 1;
			cols += dash;
			dash = 0;
			break;
		case '-':
			dash = 1;
			break;
		case ':': case ' ': case '\t': case '\r':
			break;
		default:
			return 0;
		}
	}
	cols += dash;
	return pipe ? cols : 0;
}

/* row_cells is the cells cmark-gfm parses for one line [p, end) of a
 * table of cols columns: at least cols (short rows are padded), and one
 * more than its inner '|' (the extra cells of a long row are dropped, but
 * parsed first, at a cost that grows faster than their number). */
static size_t row_cells(const char *p, const char *end, size_t cols)
{
	size_t n = 1;

	p = skip_quote(p, end);
	if (p < end && *p == '|')
		p++; /* a leading pipe opens no cell */
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r'))
		end--;
	if (end > p && end[-1] == '|')
		end--; /* nor does a trailing one */
	for (; p < end; p++)
		n += *p == '|';
	return n > cols ? n : cols;
}

size_t markdown_table_cells(const char *md)
{
	size_t total = 0;
	const char *line = md, *prev = NULL, *prev_end = NULL;

	while (*line && total <= MARKDOWN_TABLE_CELLS) {
		const char *end = strchrnul(line, '\n');
		size_t cols = delimiter_columns(line, end), cells;

		if (!cols) {
			prev = line;
			prev_end = end;
			line = *end ? end + 1 : end;
			continue;
		}
		/* the header is the line before; then every line up to a
		 * blank one is a row */
		cells = prev ? row_cells(prev, prev_end, cols) : cols;
		line = *end ? end + 1 : end;
		while (cells <= MARKDOWN_TABLE_ROW_CELLS && *line) {
			size_t row;

			end = strchrnul(line, '\n');
			if (blank_line(line, end))
				break;
			row = row_cells(line, end, cols);
			if (row > MARKDOWN_TABLE_ROW_CELLS)
				cells = row;
			total += row;
			line = *end ? end + 1 : end;
		}
		if (cells > MARKDOWN_TABLE_ROW_CELLS)
			return MARKDOWN_TABLE_CELLS + 1;
		total += cells;
		prev = NULL;
	}
	return total;
}

/* count_of counts what in md: "![" opens an image, and images with links
 * in their text ("![[]()" again and again) take cmark-gfm 0.29 time that
 * grows with their square within one paragraph (43,690: 3.4 s); each "@"
 * sends the autolink extension looking for an e-mail address (65,536
 * "a@b.": 0.66 s). */
static size_t count_of(const char *md, const char *what)
{
	size_t n = 0, len = strlen(what);

	/* a plain scan: strstr from each match would be linear too, but
	 * sanitizers check the whole rest of md at every call */
	for (const char *p = md; *p; p++)
		if (*p == what[0] && !strncmp(p, what, len)) {
			n++;
			p += len - 1;
		}
	return n;
}

size_t markdown_ref_copies(const char *md)
{
	size_t uses = 0, def = 0;
	const char *line = md, *p;

	for (p = md; *p; p++)
		uses += *p == ']';
	while (*line) {
		const char *end = strchrnul(line, '\n');
		const char *colon = memmem(line, (size_t)(end - line), "]:", 2);

		if (colon) {
			/* a definition runs at most to the next blank line
			 * (a title may span lines) */
			const char *q = *end ? end + 1 : end;

			while (*q) {
				const char *e = strchrnul(q, '\n');

				if (blank_line(q, e))
					break;
				end = e;
				q = *e ? e + 1 : e;
			}
			if ((size_t)(end - line) > def)
				def = (size_t)(end - line);
		}
		line = *end ? end + 1 : end;
	}
	return def && uses > SIZE_MAX / def ? SIZE_MAX : uses * def;
}

/* html_bound is an upper bound of the HTML that renders doc, or a number
 * above MARKDOWN_MAX_HTML as soon as it passes it: per node its tags, and
 * six bytes ("&quot;") for each byte of text, URL, title or info string.
 * Reading a node's text may copy it (cmark_chunk_to_cstr); stopping at the
 * bound bounds those copies too. Tags cost up to 64 bytes a node. */
static size_t html_bound(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	size_t n = 0;

	if (!it)
		return (size_t)-1;
	while (n <= MARKDOWN_MAX_HTML &&
	       (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		const char *s;

		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_SOFTBREAK:
			n += 1;
			break;
		case CMARK_NODE_ITEM:
			n += 64; /* the longest tags: a checked task box */
			break;
		default:
			n += 32;
		}
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			if ((s = cmark_node_get_url(node)))
				n += 6 * strlen(s);
			if ((s = cmark_node_get_title(node)))
				n += 6 * strlen(s);
			break;
		case CMARK_NODE_CODE_BLOCK:
			if ((s = cmark_node_get_fence_info(node)))
				n += 6 * strlen(s);
			/* fall through */
		default:
			if ((s = cmark_node_get_literal(node)))
				n += 6 * strlen(s);
		}
	}
	cmark_iter_free(it);
	return n;
}

static int is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* parse parses md with the extensions, less those whose bit is set in
 * without (1 << EXT_TABLE, ...), under md_lock; the tree, or NULL on oom.
 * *p gets the parser, which the caller frees after rendering (the tree's
 * extensions live in it). */
static cmark_node *parse(const char *md, int opts, unsigned without,
			 cmark_parser **p)
{
	cmark_node *doc = NULL;

	pthread_mutex_lock(&md_lock);
	*p = cmark_parser_new(opts);
	if (*p) {
		for (size_t i = 0; i < NEXT; i++)
			if (md_ext[i] && !(without & (1u << i)))
				cmark_parser_attach_syntax_extension(*p,
								     md_ext[i]);
		cmark_parser_feed(*p, md, strlen(md));
		doc = cmark_parser_finish(*p);
	}
	pthread_mutex_unlock(&md_lock);
	return doc;
}

/* plain_line says whether the line [p, end) is plain (markdown_plain). */
static int plain_line(const char *p, const char *end)
{
	const char *q = p;

	if (p == end)
		return 1; /* a blank line: between paragraphs */
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
		/* digits open an ordered list when '.' or ')' follows */
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (q == p || (q < end && (*q == '.' || *q == ')')))
			return 0;
	}
	if (end[-1] == ' ') /* a hard break, or space cmark strips */
		return 0;
	for (q = p; q < end; q++) {
		unsigned char ch = (unsigned char)*q;

		if (ch < 0x20 || ch > 0x7e || strchr("\\`*_[]!<>&#~|@{}^", ch))
			return 0;
		/* a scheme's "://" (the autolink extension's http, https
		 * and ftp); a time's "14:02" is plain */
		if (ch == ':' && q + 1 < end && q[1] == '/')
			return 0;
		/* the autolink extension's "www." */
		if ((ch == 'w' || ch == 'W') && end - q >= 4 &&
		    (q[1] == 'w' || q[1] == 'W') &&
		    (q[2] == 'w' || q[2] == 'W') && q[3] == '.')
			return 0;
	}
	return 1;
}

int markdown_plain(struct buf *b, const char *md)
{
	const char *p, *end;
	int open = 0;

	for (p = md; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (!plain_line(p, end))
			return 0;
	}
	for (p = md; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (p == end) {
			if (open)
				html_raw(b, "</p>\n");
			open = 0;
			continue;
		}
		html_raw(b, open ? "\n" : "<p>");
		open = 1;
		/* cmark escapes '"' and what plain_line refused (&, <, >) */
		for (const char *q = p; q < end;) {
			const char *quote = memchr(q, '"', (size_t)(end - q));
			const char *stop = quote ? quote : end;

			buf_append(b, q, (size_t)(stop - q));
			if (quote)
				html_raw(b, "&quot;");
			q = quote ? quote + 1 : end;
		}
	}
	if (open)
		html_raw(b, "</p>\n");
	return b->oom ? -1 : 1;
}

int markdown_render(struct buf *b, const char *md)
{
	int plain;

	if (!md || is_blank(md))
		return 0;
	/* most texts are prose: no parse (nor md_lock) for them */
	if (b->len <= MARKDOWN_PAGE_HTML && (plain = markdown_plain(b, md)))
		return plain < 0 ? -1 : 0;
	return markdown_render_cmark(b, md);
}

int markdown_render_cmark(struct buf *b, const char *md)
{
	/* CMARK_OPT_DEFAULT is the safe mode: no CMARK_OPT_UNSAFE, ever. */
	const int opts = CMARK_OPT_DEFAULT;
	cmark_parser *p = NULL;
	cmark_node *doc = NULL;
	char *html = NULL;
	unsigned without = 0;
	int rc = -1;

	if (!md || is_blank(md))
		return 0;
	pthread_once(&md_once, md_init);
	if (b->len > MARKDOWN_PAGE_HTML ||
	    markdown_ref_copies(md) > MARKDOWN_MAX_HTML ||
	    count_of(md, "![") > MARKDOWN_MAX_IMAGES)
		goto plain;
	if (markdown_table_cells(md) > MARKDOWN_TABLE_CELLS)
		without |= 1u << EXT_TABLE;
	if (count_of(md, "@") > MARKDOWN_MAX_AT)
		without |= 1u << EXT_AUTOLINK;
	doc = parse(md, opts, without, &p);
	if (!doc)
		goto out;
	if (html_bound(doc) > MARKDOWN_MAX_HTML) {
		size_t before;
plain:
		before = b->len;
		html_raw(b, "<pre class=\"md-too-big\">");
		html_txt(b, md);
		html_raw(b, "</pre>\n");
		rc = b->len > before ? 0 : -1;
		goto out;
	}
	html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	if (html && buf_puts(b, html) == 0)
		rc = 0;
out:
	free(html);
	if (doc)
		cmark_node_free(doc);
	if (p)
		cmark_parser_free(p);
	return rc;
}
