/* multipart.c: multipart/form-data bodies (RFC 7578), read only for the
 * routes that take files (router_takes_files): text parts become form
 * fields, file parts point into the body. No copy of a file is made. */
#include <string.h>
#include <strings.h>

#include "http/http.h"
#include "util/utf8.h"

#define MULTIPART_MAX_PARTS 64

/* boundary_of finds boundary=... (maybe quoted) in the Content-Type. */
static const char *boundary_of(struct arena *a, const char *ct)
{
	const char *p = ct ? strcasestr(ct, "boundary=") : NULL;
	size_t n;

	if (!p)
		return NULL;
	p += 9;
	if (*p == '"') {
		p++;
		n = strcspn(p, "\"");
	} else {
		n = strcspn(p, "; \t");
	}
	if (n == 0 || n > 70)
		return NULL;
	return arena_strndup(a, p, n);
}

/* header_param reads name="value" from a Content-Disposition line. */
static const char *header_param(struct arena *a, const char *h, size_t hn,
				const char *name)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i + nl + 2 < hn; i++) {
		if ((i == 0 || h[i - 1] == ' ' || h[i - 1] == ';') &&
		    !strncasecmp(h + i, name, nl) && h[i + nl] == '=' &&
		    h[i + nl + 1] == '"') {
			const char *v = h + i + nl + 2;
			const char *end = memchr(v, '"', hn - (size_t)(v - h));
			return end ? arena_strndup(a, v, (size_t)(end - v))
				   : NULL;
		}
	}
	return NULL;
}

void req_multipart_parse(struct request *req)
{
	const char *b = boundary_of(req->arena, req_header(req, "Content-Type"));
	const char *p = req->body, *end = req->body + req->body_len;
	char *delim;
	size_t dl;

	req->form_parsed = -1;
	req->nform = req->nfiles = 0;
	if (!b || !(delim = arena_printf(req->arena, "\r\n--%s", b)))
		return;
	dl = strlen(delim);
	req->form = arena_alloc(req->arena, sizeof *req->form *
						   MULTIPART_MAX_PARTS);
	req->files = arena_alloc(req->arena, sizeof *req->files *
						    MULTIPART_MAX_PARTS);
	if (!req->form || !req->files)
		return;
	/* the first delimiter may sit at the very start, without CRLF */
	if ((size_t)(end - p) >= dl - 2 && !memcmp(p, delim + 2, dl - 2)) {
		p += dl - 2;
	} else {
		if (!(p = memmem(p, (size_t)(end - p), delim, dl)))
			return;
		p += dl;
	}
	for (;;) {
		const char *hend, *next, *disp, *name, *filename;
		size_t hn;

		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break; /* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return;
		p += 2;
		if (!(hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4)))
			return;
		hn = (size_t)(hend - p);
		if (!(next = memmem(hend + 4, (size_t)(end - hend - 4), delim,
				    dl)))
			return;
		disp = strcasestr(arena_strndup(req->arena, p, hn),
				  "content-disposition:");
		if (!disp)
			return;
		name = header_param(req->arena, disp, strlen(disp), "name");
		filename = header_param(req->arena, disp, strlen(disp),
					"filename");
		if (!name || req->nform + req->nfiles >= MULTIPART_MAX_PARTS)
			return;
		if (filename) {
			struct req_file *f = &req->files[req->nfiles++];
			f->name = name;
			f->filename = filename;
			f->data = hend + 4;
			f->len = (size_t)(next - hend - 4);
		} else {
			struct kv *kv = &req->form[req->nform++];
			size_t vn = (size_t)(next - hend - 4);
			if (!utf8_valid(hend + 4, vn, NULL) ||
			    memchr(hend + 4, '\0', vn) ||
			    !utf8_valid(name, strlen(name), NULL))
				return;
			kv->key = name;
			kv->value = arena_strndup(req->arena, hend + 4, vn);
			if (!kv->value)
				return;
		}
		p = next + dl;
	}
	req->form_parsed = 1;
}

const struct req_file *req_file_get(struct request *req, const char *name)
{
	for (size_t i = 0; i < req->nfiles; i++)
		if (!strcmp(req->files[i].name, name))
			return &req->files[i];
	return NULL;
}
