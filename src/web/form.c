/* form.c: the review form read from a request or a stored review, and
 * turned into records for the store (see form.h). */
#include "web/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "util/timeutil.h"
#include "web/page.h"

const char *page_actor(struct request *req)
{
	return req->user ? req->user : session_current_user(req);
}

/* form_time writes a time as people type it, in zone: "2026-11-20
 * 14:05", with seconds only when there are some. */
static const char *form_time(struct arena *a, int64_t t, const struct tz *zone)
{
	char text[TIME_BUF];

	tz_format_input(zone, t, text);
	return arena_strdup(a, text);
}

const char *form_value_text(struct arena *a, const struct record *r, int f,
			    const struct tz *zone)
{
	if (r->def->fields[f].type == FT_TIME && record_isset(r, f))
		return form_time(a, record_int(r, f, 0), zone);
	return record_value_text(a, r, f);
}

static struct form_row *rows_add(struct arena *a, struct form_rows *rows,
				 size_t nfields, int index)
{
	struct form_row *row;

	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 8;
		struct form_row *items = arena_alloc(a, cap * sizeof *items);
		if (!items)
			return NULL;
		if (rows->n)
			memcpy(items, rows->items, rows->n * sizeof *items);
		rows->items = items;
		rows->cap = cap;
	}
	row = &rows->items[rows->n];
	memset(row, 0, sizeof *row);
	row->index = index;
	row->vals = arena_alloc(a, nfields * sizeof *row->vals);
	if (!row->vals)
		return NULL;
	rows->n++;
	return row;
}

int form_from_doc(struct arena *a, const struct review_doc *doc,
		  const struct tz *zone, struct form_doc *fd)
{
	const struct record_list *tags = &doc->children[CHILD_TAG];
	struct buf tb = BUF_INIT;

	memset(fd, 0, sizeof *fd);
	fd->version = doc->review->version;
	fd->zone = zone;
	for (int f = 0; f < REVIEW_NFIELDS; f++)
		if (!(fd->review[f] = form_value_text(a, doc->review, f, zone)))
			return -1;
	for (size_t i = 0; i < tags->n; i++)
		buf_printf(&tb, "%s%s", i ? ", " : "",
			   record_str(tags->items[i], TAG_NAME));
	fd->tags = arena_strdup(a, buf_cstr(&tb));
	buf_release(&tb);
	if (!fd->tags)
		return -1;
	for (int k = 0; k < CHILD_COUNT; k++) {
		const struct record_def *def = child_defs[k];

		if (k == CHILD_TAG || !child_in_form(k))
			continue;
		for (size_t i = 0; i < doc->children[k].n; i++) {
			const struct record *r = doc->children[k].items[i];
			struct form_row *row =
				rows_add(a, &fd->rows[k], def->nfields, (int)i);
			if (!row)
				return -1;
			row->id = r->id;
			for (size_t f = 0; f < def->nfields; f++)
				if (!(row->vals[f] = form_value_text(
					      a, r, (int)f, zone)))
					return -1;
		}
	}
	return 0;
}

void form_new_doc(struct form_doc *fd)
{
	memset(fd, 0, sizeof *fd);
	for (int f = 0; f < REVIEW_NFIELDS; f++)
		fd->review[f] = review_def.fields[f].dflt;
}

int form_add_blank_rows(struct arena *a, struct form_doc *fd, enum child_kind k,
			size_t n)
{
	const struct record_def *def = child_defs[k];
	struct form_rows *rows = &fd->rows[k];
	int next = 0;

	for (size_t i = 0; i < rows->n; i++)
		if (rows->items[i].index >= next)
			next = rows->items[i].index + 1;
	for (size_t i = 0; i < n; i++) {
		struct form_row *row = rows_add(a, rows, def->nfields, next++);
		if (!row)
			return -1;
		for (size_t f = 0; f < def->nfields; f++)
			row->vals[f] = def->fields[f].dflt;
	}
	return 0;
}

/* parse_child_key splits "timeline[3].at" into kind, index and field
 * name; returns -1 when key is not a child field. */
