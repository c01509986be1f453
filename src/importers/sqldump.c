/* sqldump.c: the tables of a mysqldump file (see sqldump.h). A small
 * scanner over the whole text: comments, quoted strings with MySQL's
 * escapes, and the two statements that carry data. */
#include "importers/sqldump.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

struct scan {
	struct arena *a;
	const char *name, *p, *end;
	int line;
	struct err *e;
};

static enum err_code fail(struct scan *s, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum err_code fail(struct scan *s, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(s->e, E_BAD_REQUEST, NULL, "%s:%d: %s", s->name, line,
		       msg);
}

static void advance(struct scan *s)
{
	if (s->p < s->end) {
		if (*s->p == '\n')
			s->line++;
		s->p++;
	}
}

/* skip_space skips white space and comments ("-- ...", "# ...",
 * "/ * ... * /", conditional comments included). */
static enum err_code skip_space(struct scan *s)
{
	for (;;) {
		while (s->p < s->end && isspace((unsigned char)*s->p))
			advance(s);
		if (s->p + 1 < s->end && s->p[0] == '-' && s->p[1] == '-' &&
		    (s->p + 2 == s->end || isspace((unsigned char)s->p[2]))) {
			while (s->p < s->end && *s->p != '\n')
				advance(s);
			continue;
		}
		if (s->p < s->end && *s->p == '#') {
			while (s->p < s->end && *s->p != '\n')
				advance(s);
			continue;
		}
		if (s->p + 1 < s->end && s->p[0] == '/' && s->p[1] == '*') {
			int line = s->line;

			advance(s);
			advance(s);
			while (s->p + 1 < s->end &&
			       !(s->p[0] == '*' && s->p[1] == '/'))
				advance(s);
			if (s->p + 1 >= s->end)
				return fail(s, line,
					    "a comment does not end: the dump "
					    "is cut short");
			advance(s);
			advance(s);
			continue;
		}
		return E_OK;
	}
}

static int word(struct scan *s, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(s->end - s->p) < n || strncasecmp(s->p, w, n) != 0 ||
	    (s->p + n < s->end && (isalnum((unsigned char)s->p[n]) ||
				   s->p[n] == '_')))
		return 0;
	for (size_t i = 0; i < n; i++)
		advance(s);
	return 1;
}

/* ident reads `name` or a bare name into out. */
static int ident(struct scan *s, char *out, size_t n)
{
	size_t k = 0;

	if (s->p < s->end && *s->p == '`') {
		advance(s);
		while (s->p < s->end && *s->p != '`') {
			if (k + 1 < n)
				out[k++] = *s->p;
			advance(s);
		}
		if (s->p >= s->end)
			return 0;
		advance(s);
	} else {
		while (s->p < s->end &&
		       (isalnum((unsigned char)*s->p) || *s->p == '_')) {
			if (k + 1 < n)
				out[k++] = *s->p;
			advance(s);
		}
	}
	out[k] = '\0';
	return k > 0;
}

/* skip_statement skips to after the next ';' outside quotes. */
static enum err_code skip_statement(struct scan *s)
{
	int line = s->line;

	while (s->p < s->end) {
		char c = *s->p;

		if (c == ';') {
			advance(s);
			return E_OK;
		}
		if (c == '\'' || c == '"' || c == '`') {
			advance(s);
			while (s->p < s->end && *s->p != c) {
				if (*s->p == '\\' && c != '`')
					advance(s);
				advance(s);
			}
			if (s->p >= s->end)
				break;
		}
		advance(s);
	}
	return fail(s, line, "a statement does not end (no ';'): the dump is "
			     "cut short");
}

struct sql_table *sqldump_table(struct sql_dump *d, const char *name)
{
	for (struct sql_table *t = d->tables; t; t = t->next)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

int sqldump_col(const struct sql_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return (int)i;
	return -1;
}

static struct sql_table *table_get(struct scan *s, struct sql_dump *d,
				   const char *name)
{
	struct sql_table *t = sqldump_table(d, name), **tail;

	if (t)
		return t;
	if (!(t = arena_alloc(s->a, sizeof *t)))
		return NULL;
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name);
	for (tail = &d->tables; *tail; tail = &(*tail)->next)
		;
	*tail = t;
	return t;
}

