/* record_json.c: records to and from JSON, driven by the def tables. */
#include "model/record_json.h"

#include <stdio.h>
#include <string.h>

#include "util/timeutil.h"
#include "util/utf8.h"

static json_t *time_json(int64_t t)
{
	char tb[TIME_BUF];

	time_format(t, tb);
	return json_string(tb);
}

static json_t *value_json(const struct field_def *fd, const struct value *v)
{
	json_t *arr;

	if (v->state != V_SET)
		return fd->type == FT_LIST && (fd->flags & F_LIST_ALWAYS)
			       ? json_array()
			       : json_null();
	switch (fd->type) {
	case FT_INT:
		return json_integer(v->i);
	case FT_TIME:
		return time_json(v->i);
	case FT_BOOL:
		return json_boolean(v->i);
	case FT_LIST:
		arr = json_array();
		for (size_t k = 0; arr && k < v->nitems; k++)
			if (json_array_append_new(arr, json_string(v->items[k])))
				goto fail;
		return arr;
	default:
		return json_string(v->s ? v->s : "");
	}
fail:
	json_decref(arr);
	return NULL;
}

json_t *record_to_json(const struct record *r)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (json_object_set_new(o, "id", json_integer(r->id)) ||
	    json_object_set_new(o, "version", json_integer(r->version)))
		goto fail;
	for (size_t f = 0; f < r->def->nfields; f++) {
		json_t *v;

		if (!record_field_applies(r, (int)f))
			continue; /* another kind's field */
		v = value_json(&r->def->fields[f], &r->v[f]);
		if (!v || json_object_set_new(o, r->def->fields[f].name, v))
			goto fail;
	}
	if (r->created_at &&
	    json_object_set_new(o, "created_at", time_json(r->created_at)))
		goto fail;
	if (r->updated_at &&
	    json_object_set_new(o, "updated_at", time_json(r->updated_at)))
		goto fail;
	if (r->deleted_at &&
	    json_object_set_new(o, "deleted_at", time_json(r->deleted_at)))
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *duration_json(int64_t d)
{
	return d < 0 ? json_null() : json_integer(d);
}

