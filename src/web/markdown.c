/* markdown.c: cmark-gfm rendering for every markdown field on a page.
 *
 * cmark-gfm keeps the table of "special" inline characters in a global
 * that each parse changes while it runs (cmark_manage_extensions_special_
 * characters adds and removes the extensions' characters), so two parses
 * at once can lose strikethrough or tables. Parses are therefore
 * serialised with one mutex; they only run when a page is rendered on a
 * cache miss. */
#include "web/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t md_lock = PTHREAD_MUTEX_INITIALIZER;
static cmark_syntax_extension *md_ext[4];

static void md_init(void)
{
	static const char *const names[] = {"table", "autolink", "tasklist",
					    "strikethrough"};

	cmark_gfm_core_extensions_ensure_registered();
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		md_ext[i] = cmark_find_syntax_extension(names[i]);
}

static int is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

int markdown_render(struct buf *b, const char *md)
{
	/* CMARK_OPT_DEFAULT is the safe mode: no CMARK_OPT_UNSAFE, ever. */
	const int opts = CMARK_OPT_DEFAULT;
	cmark_parser *p;
	cmark_node *doc = NULL;
	char *html = NULL;
	int rc = -1;

	if (!md || is_blank(md))
		return 0;
	pthread_once(&md_once, md_init);
	pthread_mutex_lock(&md_lock);
	p = cmark_parser_new(opts);
	if (!p)
		goto out;
	for (size_t i = 0; i < sizeof md_ext / sizeof md_ext[0]; i++)
		if (md_ext[i])
			cmark_parser_attach_syntax_extension(p, md_ext[i]);
	cmark_parser_feed(p, md, strlen(md));
	doc = cmark_parser_finish(p);
	if (!doc)
		goto out;
	html = cmark_render_html(doc, opts,
				 cmark_parser_get_syntax_extensions(p));
	if (!html)
		goto out;
	rc = 0;
out:
	if (doc)
		cmark_node_free(doc);
	if (p)
		cmark_parser_free(p);
	pthread_mutex_unlock(&md_lock);
	if (html) {
		if (buf_puts(b, html) < 0)
			rc = -1;
		free(html);
	}
	return rc;
}
