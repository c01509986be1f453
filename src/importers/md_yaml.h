/* md_yaml.h: what the markdown writer (md_write.c) and reader
 * (md_read.c) share: libyaml's emitter driven a value at a time, the keys
 * the front matter gives a meaning, and the section markers of the body.
 * Internal to src/importers. */
#ifndef DEBRIEF_MD_YAML_H
#define DEBRIEF_MD_YAML_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "util/arena.h"
#include "util/buf.h"

#define MARKER_OPEN  "<!-- debrief:"
#define MARKER_CLOSE " -->"

/* An emitter and whether any event failed (then the output is not to be
 * used). */
struct ym {
	yaml_emitter_t em;
	int failed;
};

/* md_yaml_to_buf is the emitter's output handler: data is a struct buf. */
int md_yaml_to_buf(void *data, unsigned char *bytes, size_t size);
void md_yaml_emit(struct ym *y, yaml_event_t *ev);
/* Flags of md_yaml_doc_begin. */
enum {
	MD_YAML_DEFAULTS = 1, /* libyaml's own settings: \u escapes for what
			       * is not ASCII, long lines folded; else
			       * UTF-8 as it is and no folding (the export) */
	MD_YAML_DASHES = 2,   /* the document starts with a "---" line */
};
/* md_yaml_doc_begin sets y (zeroed by the caller) up to write a document
 * into out, up to its start; -1 when out of memory (y then needs no
 * md_yaml_doc_end). md_yaml_doc_end ends the document and the stream and
 * frees the emitter; y->failed says whether out is to be used. */
int md_yaml_doc_begin(struct ym *y, struct buf *out, int flags);
void md_yaml_doc_end(struct ym *y);
/* md_yaml_scalar writes s (multi-line text in the literal style). */
void md_yaml_scalar(struct ym *y, const char *s);
void md_yaml_seq_start(struct ym *y, int flow);
void md_yaml_seq_end(struct ym *y);
void md_yaml_map_start(struct ym *y);
void md_yaml_map_end(struct ym *y);
void md_yaml_key_int(struct ym *y, const char *key, int64_t v);
void md_yaml_key_time(struct ym *y, const char *key, int64_t t);
/* A node of front matter read by md_yaml_load, in the caller's arena:
 * libyaml's event parser without its document tree (whose building and
 * freeing, a malloc for every node and scalar, cost about a third of
 * reading a file). */
struct md_node {
	yaml_node_type_t type;
	int line;		/* 0-based line of its start in the text */
	const char *s;		/* a scalar, NUL-terminated */
	size_t len;		/* its length */
	struct md_node **kids;	/* a sequence's items; a mapping's key,
				 * value, key, value... */
	size_t n;		/* entries of kids (a mapping: 2 a pair) */
	size_t cap;
};

/* md_yaml_load reads the first document of text[0..len) as
 * yaml_parser_load does (aliases are the anchored node itself): 0 and
 * *root (NULL when there is no document); -1 when it is not YAML, with
 * libyaml's *problem, *context (or NULL) and the 0-based *line; -2 when
 * out of memory. The shapes the export writes are read by md_yaml_scan,
 * any other text by md_yaml_parse (libyaml); the tree is the same. */
int md_yaml_load(struct arena *a, const char *text, size_t len,
		 struct md_node **root, const char **problem,
		 const char **context, int *line);
/* md_yaml_parse is md_yaml_load through libyaml's event parser alone. */
int md_yaml_parse(struct arena *a, const char *text, size_t len,
		  struct md_node **root, const char **problem,
		  const char **context, int *line);
/* md_yaml_scan (md_yaml_scan.c) reads the subset of YAML the export
 * writes, several times cheaper than libyaml: 1 and *root, libyaml's tree
 * to the byte and the line; 0 when text holds anything else (then *root is
 * NULL and what it took from a is unused); -2 when out of memory. */
int md_yaml_scan(struct arena *a, const char *text, size_t len,
		 struct md_node **root);
/* md_node_add appends k to the collection c (kids from a, doubled). */
int md_node_add(struct arena *a, struct md_node *c, struct md_node *k);
/* md_yaml_emit_node copies node n (and what it holds) into y. */
void md_yaml_emit_node(struct ym *y, const struct md_node *n, int depth);
/* A section's text may hold a line that looks like a marker. The writer
 * quotes it as mbox quotes "From ": a line of zero or more backslashes
 * and then MARKER_OPEN gets one backslash more (md_put_section_text), and
 * the reader takes one away (md_unquote_section); so any text reads back
 * as it was written. */
void md_put_section_text(struct buf *out, const char *text);
/* md_unquote_section returns text[0..n) unquoted, from a. */
char *md_unquote_section(struct arena *a, const char *text, size_t n);

/* md_known_key tells whether the front matter gives key a meaning (a
 * review field, a child list, id and times, or another tool's key);
 * other keys are kept in the review's "extra". */
int md_known_key(const char *key);

#endif
