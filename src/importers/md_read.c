/* md_read.c: markdown with YAML front matter (md_format.h) into a review:
 * the front matter through md_yaml_load (the own scanner for the shapes
 * the export writes, libyaml for the rest), the body's sections by their
 * markers; every value through the model's def tables. */
#include "importers/md_format.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/md_yaml.h"
#include "util/timeutil.h"
#include "util/utf8.h"

struct reader {
	struct arena *a;
	const char *name;
	struct err *e;
	int line_offset; /* lines before the front matter's text */
	struct export_review *out;
	struct record_list children[CHILD_COUNT];
	size_t cap[CHILD_COUNT];
	const char **tags;
	size_t ntags, captags;
	int field_line[REVIEW_NFIELDS]; /* where each review field was set */
	unsigned char *unknown; /* per pair of the root mapping: a key
				 * read_front gives no meaning (kept) */
};

static int node_line(const struct reader *rd, const struct md_node *n)
{
	return n->line + 1 + rd->line_offset;
}

static enum err_code fail_at(struct reader *rd, const struct md_node *n,
			     enum err_code code, const char *field,
			     const char *fmt, const char *a1, const char *a2)
{
	char msg[600];

	snprintf(msg, sizeof msg, fmt, a1, a2 ? a2 : "");
	return err_set(rd->e, code, field, "%s:%d: %s", rd->name,
		       n ? node_line(rd, n) : 1, msg);
}

/* scalar_text is the text of scalar n (the node's own, in the arena; not
 * to be written into) or NULL. */
static const char *scalar_text(const struct md_node *n)
{
	return n && n->type == YAML_SCALAR_NODE ? n->s : NULL;
}

/* parse_time reads RFC 3339, "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DD". */
static int parse_time(const char *s, int64_t *t)
{
	return time_parse(s, t) == 0 || time_parse_date(s, t) == 0 ? 0 : -1;
}

/* set_value sets field f of r from node n: a scalar (text as typed) or,
 * for lists, a sequence of scalars. */
static enum err_code set_value(struct reader *rd, struct record *r, int f,
			       const struct md_node *n)
{
	const struct field_def *fd = &r->def->fields[f];
	const char *text;
	struct err inner;

	if (fd->type == FT_LIST && n->type == YAML_SEQUENCE_NODE) {
		size_t cnt = n->n, k = 0;
		const char **items =
			arena_alloc(rd->a, sizeof *items * (cnt + 1));

		for (size_t i = 0; items && i < cnt; i++) {
			if (!(items[k++] = scalar_text(n->kids[i])))
				return fail_at(rd, n, E_BAD_REQUEST, fd->name,
					       "%s: a list of words is needed",
					       fd->name, NULL);
		}
		if (!items)
			return err_set(rd->e, E_NOMEM, NULL, "out of memory");
		if (cnt)
			record_set_list(r, f, items, cnt);
		else
			record_set_null(r, f);
		return E_OK;
	}
	if (!(text = scalar_text(n)))
		return fail_at(rd, n, E_BAD_REQUEST, fd->name,
			       "%s: a single value is needed, not a list or "
			       "a mapping",
			       fd->name, NULL);
	if (fd->type == FT_TIME && *text) {
		int64_t t;

		if (parse_time(text, &t) < 0)
			return fail_at(rd, n, E_BAD_REQUEST, fd->name,
				       "%s: \"%s\" is not a time (use "
				       "2026-11-20T14:05:00Z or 2026-11-20)",
				       fd->name, text);
		record_set_int(r, f, t);
		return E_OK;
	}
	err_clear(&inner);
	if (record_parse_value(rd->a, r, f, text, &inner) != E_OK)
		return fail_at(rd, n, E_BAD_REQUEST, fd->name, "%s: %s",
			       fd->name, inner.message);
	return E_OK;
}

static enum err_code add_tag(struct reader *rd, const char *name)
{
	size_t n;