static int parse_child_key(const char *key, int *kind, int *index,
			   const char **field)
{
	const char *br = strchr(key, '['), *end;
	char seg[32];
	long n;

	if (!br || (size_t)(br - key) >= sizeof seg)
		return -1;
	memcpy(seg, key, (size_t)(br - key));
	seg[br - key] = '\0';
	if ((*kind = child_kind_from_segment(seg)) < 0 || *kind == CHILD_TAG ||
	    !child_in_form(*kind))
		return -1;
	if (br[1] < '0' || br[1] > '9')
		return -1;
	n = strtol(br + 1, (char **)&end, 10);
	if (end[0] != ']' || end[1] != '.' || n < 0 || n > FORM_MAX_INDEX)
		return -1;
	*index = (int)n;
	*field = end + 2;
	return 0;
}

/* find_row returns the row with that index, adding it when new; the last
 * row is tried first because browsers send a row's fields together. */
static struct form_row *find_row(struct arena *a, struct form_rows *rows,
				 size_t nfields, int index, struct err *e)
{
	if (rows->n && rows->items[rows->n - 1].index == index)
		return &rows->items[rows->n - 1];
	for (size_t i = 0; i < rows->n; i++)
		if (rows->items[i].index == index)
			return &rows->items[i];
	if (rows->n >= FORM_MAX_ROWS) {
		err_set(e, E_BAD_REQUEST, NULL, "too many rows in the form");
		return NULL;
	}
	return rows_add(a, rows, nfields, index);
}

/* unix_newlines returns val with every CR LF turned into LF: browsers send
 * a textarea's newlines as CR LF, and text typed in a form must be stored
 * as the API would store it, so that saving an unchanged form changes
 * nothing. val itself when it has no CR; NULL when out of memory. */
