/* json_format.h: debrief's own export format, JSON. One document:
 *
 *   {"debrief_export": 1,
 *    "reviews": [ one object per line: the review (record_to_json), each
 *                 child kind under its segment as a list of records (tags
 *                 too, with ids), "revisions": [...] ],
 *    "users": [ without password hashes ],   (only in a whole export)
 *    "audit": [ ... ]}                         (only in a whole export)
 *
 * Every record keeps its id, version and times, deleted ones included, so
 * that an import into an empty database gives the same export again, byte
 * for byte. The API and the command line write the same bytes. */
#ifndef DEBRIEF_JSON_FORMAT_H
#define DEBRIEF_JSON_FORMAT_H

#include <jansson.h>
#include <stddef.h>

#include "store/store.h"

#define JSON_EXPORT_VERSION 1

/* json_import reads the file through a window of this many bytes; a
 * value that goes on past it is read on from the next window (yajl's
 * event parser keeps its place). */
#define JSON_READ_WINDOW (256 * 1024)

/* export_review_json is one review of an export; NULL on oom. Caller owns
 * the reference. */
json_t *export_review_json(const struct export_review *r);

/* export_review_from_json reads one review of an export into out, memory
 * from a. Values are checked against the model (record_validate), so bad
 * data is refused here, naming the record ("review 3: timeline 7: at:
 * ..."). */
enum err_code export_review_from_json(struct arena *a, json_t *obj,
				      struct export_review *out, struct err *e);

/* What json_export writes. */
struct json_export_opts {
	const struct viewer *viewer; /* NULL: everything */
	int64_t only_id;	     /* > 0: that review alone */
	int include_deleted;	     /* deleted reviews and children too */
	int accounts;		     /* users and audit too */
};

/* json_export streams the export to write(data, len, arg) (which returns
 * 0, or -1 to stop), one review in memory at a time. */
enum err_code json_export(struct store *st, const struct json_export_opts *o,
			  int (*write)(const char *data, size_t len, void *arg),
			  void *arg, struct err *e);

/* json_import reads the export at path and writes it into st, which must
 * be empty (E_CONFLICT), in one transaction: either all of it goes in or
 * nothing does. Messages name path (and the line for a JSON syntax error
 * or the review at fault). *nreviews may be NULL. */
enum err_code json_import(struct store *st, const char *path,
			  size_t *nreviews, struct err *e);

#endif