	while (*name == ' ' || *name == '\t')
		name++;
	n = strlen(name);
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	if (!n)
		return E_OK;
	if (!(name = arena_strndup(rd->a, name, n)))
		return err_set(rd->e, E_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < rd->ntags; i++)
		if (!strcmp(rd->tags[i], name))
			return E_OK;
	if (rd->ntags == rd->captags) {
		const char **nt;

		rd->captags = rd->captags ? rd->captags * 2 : 8;
		nt = arena_alloc(rd->a, sizeof *nt * rd->captags);
		if (!nt)
			return err_set(rd->e, E_NOMEM, NULL, "out of memory");
		if (rd->ntags)
			memcpy(nt, rd->tags, sizeof *nt * rd->ntags);
		rd->tags = nt;
	}
	rd->tags[rd->ntags++] = name;
	return E_OK;
}

/* add_tags reads a sequence of names or one comma-separated scalar. */
static enum err_code add_tags(struct reader *rd, const struct md_node *n)
{
	enum err_code rc;

	if (n->type == YAML_SEQUENCE_NODE) {
		for (size_t i = 0; i < n->n; i++) {
			const char *s = scalar_text(n->kids[i]);
			if (!s)
				return fail_at(rd, n, E_BAD_REQUEST, "tags",
					       "tags: a list of words is needed",
					       NULL, NULL);
			if ((rc = add_tag(rd, s)) != E_OK)
				return rc;
		}
		return E_OK;
	}
	{
		const char *t = scalar_text(n);
		char *s = t ? arena_strndup(rd->a, t, n->len) : NULL, *tok,
		     *save = NULL;

		if (!t)
			return fail_at(rd, n, E_BAD_REQUEST, "tags",
				       "tags: a list of words is needed", NULL,
				       NULL);
		for (tok = strtok_r(s, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			if ((rc = add_tag(rd, tok)) != E_OK)
				return rc;
	}
	return E_OK;
}

static enum err_code add_child(struct reader *rd, int k, struct record *c)
{
	struct record_list *l = &rd->children[k];

	if (l->n == rd->cap[k]) {
		struct record **items;

		rd->cap[k] = rd->cap[k] ? rd->cap[k] * 2 : 8;
		items = arena_alloc(rd->a, sizeof *items * rd->cap[k]);
		if (!items)
			return err_set(rd->e, E_NOMEM, NULL, "out of memory");
		if (l->n)
			memcpy(items, l->items, sizeof *items * l->n);
		l->items = items;
	}
	l->items[l->n++] = c;
	return E_OK;
}

/* read_children reads a sequence of mappings (field: value) of kind k. */
static enum err_code read_children(struct reader *rd, int k,
				   const struct md_node *seq)
{
	const struct record_def *cd = child_defs[k];
	enum err_code rc;

	if (seq->type != YAML_SEQUENCE_NODE)
		return fail_at(rd, seq, E_BAD_REQUEST, cd->segment,
			       "%s: a list is needed", cd->segment, NULL);
	for (size_t i = 0; i < seq->n; i++) {
		const struct md_node *m = seq->kids[i];
		struct record *c = record_new(rd->a, cd);
		struct err inner;

		if (!c)
			return err_set(rd->e, E_NOMEM, NULL, "out of memory");
		if (!m || m->type != YAML_MAPPING_NODE)
			return fail_at(rd, m ? m : seq, E_BAD_REQUEST,
				       cd->segment,
				       "%s: each item is a mapping of "
				       "field: value",
				       cd->segment, NULL);
		for (size_t j = 0; j + 1 < m->n; j += 2) {
			const char *key = scalar_text(m->kids[j]);
			int f = key ? record_field(cd, key) : -1;

			if (f < 0)
				return fail_at(rd, m->kids[j],
					       E_BAD_REQUEST, cd->segment,
					       "%s: unknown field \"%s\"",
					       cd->segment, key ? key : "?");
			if ((rc = set_value(rd, c, f, m->kids[j + 1])) !=
			    E_OK)
				return rc;
		}
		record_fill_defaults(rd->a, c);
		err_clear(&inner);
		if (record_validate(c, &inner) != E_OK) {
			char field[80];

			snprintf(field, sizeof field, "%s.%s", cd->segment,
				 inner.field);
			return fail_at(rd, m, E_INVALID, field, "%s: %s", field,
				       inner.message);
		}
		if ((rc = add_child(rd, k, c)) != E_OK)
			return rc;
	}
	return E_OK;
}

static enum err_code read_meta_int(struct reader *rd, const struct md_node *n,
				   const char *key, int64_t *out)
{
	const char *s = scalar_text(n);
	char *end;
	long long v;

	if (!s || !*s)
		return fail_at(rd, n, E_BAD_REQUEST, key,
			       "%s: a positive number is needed", key, NULL);
	v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return fail_at(rd, n, E_BAD_REQUEST, key,
			       "%s: \"%s\" is not a positive number", key, s);
	*out = v;
	return E_OK;
}

static enum err_code read_meta_time(struct reader *rd, const struct md_node *n,
				    const char *key, int64_t *out)
{
	const char *s = scalar_text(n);

	if (!s || parse_time(s, out) < 0)
		return fail_at(rd, n, E_BAD_REQUEST, key,
			       "%s: \"%s\" is not a time (use "
			       "2026-11-20T14:05:00Z)",
			       key, s ? s : "");
	return E_OK;
}

/* keep_unknown writes the unknown pairs of the root mapping (those
 * read_front marked in rd->unknown: the keys md_known_key does not know,
 * and not "tags") as YAML text into *out (NULL when there are none). */
static enum err_code keep_unknown(struct reader *rd, struct md_node *root,
				  const char **out)
{
	struct buf b = BUF_INIT;
	struct ym y = {0};
	int any = 0;

	*out = NULL;
	if (md_yaml_doc_begin(&y, &b, 0) < 0)
		return err_set(rd->e, E_NOMEM, NULL, "out of memory");
	md_yaml_map_start(&y);
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		if (!rd->unknown[i / 2])
			continue;
		md_yaml_emit_node(&y, root->kids[i], 0);
		md_yaml_emit_node(&y, root->kids[i + 1], 0);
		any = 1;
	}
	md_yaml_map_end(&y);
	md_yaml_doc_end(&y);
	if (y.failed || b.oom) {
		buf_release(&b);
		return err_set(rd->e, E_NOMEM, NULL, "out of memory");
	}
	if (any) {
		/* no trailing line break: the text of a field */
		while (b.len && b.data[b.len - 1] == '\n')
			b.len--;
		*out = arena_strndup(rd->a, b.data, b.len);
	}
	buf_release(&b);
	return E_OK;
}

/* read_front reads the root mapping into the review and children. */
/* set_review_value is set_value on the review, remembering the line of
 * the key for the messages of record_validate. */
static enum err_code set_review_value(struct reader *rd, int f,
				      const struct md_node *key,
				      const struct md_node *val)
{
	rd->field_line[f] = node_line(rd, key);
	return set_value(rd, rd->out->review, f, val);
}

static enum err_code read_front(struct reader *rd, struct md_node *root,
				int *has_title)
{
	struct record *r = rd->out->review;
	enum err_code rc = E_OK;

	if (!(rd->unknown = arena_alloc(rd->a, root->n / 2 + 1)))
		return err_set(rd->e, E_NOMEM, NULL, "out of memory");
	for (size_t i = 0; rc == E_OK && i + 1 < root->n; i += 2) {
		const struct md_node *kn = root->kids[i], *vn = root->kids[i + 1];
		const char *key = scalar_text(kn);
		int f, k;

		if (!key)
			return fail_at(rd, kn, E_BAD_REQUEST, NULL,
				       "a key must be a word%s%s", "", NULL);
		if (!strcmp(key, "id"))
			rc = read_meta_int(rd, vn, key, &r->id);
		else if (!strcmp(key, "version"))
			rc = read_meta_int(rd, vn, key, &r->version);
		else if (!strcmp(key, "created_at"))
			rc = read_meta_time(rd, vn, key, &r->created_at);
		else if (!strcmp(key, "updated_at"))
			rc = read_meta_time(rd, vn, key, &r->updated_at);
		else if (!strcmp(key, "deleted_at"))
			rc = read_meta_time(rd, vn, key, &r->deleted_at);
		else if (!strcmp(key, "tags") || !strcmp(key, "categories") ||
			 !strcmp(key, "keywords"))
			rc = add_tags(rd, vn);
		else if (!strcmp(key, "start_time"))
			rc = set_review_value(rd, REVIEW_STARTED_AT, kn, vn);
		else if (!strcmp(key, "end_time"))
			rc = set_review_value(rd, REVIEW_RESOLVED_AT, kn, vn);
		else if (!strcmp(key, "company"))
			rc = set_review_value(rd, REVIEW_OWNER_TEAM, kn, vn);
		else if (!strcmp(key, "product"))
			rc = set_review_value(rd, REVIEW_SERVICES, kn, vn);
		else if (!strcmp(key, "url")) {
			struct record *l = record_new(rd->a, &link_def);
			const char *u = scalar_text(vn);

			if (!l || !u)
				return fail_at(rd, vn, E_BAD_REQUEST, "url",
					       "url: one address is needed",
					       NULL, NULL);
			record_parse_value(rd->a, l, LINK_URL, u, NULL);
			record_set_str(l, LINK_KIND, "other");
			record_set_str(l, LINK_COMMENT, "the original write-up");
			if (!(u = record_str(l, LINK_URL)))
				return fail_at(rd, vn, E_BAD_REQUEST, "url",
					       "url: one address is needed",
					       NULL, NULL);
			if (!record_url_is_safe(u))
				return fail_at(rd, vn, E_INVALID, "url",
					       "url: \"%s\" is not an http(s) "
					       "address",
					       u, NULL);
			{
				struct err inner;

				err_clear(&inner);
				if (record_validate(l, &inner) != E_OK)
					return fail_at(rd, vn, E_INVALID, "url",
						       "url: %s",
						       inner.message, NULL);
			}
			rc = add_child(rd, CHILD_LINK, l);
		} else if ((k = child_kind_from_segment(key)) >= 0)
			rc = read_children(rd, k, vn);
		else if ((f = record_field(&review_def, key)) >= 0) {
			rc = set_review_value(rd, f, kn, vn);
			if (f == REVIEW_TITLE)
				*has_title = 1;
		} else { /* kept by keep_unknown */
			rd->unknown[i / 2] = 1;
		}
	}
	return rc;
}

/* line_of tells the 1-based line of offset off in text. */
static int line_of(const char *text, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

/* marker_name: when the line at p (len bytes) is "<!-- debrief:NAME ...
 * -->", copies NAME into name and returns 1. */
static int marker_name(const char *p, size_t len, char *name, size_t n)
{
	size_t ol = strlen(MARKER_OPEN), k = 0;

	if (len < ol + 4 || strncmp(p, MARKER_OPEN, ol) != 0 ||
	    strncmp(p + len - 3, "-->", 3) != 0)
		return 0;
	for (p += ol; k + 1 < n && (isalnum((unsigned char)*p) || *p == '_');
	     p++)
		name[k++] = *p;
	name[k] = '\0';
	return k > 0;
}

struct section {
	char name[32];
	size_t heading; /* offset of the "## " line before the marker, or of
			 * the marker itself */
	size_t start;   /* first byte after the marker line */
};

/* read_body reads the sections of the body (after the front matter) into
 * the review's prose fields; without markers the whole body is the
 * summary (a first "# " line is the title when there is none). */
static enum err_code read_body(struct reader *rd, const char *text,
			       size_t body_off, size_t len, int has_title)
{
	struct record *r = rd->out->review;
	struct section secs[REVIEW_NFIELDS + 2];
	size_t ns = 0, p = body_off, prev_line = (size_t)-1;

	while (p < len) {
		const char *nl = memchr(text + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - text) : len;
		char name[32];

		if (ns < sizeof secs / sizeof secs[0] &&
		    marker_name(text + p, end - p, name, sizeof name)) {
			struct section *s = &secs[ns++];

			snprintf(s->name, sizeof s->name, "%s", name);
			s->heading = prev_line != (size_t)-1 &&
					     text[prev_line] == '#'
				     ? prev_line
				     : p;
			s->start = nl ? end + 1 : len;
		}
		prev_line = p;
		p = nl ? end + 1 : len;
	}
	if (!ns) {
		const char *b = text + body_off;
		size_t n = len - body_off;

		while (n && (*b == '\n' || *b == '\r' || *b == ' ')) {
			b++;
			n--;
		}
		if (n > 2 && b[0] == '#' && b[1] == ' ') {
			const char *nl = memchr(b, '\n', n);
			size_t tl = nl ? (size_t)(nl - b) : n;

			if (!has_title)
				record_set_str(r, REVIEW_TITLE,
					       arena_strndup(rd->a, b + 2,
							     tl - 2));
			b += tl;
			n -= tl;
			while (n && (*b == '\n' || *b == '\r')) {
				b++;
				n--;
			}
		}
		while (n && isspace((unsigned char)b[n - 1]))
			n--;
		if (n)
			record_set_str(r, REVIEW_SUMMARY,
				       arena_strndup(rd->a, b, n));
		return E_OK;
	}
	for (size_t i = 0; i < ns; i++) {
		size_t end = i + 1 < ns ? secs[i + 1].heading : len;
		int f = record_field(&review_def, secs[i].name);

		if (!strcmp(secs[i].name, "timeline"))
			continue;
		if (f < 0 || review_def.fields[f].type != FT_MARKDOWN ||
		    f == REVIEW_EXTRA)
			return err_set(rd->e, E_BAD_REQUEST, secs[i].name,
				       "%s:%d: no section \"%s\" in a review",
				       rd->name,
				       line_of(text, secs[i].start) - 1,
				       secs[i].name);
		if (end < secs[i].start)
			end = secs[i].start;
		/* the export ends each section with one blank line */
		if (end - secs[i].start >= 2 && text[end - 1] == '\n' &&
		    text[end - 2] == '\n')
			end -= 2;
		else
			while (end > secs[i].start && text[end - 1] == '\n')
				end--;
		if (end > secs[i].start)
			record_set_str(r, f,
				       md_unquote_section(rd->a,
							  text + secs[i].start,
							  end - secs[i].start));
	}
	return E_OK;
}

enum err_code md_parse(struct arena *a, const char *name, const char *text,
		       size_t len, struct export_review *out, struct err *e)
{
	struct reader rd = {.a = a, .name = name, .e = e, .out = out};
	struct md_node *root;
	const char *problem, *context;
	int yrc, yline;
	size_t bad, fm_start, fm_end, body;
	const char *p;
	enum err_code rc = E_OK;
	int has_title = 0, line, col;
	struct err inner;
	const char *extra = NULL;

	memset(out, 0, sizeof *out);
	if (!utf8_valid(text, len, &bad)) {
		utf8_line_col(text, bad, &line, &col);
		return err_set(e, E_BAD_REQUEST, NULL,
			       "%s:%d: not UTF-8 (byte %zu, column %d)", name,
			       line, bad + 1, col);
	}
	if (memchr(text, '\0', len))
		return err_set(e, E_BAD_REQUEST, NULL,
			       "%s: holds a NUL byte: not a text file", name);
	if (len < 4 || strncmp(text, "---", 3) != 0 ||
	    (text[3] != '\n' && text[3] != '\r'))
		return err_set(e, E_BAD_REQUEST, NULL,
			       "%s:1: no YAML front matter (a first line "
			       "\"---\", then the keys, then \"---\")",
			       name);
	fm_start = text[3] == '\r' && len > 4 && text[4] == '\n' ? 5 : 4;
	for (p = text + fm_start;;) {
		size_t left = len - (size_t)(p - text);
		const char *nl = memchr(p, '\n', left);

		/* the text need not end with a NUL: compare within left */
		if (left >= 3 &&
		    (!memcmp(p, "---", 3) || !memcmp(p, "...", 3)) &&
		    (left == 3 || p[3] == '\n' || p[3] == '\r')) {
			fm_end = (size_t)(p - text);
			body = nl ? (size_t)(nl - text) + 1 : len;
			break;
		}
		if (!nl)
			return err_set(e, E_BAD_REQUEST, NULL,
				       "%s:1: the front matter does not end "
				       "(no closing \"---\" line)",
				       name);
		p = nl + 1;
	}
	out->review = record_new(a, &review_def);
	if (!out->review)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	yrc = md_yaml_load(a, text + fm_start, fm_end - fm_start, &root,
			   &problem, &context, &yline);
	if (yrc == -2)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	if (yrc < 0)
		return err_set(e, E_BAD_REQUEST, NULL,
			       "%s:%d: the front matter is not YAML: %s%s%s",
			       name, yline + 2, problem, context ? " " : "",
			       context ? context : "");
	rd.line_offset = 1;
	if (!root || root->type != YAML_MAPPING_NODE)
		return err_set(e, E_BAD_REQUEST, NULL,
			       "%s:2: the front matter must be key: value lines",
			       name);
	if ((rc = read_front(&rd, root, &has_title)) != E_OK ||
	    (rc = keep_unknown(&rd, root, &extra)) != E_OK ||
	    (rc = read_body(&rd, text, body, len, has_title)) != E_OK)
		goto out;
	if (extra) {
		const char *had = record_str(out->review, REVIEW_EXTRA);
		size_t n = strlen(extra) + (had ? strlen(had) + 1 : 0) + 1;
		char *joined = arena_alloc(a, n);

		if (!joined) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto out;
		}
		snprintf(joined, n, "%s%s%s", had ? had : "", had ? "\n" : "",
			 extra);
		record_set_str(out->review, REVIEW_EXTRA, joined);
	}
	for (int k = 0; k < CHILD_COUNT; k++)
		out->children[k] = rd.children[k];
	if (rd.ntags) {
		struct record_list *l = &out->children[CHILD_TAG];

		l->items = arena_alloc(a, sizeof *l->items * rd.ntags);
		if (!l->items) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < rd.ntags; i++) {
			struct record *t = record_new(a, &tag_def);

			if (!t) {
				rc = err_set(e, E_NOMEM, NULL, "out of memory");
				goto out;
			}
			record_set_str(t, TAG_NAME, rd.tags[i]);
			err_clear(&inner);
			if (record_validate(t, &inner) != E_OK) {
				rc = err_set(e, E_INVALID, "tags",
					     "%s: tag \"%s\": %s", name,
					     rd.tags[i], inner.message);
				goto out;
			}
			l->items[l->n++] = t;
		}
	}
	{
		struct record *r = out->review;
		int64_t now = time_now();

		if (!r->version)
			r->version = 1;
		if (!r->created_at)
			r->created_at = r->updated_at ? r->updated_at : now;
		if (!r->updated_at)
			r->updated_at = r->created_at;
		record_fill_defaults(a, r);
		err_clear(&inner);
		if (record_validate(r, &inner) != E_OK) {
			int f = record_field(&review_def, inner.field);
			int line = f >= 0 && rd.field_line[f] ? rd.field_line[f]
							      : 1;

			rc = err_set(e, E_INVALID, inner.field,
				     "%s:%d: %s: %s", name, line,
				     inner.field[0] ? inner.field : "review",
				     inner.message);
			goto out;
		}
		for (int k = 0; k < CHILD_COUNT; k++)
			for (size_t i = 0; i < out->children[k].n; i++) {
				struct record *c = out->children[k].items[i];

				c->version = 1;
				c->created_at = r->created_at;
				c->updated_at = r->updated_at;
			}
	}
out:
	return rc;
}
