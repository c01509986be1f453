/* lint_format.c: findings as text, JSON and SARIF 2.1.0. The writers
 * stream into a struct buf with their own small JSON string escaper: a
 * 50 MB document can have 100 000 findings, and building a jansson tree
 * for them would cost more than linting. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "lint/lint_internal.h"

/* PUT_LIT appends a string literal without measuring it. */
#define PUT_LIT(out, lit) buf_append((out), (lit), sizeof(lit) - 1)

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define DEBRIEF_URL  "https://github.com/debrief/debrief"

/* json_str appends s[0..n) as a JSON string (quotes included). */
/* json_special8: one of the 8 bytes at p is a control character, '"' or
 * a backslash. haszero(v) = (v - 0x01..) & ~v & 0x80.. is non-zero exactly
 * when a byte of v is zero; (x - 0x20..) & ~x & 0x80.. likewise when a
 * byte is below 0x20. */
static inline int json_special8(const char *p)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t x, q, b;

	memcpy(&x, p, 8);
	q = x ^ (0x22 * ones);
	b = x ^ (0x5C * ones);
	return !!((((x - 0x20 * ones) & ~x) | ((q - ones) & ~q) |
		   ((b - ones) & ~b)) &
		  high);
}

#ifdef __SSE2__
/* json_special16: a mask of the bytes among the 16 at p that are below
 * 0x20 (min(x, 0x1F) == x, unsigned), '"' or a backslash. */
static inline unsigned json_special16(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)p);
	__m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
	__m128i q = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
	__m128i b = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(ctl, _mm_or_si128(q, b)));
}
#endif

static void json_str(struct buf *out, const char *s, size_t n)
{
	size_t run = 0;

	buf_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch;
		const char *esc = NULL;
		char tmp[8];

#ifdef __SSE2__
		/* sixteen bytes a step while none needs escaping; the first
		 * that may is found from the mask */
		while (n - i >= 16) {
			unsigned m = json_special16(s + i);

			if (m) {
				i += (size_t)__builtin_ctz(m);
				break;
			}
			i += 16;
		}
#endif
		/* eight bytes at a time while none needs escaping */
		while (n - i >= 8 && !json_special8(s + i))
			i += 8;
		if (i >= n)
			break;
		ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		buf_append(out, s + run, i - run);
		run = i + 1;
		switch (ch) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default: snprintf(tmp, sizeof tmp, "\\u%04x", ch); esc = tmp;
		}
		buf_puts(out, esc);
	}
	buf_append(out, s + run, n - run);
	buf_putc(out, '"');
}

/* put_num appends a decimal number (faster than buf_printf). */
static void put_num(struct buf *out, size_t v)
{
	char tmp[24];
	int i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_append(out, tmp + i, sizeof tmp - (size_t)i);
}

static void json_cstr(struct buf *out, const char *s)
{
	json_str(out, s, strlen(s));
}

/* The rules' messages and suggestions, escaped once (pthread_once) for
 * the JSON writers; json_static falls back to escaping strings it does not
 * know. */
#define ESC_MAX 640
static char esc_text[R_NRULES][2][ESC_MAX];
static size_t esc_len[R_NRULES][2];
static pthread_once_t esc_once = PTHREAD_ONCE_INIT;

static void esc_build(void)
{
	for (int r = 0; r < R_NRULES; r++)
		for (int k = 0; k < 2; k++) {
			const char *src = k ? lint_rules[r].suggestion
					    : lint_rules[r].message;
			struct buf b = BUF_INIT;

			json_cstr(&b, src);
			if (!b.oom && b.len < ESC_MAX) {
				memcpy(esc_text[r][k], b.data, b.len + 1);
				esc_len[r][k] = b.len;
			}
			buf_release(&b);
		}
}

/* json_static writes f's message (k 0) or suggestion (k 1). */
static void json_static(struct buf *out, const struct lint_finding *f, int k)
{
	const char *s = k ? f->suggestion : f->message;
	int r = f->rule;

	pthread_once(&esc_once, esc_build);
	if (r >= 0 && r < R_NRULES && esc_len[r][k] &&
	    s == (k ? lint_rules[r].suggestion : lint_rules[r].message))
		buf_append(out, esc_text[r][k], esc_len[r][k]);
	else
		json_cstr(out, s);
}

int lint_write_text(struct buf *out, const char *file, const char *text,
		    const struct lint_finding *f, size_t n)
{
	if (!file)
		file = "<stdin>";
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "%s:%d:%d: %s%s: %s\n    \"", file, f[i].line,
			   f[i].column, f[i].category,
			   lint_finding_is_hint(&f[i]) ? " (hint)" : "",
			   f[i].message);
		for (size_t k = f[i].start; k < f[i].end; k++)
			buf_putc(out, text[k] == '\n' || text[k] == '\r'
					      ? ' '
					      : text[k]);
		buf_printf(out, "\": %s\n", f[i].suggestion);
	}
	return out->oom ? -1 : 0;
}

int lint_json_begin(struct buf *out)
{
	return buf_puts(out, "{\"findings\": [");
}

