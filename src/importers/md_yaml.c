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

/* emit_node copies node n of doc into the emitter. */
void md_yaml_emit_node(struct ym *y, yaml_document_t *doc, yaml_node_t *n,
		      int depth)
{
	if (!n || depth > 32) {
		md_yaml_scalar(y, "");
		return;
	}
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		char *s = strndup((const char *)n->data.scalar.value,
				  n->data.scalar.length);
		md_yaml_scalar(y, s ? s : "");
		free(s);
		break;
	}
	case YAML_SEQUENCE_NODE:
		md_yaml_seq_start(y, 0);
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++)
			md_yaml_emit_node(y, doc, yaml_document_get_node(doc, *it),
				  depth + 1);
		md_yaml_seq_end(y);
		break;
	case YAML_MAPPING_NODE:
		md_yaml_map_start(y);
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			md_yaml_emit_node(y, doc, yaml_document_get_node(doc, p->key),
				  depth + 1);
			md_yaml_emit_node(y, doc,
				  yaml_document_get_node(doc, p->value),
				  depth + 1);
		}
		md_yaml_map_end(y);
		break;
	default: md_yaml_scalar(y, "");
	}
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
