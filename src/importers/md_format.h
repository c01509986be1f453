/* md_format.h: one review as a markdown file with YAML front matter, the
 * shape write-ups take in git repositories:
 *
 *   ---
 *   id: 12                      (id, version, created_at, updated_at)
 *   kind: incident              (every review field that is not prose)
 *   title: Checkout errors
 *   services: [api, db]
 *   tags: [cache]
 *   people: [{name: ann, role: responder}]
 *   factors, followups, links, timeline: lists of records
 *   (keys debrief has no field for, kept from an imported file)
 *   ---
 *
 *   ## Summary
 *   <!-- debrief:summary -->
 *   ...each prose field as a section...
 *
 *   ## Timeline
 *   <!-- debrief:timeline ... -->
 *   | a table for reading, written from the front matter |
 *
 * Export then import gives the same review; export again gives the same
 * bytes. Files of other tools (title, url, start_time, end_time,
 * categories, keywords, company, product and a body) import sensibly: the
 * times, the categories and keywords as tags, the url as a link, the
 * product as a service, the company as the owner team, the body as the
 * summary. */
#ifndef DEBRIEF_MD_FORMAT_H
#define DEBRIEF_MD_FORMAT_H

#include <stddef.h>

#include "store/store.h"
#include "util/buf.h"

/* md_export_review writes review r (live children only) as a markdown
 * file into out. Returns 0, or -1 on oom. */
int md_export_review(const struct export_review *r, struct buf *out);

/* md_file_name writes "ID-slug-of-the-title.md" into out (size n). */
void md_file_name(const struct record *review, char *out, size_t n);

/* md_parse reads the markdown text (len bytes, named name in messages)
 * into out, memory from a: the review with its meta when the front matter
 * has them (id 0 and times of now otherwise), children with id 0. Values
 * are checked against the model. Errors are E_BAD_REQUEST or E_INVALID
 * with "name:line: message" in e. */
enum err_code md_parse(struct arena *a, const char *name, const char *text,
		       size_t len, struct export_review *out, struct err *e);

#endif
