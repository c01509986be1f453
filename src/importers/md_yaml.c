/* md_yaml.c: libyaml's emitter a value at a time, and the keys of the
 * front matter (md_yaml.h). */
#include "importers/md_yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/review.h"
#include "util/buf.h"
#include "util/timeutil.h"

int md_yaml_to_buf(void *data, unsigned char *bytes, size_t size)
{
	return buf_append(data, bytes, size) == 0;
}

void md_yaml_emit(struct ym *y, yaml_event_t *ev)
{
	if (y->failed || !yaml_emitter_emit(&y->em, ev))
		y->failed = 1;
}

int md_yaml_doc_begin(struct ym *y, struct buf *out, int flags)
{
	yaml_event_t ev;

	if (!yaml_emitter_initialize(&y->em))
		return -1;
	yaml_emitter_set_output(&y->em, md_yaml_to_buf, out);
	if (!(flags & MD_YAML_DEFAULTS)) {
		yaml_emitter_set_unicode(&y->em, 1);
		yaml_emitter_set_width(&y->em, -1);
	}
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	md_yaml_emit(y, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL,
					     !(flags & MD_YAML_DASHES));
	md_yaml_emit(y, &ev);
	return 0;
}

void md_yaml_doc_end(struct ym *y)
{
	yaml_event_t ev;

	yaml_document_end_event_initialize(&ev, 1);
	md_yaml_emit(y, &ev);
	yaml_stream_end_event_initialize(&ev);
	md_yaml_emit(y, &ev);
	yaml_emitter_delete(&y->em);
}

void md_yaml_scalar(struct ym *y, const char *s)
{
	yaml_event_t ev;
	yaml_scalar_style_t style = strchr(s, '\n') ? YAML_LITERAL_SCALAR_STYLE
						    : YAML_ANY_SCALAR_STYLE;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
					  (int)strlen(s), 1, 1, style)) {
		y->failed = 1;
		return;
	}
	md_yaml_emit(y, &ev);
}

void md_yaml_seq_start(struct ym *y, int flow)
{
	yaml_event_t ev;

	yaml_sequence_start_event_initialize(
		&ev, NULL, NULL, 1,
		flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
	md_yaml_emit(y, &ev);
}

void md_yaml_seq_end(struct ym *y)
{
	yaml_event_t ev;

	yaml_sequence_end_event_initialize(&ev);
	md_yaml_emit(y, &ev);
}

void md_yaml_map_start(struct ym *y)
{
	yaml_event_t ev;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
					    YAML_BLOCK_MAPPING_STYLE);
	md_yaml_emit(y, &ev);
}

void md_yaml_map_end(struct ym *y)
{
	yaml_event_t ev;

	yaml_mapping_end_event_initialize(&ev);
	md_yaml_emit(y, &ev);
}

void md_yaml_key_int(struct ym *y, const char *key, int64_t v)
{
	char tb[32];

	snprintf(tb, sizeof tb, "%lld", (long long)v);
	md_yaml_scalar(y, key);
	md_yaml_scalar(y, tb);
}

void md_yaml_key_time(struct ym *y, const char *key, int64_t t)
{
	char tb[TIME_BUF];

	time_format(t, tb);
	md_yaml_scalar(y, key);
	md_yaml_scalar(y, tb);
}

/* field_value writes field f of r as a scalar (a flow list for lists). */
static const char *const reserved_keys[] = {
	"id",	      "version", "created_at", "updated_at", "deleted_at",
	"start_time", "end_time", "categories", "keywords",  "company",
	"product",    "url",	  NULL};

int md_known_key(const char *k)
{
	for (int i = 0; reserved_keys[i]; i++)
		if (!strcmp(reserved_keys[i], k))
			return 1;
	if (record_field(&review_def, k) >= 0 ||
	    child_kind_from_segment(k) >= 0)
		return 1;
	return 0;
}

/* md_yaml_emit_node copies node n into the emitter. */
void md_yaml_emit_node(struct ym *y, const struct md_node *n, int depth)
{
	if (!n || depth > 32) {
		md_yaml_scalar(y, "");
		return;
	}
	switch (n->type) {
	case YAML_SCALAR_NODE: md_yaml_scalar(y, n->s); break;
	case YAML_SEQUENCE_NODE:
		md_yaml_seq_start(y, 0);
		for (size_t i = 0; i < n->n; i++)
			md_yaml_emit_node(y, n->kids[i], depth + 1);
		md_yaml_seq_end(y);
		break;
	case YAML_MAPPING_NODE:
		md_yaml_map_start(y);
		for (size_t i = 0; i + 1 < n->n; i += 2) {
			md_yaml_emit_node(y, n->kids[i], depth + 1);
			md_yaml_emit_node(y, n->kids[i + 1], depth + 1);
		}
		md_yaml_map_end(y);
		break;
	default: md_yaml_scalar(y, "");
	}
}

struct anchor {
	const char *name;
	struct md_node *node;
	int line;
	struct anchor *next;
};

int md_node_add(struct arena *a, struct md_node *c, struct md_node *k)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct md_node **kids = arena_alloc(a, sizeof *kids * cap);

		if (!kids)
			return -1;
		if (c->n)
			memcpy(kids, c->kids, sizeof *kids * c->n);
		c->kids = kids;
		c->cap = cap;
	}
	c->kids[c->n++] = k;
	return 0;
}

int md_yaml_load(struct arena *a, const char *text, size_t len,
		 struct md_node **root, const char **problem,
		 const char **context, int *line)
{
	int rc = md_yaml_scan(a, text, len, root);

	*problem = *context = NULL;
	*line = 0;
	if (rc != 0)
		return rc == 1 ? 0 : rc;
	return md_yaml_parse(a, text, len, root, problem, context, line);
}

