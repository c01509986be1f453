/* static.c: serves the files of static/ that the build compiled into the
 * binary (static_assets.h). Pages link them as /static/NAME?v=HASH, so the
 * answer may be cached for a year: a new build changes the hash. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/page.h"
#include "web/static_assets.h"
#include "web/web.h"

struct asset_meta {
	char etag[24]; /* "\"0123456789abcdef\"" */
	char url[160];
};

static pthread_once_t static_once = PTHREAD_ONCE_INIT;
static struct asset_meta *metas; /* parallel to static_assets */
static char all_tag[17];

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* static_init hashes every asset once. The table lives for the program. */
static void static_init(void)
{
	const uint64_t basis = 14695981039346656037ULL;
	uint64_t all = basis;
	size_t n = 0;

	while (static_assets[n].name)
		n++;
	metas = calloc(n + 1, sizeof *metas);
	for (size_t i = 0; metas && i < n; i++) {
		const struct static_asset *a = &static_assets[i];
		uint64_t h = fnv1a(basis, a->data, a->len);

		all = fnv1a(all, (const unsigned char *)&h, sizeof h);
		snprintf(metas[i].etag, sizeof metas[i].etag, "\"%016llx\"",
			 (unsigned long long)h);
		snprintf(metas[i].url, sizeof metas[i].url, "/static/%s?v=%.8s",
			 a->name, metas[i].etag + 1);
	}
	snprintf(all_tag, sizeof all_tag, "%016llx", (unsigned long long)all);
}

static int asset_index(const char *name)
{
	for (int i = 0; name && static_assets[i].name; i++)
		if (!strcmp(static_assets[i].name, name))
			return i;
	return -1;
}

const char *static_url(const char *name)
{
	int i;

	pthread_once(&static_once, static_init);
	i = asset_index(name);
	/* Only names written in this program's code get here; an unknown one
	 * is a build mistake that gives a 404, not a crash. */
	return i >= 0 && metas ? metas[i].url : "/static/missing";
}

const char *static_tag(void)
{
	pthread_once(&static_once, static_init);
	return all_tag;
}

static const char *content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
		{".json", "application/json"},
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

void web_static(struct request *req, struct response *res)
{
	const char *name = req->nparams ? req->params[0] : NULL;
	const char *inm;
	int i = asset_index(name);

	pthread_once(&static_once, static_init);
	if (i < 0 || !metas) {
		web_not_found(req, res);
		return;
	}
	res_header(res, "ETag", metas[i].etag);
	res_header(res, "Cache-Control", "public, max-age=31536000, immutable");
	inm = req_header(req, "If-None-Match");
	if (inm && strstr(inm, metas[i].etag)) {
		res->status = 304;
		buf_reset(&res->body);
		return;
	}
	res->status = 200;
	res->content_type = content_type(name);
	buf_append(&res->body, static_assets[i].data, static_assets[i].len);
	if (res->body.oom) {
		buf_release(&res->body);
		res->status = 500;
		res->content_type = "text/plain; charset=utf-8";
		buf_puts(&res->body, "out of memory\n");
	}
}
