/* record.h: the generic record. Every kind of record (review, timeline entry,
 * follow-up, contributing factor, person, link, tag) is described by a
 * record_def: a table of field_defs. JSON, forms, SQL columns, validation and
 * revision diffs are all driven by these tables, so a field added to a table
 * appears everywhere at once. No I/O lives here. */
#ifndef DEBRIEF_RECORD_H
#define DEBRIEF_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

enum field_type {
	FT_TEXT,     /* one line of text */
	FT_MARKDOWN, /* multi-line markdown */
	FT_ENUM,     /* one of def->choices */
	FT_INT,      /* integer in [min, max] */
	FT_TIME,     /* a UTC instant; JSON: RFC 3339; SQL: INTEGER seconds */
	FT_DATE,     /* a calendar day; JSON: "YYYY-MM-DD"; SQL: TEXT */
	FT_BOOL,     /* JSON true/false; SQL: INTEGER 0/1 */
	FT_LIST,     /* list of short strings; JSON array; SQL: JSON text */
	FT_URL,      /* one line; record_url_is_safe */
};

/* field flags */
#define F_REQUIRED 0x1 /* must be set and (for text) not blank */
#define F_INTERNAL 0x2 /* not accepted from JSON or forms (set by code) */
#define F_LIST_ALWAYS 0x4 /* FT_LIST: an unset list is [] in JSON, not null */
#define F_PROSE 0x8 /* FT_TEXT: a sentence people write (a title, a factor),
		     * not a name, a key or a URL: the language coach checks
		     * it like every FT_MARKDOWN field (field_is_prose) */
#define F_SERVER 0x10 /* set by the server (who asked, the votes): the API
		       * ignores it in a body like "id", forms do not show
		       * it as an input; imports and exports carry it */
#define F_BY_ACTOR 0x20 /* FT_LIST of who did something (a question's
			 * voters): a revision does not copy the list out,
			 * for its actor is who was added and another field
			 * (the votes) changes with it; without this, the
			 * n-th vote would store the whole list twice */

struct field_def {
	const char *name;  /* JSON key, form field name and SQL column */
	const char *label; /* for people: "Time to detect" */
	enum field_type type;
	unsigned flags;
	const char *const *choices; /* FT_ENUM: NULL-terminated */
	int64_t min, max;           /* FT_INT; FT_LIST: max items (0: 100) */
	size_t max_len;             /* bytes, for text-like fields; 0: no limit */
	const char *help;           /* one-line hint shown beside form fields */
	const char *dflt;           /* text value given on create when absent */
};

/* field_is_prose: people write prose in the field (FT_MARKDOWN, or FT_TEXT
 * with F_PROSE), so the language coach checks it. */
static inline int field_is_prose(const struct field_def *fd)
{
	return fd->type == FT_MARKDOWN ||
	       (fd->type == FT_TEXT && (fd->flags & F_PROSE));
}

enum val_state {
	V_ABSENT = 0, /* not given (in a patch: leave unchanged) */
	V_NULL,       /* given as null / empty: clear it */
	V_SET,
};

struct value {
	enum val_state state;
	const char *s;        /* FT_TEXT, FT_MARKDOWN, FT_ENUM, FT_DATE, FT_URL */
	int64_t i;            /* FT_INT, FT_TIME, FT_BOOL */
	const char **items;   /* FT_LIST */
	size_t nitems;
};

struct record_def;

struct record {
	const struct record_def *def;
	int64_t id;        /* 0 until stored */
	int64_t review_id; /* children: the review they belong to */
	int64_t version;   /* 1 after create, +1 on every change */
	int64_t created_at, updated_at, deleted_at; /* deleted_at 0: live */
	struct value *v;   /* def->nfields values */
};

struct record_list {
	struct record **items;
	size_t n;
};

/* Cross-field rules (for example resolved not before started) live in the
 * def's check hook; it adds errors through record_add_error. */
struct field_errors {
	struct err items[32];
	size_t n;
};

/* Variants: one FT_ENUM field of a def may pick which fields apply (the
 * kind of a review: an architecture review has a proposal, an incident a
 * timeline). A mask holds bit (1 << k) for the field's choice k; 0 means
 * every variant. A field that does not apply to a record's variant is
 * left out of its JSON and forms and may not be set (record_validate);
 * a choice that does not apply may not be chosen. */
struct variant_rules {
	int field;			/* the FT_ENUM field that picks */
	const unsigned *fields;		/* [nfields]: variants with field f */
	const unsigned *const *choices; /* [nfields]: NULL, or a mask per
					 * choice of an FT_ENUM field */
};