static const char *unix_newlines(struct arena *a, const char *val)
{
	char *out, *d;

	if (!strchr(val, '\r'))
		return val;
	if (!(out = arena_strdup(a, val)))
		return NULL;
	for (const char *s = d = out; *s; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			*d++ = *s;
	*d = '\0';
	return out;
}

static int cmp_row(const void *pa, const void *pb)
{
	const struct form_row *a = pa, *b = pb;

	return (a->index > b->index) - (a->index < b->index);
}

/* read_conflicts reads the hidden "conflicts" field (form_conflicts_json)
 * into fd. Returns -1 when it is not such a list or on oom. */
static int read_conflicts(struct arena *a, const char *text,
			  struct form_doc *fd)
{
	json_t *arr = json_loads(text, 0, NULL), *o;
	size_t i, n = json_array_size(arr);
	int rc = -1;

	if (!json_is_array(arr) || n > FORM_MAX_ROWS)
		goto out;
	fd->conflicts = arena_alloc(a, (n + 1) * sizeof *fd->conflicts);
	if (!fd->conflicts)
		goto out;
	json_array_foreach(arr, i, o)
	{
		struct form_conflict *c = &fd->conflicts[i];
		const char *name = json_string_value(json_object_get(o, "n"));
		const char *t = json_string_value(json_object_get(o, "t"));
		const char *b = json_string_value(json_object_get(o, "b"));

		if (!name || !t || !b)
			goto out;
		c->name = arena_strdup(a, name);
		c->theirs = arena_strdup(a, t);
		c->base = arena_strdup(a, b);
		c->row = json_is_true(json_object_get(o, "r"));
		c->theirs_deleted = json_is_true(json_object_get(o, "d"));
		if (!c->name || !c->theirs || !c->base)
			goto out;
	}
	fd->nconflicts = n;
	rc = 0;
out:
	if (rc < 0)
		fd->nconflicts = 0;
	json_decref(arr);
	return rc;
}

const char *form_conflicts_json(struct arena *a, const struct form_doc *fd)
{
	json_t *arr = json_array();
	const char *out = NULL;
	char *text;

	if (!arr || !fd->nconflicts)
		goto done;
	for (size_t i = 0; i < fd->nconflicts; i++) {
		const struct form_conflict *c = &fd->conflicts[i];
		if (json_array_append_new(
			    arr,
			    json_pack("{s:s, s:s, s:s, s:b, s:b}", "n", c->name,
				      "t", c->theirs, "b", c->base, "r", c->row,
				      "d", c->theirs_deleted)) < 0)
			goto done;
	}
	if ((text = json_dumps(arr, JSON_COMPACT))) {
		out = arena_strdup(a, text);
		free(text);
	}
done:
	json_decref(arr);
	return out;
}

static struct form_row *row_at(struct form_doc *fd, int kind, int index)
{
	for (size_t i = 0; i < fd->rows[kind].n; i++)
		if (fd->rows[kind].items[i].index == index)
			return &fd->rows[kind].items[i];
	return NULL;
}

int form_apply_choices(struct request *req, struct form_doc *fd,
		       struct field_errors *errs)
{
	size_t open = 0;

	for (size_t i = 0; i < fd->nconflicts; i++) {
		struct form_conflict *c = &fd->conflicts[i];
		const char *key =
			arena_printf(req->arena, "choose.%s", c->name);
		const char *rkey =
			arena_printf(req->arena, "%s.remove", c->name);
		const char *pick, *fname;
		struct form_row *row = NULL;
		int f, kind, index;

		if (!key || !rkey)
			return -1;
		pick = req_form_get(req, key);
		if (parse_child_key(c->row ? rkey : c->name, &kind, &index,
				    &fname) == 0)
			row = row_at(fd, kind, index);
		if (pick && c->row && row && !strcmp(pick, "remove")) {
			row->remove = 1;
			continue;
		}
		if (pick && !strcmp(pick, "theirs") && !c->row) {
			if (row &&
			    (f = record_field(child_defs[kind], fname)) >= 0)
				row->vals[f] = c->theirs;
			else if ((f = record_field(&review_def, c->name)) >= 0)
				fd->review[f] = c->theirs;
			continue;
		}
		if (pick && (!strcmp(pick, c->row ? "keep" : "yours")))
			continue;
		record_add_error(errs, c->name, "%s",
				 c->row ? "Choose whether to keep this entry "
					  "or remove it"
					: "Choose their text or yours (you can "
					  "combine both in your box)");
		fd->conflicts[open++] = *c;
	}
	fd->nconflicts = open;
	return 0;
}

/* when_of reads the "YYYY-MM-DD" that starts s into date and, when a
 * "HH:MM" follows, the seconds into the day into *secs (else 0). Returns 0
 * when s does not start with a date. */
static int when_of(const char *s, char date[11], int *secs)
{
	static const char pat[] = "dddd-dd-dd";

	if (!s)
		return 0;
	s += strspn(s, " \t");
	for (int i = 0; i < 10; i++)
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			return 0;
	memcpy(date, s, 10);
	date[10] = '\0';
	*secs = 0;
	if ((s[10] == ' ' || s[10] == 'T') && s[11] >= '0' && s[11] <= '9' &&
	    s[12] >= '0' && s[12] <= '9' && s[13] == ':' && s[14] >= '0' &&
	    s[14] <= '9' && s[15] >= '0' && s[15] <= '9')
		*secs = ((s[11] - '0') * 10 + s[12] - '0') * 3600 +
			((s[14] - '0') * 10 + s[15] - '0') * 60;
	return 1;
}

/* clock_of reads "H:MM", "HH:MM" or "HH:MM:SS" (spaces around allowed,
 * nothing else) as seconds into the day; -1 when s is not one. */
static int clock_of(const char *s)
{
	int h = 0, m, sec = 0;
	size_t n;

	s += strspn(s, " \t");
	n = strspn(s, "0123456789");
	if (n < 1 || n > 2 || s[n] != ':')
		return -1;
	for (size_t i = 0; i < n; i++)
		h = h * 10 + s[i] - '0';
	s += n + 1;
	if (strspn(s, "0123456789") != 2)
		return -1;
	m = (s[0] - '0') * 10 + s[1] - '0';
	s += 2;
	if (*s == ':') {
		if (strspn(s + 1, "0123456789") != 2)
			return -1;
		sec = (s[1] - '0') * 10 + s[2] - '0';
		s += 3;
	}
	if (s[strspn(s, " \t")] != '\0' || h > 23 || m > 59 || sec > 59)
		return -1;
	return h * 3600 + m * 60 + sec;
}

/* next_day turns date ("YYYY-MM-DD") into the day after it. */
static void next_day(char date[11])
{
	struct tm tm = {0};
	time_t t;

	if (sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) !=
	    3)
		return;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += 1;
	t = timegm(&tm);
	if (gmtime_r(&t, &tm) && tm.tm_year + 1900 <= 9999) {
		char out[32];

		snprintf(out, sizeof out, "%04d-%02d-%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday);
		memcpy(date, out, 11);
	}
}

/* complete_clock_times: a timeline time typed as "HH:MM" takes the date
 * of the nearest entry above with a full time, or of the review's start
 * as the form holds it, and the day after when the clock is earlier than
 * that time (a timeline is typed in order, so 00:10 after 23:30 is past
 * midnight), as static/timeline.js does in the browser. A time with no
 * date to take stays as typed (and is refused as before). Rows are in
 * form order. Returns -1 on oom. */
static int complete_clock_times(struct arena *a, struct form_doc *fd)
{
	struct form_rows *rows = &fd->rows[CHILD_TIMELINE];
	char date[11];
	int secs = 0,
	    have = when_of(fd->review[REVIEW_STARTED_AT], date, &secs);

	for (size_t i = 0; i < rows->n; i++) {
		const char **at = &rows->items[i].vals[TL_AT];
		int clock;

		if (!*at)
			continue;
		if (have && (clock = clock_of(*at)) >= 0) {
			if (clock < secs)
				next_day(date);
			if (!(*at = arena_printf(a, "%s %02d:%02d:%02d", date,
						 clock / 3600, clock / 60 % 60,
						 clock % 60)))
				return -1;
		}
		if (when_of(*at, date, &secs))
			have = 1;
	}
	return 0;
}

enum err_code form_from_request(struct request *req, struct form_doc *fd,
				struct err *e)
{
	struct kv *kv;
	size_t n = req_form_all(req, &kv);

	memset(fd, 0, sizeof *fd);
	fd->zone = page_zone(req);
	for (size_t i = 0; i < n; i++) {
		const char *key = kv[i].key, *val = kv[i].value, *fname;
		int f, kind, index;
		struct form_row *row;
		char *end;

		if (!key || !val)
			continue;
		if (!(val = unix_newlines(req->arena, val)))
			return err_set(e, E_NOMEM, NULL, "out of memory");
		if (!strcmp(key, "version")) {
			long long v = strtoll(val, &end, 10);
			if (!*val || *end || v <= 0)
				return err_set(e, E_BAD_REQUEST, "version",
					       "the form's version is not a "
					       "number; reload the page");
			fd->version = v;
		} else if (!strcmp(key, "base")) {
			fd->base = val;
		} else if (!strcmp(key, "conflicts")) {
			if (read_conflicts(req->arena, val, fd) < 0)
				return err_set(e, E_BAD_REQUEST, "conflicts",
					       "the form's list of conflicts "
					       "is damaged; reload the page");
		} else if (!strcmp(key, "tags")) {
			fd->tags = val;
		} else if ((f = record_field(&review_def, key)) >= 0) {
			fd->review[f] = val;
		} else if (parse_child_key(key, &kind, &index, &fname) == 0) {
			const struct record_def *def = child_defs[kind];

			row = find_row(req->arena, &fd->rows[kind],
				       def->nfields, index, e);
			if (!row)
				return e && e->code ? e->code : E_NOMEM;
			if (!strcmp(fname, "id"))
				row->id = strtoll(val, &end, 10) > 0 && !*end
						  ? strtoll(val, NULL, 10)
						  : 0;
			else if (!strcmp(fname, "remove"))
				row->remove = *val != '\0';
			else if ((f = record_field(def, fname)) >= 0 &&
				 !(def->fields[f].flags & F_SERVER))
				row->vals[f] = val;
		}
	}
	for (int k = 0; k < CHILD_COUNT; k++)
		if (fd->rows[k].n > 1)
			qsort(fd->rows[k].items, fd->rows[k].n,
			      sizeof(struct form_row), cmp_row);
	if (complete_clock_times(req->arena, fd) < 0)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	return E_OK;
}
