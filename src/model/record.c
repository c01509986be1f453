/* record.c: the generic record: values, parsing from text, validation and
 * diffs, all driven by the record_def tables. */
#include "model/record.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/timeutil.h"
#include "util/utf8.h"

struct record *record_new(struct arena *a, const struct record_def *def)
{
	struct record *r = arena_alloc(a, sizeof *r);

	if (!r)
		return NULL;
	r->def = def;
	r->v = arena_alloc(a, sizeof(struct value) * def->nfields);
	if (!r->v)
		return NULL;
	return r;
}

int record_field(const struct record_def *def, const char *name)
{
	for (size_t i = 0; i < def->nfields; i++)
		if (!strcmp(def->fields[i].name, name))
			return (int)i;
	return -1;
}

void record_set_str(struct record *r, int f, const char *s)
{
	struct value *v = &r->v[f];

	v->state = s ? V_SET : V_NULL;
	v->s = s;
}

void record_set_int(struct record *r, int f, int64_t i)
{
	r->v[f].state = V_SET;
	r->v[f].i = i;
}

void record_set_null(struct record *r, int f)
{
	memset(&r->v[f], 0, sizeof r->v[f]);
	r->v[f].state = V_NULL;
}

void record_set_list(struct record *r, int f, const char **items, size_t n)
{
	r->v[f].state = V_SET;
	r->v[f].items = items;
	r->v[f].nitems = n;
}

const char *record_str(const struct record *r, int f)
{
	return r->v[f].state == V_SET ? r->v[f].s : NULL;
}

int64_t record_int(const struct record *r, int f, int64_t dflt)
{
	return r->v[f].state == V_SET ? r->v[f].i : dflt;
}

int record_isset(const struct record *r, int f)
{
	return r->v[f].state == V_SET;
}

/* trim_copy copies text without leading and trailing white space. */
static char *trim_copy(struct arena *a, const char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

/* parse_list splits comma-separated text into trimmed, non-empty items,
 * dropping duplicates. */
static enum err_code parse_list(struct arena *a, struct record *r, int f,
				const char *text, struct err *e)
{
	const char **items;
	size_t n = 0, cap = 1;
	const char *p;

	for (p = text; *p; p++)
		if (*p == ',' || *p == '\n')
			cap++;
	items = arena_alloc(a, sizeof *items * cap);
	if (!items)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	p = text;
	while (*p) {
		const char *end = p + strcspn(p, ",\n");
		char *item = arena_strndup(a, p, (size_t)(end - p)), *t;
		int dup = 0;

		if (!item || !(t = trim_copy(a, item)))
			return err_set(e, E_NOMEM, NULL, "out of memory");
		for (size_t k = 0; k < n; k++)
			dup |= !strcmp(items[k], t);
		if (*t && !dup)
			items[n++] = t;
		p = *end ? end + 1 : end;
	}
	if (n == 0)
		record_set_null(r, f);
	else
		record_set_list(r, f, items, n);
	return E_OK;
}

enum err_code record_parse_value(struct arena *a, struct record *r, int f,
				 const char *text, struct err *e)
{
	const struct field_def *fd = &r->def->fields[f];
	char *t;
	int64_t i;
	char *end;

	if (!text)
		text = "";
	if (!utf8_valid(text, strlen(text), NULL))
		return err_set(e, E_BAD_REQUEST, fd->name,
			       "%s is not valid UTF-8", fd->label);
	t = fd->type == FT_MARKDOWN ? arena_strdup(a, text) : trim_copy(a, text);
	if (!t)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (fd->type == FT_MARKDOWN) {
		const char *p = t;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p) {
			record_set_null(r, f);
			return E_OK;
		}
	} else if (!*t && fd->type != FT_BOOL) {
		record_set_null(r, f);
		return E_OK;
	}
	switch (fd->type) {
	case FT_TEXT:
	case FT_MARKDOWN:
	case FT_ENUM:
	case FT_URL:
		record_set_str(r, f, t);
		return E_OK;
	case FT_DATE:
		if (time_parse_date(t, &i) < 0)
			return err_set(e, E_INVALID, fd->name,
				       "%s must be a date like 2026-11-20",
				       fd->label);
		record_set_str(r, f, t);
		return E_OK;
	case FT_INT:
		i = strtoll(t, &end, 10);
		if (*end)
			return err_set(e, E_INVALID, fd->name,
				       "%s must be a whole number", fd->label);
		record_set_int(r, f, i);
		return E_OK;
	case FT_TIME:
		if (time_parse(t, &i) < 0)
			return err_set(e, E_INVALID, fd->name,
				       "%s must be a time like 2026-11-20 14:05 "
				       "(UTC) or 2026-11-20T14:05:00Z",
				       fd->label);
		record_set_int(r, f, i);
		return E_OK;
	case FT_BOOL:
		if (!*t || !strcmp(t, "false") || !strcmp(t, "0") ||
		    !strcmp(t, "off") || !strcmp(t, "no"))
			record_set_int(r, f, 0);
		else if (!strcmp(t, "true") || !strcmp(t, "1") ||
			 !strcmp(t, "on") || !strcmp(t, "yes"))
			record_set_int(r, f, 1);
		else
			return err_set(e, E_INVALID, fd->name,
				       "%s must be true or false", fd->label);
		return E_OK;
	case FT_LIST:
		return parse_list(a, r, f, t, e);
	}
	return err_set(e, E_INVALID, fd->name, "unknown field type");
}