/* create_table reads the column names of CREATE TABLE `name` (...). */
static enum err_code create_table(struct scan *s, struct sql_dump *d)
{
	char name[64], col[64];
	struct sql_table *t;
	int line = s->line, depth = 0;

	skip_space(s);
	if (word(s, "IF")) {
		skip_space(s);
		word(s, "NOT");
		skip_space(s);
		word(s, "EXISTS");
		skip_space(s);
	}
	if (!ident(s, name, sizeof name))
		return fail(s, line, "CREATE TABLE without a name");
	if (!(t = table_get(s, d, name)))
		return err_set(s->e, E_NOMEM, NULL, "out of memory");
	t->ncols = 0;
	skip_space(s);
	if (s->p >= s->end || *s->p != '(')
		return skip_statement(s);
	advance(s);
	/* each line of the definition starts with a column name, or with a
	 * key word (PRIMARY KEY, KEY, UNIQUE, CONSTRAINT, ...) */
	for (;;) {
		skip_space(s);
		if (s->p >= s->end)
			return fail(s, line, "CREATE TABLE %s does not end: the "
					     "dump is cut short",
				    name);
		if (*s->p == '`' && depth == 0) {
			if (!ident(s, col, sizeof col))
				return fail(s, s->line, "a bad column name");
			if (t->ncols < SQLDUMP_MAX_COLS)
				t->cols[t->ncols++] = arena_strdup(s->a, col);
		}
		/* to the end of this definition: a ',' or the closing ')' */
		while (s->p < s->end) {
			char c = *s->p;

			if (c == '(')
				depth++;
			else if (c == ')' && depth == 0)
				break;
			else if (c == ')')
				depth--;
			else if (c == ',' && depth == 0)
				break;
			else if (c == '\'') {
				advance(s);
				while (s->p < s->end && *s->p != '\'') {
					if (*s->p == '\\')
						advance(s);
					advance(s);
				}
			}
			advance(s);
		}
		if (s->p >= s->end)
			continue;
		if (*s->p == ')') {
			advance(s);
			return skip_statement(s);
		}
		advance(s); /* ',' */
	}
}

/* string reads a quoted string with MySQL's escapes into *out. */
static enum err_code string(struct scan *s, struct sql_value *out)
{
	char q = *s->p;
	int line = s->line;
	const char *start;
	char *buf, *o;