int md_yaml_parse(struct arena *a, const char *text, size_t len,
		  struct md_node **root, const char **problem,
		  const char **context, int *line)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct md_node **stack = NULL;
	size_t depth = 0, cap = 0;
	struct anchor *anchors = NULL;
	int rc = 0, done = 0;

	*root = NULL;
	*problem = *context = NULL;
	*line = 0;
	if (!yaml_parser_initialize(&p))
		return -2;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && rc == 0) {
		struct md_node *n = NULL;
		const char *anchor = NULL;

		if (!yaml_parser_parse(&p, &ev)) {
			if (p.error == YAML_MEMORY_ERROR) {
				rc = -2;
				break;
			}
			*problem = p.problem ? p.problem : "error";
			*context = p.context;
			*line = (int)p.problem_mark.line;
			rc = -1;
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT: done = 1; break;
		case YAML_ALIAS_EVENT: {
			const char *name = (const char *)ev.data.alias.anchor;
			struct anchor *an = anchors;

			while (an && strcmp(an->name, name))
				an = an->next;
			if (!an) {
				*problem = "found undefined alias";
				*line = (int)ev.start_mark.line;
				rc = -1;
				break;
			}
			n = an->node;
			break;
		}
		case YAML_SCALAR_EVENT:
			anchor = (const char *)ev.data.scalar.anchor;
			if (!(n = arena_alloc(a, sizeof *n)) ||
			    !(n->s = arena_strndup(
				      a, (const char *)ev.data.scalar.value,
				      ev.data.scalar.length))) {
				rc = -2;
				break;
			}
			n->type = YAML_SCALAR_NODE;
			n->len = ev.data.scalar.length;
			n->kids = NULL;
			n->n = n->cap = 0;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			anchor = (const char *)(ev.type == YAML_SEQUENCE_START_EVENT
							? ev.data.sequence_start.anchor
							: ev.data.mapping_start.anchor);
			if (!(n = arena_alloc(a, sizeof *n))) {
				rc = -2;
				break;
			}
			memset(n, 0, sizeof *n);
			n->type = ev.type == YAML_SEQUENCE_START_EVENT
					  ? YAML_SEQUENCE_NODE
					  : YAML_MAPPING_NODE;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth)
				depth--;
			break;
		default: break;
		}
		if (n && rc == 0) {
			if (ev.type != YAML_ALIAS_EVENT)
				n->line = (int)ev.start_mark.line;
			if (anchor) {
				struct anchor *an;

				for (an = anchors; an; an = an->next)
					if (!strcmp(an->name, anchor))
						break;
				if (an) {
					*context = "found duplicate anchor; "
						   "first occurrence";
					*problem = "second occurrence";
					*line = (int)ev.start_mark.line;
					rc = -1;
				} else if (!(an = arena_alloc(a, sizeof *an)) ||
					   !(an->name = arena_strndup(
						     a, anchor, strlen(anchor)))) {
					rc = -2;
				} else {
					an->node = n;
					an->next = anchors;
					anchors = an;
				}
			}
			if (rc == 0 && (depth ? md_node_add(a, stack[depth - 1], n)
					      : (*root = n, 0)) < 0)
				rc = -2;
			if (rc == 0 && n->type != YAML_SCALAR_NODE &&
			    ev.type != YAML_ALIAS_EVENT) {
				if (depth == cap) {
					size_t nc = cap ? cap * 2 : 16;
					struct md_node **ns =
						realloc(stack, sizeof *ns * nc);

					if (!ns)
						rc = -2;
					else {
						stack = ns;
						cap = nc;
					}
				}
				if (rc == 0)
					stack[depth++] = n;
			}
		}
		yaml_event_delete(&ev);
	}
	free(stack);
	yaml_parser_delete(&p);
	if (rc)
		*root = NULL;
	return rc;
}

/* extra_inline writes the kept keys of text (YAML of a mapping whose keys
 * are all unknown to debrief) into the open mapping; returns 0 when text
 * is not such a mapping and nothing was written. */

/* quoted_marker tells whether the line at p (n bytes left) is zero or
 * more backslashes and then MARKER_OPEN; *slashes gets their number. */
static int quoted_marker(const char *p, size_t n, size_t *slashes)
{
	size_t k = 0, ol = strlen(MARKER_OPEN);

	while (k < n && p[k] == '\\')
		k++;
	*slashes = k;
	return n - k >= ol && !memcmp(p + k, MARKER_OPEN, ol);
}

void md_put_section_text(struct buf *out, const char *text)
{
	const char *p = text;
	size_t n = strlen(text), slashes;

	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t line = nl ? (size_t)(nl - p) + 1 : n;

		if (quoted_marker(p, n, &slashes))
			buf_putc(out, '\\');
		buf_append(out, p, line);
		p += line;
		n -= line;
	}
}

char *md_unquote_section(struct arena *a, const char *text, size_t n)
{
	char *out = arena_alloc(a, n + 1), *o = out;
	size_t slashes;

	if (!out)
		return NULL;
	while (n) {
		const char *nl = memchr(text, '\n', n);
		size_t line = nl ? (size_t)(nl - text) + 1 : n;

		if (quoted_marker(text, n, &slashes) && slashes) {
			text++; /* one backslash less */
			n--;
			line--;
		}
		memcpy(o, text, line);
		o += line;
		text += line;
		n -= line;
	}
	*o = '\0';
	return out;
}
