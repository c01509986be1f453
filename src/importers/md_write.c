/* md_write.c: one review as markdown with YAML front matter (md_format.h),
 * written with libyaml's emitter. */
#include "importers/md_format.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/md_yaml.h"
#include "util/timeutil.h"

static void field_value(struct ym *y, struct arena *a, const struct record *r,
			int f)
{
	const struct value *v = &r->v[f];

	if (r->def->fields[f].type == FT_LIST) {
		md_yaml_seq_start(y, 1);
		for (size_t k = 0; k < v->nitems; k++)
			md_yaml_scalar(y, v->items[k]);
		md_yaml_seq_end(y);
		return;
	}
	md_yaml_scalar(y, record_value_text(a, r, f));
}

static int is_set(const struct record *r, int f)
{
	const struct value *v = &r->v[f];

	if (v->state != V_SET)
		return 0;
	if (r->def->fields[f].type == FT_LIST)
		return v->nitems > 0;
	switch (r->def->fields[f].type) {
	case FT_INT:
	case FT_TIME:
	case FT_BOOL: return 1;
	default: return v->s && *v->s;
	}
}

/* Keys the front matter gives a meaning (besides the review's fields and
 * the child segments); any other key is kept in "extra". */
static int extra_inline(struct ym *y, struct arena *a, const char *text)
{
	struct md_node *root;
	const char *problem, *context;
	int line, ok = 0;

	if (md_yaml_load(a, text, strlen(text), &root, &problem, &context,
			 &line) != 0)
		return 0;
	if (root && root->type == YAML_MAPPING_NODE && root->n >= 2) {
		ok = 1;
		for (size_t i = 0; ok && i + 1 < root->n; i += 2) {
			const struct md_node *k = root->kids[i];

			if (k->type != YAML_SCALAR_NODE || k->len >= 128 ||
			    md_known_key(k->s) || !strcmp(k->s, "extra"))
				ok = 0;
		}
		for (size_t i = 0; ok && i + 1 < root->n; i += 2) {
			md_yaml_emit_node(y, root->kids[i], 0);
			md_yaml_emit_node(y, root->kids[i + 1], 0);
		}
	}
	return ok;
}

static void front_matter(struct ym *y, struct arena *a,
			 const struct export_review *r)
{
	const struct record *rv = r->review;

	md_yaml_map_start(y);
	md_yaml_key_int(y, "id", rv->id);
	md_yaml_key_int(y, "version", rv->version);
	md_yaml_key_time(y, "created_at", rv->created_at);
	md_yaml_key_time(y, "updated_at", rv->updated_at);
	for (size_t f = 0; f < review_def.nfields; f++) {
		if (review_def.fields[f].type == FT_MARKDOWN || !is_set(rv, f))
			continue;
		md_yaml_scalar(y, review_def.fields[f].name);
		field_value(y, a, rv, (int)f);
	}
	for (int k = 0; k < CHILD_COUNT; k++) {
		const struct record_list *l = &r->children[k];
		const struct record_def *cd = child_defs[k];

		if (!l->n)
			continue;
		md_yaml_scalar(y, cd->segment);
		md_yaml_seq_start(y, k == CHILD_TAG);
		for (size_t i = 0; i < l->n; i++) {
			if (k == CHILD_TAG) {
				md_yaml_scalar(y, record_str(l->items[i], TAG_NAME));
				continue;
			}
			md_yaml_map_start(y);
			for (size_t f = 0; f < cd->nfields; f++) {
				if (!is_set(l->items[i], f))
					continue;
				md_yaml_scalar(y, cd->fields[f].name);
				field_value(y, a, l->items[i], (int)f);
			}
			md_yaml_map_end(y);
		}
		md_yaml_seq_end(y);
	}
	if (is_set(rv, REVIEW_EXTRA) &&
	    !extra_inline(y, a, record_str(rv, REVIEW_EXTRA))) {
		md_yaml_scalar(y, "extra");
		md_yaml_scalar(y, record_str(rv, REVIEW_EXTRA));
	}
	md_yaml_map_end(y);
}

/* cell writes text into a table cell: one line, pipes escaped. */
static void cell(struct buf *b, const char *s)
{
	buf_putc(b, ' ');
	for (; s && *s; s++) {
		if (*s == '|')
			buf_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			buf_putc(b, ' ');
		else
			buf_putc(b, *s);
	}
	buf_puts(b, " |");
}

int md_export_review(const struct export_review *r, struct buf *out)
{
	struct arena *a = arena_new();
	const struct record *rv = r->review;
	const struct record_list *tl = &r->children[CHILD_TIMELINE];
	struct ym y = {0};

	if (!a || md_yaml_doc_begin(&y, out, MD_YAML_DASHES) < 0) {
		arena_free(a);
		return -1;
	}
	front_matter(&y, a, r);
	md_yaml_doc_end(&y);
	buf_puts(out, "---\n\n# ");
	buf_puts(out, record_str(rv, REVIEW_TITLE));
	buf_puts(out, "\n\n");
	for (size_t f = 0; f < review_def.nfields; f++) {
		if (review_def.fields[f].type != FT_MARKDOWN ||
		    f == REVIEW_EXTRA || !is_set(rv, f))
			continue;
		buf_printf(out, "## %s\n" MARKER_OPEN "%s" MARKER_CLOSE "\n",
			   review_def.fields[f].label,
			   review_def.fields[f].name);
		md_put_section_text(out, record_str(rv, f));
		buf_puts(out, "\n\n");
	}
	if (tl->n) {
		buf_puts(out, "## Timeline\n" MARKER_OPEN
			      "timeline: written from the front matter; edit "
			      "the timeline there" MARKER_CLOSE "\n\n"
			      "| Time (UTC) | Kind | Who | What happened |\n"
			      "|---|---|---|---|\n");
		for (size_t i = 0; i < tl->n; i++) {
			const struct record *t = tl->items[i];

			buf_putc(out, '|');
			cell(out, record_value_text(a, t, TL_AT));
			cell(out, record_str(t, TL_KIND));
			cell(out, record_str(t, TL_ACTOR));
			cell(out, record_str(t, TL_TEXT));
			buf_putc(out, '\n');
		}
	}
	arena_free(a);
	return y.failed || out->oom ? -1 : 0;
}

void md_file_name(const struct record *review, char *out, size_t n)
{
	const char *t = record_str(review, REVIEW_TITLE);
	char slug[48];
	size_t k = 0;
	int dash = 0;

	for (; t && *t && k < sizeof slug - 1; t++) {
		unsigned char c = (unsigned char)*t;

		if (isalnum(c) && c < 128) {
			if (dash && k)
				slug[k++] = '-';
			if (k < sizeof slug - 1)
				slug[k++] = (char)tolower(c);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	slug[k] = '\0';
	snprintf(out, n, "%lld%s%s.md", (long long)review->id, k ? "-" : "",
		 slug);
}