const char *record_value_text(struct arena *a, const struct record *r, int f)
{
	const struct field_def *fd = &r->def->fields[f];
	const struct value *v = &r->v[f];
	char tb[TIME_BUF];
	struct buf b = BUF_INIT;
	char *out;

	if (v->state != V_SET)
		return "";
	switch (fd->type) {
	case FT_TEXT:
	case FT_MARKDOWN:
	case FT_ENUM:
	case FT_URL:
	case FT_DATE:
		return v->s ? v->s : "";
	case FT_INT:
		return arena_printf(a, "%lld", (long long)v->i);
	case FT_TIME:
		time_format(v->i, tb);
		return arena_strdup(a, tb);
	case FT_BOOL:
		return v->i ? "true" : "false";
	case FT_LIST:
		for (size_t k = 0; k < v->nitems; k++) {
			if (k)
				buf_puts(&b, ", ");
			buf_puts(&b, v->items[k]);
		}
		out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
		buf_release(&b);
		return out;
	}
	return "";
}

unsigned record_variant_bit(const struct record *r)
{
	const struct variant_rules *vr = r->def->variants;
	const struct field_def *fd;
	const char *s;

	if (!vr || r->v[vr->field].state != V_SET)
		return 0;
	fd = &r->def->fields[vr->field];
	s = r->v[vr->field].s;
	for (int k = 0; s && fd->choices[k] && k < 32; k++)
		if (!strcmp(fd->choices[k], s))
			return 1u << k;
	return 0;
}

int record_field_applies(const struct record *r, int f)
{
	const struct variant_rules *vr = r->def->variants;
	unsigned bit = record_variant_bit(r);

	return !vr || !bit || !vr->fields || !vr->fields[f] ||
	       (vr->fields[f] & bit);
}

int record_choice_applies(const struct record *r, int f, int k)
{
	const struct variant_rules *vr = r->def->variants;
	unsigned bit = record_variant_bit(r);

	return !vr || !bit || !vr->choices || !vr->choices[f] ||
	       !vr->choices[f][k] || (vr->choices[f][k] & bit);
}

void record_fill_defaults(struct arena *a, struct record *r)
{
	const struct variant_rules *vr = r->def->variants;

	/* the variant first: it decides which other defaults apply */
	if (vr && r->v[vr->field].state == V_ABSENT &&
	    r->def->fields[vr->field].dflt)
		record_parse_value(a, r, vr->field,
				   r->def->fields[vr->field].dflt, NULL);
	for (size_t f = 0; f < r->def->nfields; f++) {
		const struct field_def *fd = &r->def->fields[f];

		if (!record_field_applies(r, (int)f))
			continue;
		if (r->v[f].state == V_ABSENT && fd->dflt)
			record_parse_value(a, r, (int)f, fd->dflt, NULL);
	}
}

void record_apply(struct record *dst, const struct record *patch)
{
	for (size_t f = 0; f < dst->def->nfields; f++)
		if (patch->v[f].state != V_ABSENT)
			dst->v[f] = patch->v[f];
}

struct record *record_copy(struct arena *a, const struct record *src)
{
	struct record *r = record_new(a, src->def);

	if (!r)
		return NULL;
	struct value *v = r->v;
	*r = *src;
	r->v = v;
	memcpy(r->v, src->v, sizeof(struct value) * src->def->nfields);
	return r;
}

void record_add_error(struct field_errors *errs, const char *field,
		      const char *fmt, ...)
{
	struct err *e;
	va_list ap;

	if (errs->n >= sizeof errs->items / sizeof errs->items[0])
		return;
	e = &errs->items[errs->n++];
	e->code = E_INVALID;
	snprintf(e->field, sizeof e->field, "%s", field);
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
}

