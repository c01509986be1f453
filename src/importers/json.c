/* json.c: debrief's own export format (see json_format.h), written and
 * read through the model's def tables (record_json.c). */
#include "importers/json_format.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "model/record_json.h"
#include "model/ticket.h"
#include "model/transcript.h"
#include "util/timeutil.h"
#include "util/utf8.h"

static json_t *time_json(int64_t t)
{
	char tb[TIME_BUF];

	time_format(t, tb);
	return json_string(tb);
}

static json_t *revision_json(const struct export_revision *v)
{
	json_t *changes = json_loads(v->changes ? v->changes : "[]", 0, NULL);

	if (!changes)
		changes = json_array();
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:I, s:o}", "id",
			 (json_int_t)v->id, "record_kind", v->record_kind,
			 "record_id", (json_int_t)v->record_id, "action",
			 v->action, "actor", v->actor, "at", time_json(v->at),
			 "review_version", (json_int_t)v->review_version,
			 "changes", changes);
}

/* The members of a review that hold rows as stored (store.h:
 * export_review's reads, inbound_links, sources). */
static const char *const plain_keys[3] = {"reads", "inbound_links",
					  "import_sources"};

json_t *export_review_json(const struct export_review *r)
{
	json_t *o = record_to_json(r->review), *arr;

	if (!o)
		return NULL;
	for (int k = 0; k < CHILD_COUNT; k++) {
		arr = json_array();
		if (!arr || json_object_set_new(o, child_defs[k]->segment, arr))
			goto fail;
		for (size_t i = 0; i < r->children[k].n; i++)
			if (json_array_append_new(
				    arr, record_to_json(r->children[k].items[i])))
				goto fail;
	}
	for (int k = 0; k < 2; k++) {
		const struct record_list *l = k ? &r->tickets : &r->transcripts;

		arr = json_array();
		if (!arr || json_object_set_new(o, (k ? &ticket_def
						      : &transcript_def)
							   ->segment,
						arr))
			goto fail;
		for (size_t i = 0; i < l->n; i++)
			if (json_array_append_new(arr,
						  record_to_json(l->items[i])))
				goto fail;
	}
	for (int k = 0; k < 3; k++) {
		const char *text = k == 0   ? r->reads
				   : k == 1 ? r->inbound_links
					    : r->sources;

		if (!text)
			continue;
		if (!(arr = json_loads(text, 0, NULL)) ||
		    json_object_set_new(o, plain_keys[k], arr))
			goto fail;
	}
	arr = json_array();
	if (!arr || json_object_set_new(o, "revisions", arr))
		goto fail;
	for (size_t i = 0; i < r->nrevs; i++)
		if (json_array_append_new(arr, revision_json(&r->revs[i])))
			goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* ---- reading ---------------------------------------------------------- */

/* read_meta reads id, version and the times of a record of an export. */
static enum err_code read_meta(json_t *obj, struct record *r, const char *what,
			       struct err *e)
{
	static const char *const times[] = {"created_at", "updated_at",
					     "deleted_at"};
	int64_t *dst[] = {&r->created_at, &r->updated_at, &r->deleted_at};
	json_t *id = json_object_get(obj, "id"),
	       *ver = json_object_get(obj, "version");

	if (!json_is_integer(id) || json_integer_value(id) <= 0)
		return err_set(e, E_BAD_REQUEST, "id",
			       "%s without a positive integer id", what);
	r->id = json_integer_value(id);
	if (!json_is_integer(ver) || json_integer_value(ver) <= 0)
		return err_set(e, E_BAD_REQUEST, "version",
			       "%s %lld: version must be a positive integer",
			       what, (long long)r->id);
	r->version = json_integer_value(ver);
	for (int i = 0; i < 3; i++) {
		json_t *t = json_object_get(obj, times[i]);

		*dst[i] = 0;
		if (!t || (i == 2 && json_is_null(t)))
			continue;
		if (!json_is_string(t) ||
		    time_parse(json_string_value(t), dst[i]) < 0)
			return err_set(e, E_BAD_REQUEST, times[i],
				       "%s %lld: %s is not an RFC 3339 time",
				       what, (long long)r->id, times[i]);
	}
	if (!r->created_at || !r->updated_at)
		return err_set(e, E_BAD_REQUEST, "created_at",
			       "%s %lld: created_at and updated_at are needed",
			       what, (long long)r->id);
	return E_OK;
}

/* read_record reads one record of def with its meta and validates it;
 * errors say which record. */
static enum err_code read_record(struct arena *a, const struct record_def *def,
				 json_t *obj, struct record **out,
				 struct err *e)
{
	enum err_code rc;
	struct err inner;

	err_clear(&inner);
	/* internal fields (set by code, never by a form) are an export's
	 * too: integers, read apart from the rest (from a copy of obj
	 * without them, made only for a def that has them) */
	int internal = 0;
	for (size_t f = 0; f < def->nfields; f++)
		internal |= (def->fields[f].flags & F_INTERNAL) != 0;
	json_t *fields = internal ? json_copy(obj) : json_incref(obj);
	if (!fields)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	for (size_t f = 0; internal && f < def->nfields; f++)
		if (def->fields[f].flags & F_INTERNAL)
			json_object_del(fields, def->fields[f].name);
	rc = record_from_json(a, def, fields, out, &inner);
	json_decref(fields);
	for (size_t f = 0; rc == E_OK && internal && f < def->nfields; f++) {
		json_t *v = json_object_get(obj, def->fields[f].name);

		if (!(def->fields[f].flags & F_INTERNAL) || !v)
			continue;
		if (def->fields[f].type != FT_INT || !json_is_integer(v))
			rc = err_set(&inner, E_BAD_REQUEST,
				     def->fields[f].name,
				     "must be an integer");
		else
			record_set_int(*out, (int)f, json_integer_value(v));
	}
	if (rc == E_OK &&
	    (rc = read_meta(obj, *out, def->name, &inner)) == E_OK)
		rc = record_validate(*out, &inner);
	if (rc == E_OK)
		return E_OK;
	{
		json_t *id = json_object_get(obj, "id");
		return err_set(e, rc == E_INVALID ? E_INVALID : E_BAD_REQUEST,
			       inner.field, "%s %lld: %s%s%s", def->name,
			       json_is_integer(id)
				       ? (long long)json_integer_value(id)
				       : 0LL,
			       inner.field, inner.field[0] ? ": " : "",
			       inner.message);
	}
}

static enum err_code read_revision(struct arena *a, json_t *o,
				   struct export_revision *v, struct err *e)
{
	json_int_t id = 0, rid = 0, rv = 0;
	const char *kind = NULL, *action = NULL, *actor = NULL, *at = NULL;
	json_t *changes = NULL;
	json_error_t je;
	char *text;

	if (json_unpack_ex(o, &je, JSON_STRICT,
			   "{s:I, s:s, s:I, s:s, s:s, s:s, s:I, s:o}", "id",
			   &id, "record_kind", &kind, "record_id", &rid,
			   "action", &action, "actor", &actor, "at", &at,
			   "review_version", &rv, "changes", &changes) < 0)
		return err_set(e, E_BAD_REQUEST, "revisions",
			       "a revision: %s", je.text);
	if (!json_is_array(changes) || id <= 0 ||
	    time_parse(at, &v->at) < 0)
		return err_set(e, E_BAD_REQUEST, "revisions",
			       "revision %lld: bad id, time or changes",
			       (long long)id);
	text = json_dumps(changes, JSON_COMPACT);
	v->id = id;
	v->record_id = rid;
	v->review_version = rv;
	v->record_kind = arena_strdup(a, kind);
	v->action = arena_strdup(a, action);
	v->actor = arena_strdup(a, actor);
	v->changes = text ? arena_strdup(a, text) : NULL;
	free(text);
	if (!v->record_kind || !v->action || !v->actor || !v->changes)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	return E_OK;
}

enum err_code export_review_from_json(struct arena *a, json_t *obj,
				      struct export_review *out, struct err *e)
{
	json_t *fields = NULL, *revs;
	enum err_code rc;
	int64_t rid;

	memset(out, 0, sizeof *out);
	if (!json_is_object(obj))
		return err_set(e, E_BAD_REQUEST, NULL,
			       "a review must be a JSON object");
	/* the review's own fields: everything but its lists */
	if (!(fields = json_copy(obj)))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	json_object_del(fields, "revisions");
	for (int k = 0; k < CHILD_COUNT; k++)
		json_object_del(fields, child_defs[k]->segment);
	json_object_del(fields, transcript_def.segment);
	json_object_del(fields, ticket_def.segment);
	for (int k = 0; k < 3; k++)
		json_object_del(fields, plain_keys[k]);
	rc = read_record(a, &review_def, fields, &out->review, e);
	json_decref(fields);
	if (rc != E_OK)
		return rc;
	rid = out->review->id;
	for (int k = 0; k < CHILD_COUNT + 2; k++) {
		const struct record_def *def =
			k < CHILD_COUNT		 ? child_defs[k]
			: k == CHILD_COUNT ? &transcript_def
					   : &ticket_def;
		json_t *arr = json_object_get(obj, def->segment), *it;
		struct record_list *l = k < CHILD_COUNT	      ? &out->children[k]
					: k == CHILD_COUNT ? &out->transcripts
							   : &out->tickets;
		size_t i;

		if (!arr)
			continue;
		if (!json_is_array(arr))
			return err_set(e, E_BAD_REQUEST, def->segment,
				       "review %lld: %s must be a list",
				       (long long)rid, def->segment);
		l->items = arena_alloc(a, sizeof *l->items *
						  (json_array_size(arr) + 1));
		if (!l->items)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		json_array_foreach(arr, i, it)
		{
			struct err inner;

			err_clear(&inner);
			if ((rc = read_record(a, def, it,
					      &l->items[i], &inner)) != E_OK)
				return err_set(e, rc, inner.field,
					       "review %lld: %s",
					       (long long)rid, inner.message);
			l->items[i]->review_id = rid;
			l->n++;
		}
	}
	for (int k = 0; k < 3; k++) {
		json_t *arr = json_object_get(obj, plain_keys[k]);
		const char **dst = k == 0   ? &out->reads
				   : k == 1 ? &out->inbound_links
					    : &out->sources;
		char *text;

		if (!arr)
			continue;
		if (!json_is_array(arr))
			return err_set(e, E_BAD_REQUEST, plain_keys[k],
				       "review %lld: %s must be a list",
				       (long long)rid, plain_keys[k]);
		text = json_dumps(arr, JSON_COMPACT);
		*dst = text ? arena_strdup(a, text) : NULL;
		free(text);
		if (!*dst)
			return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	revs = json_object_get(obj, "revisions");
	if (revs && !json_is_array(revs))
		return err_set(e, E_BAD_REQUEST, "revisions",
			       "review %lld: revisions must be a list",
			       (long long)rid);
	if (json_array_size(revs)) {
		json_t *it;
		size_t i;

		out->revs = arena_alloc(a, sizeof *out->revs *
						   json_array_size(revs));
		if (!out->revs)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		json_array_foreach(revs, i, it)
		{
			struct err inner;

			err_clear(&inner);
			if ((rc = read_revision(a, it, &out->revs[i],
						&inner)) != E_OK)
				return err_set(e, rc, inner.field,
					       "review %lld: %s",
					       (long long)rid, inner.message);
			out->nrevs++;
		}
	}
	return E_OK;
}

/* ---- the whole export --------------------------------------------------- */

struct sink {
	int (*write)(const char *data, size_t len, void *arg);
	void *arg;
	int n;
	int failed;
};

static int sink_puts(struct sink *s, const char *text)
{
	if (!s->failed && s->write(text, strlen(text), s->arg) < 0)
		s->failed = 1;
	return s->failed ? -1 : 0;
}

static int sink_json(struct sink *s, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int rc;

	if (!text)
		return -1;
	rc = sink_puts(s, text);
	free(text);
	return rc;
}

static int put_review(const struct export_review *r, void *arg)
{
	struct sink *s = arg;
	json_t *o = export_review_json(r);
	int rc;

	if (!o)
		return -1;
	rc = sink_puts(s, s->n++ ? ",\n" : "\n");
	if (rc == 0)
		rc = sink_json(s, o);
	json_decref(o);
	return rc;
}

static enum err_code put_users(struct store *st, struct sink *s, struct err *e)
{
	struct arena *a = arena_new();
	struct store_user *u = NULL;
	size_t n = 0;
	enum err_code rc;

	if (!a)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	rc = store_user_list(st, a, &u, &n, e);
	for (size_t i = 0; rc == E_OK && i < n; i++) {
		json_t *groups = json_loads(u[i].groups, 0, NULL);
		json_t *o = json_pack(
			"{s:I, s:s, s:s, s:o, s:b, s:o, s:s}", "id",
			(json_int_t)u[i].id, "name", u[i].name, "role",
			role_name(u[i].role), "groups",
			groups ? groups : json_array(), "disabled",
			u[i].disabled, "created_at", time_json(u[i].created_at),
			"time_zone", u[i].time_zone ? u[i].time_zone : "");

		if (sink_puts(s, i ? ",\n" : "\n") < 0 || sink_json(s, o) < 0)
			rc = err_set(e, E_IO, NULL, "the export stopped");
		json_decref(o);
	}
	arena_free(a);
	return rc;
}

static enum err_code put_audit(struct store *st, struct sink *s, struct err *e)
{
	struct store_audit_filter f = {.limit = 1000};
	enum err_code rc = E_OK;
	int first = 1;

	for (;;) {
		struct arena *a = arena_new();
		struct store_audit *x = NULL;
		size_t n = 0;

		if (!a)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		rc = store_audit_query(st, a, &f, &x, &n, e);
		for (size_t i = 0; rc == E_OK && i < n; i++) {
			json_t *o = json_pack(
				"{s:I, s:o, s:s, s:s, s:s, s:s}", "id",
				(json_int_t)x[i].id, "at", time_json(x[i].at),
				"actor", x[i].actor, "action", x[i].action,
				"detail", x[i].detail ? x[i].detail : "",
				"address", x[i].address ? x[i].address : "");

			if (sink_puts(s, first ? "\n" : ",\n") < 0 ||
			    sink_json(s, o) < 0)
				rc = err_set(e, E_IO, NULL,
					     "the export stopped");
			first = 0;
			json_decref(o);
		}
		if (n)
			f.before = x[n - 1].id;
		arena_free(a);
		if (rc != E_OK || n < 1000)
			return rc;
	}
}

/* The records of a whole export outside reviews, users and audit, rows
 * as stored (store_export_table). */
static const char *const global_tables[3] = {"glossary_terms",
					     "facilitators", "drafts"};

static enum err_code put_tables(struct store *st, struct sink *s,
				struct err *e)
{
	enum err_code rc = E_OK;

	for (int k = 0; rc == E_OK && k < 3; k++) {
		struct arena *a = arena_new();
		const char *json = NULL;

		if (!a)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		rc = store_export_table(st, a, global_tables[k], &json, e);
		if (rc == E_OK &&
		    (sink_puts(s, ",\n\"") < 0 ||
		     sink_puts(s, global_tables[k]) < 0 ||
		     sink_puts(s, "\":") < 0 || sink_puts(s, json) < 0))
			rc = err_set(e, E_IO, NULL, "the export stopped");
		arena_free(a);
	}
	return rc;
}

enum err_code json_export(struct store *st, const struct json_export_opts *o,
			  int (*write)(const char *data, size_t len, void *arg),
			  void *arg, struct err *e)
{
	struct sink s = {write, arg, 0, 0};
	enum err_code rc;

	if (sink_puts(&s, "{\"debrief_export\":1,\"reviews\":[") < 0)
		return err_set(e, E_IO, NULL, "the export stopped");
	rc = store_export_reviews(st, o->viewer, o->only_id,
				  EXPORT_RECORDS |
					  (o->include_deleted ? EXPORT_DELETED
							      : 0),
				  put_review, &s, e);
	if (rc != E_OK)
		return rc;
	sink_puts(&s, "\n]");
	if (o->accounts) {
		sink_puts(&s, ",\"users\":[");
		if ((rc = put_users(st, &s, e)) != E_OK)
			return rc;
		sink_puts(&s, "\n],\"audit\":[");
		if ((rc = put_audit(st, &s, e)) != E_OK)
			return rc;
		sink_puts(&s, "\n]");
		if ((rc = put_tables(st, &s, e)) != E_OK)
			return rc;
	}
	if (sink_puts(&s, "}\n") < 0)
		return err_set(e, E_IO, NULL, "the export stopped");
	return E_OK;
}

static enum err_code read_users(struct arena *a, json_t *arr,
				struct import_batch *b, struct err *e)
{
	struct store_user *u;
	json_t *it;
	size_t i;

	if (!arr)
		return E_OK;
	if (!json_is_array(arr))
		return err_set(e, E_BAD_REQUEST, "users", "users must be a list");
	u = arena_alloc(a, sizeof *u * (json_array_size(arr) + 1));
	if (!u)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	json_array_foreach(arr, i, it)
	{
		json_int_t id = 0;
		const char *name = NULL, *role = NULL, *created = NULL,
			   *tz = NULL;
		json_t *groups = NULL;
		int disabled = 0;
		char *gtext;
		json_error_t je;

		if (json_unpack_ex(it, &je, JSON_STRICT,
				   "{s:I, s:s, s:s, s:o, s:b, s:s, s?s}", "id",
				   &id, "name", &name, "role", &role, "groups",
				   &groups, "disabled", &disabled, "created_at",
				   &created, "time_zone", &tz) < 0)
			return err_set(e, E_BAD_REQUEST, "users",
				       "user %zu: %s", i + 1, je.text);
		memset(&u[i], 0, sizeof u[i]);
		u[i].id = id;
		u[i].name = arena_strdup(a, name);
		u[i].role = role_parse(role);
		u[i].disabled = disabled;
		u[i].time_zone = arena_strdup(a, tz ? tz : "");
		gtext = json_is_array(groups) ? json_dumps(groups, JSON_COMPACT)
					      : NULL;
		u[i].groups = gtext ? arena_strdup(a, gtext) : NULL;
		free(gtext);
		if (id <= 0 || !*name || u[i].role == ROLE_NONE ||
		    !u[i].groups || time_parse(created, &u[i].created_at) < 0)
			return err_set(e, E_BAD_REQUEST, "users",
				       "user %s: bad id, role, groups or "
				       "created_at",
				       name);
	}
	b->users = u;
	b->nusers = json_array_size(arr);
	return E_OK;
}

static enum err_code read_audit(struct arena *a, json_t *arr,
				struct import_batch *b, struct err *e)
{
	struct store_audit *x;
	json_t *it;
	size_t i;

	if (!arr)
		return E_OK;
	if (!json_is_array(arr))
		return err_set(e, E_BAD_REQUEST, "audit", "audit must be a list");
	x = arena_alloc(a, sizeof *x * (json_array_size(arr) + 1));
	if (!x)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	json_array_foreach(arr, i, it)
	{
		json_int_t id = 0;
		const char *at = NULL;
		json_error_t je;

		memset(&x[i], 0, sizeof x[i]);
		if (json_unpack_ex(it, &je, JSON_STRICT,
				   "{s:I, s:s, s:s, s:s, s:s, s:s}", "id", &id,
				   "at", &at, "actor", &x[i].actor, "action",
				   &x[i].action, "detail", &x[i].detail,
				   "address", &x[i].address) < 0)
			return err_set(e, E_BAD_REQUEST, "audit",
				       "audit record %zu: %s", i + 1, je.text);
		x[i].id = id;
		if (id <= 0 || time_parse(at, &x[i].at) < 0)
			return err_set(e, E_BAD_REQUEST, "audit",
				       "audit record %lld: bad id or time",
				       (long long)id);
	}
	b->audit = x;
	b->naudit = json_array_size(arr);
	return E_OK;
}

/* The reader of an export, one review at a time: the top-level members
 * are read in order, each with load_value (which stops at the end of an
 * object or list); the reviews list is handed to store_import one review
 * a time, so memory does not grow with the number of reviews. */
struct jreader {
	FILE *fp;
	/* the window on the file: buf[pos..len) not read yet, buf[0] at
	 * file offset base; eof once fread gave nothing */
	char *buf;
	size_t cap, len, pos;
	long base;
	int eof;
	const char *path;
	struct arena *a;    /* the current review's memory */
	struct arena *keep; /* users and audit */
	struct import_batch *b;
	struct export_review r;
	size_t index;	    /* reviews read */
	int state;	    /* 0: before "reviews", 1: in it, 2: after */
	int members;	    /* top-level members read */
	int version_seen;
	json_t *users, *audit;
	json_t *tables[3]; /* global_tables' lists */
	long review_off;   /* where the current review begins */
	long member_off[5]; /* where users, audit, global_tables begin */
};

/* member_index is the slot of member_off for a top-level member (its
 * name is also the field of the errors about it), -1 for others. */
static int member_index(const char *name)
{
	static const char *const names[5] = {"users", "audit",
					     "glossary_terms", "facilitators",
					     "drafts"};

	for (int i = 0; name && i < 5; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

/* line_at counts the lines of the file up to byte off (for messages). */
static int line_at(FILE *fp, long off)
{
	long here = ftell(fp);
	int line = 1, c;

	if (fseek(fp, 0, SEEK_SET) != 0)
		return 0;
	for (long i = 0; i < off && (c = getc(fp)) != EOF; i++)
		line += c == '\n';
	fseek(fp, here, SEEK_SET);
	return line;
}

/* fill reads more of the file into the window (moving what is not read
 * yet to its start, growing it when that is all of it); 0 when nothing
 * more came (the end, or an error: then the parse fails as at the end). */
static int fill(struct jreader *j)
{
	size_t got;

	if (j->eof)
		return 0;
	if (j->pos > 0) {
		memmove(j->buf, j->buf + j->pos, j->len - j->pos);
		j->base += (long)j->pos;
		j->len -= j->pos;
		j->pos = 0;
	}
	if (j->len == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : JSON_READ_WINDOW;
		char *nb = cap > INT_MAX ? NULL : realloc(j->buf, cap);

		if (!nb) {
			j->eof = 1;
			return 0;
		}
		j->buf = nb;
		j->cap = cap;
	}
	got = fread(j->buf + j->len, 1, j->cap - j->len, j->fp);
	j->len += got;
	j->eof = got == 0;
	return got > 0;
}

static int jgetc(struct jreader *j)
{
	if (j->pos == j->len && !fill(j))
		return EOF;
	return (unsigned char)j->buf[j->pos++];
}

/* jtell is the file offset of the next byte to read. */
static long jtell(const struct jreader *j)
{
	return j->base + (long)j->pos;
}

static int next_char(struct jreader *j)
{
	int c;

	while ((c = jgetc(j)) == ' ' || c == '\n' || c == '\r' || c == '\t')
		;
	return c;
}

static enum err_code jfail(struct jreader *j, struct err *e, const char *what)
{
	return err_set(e, E_BAD_REQUEST, NULL, "%s:%d: %s", j->path,
		       line_at(j->fp, jtell(j)), what);
}

/* A JSON value as yajl's event parser gives it, built into a jansson
 * tree (what export_review_from_json reads): yajl reads a byte in a few
 * instructions where jansson's parser copies every byte of a string one
 * at a time, and it reads a value cut by the window's end on from the
 * next window. Checked as jansson's parser checks (the import took that
 * before): strings well-formed UTF-8 without NUL, no key twice in an
 * object, nesting at most JSON_DEPTH_MAX deep. */
#define JSON_DEPTH_MAX 2048

struct jbuild {
	json_t *root;	    /* owns the tree */
	json_t **open;	    /* the lists and objects not closed, borrowed */
	size_t depth, cap;
	char *key;	    /* the key of the innermost object's next value */
	size_t keylen, keycap;
	const char *problem; /* why a callback stopped the parse */
};

static int jb_fail(struct jbuild *b, const char *problem)
{
	b->problem = problem;
	return 0;
}

/* jb_add puts v (its reference taken) into the open list or object, or
 * makes it the value; an opening one is pushed. */
static int jb_add(struct jbuild *b, json_t *v, int opens)
{
	if (!v)
		return jb_fail(b, "out of memory");
	if (b->depth == 0) {
		b->root = v;
	} else {
		json_t *top = b->open[b->depth - 1];

		if (json_is_array(top)) {
			if (json_array_append_new(top, v))
				return jb_fail(b, "out of memory");
		} else if (json_object_getn(top, b->key, b->keylen)) {
			json_decref(v);
			return jb_fail(b, "duplicate object key");
		} else if (json_object_setn_new_nocheck(top, b->key, b->keylen,
							v)) {
			return jb_fail(b, "out of memory");
		}
	}
	if (!opens)
		return 1;
	if (b->depth == JSON_DEPTH_MAX)
		return jb_fail(b, "maximum parsing depth reached");
	if (b->depth == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		json_t **n = realloc(b->open, cap * sizeof *n);

		if (!n)
			return jb_fail(b, "out of memory");
		b->open = n;
		b->cap = cap;
	}
	b->open[b->depth++] = v;
	return 1;
}

/* jb_text checks a string or key as jansson's parser does. */
static int jb_text(struct jbuild *b, const unsigned char *s, size_t n)
{
	if (memchr(s, '\0', n))
		return jb_fail(b, "\\u0000 is not allowed");
	/* yajl checks the shape of UTF-8 only: an overlong form or a
	 * surrogate gets through */
	if (!utf8_valid((const char *)s, n, NULL))
		return jb_fail(b, "not UTF-8: a string is not valid UTF-8");
	return 1;
}

static int jb_null(void *ctx)
{
	return jb_add(ctx, json_null(), 0);
}

static int jb_bool(void *ctx, int v)
{
	return jb_add(ctx, json_boolean(v), 0);
}

static int jb_int(void *ctx, long long v)
{
	return jb_add(ctx, json_integer((json_int_t)v), 0);
}

static int jb_double(void *ctx, double v)
{
	return jb_add(ctx, json_real(v), 0);
}

static int jb_string(void *ctx, const unsigned char *s, size_t n)
{
	return jb_text(ctx, s, n) &&
	       jb_add(ctx, json_stringn_nocheck((const char *)s, n), 0);
}

static int jb_key(void *ctx, const unsigned char *s, size_t n)
{
	struct jbuild *b = ctx;

	if (!jb_text(b, s, n))
		return 0;
	if (n + 1 > b->keycap) {
		size_t cap = n + 64;
		char *k = realloc(b->key, cap);

		if (!k)
			return jb_fail(b, "out of memory");
		b->key = k;
		b->keycap = cap;
	}
	memcpy(b->key, s, n);
	b->key[n] = '\0';
	b->keylen = n;
	return 1;
}

static int jb_start_map(void *ctx)
{
	return jb_add(ctx, json_object(), 1);
}

static int jb_start_array(void *ctx)
{
	return jb_add(ctx, json_array(), 1);
}

static int jb_end(void *ctx)
{
	((struct jbuild *)ctx)->depth--;
	return 1;
}

static const yajl_callbacks jb_callbacks = {
	jb_null,      jb_bool, jb_int,	   jb_double,	   NULL,
	jb_string,    jb_start_map, jb_key, jb_end, jb_start_array,
	jb_end,
};

/* load_value reads one JSON value at the reader's position, through as
 * many windows as it spans; the position is then just after it. */
static json_t *load_value(struct jreader *j, struct err *e)
{
	struct jbuild b = {0};
	yajl_handle h = yajl_alloc(&jb_callbacks, NULL, &b);
	yajl_status st = yajl_status_ok;
	long at = 0;

	if (!h) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	/* stop at the value's end: what follows is the caller's */
	yajl_config(h, yajl_allow_trailing_garbage, 1);
	for (;;) {
		st = yajl_parse(h,
				(const unsigned char *)(j->buf ? j->buf + j->pos
							       : ""),
				j->len - j->pos);
		at = jtell(j) + (long)yajl_get_bytes_consumed(h);
		if (st != yajl_status_ok)
			break;
		j->pos += yajl_get_bytes_consumed(h);
		if (b.root && !b.depth)
			break;
		if (!fill(j)) {
			/* the file ends: a number there ends with it */
			st = yajl_complete_parse(h);
			at = jtell(j);
			break;
		}
	}
	if (st == yajl_status_ok && b.root && !b.depth) {
		yajl_free(h);
		free(b.open);
		free(b.key);
		return b.root;
	}
	if (b.problem) {
		err_set(e, E_BAD_REQUEST, NULL, "%s:%d: %s", j->path,
			line_at(j->fp, at), b.problem);
	} else {
		unsigned char *msg = yajl_get_error(h, 0, NULL, 0);
		char text[160];
		size_t n;

		snprintf(text, sizeof text, "%s",
			 msg ? (const char *)msg : "parse error");
		n = strlen(text);
		while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
			text[--n] = '\0';
		err_set(e, E_BAD_REQUEST, NULL, "%s:%d: %s%s", j->path,
			line_at(j->fp, at),
			strstr(text, "UTF8") ? "not UTF-8: " : "", text);
		if (msg)
			yajl_free_error(h, msg);
	}
	yajl_free(h);
	json_decref(b.root);
	free(b.open);
	free(b.key);
	return NULL;
}

/* members reads top-level members up to the reviews list (state 1) or
 * the end of the document (state 2 with nothing more). */
static enum err_code members(struct jreader *j, struct err *e)
{
	char key[64];

	for (;;) {
		int c = next_char(j);
		size_t k = 0;
		json_t *v;

		if (j->members == 0 && j->state == 0) {
			if (c != '{')
				return err_set(e, E_BAD_REQUEST, NULL,
					       "%s:1: not a debrief JSON export "
					       "(no \"debrief_export\" and "
					       "\"reviews\")",
					       j->path);
			c = next_char(j);
		}
		if (c == '}')
			return E_OK;
		if (c == ',')
			c = next_char(j);
		if (c != '"')
			return jfail(j, e, "expected a member name or '}'");
		while ((c = jgetc(j)) != '"' && c != EOF)
			if (k + 1 < sizeof key)
				key[k++] = (char)c;
		key[k] = '\0';
		if (next_char(j) != ':')
			return jfail(j, e, "expected ':'");
		j->members++;
		if (!strcmp(key, "reviews")) {
			if (!j->version_seen)
				return err_set(e, E_BAD_REQUEST, NULL,
					       "%s: not a debrief JSON export "
					       "(\"debrief_export\" must come "
					       "before \"reviews\")",
					       j->path);
			if (next_char(j) != '[')
				return jfail(j, e, "reviews must be a list");
			j->state = 1;
			return E_OK;
		}
		{
			int m = member_index(key);

			if (m >= 0)
				j->member_off[m] = jtell(j);
		}
		if (!(v = load_value(j, e)))
			return e->code;
		if (!strcmp(key, "debrief_export")) {
			if (!json_is_integer(v) ||
			    json_integer_value(v) != JSON_EXPORT_VERSION) {
				json_decref(v);
				return err_set(e, E_BAD_REQUEST, NULL,
					       "%s: export format %s; this "
					       "debrief reads %d",
					       j->path, "unknown",
					       JSON_EXPORT_VERSION);
			}
			j->version_seen = 1;
			json_decref(v);
		} else if (!strcmp(key, "users")) {
			json_decref(j->users);
			j->users = v;
		} else if (!strcmp(key, "audit")) {
			json_decref(j->audit);
			j->audit = v;
		} else if (!strcmp(key, global_tables[0]) ||
			   !strcmp(key, global_tables[1]) ||
			   !strcmp(key, global_tables[2])) {
			int k = !strcmp(key, global_tables[0])	 ? 0
				: !strcmp(key, global_tables[1]) ? 1
								 : 2;
			json_decref(j->tables[k]);
			j->tables[k] = v;
		} else {
			json_decref(v); /* a member of a newer export */
		}
	}
}

static int next_review(void *arg, struct export_review **out, struct err *e)
{
	struct jreader *j = arg;
	struct err inner;
	json_t *obj;
	int c;

	if (j->state == 0 && members(j, e) != E_OK)
		return -1;
	if (j->state == 0)
		return err_set(e, E_BAD_REQUEST, NULL,
			       "%s: not a debrief JSON export (no "
			       "\"debrief_export\" and \"reviews\")",
			       j->path),
		       -1;
	if (j->state == 1) {
		c = next_char(j);
		if (c == ',' && j->index > 0)
			c = next_char(j);
		if (c == ']') {
			j->state = 2;
		} else {
			if (c == EOF)
				return jfail(j, e, "the reviews list does not "
						   "end: the file is cut short"),
				       -1;
			j->pos--; /* c is the value's first byte */
			j->review_off = jtell(j);
			if (!(obj = load_value(j, e)))
				return -1;
			arena_free(j->a);
			if (!(j->a = arena_new())) {
				json_decref(obj);
				return err_set(e, E_NOMEM, NULL,
					       "out of memory"),
				       -1;
			}
			err_clear(&inner);
			if (export_review_from_json(j->a, obj, &j->r, &inner) !=
			    E_OK) {
				json_decref(obj);
				return err_set(e, inner.code, inner.field,
					       "%s:%d: reviews[%zu]: %s",
					       j->path,
					       line_at(j->fp, j->review_off),
					       j->index, inner.message),
				       -1;
			}
			json_decref(obj);
			j->index++;
			*out = &j->r;
			return 1;
		}
	}
	/* after the reviews: the rest of the members, then users, audit */
	if (members(j, e) != E_OK)
		return -1;
	err_clear(&inner);
	if (read_users(j->keep, j->users, j->b, &inner) != E_OK ||
	    read_audit(j->keep, j->audit, j->b, &inner) != E_OK)
		return err_set(e, inner.code, inner.field, "%s:%d: %s", j->path,
			       line_at(j->fp, member_index(inner.field) == 1
						      ? j->member_off[1]
						      : j->member_off[0]),
			       inner.message),
		       -1;
	for (int k = 0; k < 3; k++) {
		const char **dst = k == 0   ? &j->b->glossary_terms
				   : k == 1 ? &j->b->facilitators
					    : &j->b->drafts;
		char *text;

		if (!j->tables[k])
			continue;
		text = json_dumps(j->tables[k], JSON_COMPACT | JSON_ENCODE_ANY);
		*dst = text ? arena_strdup(j->keep, text) : NULL;
		free(text);
		if (!*dst)
			return err_set(e, E_NOMEM, NULL, "out of memory"), -1;
	}
	j->review_off = -1; /* errors now are not a review's */
	return 0;
}

enum err_code json_import(struct store *st, const char *path,
			  size_t *nreviews, struct err *e)
{
	struct import_batch b = {0};
	struct jreader j = {0};
	enum err_code rc;

	j.path = path;
	j.review_off = -1;
	j.b = &b;
	if (!(j.fp = fopen(path, "rb")))
		return err_set(e, E_IO, NULL, "%s: %s", path, strerror(errno));
	if (!(j.keep = arena_new())) {
		fclose(j.fp);
		return err_set(e, E_NOMEM, NULL, "out of memory");
	}
	b.next = next_review;
	b.next_arg = &j;
	rc = store_import(st, &b, e);
	if (rc == E_CONFLICT)
		err_set(e, E_CONFLICT, NULL,
			"the database is not empty (it has reviews, users or "
			"audit records); import into a new one");
	else if (rc != E_OK && strncmp(e->message, path, strlen(path)) != 0) {
		char msg[sizeof e->message];

		snprintf(msg, sizeof msg, "%s", e->message);
		if (j.review_off >= 0)
			err_set(e, rc, e->field, "%s:%d: reviews[%zu]: %s",
				path, line_at(j.fp, j.review_off),
				j.index ? j.index - 1 : 0, msg);
		else if (member_index(e->field) >= 0)
			err_set(e, rc, e->field, "%s:%d: %s", path,
				line_at(j.fp,
					j.member_off[member_index(e->field)]),
				msg);
		else
			err_set(e, rc, e->field, "%s: %s", path, msg);
	}
	if (rc == E_OK && nreviews)
		*nreviews = j.index;
	json_decref(j.users);
	json_decref(j.audit);
	for (int k = 0; k < 3; k++)
		json_decref(j.tables[k]);
	arena_free(j.a);
	arena_free(j.keep);
	free(j.buf);
	fclose(j.fp);
	return rc;
}
