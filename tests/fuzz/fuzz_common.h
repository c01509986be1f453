/* fuzz_common.h: helpers shared by the libFuzzer targets in tests/fuzz:
 * a loud assertion (an invariant that fails aborts, and libFuzzer keeps
 * the input as a crash) and the HTML checks that catch an XSS regression
 * cheaply: no <script element, no on* event-handler attribute, no
 * javascript:, vbscript: or non-image data: URL in href, src or action,
 * no forged slot marker.
 * Header-only so that adding a target stays a one-file change. */
#ifndef DEBRIEF_FUZZ_COMMON_H
#define DEBRIEF_FUZZ_COMMON_H

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* FUZZ_CHECKER marks the checks themselves: not instrumented for
 * coverage, so that libFuzzer steers by the project's code, not by the
 * checker's loops over the output (which are also much faster so). */
#if defined(__clang__)
#define FUZZ_CHECKER __attribute__((no_sanitize("coverage"), noinline))
#else
#define FUZZ_CHECKER __attribute__((noinline))
#endif

/* FUZZ_ASSERT aborts with the failed condition and a message. */
#define FUZZ_ASSERT(cond, ...)                                             \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr,                                    \
				"%s:%d: invariant failed: %s: ", __FILE__, \
				__LINE__, #cond);                          \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
			abort();                                           \
		}                                                          \
	} while (0)

/* fuzz_cstr copies the input into a new NUL-terminated string (the
 * caller frees it); NULL when out of memory. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return NULL;
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* fuzz_file_name lets an importer's input choose its file name, which
 * flows into messages and stored fields (channels, sources): an input
 * that starts with the byte 0xff and a length byte L has the next L bytes
 * as the name (up to a NUL in them) and the rest as the file; any other
 * input is the file, named dflt. name holds 256 bytes. */
static inline void fuzz_file_name(const uint8_t **data, size_t *size,
				  char name[256], const char *dflt)
{
	size_t l;

	if (*size >= 2 && (*data)[0] == 0xff && (size_t)(*data)[1] <= *size - 2) {
		l = (*data)[1];
		memcpy(name, *data + 2, l);
		name[l] = '\0';
		*data += 2 + l;
		*size -= 2 + l;
	} else {
		snprintf(name, 256, "%s", dflt);
	}
}

/* fuzz_names_file tells whether message names the file name: holds its
 * first 32 bytes (messages cut a long name). */
static inline int fuzz_names_file(const char *message, const char *name)
{
	size_t l = strlen(name);

	return memmem(message, strlen(message), name, l < 32 ? l : 32) != NULL;
}

/* fuzz_memcasemem finds needle (lower case) in h[0..n) ignoring ASCII
 * case. */
FUZZ_CHECKER static inline const char *fuzz_memcasemem(const char *h, size_t n,
						       const char *needle)
{
	size_t k = strlen(needle), j;

	for (size_t i = 0; k <= n && i <= n - k; i++) {
		for (j = 0; j < k; j++)
			if ((char)tolower((unsigned char)h[i + j]) != needle[j])
				break;
		if (j == k)
			return h + i;
	}
	return NULL;
}

/* fuzz_url_decode turns an attribute value as the browser sees it into
 * the URL it would follow: character references decoded (&amp; &#NN;
 * &#xNN; &colon; &Tab; &NewLine;), tab and line breaks removed, leading
 * spaces and control characters dropped, ASCII lower-cased. At most n-1
 * bytes go into out. */
FUZZ_CHECKER static inline void fuzz_url_decode(const char *v, size_t len,
						char *out, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < n; i++) {
		unsigned long c = (unsigned char)v[i];

		if (c == '&') {
			const char *semi = memchr(v + i, ';', len - i);
			size_t el = semi ? (size_t)(semi - (v + i)) + 1 : 0;

			if (el > 3 && v[i + 1] == '#') {
				int hex = v[i + 2] == 'x' || v[i + 2] == 'X';

				c = strtoul(v + i + 2 + hex, NULL,
					    hex ? 16 : 10);
				i += el - 1;
			} else if (el && !strncmp(v + i, "&amp;", el)) {
				c = '&', i += el - 1;
			} else if (el && !strncmp(v + i, "&colon;", el)) {
				c = ':', i += el - 1;
			} else if (el && (!strncmp(v + i, "&Tab;", el) ||
					  !strncmp(v + i, "&NewLine;", el))) {
				i += el - 1;
				continue;
			}
		}
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (o == 0 && c <= ' ')
			continue;
		out[o++] = c < 128 ? (char)tolower((int)c) : '?';
	}
	out[o] = '\0';
}