/* has_control reports control characters other than tab (and, when
 * multiline, newline and carriage return) in s (n bytes). */
static int has_control(const char *s, size_t n, int multiline)
{
	size_t i = 0;
	unsigned char c;

	for (;;) {
		/* most text is printable ASCII: 8 bytes at a time */
		while (n - i >= 8 && utf8_printable8(s + i))
			i += 8;
		if (i == n)
			return 0;
		c = (unsigned char)s[i++];
		if (c >= 0x20 && c != 0x7f)
			continue;
		if (c == '\t' || (multiline && (c == '\n' || c == '\r')))
			continue;
		return 1;
	}
}

static int is_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* url_next is the next character of a URL as a browser reads it: tabs
 * and line breaks are dropped wherever they are, and a backslash is a
 * slash. 0 at the end. */
static char url_next(const char *s, size_t *i)
{
	char c;

	while (s[*i] == '\t' || s[*i] == '\n' || s[*i] == '\r')
		(*i)++;
	if (!s[*i])
		return 0;
	c = s[(*i)++];
	return c == '\\' ? '/' : c;
}

int record_url_is_safe(const char *s)
{
	char u[16], c;
	size_t i = 0, n = 0;

	if (!s)
		return 0;
	while (*s && (unsigned char)*s <= ' ') /* stripped when leading */
		s++;
	while (n < sizeof u - 1 && (c = url_next(s, &i)))
		u[n++] = c;
	u[n] = '\0';
	if (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8) ||
	    !strncasecmp(u, "mailto:", 7))
		return 1;
	/* "//host" and "/\thost" are another host's */
	return u[0] == '/' && u[1] != '/';
}

static void check_field(const struct record *r, size_t f,
			struct field_errors *errs)
{
	const struct field_def *fd = &r->def->fields[f];
	const struct value *v = &r->v[f];
	const char *s;
	size_t n;

	if (!record_field_applies(r, (int)f)) {
		if (v->state == V_SET)
			record_add_error(errs, fd->name,
					 "%s is not a field of a%s %s %s",
					 fd->label,
					 strchr("aeiou", r->v[r->def->variants
								     ->field]
								.s[0])
						 ? "n"
						 : "",
					 r->v[r->def->variants->field].s,
					 r->def->name);
		return;
	}
	if (v->state != V_SET) {
		if (fd->flags & F_REQUIRED)
			record_add_error(errs, fd->name, "%s is required",
					 fd->label);
		return;
	}
	switch (fd->type) {
	case FT_TEXT:
	case FT_MARKDOWN:
	case FT_URL:
	case FT_DATE:
	case FT_ENUM:
		s = v->s ? v->s : "";
		n = strlen(s);
		if ((fd->flags & F_REQUIRED) && is_blank(s)) {
			record_add_error(errs, fd->name, "%s is required",
					 fd->label);
			return;
		}
		if (!utf8_valid(s, n, NULL)) {
			record_add_error(errs, fd->name,
					 "%s is not valid UTF-8", fd->label);
			return;
		}
		if (fd->max_len && n > fd->max_len) {
			record_add_error(
				errs, fd->name,
				"%s is too long (%zu bytes; at most %zu)",
				fd->label, n, fd->max_len);
			return;
		}
		if (has_control(s, n, fd->type == FT_MARKDOWN)) {
			record_add_error(errs, fd->name,
					 "%s contains control characters",
					 fd->label);
			return;
		}
		if (fd->type == FT_ENUM) {
			int ok = 0, n = 0;
			for (int k = 0; fd->choices[k]; k++)
				ok |= !strcmp(fd->choices[k], s) &&
				      record_choice_applies(r, (int)f, k);
			if (!ok) {
				struct buf b = BUF_INIT;
				for (int k = 0; fd->choices[k]; k++)
					if (record_choice_applies(r, (int)f, k))
						buf_printf(&b, "%s%s",
							   n++ ? ", " : "",
							   fd->choices[k]);
				record_add_error(errs, fd->name,
						 "%s must be one of: %s",
						 fd->label, buf_cstr(&b));
				buf_release(&b);
			}
		} else if (fd->type == FT_URL && !record_url_is_safe(s)) {
			record_add_error(errs, fd->name,
					 "%s must start with http://, https://, "
					 "mailto: or a single /",
					 fd->label);
		} else if (fd->type == FT_DATE) {
			int64_t t;
			if (time_parse_date(s, &t) < 0)
				record_add_error(errs, fd->name,
						 "%s must be a date like "
						 "2026-11-20",
						 fd->label);
		}
		return;
	case FT_INT:
		if (v->i < fd->min || v->i > fd->max)
			record_add_error(errs, fd->name,
					 "%s must be between %lld and %lld",
					 fd->label, (long long)fd->min,
					 (long long)fd->max);
		return;
	case FT_BOOL:
		if (v->i != 0 && v->i != 1)
			record_add_error(errs, fd->name,
					 "%s must be true or false", fd->label);
		return;
	case FT_TIME:
		/* 1900-01-01 .. 9999-12-31 */
		if (v->i < -2208988800LL || v->i > 253402300799LL)
			record_add_error(errs, fd->name,
					 "%s is out of range", fd->label);
		return;
	case FT_LIST:
		for (size_t k = 0; k < v->nitems; k++) {
			s = v->items[k];
			if (!utf8_valid(s, strlen(s), NULL) ||
			    has_control(s, strlen(s), 0) || strchr(s, ',') ||
			    is_blank(s)) {
				record_add_error(errs, fd->name,
						 "%s: item %zu is not a plain "
						 "name",
						 fd->label, k + 1);
				return;
			}
			if (fd->max_len && strlen(s) > fd->max_len) {
				record_add_error(errs, fd->name,
						 "%s: item %zu is too long "
						 "(at most %zu bytes)",
						 fd->label, k + 1, fd->max_len);
				return;
			}
		}
		/* fd->max, when set, raises the usual cap of 100 items */
		if (v->nitems > (size_t)(fd->max > 0 ? fd->max : 100))
			record_add_error(errs, fd->name,
					 "%s: at most %lld items", fd->label,
					 (long long)(fd->max > 0 ? fd->max
								 : 100));
		return;
	}
}