json_t *review_doc_to_json(const struct review_doc *doc)
{
	struct review_durations d;
	json_t *o = record_to_json(doc->review), *arr, *dur;

	if (!o)
		return NULL;
	for (int k = 0; k < CHILD_COUNT; k++) {
		const struct record_list *l = &doc->children[k];
		if (!review_has_child(doc->review, k))
			continue; /* not a list this kind of review has */
		arr = json_array();
		if (!arr || json_object_set_new(o, child_defs[k]->segment, arr))
			goto fail;
		for (size_t i = 0; i < l->n; i++) {
			json_t *c = k == CHILD_TAG
					    ? json_string(record_str(l->items[i],
								     TAG_NAME))
					    : record_to_json(l->items[i]);
			if (!c || json_array_append_new(arr, c))
				goto fail;
		}
	}
	review_durations(doc->review, &d);
	dur = json_pack("{s:o, s:o, s:o}", "to_detect", duration_json(d.to_detect),
			"to_mitigate", duration_json(d.to_mitigate),
			"to_resolve", duration_json(d.to_resolve));
	if (!dur || json_object_set_new(o, "durations", dur))
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

static int is_meta_key(const char *key)
{
	static const char *const meta[] = {"id",	 "version",    "created_at",
					   "updated_at", "deleted_at", "durations",
					   "review_id",	 NULL};
	for (int i = 0; meta[i]; i++)
		if (!strcmp(meta[i], key))
			return 1;
	return 0;
}

static enum err_code wrong_type(struct err *e, const struct field_def *fd,
				const char *want)
{
	return err_set(e, E_BAD_REQUEST, fd->name, "%s must be %s", fd->name,
		       want);
}

/* read_value converts one JSON value into field f of r. */
static enum err_code read_value(struct arena *a, struct record *r, int f,
				json_t *j, struct err *e)
{
	const struct field_def *fd = &r->def->fields[f];
	const char *s;
	int64_t t;

	if (json_is_null(j)) {
		record_set_null(r, f);
		return E_OK;
	}
	switch (fd->type) {
	case FT_INT:
		if (!json_is_integer(j))
			return wrong_type(e, fd, "an integer");
		record_set_int(r, f, json_integer_value(j));
		return E_OK;
	case FT_BOOL:
		if (!json_is_boolean(j))
			return wrong_type(e, fd, "true or false");
		record_set_int(r, f, json_is_true(j));
		return E_OK;
	case FT_TIME:
		if (!json_is_string(j))
			return wrong_type(e, fd, "an RFC 3339 time string");
		s = json_string_value(j);
		if (!*s) {
			record_set_null(r, f);
			return E_OK;
		}
		if (time_parse(s, &t) < 0)
			return err_set(e, E_BAD_REQUEST, fd->name,
				       "%s must be an RFC 3339 time such as "
				       "2026-11-20T14:05:00Z",
				       fd->name);
		record_set_int(r, f, t);
		return E_OK;
	case FT_LIST: {
		size_t n = json_array_size(j), i;
		const char **items;
		json_t *it;

		if (!json_is_array(j))
			return wrong_type(e, fd, "a list of strings");
		items = arena_alloc(a, sizeof *items * (n ? n : 1));
		if (!items)
			return err_set(e, E_NOMEM, NULL, "out of memory");
		json_array_foreach(j, i, it)
		{
			if (!json_is_string(it))
				return wrong_type(e, fd, "a list of strings");
			items[i] = arena_strdup(a, json_string_value(it));
			if (!items[i])
				return err_set(e, E_NOMEM, NULL, "out of memory");
		}
		if (n)
			record_set_list(r, f, items, n);
		else
			record_set_null(r, f);
		return E_OK;
	}
	default:
		if (!json_is_string(j))
			return wrong_type(e, fd, "a string");
		s = json_string_value(j);
		if (!utf8_valid(s, json_string_length(j), NULL))
			return err_set(e, E_BAD_REQUEST, fd->name,
				       "%s is not valid UTF-8", fd->name);
		/* as from a form: blank text is null (markdown is kept as
		 * is otherwise), so "" changes nothing where there is none */
		return record_parse_value(a, r, f, s, e);
	}
}

enum err_code record_from_json(struct arena *a, const struct record_def *def,
			       json_t *obj, struct record **out, struct err *e)
{
	struct record *r;
	const char *key;
	json_t *val;
	enum err_code rc;

	if (!json_is_object(obj))
		return err_set(e, E_BAD_REQUEST, NULL,
			       "a %s must be a JSON object", def->name);
	r = record_new(a, def);
	if (!r)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	json_object_foreach(obj, key, val)
	{
		int f = record_field(def, key);

		if (f < 0) {
			if (is_meta_key(key))
				continue;
			return err_set(e, E_BAD_REQUEST, key,
				       "unknown field \"%s\" in a %s", key,
				       def->name);
		}
		if (def->fields[f].flags & F_INTERNAL)
			return err_set(e, E_BAD_REQUEST, key,
				       "field \"%s\" cannot be set", key);
		rc = read_value(a, r, f, val, e);
		if (rc)
			return rc;
	}
	*out = r;
	return E_OK;
}

/* read_children reads the array arr of child kind k into doc. */
static enum err_code read_children(struct arena *a, int k, json_t *arr,
				   struct review_doc *doc, struct err *e)
{
	const struct record_def *def = child_defs[k];
	struct record_list *l = &doc->children[k];
	size_t i, n = json_array_size(arr);
	json_t *it;
	enum err_code rc;

	if (!json_is_array(arr))
		return err_set(e, E_BAD_REQUEST, def->segment,
			       "%s must be a list", def->segment);
	l->items = arena_alloc(a, sizeof *l->items * (n ? n : 1));
	if (!l->items)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	json_array_foreach(arr, i, it)
	{
		struct record *c;

		if (k == CHILD_TAG && json_is_string(it)) {
			c = record_new(a, def);
			if (!c)
				return err_set(e, E_NOMEM, NULL, "out of memory");
			rc = record_parse_value(a, c, TAG_NAME,
						json_string_value(it), e);
		} else {
			rc = record_from_json(a, def, it, &c, e);
		}
		if (rc) {
			char field[2 * sizeof e->field + 32];
			size_t len;

			snprintf(field, sizeof field, "%s[%zu]%s%s", def->segment,
				 i, e->field[0] ? "." : "", e->field);
			len = strnlen(field, sizeof e->field - 1);
			memcpy(e->field, field, len);
			e->field[len] = '\0';
			return rc;
		}
		record_fill_defaults(a, c);
		l->items[l->n++] = c;
	}
	return E_OK;
}

enum err_code review_doc_from_json(struct arena *a, json_t *obj,
				   struct review_doc *doc, struct err *e)
{
	json_t *copy, *arr;
	enum err_code rc;

	memset(doc, 0, sizeof *doc);
	if (!json_is_object(obj))
		return err_set(e, E_BAD_REQUEST, NULL,
			       "a review must be a JSON object");
	copy = json_copy(obj);
	if (!copy)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	for (int k = 0; k < CHILD_COUNT; k++) {
		arr = json_object_get(copy, child_defs[k]->segment);
		if (!arr)
			continue;
		if (!json_is_null(arr)) {
			rc = read_children(a, k, arr, doc, e);
			if (rc)
				goto done;
		}
		json_object_del(copy, child_defs[k]->segment);
	}
	rc = record_from_json(a, &review_def, copy, &doc->review, e);
done:
	json_decref(copy);
	return rc;
}

int64_t json_version(json_t *obj, struct err *e)
{
	json_t *v = json_object_get(obj, "version");

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		err_set(e, E_BAD_REQUEST, "version",
			"version must be a positive integer");
		return -1;
	}
	return json_integer_value(v);
}