/* fuzz_url_attr_ok tells whether a decoded URL is one a browser would
 * not run as script. */
FUZZ_CHECKER static inline int fuzz_url_attr_ok(const char *u)
{
	if (!strncmp(u, "javascript:", 11) || !strncmp(u, "vbscript:", 9))
		return 0;
	if (!strncmp(u, "data:", 5))
		return !strncmp(u + 5, "image/png", 9) ||
		       !strncmp(u + 5, "image/gif", 9) ||
		       !strncmp(u + 5, "image/jpeg", 10) ||
		       !strncmp(u + 5, "image/webp", 10);
	return 1;
}

/* fuzz_check_html aborts when html[0..n) holds a script element, an
 * event-handler attribute or a script URL in a URL attribute. It reads
 * tags the way a browser's tokenizer roughly does: a '<' and a letter
 * open a tag, attributes are name[=value] with quoted or bare values. */
FUZZ_CHECKER static inline void fuzz_check_html(const char *html, size_t n,
						const char *input)
{
	size_t i = 0;

	FUZZ_ASSERT(!fuzz_memcasemem(html, n, "<script"),
		    "a <script element in the output of input \"%.200s\"",
		    input);
	/* the per-request slot markers of src/web/page.h: user text that
	 * could forge one would get another person's CSRF token or menu */
	FUZZ_ASSERT(!memmem(html, n, "<!--debrief:", 12),
		    "a slot marker in the output of input \"%.200s\"", input);
	while (i < n) {
		const char *lt = memchr(html + i, '<', n - i);
		size_t p;

		if (!lt)
			break;
		p = (size_t)(lt - html) + 1;
		if (p >= n || !isalpha((unsigned char)html[p])) {
			i = p;
			continue;
		}
		while (p < n && !isspace((unsigned char)html[p]) &&
		       html[p] != '>' && html[p] != '/')
			p++;
		/* attributes up to the closing '>' */
		while (p < n && html[p] != '>') {
			size_t ns, nl, vs = 0, vl = 0;

			if (isspace((unsigned char)html[p]) || html[p] == '/') {
				p++;
				continue;
			}
			ns = p;
			while (p < n && !isspace((unsigned char)html[p]) &&
			       html[p] != '>' && html[p] != '=' &&
			       !(html[p] == '/' && p > ns))
				p++;
			nl = p - ns;
			FUZZ_ASSERT(
				!(nl >= 2 && !strncasecmp(html + ns, "on", 2)),
				"event handler attribute %.*s in the output "
				"of input \"%.200s\"",
				(int)nl, html + ns, input);
			while (p < n && isspace((unsigned char)html[p]))
				p++;
			if (p < n && html[p] == '=') {
				p++;
				while (p < n && isspace((unsigned char)html[p]))
					p++;
				if (p < n &&
				    (html[p] == '"' || html[p] == '\'')) {
					const char *q = memchr(html + p + 1,
							       html[p],
							       n - p - 1);
					vs = p + 1;
					vl = q ? (size_t)(q - (html + vs))
					       : n - vs;
					p = vs + vl + 1;
				} else {
					vs = p;
					while (p < n &&
					       !isspace((
						       unsigned char)html[p]) &&
					       html[p] != '>')
						p++;
					vl = p - vs;
				}
			}
			if ((nl == 4 && !strncasecmp(html + ns, "href", 4)) ||
			    (nl == 3 && !strncasecmp(html + ns, "src", 3)) ||
			    (nl == 6 && !strncasecmp(html + ns, "action", 6)) ||
			    (nl == 10 &&
			     !strncasecmp(html + ns, "formaction", 10))) {
				char url[64];

				fuzz_url_decode(html + vs, vl, url, sizeof url);
				FUZZ_ASSERT(fuzz_url_attr_ok(url),
					    "script URL %.*s in the output of "
					    "input \"%.200s\"",
					    (int)vl, html + vs, input);
			}
		}
		i = p;
	}
}

#endif