	advance(s);
	start = s->p;
	/* the unescaped text is never longer than the quoted one */
	while (s->p < s->end) {
		if (*s->p == '\\' && s->p + 1 < s->end) {
			advance(s);
		} else if (*s->p == q) {
			if (s->p + 1 < s->end && s->p[1] == q) {
				advance(s);
			} else {
				break;
			}
		}
		advance(s);
	}
	if (s->p >= s->end)
		return fail(s, line, "a string does not end: the dump is cut "
				     "short");
	if (!(buf = arena_alloc(s->a, (size_t)(s->p - start) + 1)))
		return err_set(s->e, E_NOMEM, NULL, "out of memory");
	o = buf;
	for (const char *p = start; p < s->p; p++) {
		if (*p == q && p + 1 < s->p && p[1] == q) {
			*o++ = q;
			p++;
		} else if (*p == '\\' && p + 1 < s->p) {
			p++;
			switch (*p) {
			case '0': *o++ = '\0'; break;
			case 'b': *o++ = '\b'; break;
			case 'n': *o++ = '\n'; break;
			case 'r': *o++ = '\r'; break;
			case 't': *o++ = '\t'; break;
			case 'Z': *o++ = 26; break;
			case '%':
			case '_':
				*o++ = '\\';
				*o++ = *p;
				break;
			default: *o++ = *p;
			}
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	out->s = buf;
	out->len = (size_t)(o - buf);
	advance(s); /* the closing quote */
	return E_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* value reads one value of a row. */
static enum err_code value(struct scan *s, struct sql_value *out)
{
	const char *start;
	char *buf;

	skip_space(s);
	out->s = NULL;
	out->len = 0;
	if (s->p >= s->end)
		return fail(s, s->line, "a row does not end: the dump is cut "
					"short");
	if (*s->p == '_') { /* a charset introducer: _binary '...' */
		while (s->p < s->end &&
		       (isalnum((unsigned char)*s->p) || *s->p == '_'))
			advance(s);
		skip_space(s);
	}
	if (s->p < s->end && (*s->p == '\'' || *s->p == '"'))
		return string(s, out);
	if (word(s, "NULL"))
		return E_OK;
	if (s->end - s->p > 2 && s->p[0] == '0' &&
	    (s->p[1] == 'x' || s->p[1] == 'X')) {
		size_t n = 0;

		advance(s);
		advance(s);
		start = s->p;
		while (s->p < s->end && hexval(*s->p) >= 0)
			advance(s);
		if (!(buf = arena_alloc(s->a, (size_t)(s->p - start) / 2 + 1)))
			return err_set(s->e, E_NOMEM, NULL, "out of memory");
		for (const char *p = start; p + 1 < s->p; p += 2)
			buf[n++] = (char)(hexval(p[0]) * 16 + hexval(p[1]));
		buf[n] = '\0';
		out->s = buf;
		out->len = n;
		return E_OK;
	}
	start = s->p;
	while (s->p < s->end &&
	       (isalnum((unsigned char)*s->p) || *s->p == '-' ||
		*s->p == '+' || *s->p == '.'))
		advance(s);
	if (s->p == start)
		return fail(s, s->line, "a value of a row is not a number, a "
					"string or NULL");
	out->s = arena_strndup(s->a, start, (size_t)(s->p - start));
	out->len = (size_t)(s->p - start);
	return out->s ? E_OK : err_set(s->e, E_NOMEM, NULL, "out of memory");
}

static enum err_code add_row(struct scan *s, struct sql_table *t,
			     struct sql_row *r)
{
	if (t->nrows == t->caprows) {
		struct sql_row *nr;

		t->caprows = t->caprows ? t->caprows * 2 : 64;
		if (!(nr = arena_alloc(s->a, sizeof *nr * t->caprows)))
			return err_set(s->e, E_NOMEM, NULL, "out of memory");
		if (t->nrows)
			memcpy(nr, t->rows, sizeof *nr * t->nrows);
		t->rows = nr;
	}
	t->rows[t->nrows++] = *r;
	return E_OK;
}

/* insert reads INSERT [IGNORE] INTO `t` [(cols)] VALUES (...), (...); */
static enum err_code insert(struct scan *s, struct sql_dump *d)
{
	char name[64], col[64];
	struct sql_table *t;
	int map[SQLDUMP_MAX_COLS], nmap = -1, line = s->line;
	enum err_code rc;

	skip_space(s);
	word(s, "IGNORE");
	skip_space(s);
	if (!word(s, "INTO"))
		return fail(s, line, "INSERT without INTO");
	skip_space(s);
	if (!ident(s, name, sizeof name))
		return fail(s, line, "INSERT INTO without a table name");
	if (!(t = table_get(s, d, name)))
		return err_set(s->e, E_NOMEM, NULL, "out of memory");
	skip_space(s);
	if (s->p < s->end && *s->p == '(') {
		/* without a CREATE TABLE, the first column list names them */
		int adopt = t->ncols == 0;

		nmap = 0;
		advance(s);
		for (;;) {
			int c;

			skip_space(s);
			if (!ident(s, col, sizeof col) || nmap == SQLDUMP_MAX_COLS)
				return fail(s, line, "a bad column list");
			c = sqldump_col(t, col);
			if (c < 0 && adopt && t->ncols < SQLDUMP_MAX_COLS) {
				t->cols[t->ncols] = arena_strdup(s->a, col);
				c = (int)t->ncols++;
			}
			map[nmap++] = c;
			skip_space(s);
			if (s->p < s->end && *s->p == ',') {
				advance(s);
				continue;
			}
			if (s->p < s->end && *s->p == ')') {
				advance(s);
				break;
			}
			return fail(s, line, "a bad column list");
		}
	}
	skip_space(s);
	if (!word(s, "VALUES") && !word(s, "VALUE"))
		return fail(s, line, "INSERT INTO %s without VALUES", name);
	for (;;) {
		struct sql_value vals[SQLDUMP_MAX_COLS];
		struct sql_row row = {0};
		size_t n = 0;

		skip_space(s);
		if (s->p >= s->end || *s->p != '(')
			return fail(s, s->line,
				    s->p >= s->end
					    ? "INSERT INTO %s does not end: "
					      "the dump is cut short"
					    : "INSERT INTO %s: a row must "
					      "start with '('",
				    name);
		row.line = s->line;
		advance(s);
		for (;;) {
			if (n == SQLDUMP_MAX_COLS)
				return fail(s, row.line, "a row of %s has too "
							 "many values",
					    name);
			if ((rc = value(s, &vals[n++])) != E_OK)
				return rc;
			skip_space(s);
			if (s->p < s->end && *s->p == ',') {
				advance(s);
				continue;
			}
			if (s->p < s->end && *s->p == ')') {
				advance(s);
				break;
			}
			return fail(s, s->line,
				    s->p >= s->end
					    ? "a row of %s does not end: the "
					      "dump is cut short"
					    : "a row of %s: expected ',' or "
					      "')'",
				    name);
		}
		if (t->ncols && nmap < 0 && n != t->ncols)
			return fail(s, row.line,
				    "a row of %s has %zu values; the table has "
				    "%zu columns",
				    name, n, t->ncols);
		if (nmap >= 0 && (size_t)nmap != n)
			return fail(s, row.line,
				    "a row of %s has %zu values for %d columns",
				    name, n, nmap);
		row.n = t->ncols && nmap >= 0 ? t->ncols : n;
		if (!(row.v = arena_alloc(s->a, sizeof *row.v * (row.n + 1))))
			return err_set(s->e, E_NOMEM, NULL, "out of memory");
		memset(row.v, 0, sizeof *row.v * (row.n + 1));
		for (size_t i = 0; i < n; i++) {
			if (nmap < 0 || !t->ncols)
				row.v[i] = vals[i];
			else if (map[i] >= 0)
				row.v[map[i]] = vals[i];
		}
		if ((rc = add_row(s, t, &row)) != E_OK)
			return rc;
		skip_space(s);
		if (s->p < s->end && *s->p == ',') {
			advance(s);
			continue;
		}
		if (s->p < s->end && *s->p == ';') {
			advance(s);
			return E_OK;
		}
		return fail(s, s->line,
			    s->p >= s->end ? "INSERT INTO %s does not end "
					     "(no ';'): the dump is cut short"
					   : "INSERT INTO %s: expected ',' or "
					     "';' after a row",
			    name);
	}
}

enum err_code sqldump_parse(struct arena *a, const char *name,
			    const char *text, size_t len, struct sql_dump *out,
			    struct err *e)
{
	struct scan s = {a, name, text, text + len, 1, e};
	enum err_code rc;
	size_t bad;

	memset(out, 0, sizeof *out);
	if (!utf8_valid(text, len, &bad)) {
		int line, col;

		utf8_line_col(text, bad, &line, &col);
		return fail(&s, line, "not UTF-8 (column %d); dump with "
				      "--default-character-set=utf8mb4",
			    col);
	}
	for (;;) {
		if ((rc = skip_space(&s)) != E_OK)
			return rc;
		if (s.p >= s.end)
			return E_OK;
		out->statements++;
		if (word(&s, "CREATE")) {
			skip_space(&s);
			rc = word(&s, "TABLE") ? create_table(&s, out)
					       : skip_statement(&s);
		} else if (word(&s, "INSERT") || word(&s, "REPLACE")) {
			rc = insert(&s, out);
		} else {
			rc = skip_statement(&s);
		}
		if (rc != E_OK)
			return rc;
	}
}