void record_validate_all(const struct record *r, struct field_errors *errs)
{
	errs->n = 0;
	for (size_t f = 0; f < r->def->nfields; f++)
		check_field(r, f, errs);
	if (r->def->check)
		r->def->check(r, errs);
}

enum err_code record_validate(const struct record *r, struct err *e)
{
	struct field_errors errs;

	record_validate_all(r, &errs);
	if (errs.n == 0)
		return E_OK;
	if (e)
		*e = errs.items[0];
	return E_INVALID;
}

static int values_equal(const struct field_def *fd, const struct value *a,
			const struct value *b)
{
	int sa = a->state == V_SET, sb = b->state == V_SET;

	if (sa != sb)
		return 0;
	if (!sa)
		return 1;
	switch (fd->type) {
	case FT_INT:
	case FT_TIME:
	case FT_BOOL:
		return a->i == b->i;
	case FT_LIST:
		if (a->nitems != b->nitems)
			return 0;
		for (size_t k = 0; k < a->nitems; k++)
			if (strcmp(a->items[k], b->items[k]))
				return 0;
		return 1;
	default:
		return !strcmp(a->s ? a->s : "", b->s ? b->s : "");
	}
}

int record_field_equal(const struct record *a, const struct record *b,
		       size_t f)
{
	return values_equal(&a->def->fields[f], &a->v[f], &b->v[f]);
}

int record_diff(struct arena *a, const struct record *old_r,
		const struct record *new_r, struct change **out)
{
	const struct record_def *def = old_r ? old_r->def : new_r->def;
	struct change *ch;
	int n = 0;

	ch = arena_alloc(a, sizeof *ch * (def->nfields + 1));
	if (!ch)
		return -1;
	for (size_t f = 0; f < def->nfields; f++) {
		static const struct value none = {V_NULL, NULL, 0, NULL, 0};
		const struct value *ov = old_r ? &old_r->v[f] : &none;
		const struct value *nv = new_r ? &new_r->v[f] : &none;

		if (values_equal(&def->fields[f], ov, nv) ||
		    (def->fields[f].flags & F_BY_ACTOR))
			continue;
		ch[n].field = def->fields[f].name;
		ch[n].old_text = old_r ? record_value_text(a, old_r, (int)f) : "";
		ch[n].new_text = new_r ? record_value_text(a, new_r, (int)f) : "";
		if (!ch[n].old_text || !ch[n].new_text)
			return -1;
		n++;
	}
	*out = ch;
	return n;
}

enum err_code record_patched(struct arena *a, const struct record *old,
			     const struct record *patch, struct record **out,
			     struct change **changes, int *n, struct err *e)
{
	struct record *r = record_copy(a, old);
	enum err_code rc;

	if (!r)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (patch)
		record_apply(r, patch);
	if ((rc = record_validate(r, e)) != E_OK)
		return rc;
	if ((*n = record_diff(a, old, r, changes)) < 0)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	*out = r;
	return E_OK;
}