struct record_def {
	const char *name;   /* "review", "timeline entry" */
	const char *table;  /* SQL table */
	const char *segment; /* URL segment for children: "timeline"; NULL for review */
	const struct field_def *fields;
	size_t nfields;
	void (*check)(const struct record *r, struct field_errors *errs);
	int sort_field;     /* children: field to order lists by, -1: by id */
	const struct variant_rules *variants; /* NULL: one shape for all */
	unsigned parent_variants; /* children: the variants of the parent
				   * (review kinds) that have them; 0: all */
	/* children: the order of their lists when it is not sort_field's
	 * (qsort on struct record **); NULL: sort_field, then id */
	int (*compare)(const void *a, const void *b);
};

/* record_variant_bit is the bit of r's variant (1 << choice index), 0
 * when r's def has no variants or the variant is unset or unknown. */
unsigned record_variant_bit(const struct record *r);

/* record_field_applies tells whether field f belongs to r's variant;
 * record_choice_applies whether choice k of FT_ENUM field f may be
 * chosen there. Both are 1 when r's variant is unknown. */
int record_field_applies(const struct record *r, int f);
int record_choice_applies(const struct record *r, int f, int k);

/* record_new allocates a record of def with every value V_ABSENT. */
struct record *record_new(struct arena *a, const struct record_def *def);

/* record_fill_defaults sets every absent field that has a dflt (used on
 * create, never on patch). */
void record_fill_defaults(struct arena *a, struct record *r);

/* record_field finds a field index by name, -1 when there is none. */
int record_field(const struct record_def *def, const char *name);

/* Setters; strings are not copied (they must live as long as the record). */
void record_set_str(struct record *r, int f, const char *s);
void record_set_int(struct record *r, int f, int64_t i);
void record_set_null(struct record *r, int f);
void record_set_list(struct record *r, int f, const char **items, size_t n);

/* Getters: NULL / dflt when unset. */
const char *record_str(const struct record *r, int f);
int64_t record_int(const struct record *r, int f, int64_t dflt);
int record_isset(const struct record *r, int f);

/* record_url_is_safe tells whether s may be a link's URL (FT_URL) and an
 * href: http://, https:// or mailto:, or a path on this site ("/x", never
 * "//host"), read as a browser reads it (tabs and line breaks dropped,
 * leading spaces and control characters too, backslashes as slashes), so
 * that "/<TAB>/evil.example" is the other host it is. NULL is not. */
int record_url_is_safe(const char *s);

/* record_parse_value sets field f from text as typed by a person or read
 * from the database's text form: "" means null; times accept RFC 3339 and
 * "YYYY-MM-DD HH:MM" (UTC); bools accept true/false/on/1/0; lists are
 * comma-separated. Bad text gives E_INVALID naming the field. The string is
 * copied into a. */
enum err_code record_parse_value(struct arena *a, struct record *r, int f,
				 const char *text, struct err *e);

/* record_value_text renders field f as text for forms, diffs and exports
 * ("" when null): times as RFC 3339, bools "true"/"false", lists joined with
 * ", ". Memory from a. */
const char *record_value_text(struct arena *a, const struct record *r, int f);

/* record_apply copies every non-absent value of patch onto dst. */
void record_apply(struct record *dst, const struct record *patch);

/* record_copy makes a deep-enough copy (values array copied, strings shared). */
struct record *record_copy(struct arena *a, const struct record *src);

/* record_validate checks every field against its def (required, enum,
 * range, length, URL scheme, no control characters in one-line fields) and
 * then the def's check hook. Absent values count as null. Returns E_OK or
 * E_INVALID with the first error in e; record_validate_all collects all. */
enum err_code record_validate(const struct record *r, struct err *e);
void record_validate_all(const struct record *r, struct field_errors *errs);
void record_add_error(struct field_errors *errs, const char *field,
		      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A change in a revision: one field, its old and new text. */
struct change {
	const char *field;
	const char *old_text; /* "" when it was null */
	const char *new_text;
};

/* record_diff lists the fields whose values differ between old and new
 * (either may be NULL for create / delete: then every set field is listed),
 * but for F_BY_ACTOR fields.
 * Memory from a. Returns the number of changes, -1 on oom. */
int record_diff(struct arena *a, const struct record *old_r,
		const struct record *new_r, struct change **out);
/* record_field_equal: field f holds the same value in a and b (records of
 * one def). */
int record_field_equal(const struct record *a, const struct record *b,
		       size_t f);

/* record_patched is what every edit does: a copy of old with the
 * non-absent values of patch applied (patch may be NULL), validated, and
 * the fields that differ from old. On E_OK *out, *changes and *n (0: an
 * edit that changes nothing) are set, memory from a; E_INVALID (e names
 * the field) or E_NOMEM otherwise. */
enum err_code record_patched(struct arena *a, const struct record *old,
			     const struct record *patch, struct record **out,
			     struct change **changes, int *n, struct err *e);

#endif