int lint_json_end(struct buf *out)
{
	return buf_puts(out, "]}\n");
}

/* PUT_RAW copies a string literal to p and returns the end. */
#define PUT_RAW(p, lit) \
	(memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

/* raw_num writes a decimal number at p and returns the end. */
static char *raw_num(char *p, size_t v)
{
	char tmp[24];
	int i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(p, tmp + i, sizeof tmp - (size_t)i);
	return p + (sizeof tmp - (size_t)i);
}

/* raw_str writes s[0..n) as a JSON string (quotes included) at p, which
 * has room for 6 n + 2 bytes; returns the end. */
static char *raw_str(char *p, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0x20 && ch != '"' && ch != '\\') {
			*p++ = (char)ch;
			continue;
		}
		*p++ = '\\';
		switch (ch) {
		case '"': *p++ = '"'; break;
		case '\\': *p++ = '\\'; break;
		case '\n': *p++ = 'n'; break;
		case '\r': *p++ = 'r'; break;
		case '\t': *p++ = 't'; break;
		default:
			p = PUT_RAW(p, "u00");
			*p++ = hex[ch >> 4];
			*p++ = hex[ch & 15];
		}
	}
	*p++ = '"';
	return p;
}

/* JSON_FIXED bounds the bytes of one finding besides its file name,
 * text, message and suggestion: the keys, the category, four numbers. */
#define JSON_FIXED 256

/* json_finding_fast writes finding f when its message and suggestion are
 * the rule's own (escaped once); returns 0, or -1 to take the slow path. */
static int json_finding_fast(struct buf *out, int first, const char *fesc,
			     size_t fesc_len, const char *text,
			     const struct lint_finding *f)
{
	int r = f->rule;
	size_t tlen = f->end - f->start;
	char *p, *p0;

	pthread_once(&esc_once, esc_build);
	if (r < 0 || r >= R_NRULES || !esc_len[r][0] || !esc_len[r][1] ||
	    f->message != lint_rules[r].message ||
	    f->suggestion != lint_rules[r].suggestion ||
	    strlen(f->category) > 32)
		return -1;
	p0 = p = buf_reserve(out, JSON_FIXED + fesc_len + 6 * tlen +
					  esc_len[r][0] + esc_len[r][1]);
	if (!p)
		return 0; /* out->oom is set */
	if (first)
		p = PUT_RAW(p, "\n  {");
	else
		p = PUT_RAW(p, ",\n  {");
	if (fesc) {
		p = PUT_RAW(p, "\"file\": ");
		memcpy(p, fesc, fesc_len);
		p += fesc_len;
		p = PUT_RAW(p, ", ");
	}
	p = PUT_RAW(p, "\"category\": \"");
	p = stpcpy(p, f->category);
	if (lint_finding_is_hint(f))
		p = PUT_RAW(p, "\", \"severity\": \"hint\", \"start\": ");
	else
		p = PUT_RAW(p, "\", \"severity\": \"warning\", \"start\": ");
	p = raw_num(p, f->start);
	p = PUT_RAW(p, ", \"end\": ");
	p = raw_num(p, f->end);
	p = PUT_RAW(p, ", \"line\": ");
	p = raw_num(p, (size_t)f->line);
	p = PUT_RAW(p, ", \"column\": ");
	p = raw_num(p, (size_t)f->column);
	p = PUT_RAW(p, ", \"text\": ");
	p = raw_str(p, text + f->start, tlen);
	p = PUT_RAW(p, ", \"message\": ");
	memcpy(p, esc_text[r][0], esc_len[r][0]);
	p += esc_len[r][0];
	p = PUT_RAW(p, ", \"suggestion\": ");
	memcpy(p, esc_text[r][1], esc_len[r][1]);
	p += esc_len[r][1];
	*p++ = '}';
	buf_commit(out, (size_t)(p - p0));
	return 0;
}

int lint_json_findings(struct buf *out, int *first, const char *file,
		       const char *text, const struct lint_finding *f, size_t n)
{
	struct buf fesc = BUF_INIT;

	if (file)
		json_cstr(&fesc, file);
	if (fesc.oom) {
		out->oom = 1;
		return -1;
	}
	for (size_t i = 0; i < n && !out->oom; i++) {
		/* the flagged text was read long ago: fetch it early */
		if (i + 8 < n)
			__builtin_prefetch(text + f[i + 8].start);
		if (!json_finding_fast(out, *first, file ? fesc.data : NULL,
				       fesc.len, text, &f[i])) {
			*first = 0;
			continue;
		}
		if (*first)
			PUT_LIT(out, "\n  {");
		else
			PUT_LIT(out, ",\n  {");
		*first = 0;
		if (file) {
			PUT_LIT(out, "\"file\": ");
			buf_append(out, fesc.data, fesc.len);
			PUT_LIT(out, ", ");
		}
		PUT_LIT(out, "\"category\": \"");
		buf_puts(out, f[i].category);
		PUT_LIT(out, "\", \"severity\": \"");
		buf_puts(out, lint_finding_severity(&f[i]));
		PUT_LIT(out, "\", \"start\": ");
		put_num(out, f[i].start);
		PUT_LIT(out, ", \"end\": ");
		put_num(out, f[i].end);
		PUT_LIT(out, ", \"line\": ");
		put_num(out, (size_t)f[i].line);
		PUT_LIT(out, ", \"column\": ");
		put_num(out, (size_t)f[i].column);
		PUT_LIT(out, ", \"text\": ");
		json_str(out, text + f[i].start, f[i].end - f[i].start);
		PUT_LIT(out, ", \"message\": ");
		json_static(out, &f[i], 0);
		PUT_LIT(out, ", \"suggestion\": ");
		json_static(out, &f[i], 1);
		buf_putc(out, '}');
	}
	buf_release(&fesc);
	return out->oom ? -1 : 0;
}

int lint_write_json(struct buf *out, const char *text,
		    const struct lint_finding *f, size_t n)
{
	int first = 1;

	lint_json_begin(out);
	lint_json_findings(out, &first, NULL, text, f, n);
	if (!first)
		buf_putc(out, '\n');
	return lint_json_end(out);
}

int lint_sarif_begin(struct buf *out)
{
	buf_puts(out, "{\n\"$schema\": \"" SARIF_SCHEMA "\",\n"
		      "\"version\": \"2.1.0\",\n\"runs\": [{\n"
		      "\"tool\": {\"driver\": {\"name\": \"debrief\", "
		      "\"informationUri\": \"" DEBRIEF_URL "\", \"rules\": [");
	for (int c = 0; c < LINT_NCATEGORIES; c++) {
		buf_puts(out, c ? ",\n  {\"id\": " : "\n  {\"id\": ");
		json_cstr(out, lint_category_name(c));
		buf_puts(out, ", \"shortDescription\": {\"text\": ");
		json_cstr(out, lint_category_summary(c));
		buf_puts(out, "}, \"helpUri\": \"" DEBRIEF_URL
			      "/blob/main/docs/lint.md\", "
			      "\"defaultConfiguration\": {\"level\": ");
		buf_puts(out, LINT_IS_HINT(c) ? "\"note\"}}" : "\"warning\"}}");
	}
	buf_puts(out, "]}},\n\"columnKind\": \"unicodeCodePoints\",\n"
		      "\"results\": [");
	return out->oom ? -1 : 0;
}

int lint_sarif_end(struct buf *out)
{
	return buf_puts(out, "\n]}]\n}\n");
}

/* uri appends a relative file path as a URI reference. */
static void uri(struct buf *out, const char *file)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf u = BUF_INIT;

	for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			buf_putc(&u, (char)*p);
		} else {
			buf_putc(&u, '%');
			buf_putc(&u, hex[*p >> 4]);
			buf_putc(&u, hex[*p & 15]);
		}
	}
	if (u.oom)
		out->oom = 1;
	else
		json_str(out, buf_cstr(&u), u.len);
	buf_release(&u);
}

static size_t code_points(const char *s, size_t a, size_t b)
{
	size_t n = 0;

	for (size_t i = a; i < b; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

int lint_sarif_findings(struct buf *out, int *first, const char *file,
			const char *text, const struct lint_finding *f,
			size_t n)
{
	size_t pos = 0, cp = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = code_points(text, f[i].start, f[i].end);

		if (f[i].start >= pos) {
			cp += code_points(text, pos, f[i].start);
			pos = f[i].start;
		} else {
			cp = code_points(text, 0, f[i].start);
			pos = f[i].start;
		}
		buf_puts(out, *first ? "\n  {" : ",\n  {");
		*first = 0;
		buf_puts(out, "\"ruleId\": ");
		json_cstr(out, f[i].category);
		buf_printf(out,
			   ", \"ruleIndex\": %d, \"level\": \"%s\", "
			   "\"message\": {\"text\": ",
			   (int)f[i].cat,
			   lint_finding_is_hint(&f[i]) ? "note" : "warning");
		{
			struct buf m = BUF_INIT;

			buf_printf(&m, "%s Suggestion: %s", f[i].message,
				   f[i].suggestion);
			if (m.oom)
				out->oom = 1;
			else
				json_str(out, buf_cstr(&m), m.len);
			buf_release(&m);
		}
		buf_puts(out, "}, \"locations\": [{\"physicalLocation\": {"
			      "\"artifactLocation\": {\"uri\": ");
		uri(out, file ? file : "stdin");
		buf_printf(
			out,
			"}, \"region\": {\"startLine\": %d, \"startColumn\": "
			"%d, \"endLine\": %d, \"endColumn\": %d, "
			"\"charOffset\": %zu, \"charLength\": %zu, "
			"\"byteOffset\": %zu, \"byteLength\": %zu, "
			"\"snippet\": {\"text\": ",
			f[i].line, f[i].column, f[i].end_line, f[i].end_column,
			cp, len, f[i].start, f[i].end - f[i].start);
		json_str(out, text + f[i].start, f[i].end - f[i].start);
		buf_puts(out, "}}}}]}");
	}
	return out->oom ? -1 : 0;
}
