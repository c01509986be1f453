/* morgue.c: `debrief import morgue FILE`: the SQL dump of Etsy's Morgue
 * (postmortems, tags, postmortem_referenced_tags, postmortem_history,
 * images, jira, irc, slack, forum_links) into reviews, one transaction.
 *
 * postmortems       -> reviews: title, summary, why_surprised (Why it was
 *                      surprising), tldr, starttime/detecttime/statustime/
 *                      endtime (Started/Detected/First status/Resolved),
 *                      severity, owner_team, problem_type, impact_type,
 *                      subsystem (a service), contact (a responder),
 *                      facilitator, incident_cause (a contributing factor),
 *                      meeting_notes_link (a link), created, modified,
 *                      deleted; status "published"
 * tags              -> tags (through postmortem_referenced_tags)
 * postmortem_history-> revisions (add: create, edit: update)
 * forum_links       -> links (forum-post); images -> links (other)
 * jira              -> follow-ups with the ticket key
 * irc, slack        -> channel names kept in "Other front matter" (debrief
 *                      has no transcripts yet), reported
 * Anything else that cannot be mapped is reported, never dropped quietly:
 * facilitator_email and gcal go to "Other front matter" too.
 * Each review remembers its postmortem ("morgue:ID", import_sources) and
 * what it was made from, so importing a dump again makes reviews of the
 * new postmortems only and brings the ones imported before up to date
 * with Morgue, keeping (and listing) what was edited in debrief since:
 * the rule is in morgue_update.c. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/cli_args.h"
#include "importers/data_cli.h"
#include "importers/morgue_update.h"
#include "importers/sqldump.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#define MORGUE_FILE_MAX (512L * 1024 * 1024)

static const char *const morgue_tables[] = {
	"postmortems", "tags",	"postmortem_referenced_tags",
	"postmortem_history", "images", "jira", "irc", "slack", "forum_links",
	NULL};

struct report {
	struct buf b;
	int n;
};

static void note(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct report *r, const char *fmt, ...)
{
	va_list ap;

	buf_puts(&r->b, "  ");
	va_start(ap, fmt);
	buf_vprintf(&r->b, fmt, ap);
	va_end(ap);
	buf_putc(&r->b, '\n');
	r->n++;
}

/* A row's column by name: NULL when the column is missing or NULL. */
static const char *col(const struct sql_table *t, const struct sql_row *row,
		       const char *name)
{
	int c = t ? sqldump_col(t, name) : -1;

	return c >= 0 && (size_t)c < row->n ? row->v[c].s : NULL;
}

static int64_t col_int(const struct sql_table *t, const struct sql_row *row,
		       const char *name)
{
	const char *s = col(t, row, name);

	return s ? strtoll(s, NULL, 10) : 0;
}

static int has_text(const char *s)
{
	return s && *s;
}

/* clip cuts s to at most max bytes on a UTF-8 boundary (a copy in a). */
static const char *clip(struct arena *a, const char *s, size_t max, int *cut)
{
	size_t n = strlen(s);

	*cut = 0;
	if (!max || n <= max)
		return s;
	n = max;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	*cut = 1;
	return arena_strndup(a, s, n);
}

/* set_text sets field f from Morgue text, cut to the field's limit. */
static void set_text(struct arena *a, struct record *r, int f, const char *s,
		     int64_t pm, struct report *rep)
{
	const struct field_def *fd = &r->def->fields[f];
	int cut;

	if (!has_text(s))
		return;
	s = clip(a, s, fd->max_len, &cut);
	if (cut)
		note(rep, "postmortem %lld: %s cut to %zu bytes",
		     (long long)pm, fd->name, fd->max_len);
	/* as typed into a form or the API: one-line text trimmed, blank
	 * text null, so that the review reads back the same from an export */
	record_parse_value(a, r, f, s, NULL);
}

struct child_lists {
	struct record_list l[CHILD_COUNT];
	size_t cap[CHILD_COUNT];
};

static int add_child(struct arena *a, struct child_lists *c, int k,
		     struct record *r)
{
	struct record_list *l = &c->l[k];

	if (l->n == c->cap[k]) {
		struct record **items;

		c->cap[k] = c->cap[k] ? c->cap[k] * 2 : 4;
		if (!(items = arena_alloc(a, sizeof *items * c->cap[k])))
			return -1;
		if (l->n)
			memcpy(items, l->items, sizeof *items * l->n);
		l->items = items;
	}
	l->items[l->n++] = r;
	return 0;
}

static struct record *child(struct arena *a, int k, const char *f0,
			    const char *f1, const char *f2)
{
	struct record *r = record_new(a, child_defs[k]);
	const char *v[3] = {f0, f1, f2};

	if (!r)
		return NULL;
	for (int i = 0; i < 3 && i < (int)child_defs[k]->nfields; i++)
		if (v[i])
			record_parse_value(a, r, i, v[i], NULL);
	record_fill_defaults(a, r);
	return r;
}

/* keep appends "key: JSON value" to the review's kept front matter. */
static void keep(struct buf *extra, const char *key, json_t *val)
{
	char *text = val ? json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	if (text) {
		buf_printf(extra, "%s%s: %s", extra->len ? "\n" : "", key, text);
		free(text);
	}
	json_decref(val);
}

struct morgue {
	struct arena *a;
	struct sql_dump d;
	struct sql_table *pm, *tags, *reftags, *hist, *images, *jira, *irc,
		*slack, *forum;
	struct report rep;
	int64_t now;
};

/* per_pm gathers the rows of t that belong to postmortem id (not
 * deleted), calling fn for each. */
static int per_pm(struct morgue *m, struct sql_table *t, int64_t id,
		  int (*fn)(struct morgue *m, struct sql_table *t,
			    struct sql_row *row, void *arg),
		  void *arg)
{
	if (!t)
		return 0;
	for (size_t i = 0; i < t->nrows; i++) {
		struct sql_row *row = &t->rows[i];

		if (col_int(t, row, "postmortem_id") != id ||
		    col_int(t, row, "deleted"))
			continue;
		if (fn(m, t, row, arg) < 0)
			return -1;
	}
	return 0;
}

struct pm_build {
	int64_t id;
	struct child_lists *c;
	json_t *irc, *slack;
	struct export_review *out;
	size_t nrevs, caprevs;
};

static const char *tag_title(struct morgue *m, int64_t tag_id)
{
	for (size_t i = 0; m->tags && i < m->tags->nrows; i++)
		if (col_int(m->tags, &m->tags->rows[i], "id") == tag_id)
			return col(m->tags, &m->tags->rows[i], "title");
	return NULL;
}

static int on_tag(struct morgue *m, struct sql_table *t, struct sql_row *row,
		  void *arg)
{
	struct pm_build *b = arg;
	int64_t tid = col_int(t, row, "tag_id");
	const char *title = tag_title(m, tid);
	struct record_list *l = &b->c->l[CHILD_TAG];
	struct record *r;
	struct err e;
	int cut;

	if (!has_text(title)) {
		note(&m->rep, "postmortem %lld: tag %lld is not in tags",
		     (long long)b->id, (long long)tid);
		return 0;
	}
	title = clip(m->a, title, 64, &cut);
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(record_str(l->items[i], TAG_NAME), title))
			return 0;
	if (!(r = child(m->a, CHILD_TAG, title, NULL, NULL)))
		return -1;
	if (record_validate(r, &e) != E_OK) {
		note(&m->rep, "postmortem %lld: tag \"%s\": %s",
		     (long long)b->id, title, e.message);
		return 0;
	}
	return add_child(m->a, b->c, CHILD_TAG, r);
}

static int add_link(struct morgue *m, struct pm_build *b, const char *url,
		    const char *kind, const char *comment, const char *what)
{
	struct record *r;

	if (!has_text(url))
		return 0;
	if (!record_url_is_safe(url)) {
		note(&m->rep, "postmortem %lld: %s \"%.80s\" is not an http(s) "
			      "address; left out",
		     (long long)b->id, what, url);
		return 0;
	}
	if (!(r = child(m->a, CHILD_LINK, url, kind, comment)))
		return -1;
	return add_child(m->a, b->c, CHILD_LINK, r);
}

static int on_forum(struct morgue *m, struct sql_table *t, struct sql_row *row,
		    void *arg)
{
	const char *c = col(t, row, "comment");

	return add_link(m, arg, col(t, row, "forum_link"), "forum-post",
			has_text(c) ? c : NULL, "forum link");
}

static int on_image(struct morgue *m, struct sql_table *t, struct sql_row *row,
		    void *arg)
{
	return add_link(m, arg, col(t, row, "image_link"), "other", "image",
			"image");
}

static int on_jira(struct morgue *m, struct sql_table *t, struct sql_row *row,
		   void *arg)
{
	struct pm_build *b = arg;
	const char *key = col(t, row, "ticket");
	char title[160];
	struct record *r;

	if (!has_text(key))
		return 0;
	snprintf(title, sizeof title, "Ticket %.*s (from Morgue)",
		 (int)utf8_cut(key, 100), key);
	if (!(r = child(m->a, CHILD_FOLLOWUP, arena_strdup(m->a, title), NULL,
			NULL)))
		return -1;
	record_parse_value(m->a, r, FU_TICKET, key, NULL);
	return add_child(m->a, b->c, CHILD_FOLLOWUP, r);
}

static int on_irc(struct morgue *m, struct sql_table *t, struct sql_row *row,
		  void *arg)
{
	struct pm_build *b = arg;
	const char *ch = col(t, row, "channel");

	if (has_text(ch))
		json_array_append_new(b->irc, json_string(ch));
	return 0;
}

static int on_slack(struct morgue *m, struct sql_table *t, struct sql_row *row,
		    void *arg)
{
	struct pm_build *b = arg;
	const char *ch = col(t, row, "channel_name");
	const char *msg = col(t, row, "message");

	if (has_text(ch))
		json_array_append_new(b->slack, json_string(ch));
	if (has_text(msg))
		note(&m->rep, "postmortem %lld: slack #%s: %zu bytes of "
			      "messages not imported (no transcripts yet)",
		     (long long)b->id, ch ? ch : "?", strlen(msg));
	return 0;
}

static int on_history(struct morgue *m, struct sql_table *t,
		      struct sql_row *row, void *arg)
{
	struct pm_build *b = arg;
	struct export_revision *v;
	const char *action = col(t, row, "action");
	json_t *changes = json_array();
	const char *sum = col(t, row, "summary"),
		   *why = col(t, row, "why_surprised");
	char *text;

	if (b->nrevs == b->caprevs) {
		struct export_revision *nv;

		b->caprevs = b->caprevs ? b->caprevs * 2 : 8;
		if (!(nv = arena_alloc(m->a, sizeof *nv * b->caprevs)))
			return -1;
		if (b->nrevs)
			memcpy(nv, b->out->revs, sizeof *nv * b->nrevs);
		b->out->revs = nv;
	}
	if (has_text(sum))
		json_array_append_new(changes,
				      json_pack("{s:s, s:s, s:s}", "field",
						"summary", "old", "", "new",
						sum));
	if (has_text(why))
		json_array_append_new(changes,
				      json_pack("{s:s, s:s, s:s}", "field",
						"surprising", "old", "", "new",
						why));
	text = json_dumps(changes, JSON_COMPACT);
	json_decref(changes);
	v = &b->out->revs[b->nrevs];
	memset(v, 0, sizeof *v);
	v->record_kind = "review";
	v->action = !action || !strcmp(action, "add")    ? "create"
		    : !strcmp(action, "edit")		 ? "update"
		    : !strcmp(action, "delete")		 ? "delete"
		    : !strcmp(action, "undelete")	 ? "restore"
							 : arena_strdup(m->a, action);
	v->actor = has_text(col(t, row, "auth_username"))
			   ? col(t, row, "auth_username")
			   : "morgue";
	v->at = col_int(t, row, "create_date");
	v->review_version = (int64_t)b->nrevs + 1;
	v->changes = text ? arena_strdup(m->a, text) : "[]";
	free(text);
	b->nrevs++;
	b->out->nrevs = b->nrevs;
	return 0;
}

/* times sets the review's times from Morgue's, leaving out (and
 * reporting) one that would break the model's order. */
static void times(struct morgue *m, struct record *r, const struct sql_row *row,
		  int64_t id)
{
	static const struct {
		const char *col;
		int field;
	} map[] = {
		{"starttime", REVIEW_STARTED_AT},
		{"detecttime", REVIEW_DETECTED_AT},
		{"statustime", REVIEW_FIRST_STATUS_AT},
		{"endtime", REVIEW_RESOLVED_AT},
	};
	struct err e;

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		int64_t t = col_int(m->pm, row, map[i].col);

		if (t > 0)
			record_set_int(r, map[i].field, t);
	}
	for (int tries = 0; tries < 4 && record_validate(r, &e) != E_OK;
	     tries++) {
		int f = record_field(&review_def, e.field);

		if (f < REVIEW_STARTED_AT || f > REVIEW_RESOLVED_AT)
			break;
		note(&m->rep, "postmortem %lld: %s left unset (%s)",
		     (long long)id, e.field, e.message);
		record_set_null(r, f);
	}
}

/* build makes one review of postmortem row. */
static int build(struct morgue *m, struct sql_row *row,
		 struct export_review *out)
{
	struct arena *a = m->a;
	struct child_lists *c = arena_alloc(a, sizeof *c);
	struct record *r = record_new(a, &review_def);
	struct pm_build b = {0};
	struct buf extra = BUF_INIT;
	int64_t id = col_int(m->pm, row, "id"), sev;
	const char *s;
	struct err e;
	int rc = -1;

	if (!c || !r)
		return -1;
	memset(c, 0, sizeof *c);
	memset(out, 0, sizeof *out);
	b.id = id;
	b.c = c;
	b.out = out;
	b.irc = json_array();
	b.slack = json_array();
	out->review = r;
	record_set_str(r, REVIEW_KIND, "incident");
	record_set_str(r, REVIEW_STATUS, "published");
	s = col(m->pm, row, "title");
	if (!has_text(s)) {
		char t[64];
		snprintf(t, sizeof t, "Morgue postmortem %lld", (long long)id);
		s = arena_strdup(a, t);
		note(&m->rep, "postmortem %lld: no title; called \"%s\"",
		     (long long)id, s);
	}
	set_text(a, r, REVIEW_TITLE, s, id, &m->rep);
	set_text(a, r, REVIEW_SUMMARY, col(m->pm, row, "summary"), id, &m->rep);
	set_text(a, r, REVIEW_SURPRISING, col(m->pm, row, "why_surprised"), id,
		 &m->rep);
	set_text(a, r, REVIEW_TLDR, col(m->pm, row, "tldr"), id, &m->rep);
	set_text(a, r, REVIEW_OWNER_TEAM, col(m->pm, row, "owner_team"), id,
		 &m->rep);
	set_text(a, r, REVIEW_PROBLEM_TYPE, col(m->pm, row, "problem_type"), id,
		 &m->rep);
	set_text(a, r, REVIEW_IMPACT_TYPE, col(m->pm, row, "impact_type"), id,
		 &m->rep);
	if (has_text(s = col(m->pm, row, "subsystem"))) {
		/* "query engine, triggers": one service each */
		char *copy = arena_strdup(a, s), *tok, *save = NULL;
		const char **items = arena_alloc(a, sizeof *items *
							    (strlen(s) / 2 + 2));
		size_t n = 0;
		int cut;

		for (tok = copy ? strtok_r(copy, ",", &save) : NULL;
		     items && tok; tok = strtok_r(NULL, ",", &save)) {
			size_t len;

			while (*tok == ' ')
				tok++;
			len = strlen(tok);
			while (len && tok[len - 1] == ' ')
				tok[--len] = '\0';
			if (len)
				items[n++] = clip(a, tok, 100, &cut);
		}
		if (n)
			record_set_list(r, REVIEW_SERVICES, items, n);
	}
	sev = col_int(m->pm, row, "severity");
	if (sev >= 1 && sev <= 5)
		record_set_int(r, REVIEW_SEVERITY, sev);
	else if (col(m->pm, row, "severity") && sev != 0)
		note(&m->rep, "postmortem %lld: severity %lld is not 1-5; left "
			      "unset",
		     (long long)id, (long long)sev);
	times(m, r, row, id);
	r->created_at = col_int(m->pm, row, "created");
	if (r->created_at <= 0)
		r->created_at = m->now;
	r->updated_at = col_int(m->pm, row, "modified");
	if (r->updated_at < r->created_at)
		r->updated_at = r->created_at;
	r->version = 1;
	if (col_int(m->pm, row, "deleted"))
		r->deleted_at = r->updated_at;
	/* people */
	if (has_text(s = col(m->pm, row, "facilitator")) &&
	    add_child(a, c, CHILD_PERSON,
		      child(a, CHILD_PERSON, s, "facilitator", NULL)) < 0)
		goto out;
	if (has_text(s = col(m->pm, row, "contact")) &&
	    add_child(a, c, CHILD_PERSON,
		      child(a, CHILD_PERSON, s, "responder", NULL)) < 0)
		goto out;
	if (has_text(s = col(m->pm, row, "incident_cause")) &&
	    add_child(a, c, CHILD_FACTOR,
		      child(a, CHILD_FACTOR, s, "trigger",
			    "Incident cause, as Morgue recorded it")) < 0)
		goto out;
	if (add_link(m, &b, col(m->pm, row, "meeting_notes_link"), "other",
		     "meeting notes", "meeting notes link") < 0 ||
	    per_pm(m, m->reftags, id, on_tag, &b) < 0 ||
	    per_pm(m, m->forum, id, on_forum, &b) < 0 ||
	    per_pm(m, m->images, id, on_image, &b) < 0 ||
	    per_pm(m, m->jira, id, on_jira, &b) < 0 ||
	    per_pm(m, m->irc, id, on_irc, &b) < 0 ||
	    per_pm(m, m->slack, id, on_slack, &b) < 0 ||
	    per_pm(m, m->hist, id, on_history, &b) < 0)
		goto out;
	/* what has no field: kept, and said */
	keep(&extra, "morgue_id", json_integer(id));
	{
		char src[40];

		snprintf(src, sizeof src, "morgue:%lld", (long long)id);
		out->source = arena_strdup(a, src);
	}
	if (has_text(s = col(m->pm, row, "facilitator_email")))
		keep(&extra, "facilitator_email", json_string(s));
	if (has_text(s = col(m->pm, row, "gcal"))) {
		keep(&extra, "gcal", json_string(s));
		note(&m->rep, "postmortem %lld: gcal (the meeting's calendar "
			      "event) kept as text",
		     (long long)id);
	}
	if (json_array_size(b.irc)) {
		note(&m->rep, "postmortem %lld: %zu IRC channel(s) kept as "
			      "names only (no transcripts yet)",
		     (long long)id, json_array_size(b.irc));
		keep(&extra, "irc_channels", json_incref(b.irc));
	}
	if (json_array_size(b.slack))
		keep(&extra, "slack_channels", json_incref(b.slack));
	if (extra.len)
		record_set_str(r, REVIEW_EXTRA,
			       arena_strdup(a, buf_cstr(&extra)));
	for (int k = 0; k < CHILD_COUNT; k++) {
		out->children[k] = c->l[k];
		for (size_t i = 0; i < c->l[k].n; i++) {
			struct record *ch = c->l[k].items[i];

			ch->version = 1;
			ch->created_at = r->created_at;
			ch->updated_at = r->updated_at;
			if (record_validate(ch, &e) != E_OK) {
				note(&m->rep, "postmortem %lld: a %s left out: "
					      "%s: %s",
				     (long long)id, child_defs[k]->name,
				     e.field, e.message);
				c->l[k].items[i--] = c->l[k].items[--c->l[k].n];
				out->children[k].n = c->l[k].n;
			}
		}
	}
	if (record_validate(r, &e) != E_OK) {
		note(&m->rep, "postmortem %lld: not imported: %s: %s",
		     (long long)id, e.field, e.message);
		rc = 1;
		goto out;
	}
	rc = 0;
out:
	json_decref(b.irc);
	json_decref(b.slack);
	buf_release(&extra);
	return rc;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long size;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    size <= MORGUE_FILE_MAX && fseek(f, 0, SEEK_SET) == 0 &&
	    (text = malloc((size_t)size + 1)) &&
	    fread(text, 1, (size_t)size, f) == (size_t)size) {
		text[size] = '\0';
		*len = (size_t)size;
	} else {
		fprintf(stderr, "%s: cannot read (or larger than 512 MiB)\n",
			path);
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* morgue_load reads the dump at path into reviews (memory from a);
 * prints the problem and returns -1 for a file that is not a whole Morgue
 * dump. */
static int morgue_load(struct morgue *m, const char *path,
		       struct export_review **out, size_t *n)
{
	struct err e;
	size_t len = 0;
	char *text = read_all(path, &len);

	if (!text)
		return -1;
	err_clear(&e);
	if (sqldump_parse(m->a, path, text, len, &m->d, &e) != E_OK) {
		fprintf(stderr, "%s\n", e.message);
		free(text);
		return -1;
	}
	free(text);
	m->pm = sqldump_table(&m->d, "postmortems");
	if (!m->pm || sqldump_col(m->pm, "title") < 0 ||
	    sqldump_col(m->pm, "id") < 0) {
		struct buf names = BUF_INIT;

		for (struct sql_table *t = m->d.tables; t; t = t->next)
			buf_printf(&names, "%s%s", names.len ? ", " : "",
				   t->name);
		fprintf(stderr,
			"%s:1: not a dump of Morgue's database: no postmortems "
			"table with id and title (tables: %s)\n",
			path, names.len ? buf_cstr(&names) : "none");
		buf_release(&names);
		return -1;
	}
	m->tags = sqldump_table(&m->d, "tags");
	m->reftags = sqldump_table(&m->d, "postmortem_referenced_tags");
	m->hist = sqldump_table(&m->d, "postmortem_history");
	m->images = sqldump_table(&m->d, "images");
	m->jira = sqldump_table(&m->d, "jira");
	m->irc = sqldump_table(&m->d, "irc");
	m->slack = sqldump_table(&m->d, "slack");
	m->forum = sqldump_table(&m->d, "forum_links");
	for (struct sql_table *t = m->d.tables; t; t = t->next) {
		int known = 0;

		for (int i = 0; morgue_tables[i]; i++)
			known |= !strcmp(morgue_tables[i], t->name);
		if (!known && t->nrows)
			note(&m->rep, "table %s: %zu row(s) not read (not part "
				      "of Morgue's schema)",
			     t->name, t->nrows);
	}
	for (size_t i = 0; i < m->pm->nrows; i++)
		for (size_t j = 0; j < i; j++)
			if (col_int(m->pm, &m->pm->rows[i], "id") ==
			    col_int(m->pm, &m->pm->rows[j], "id")) {
				fprintf(stderr,
					"%s:%d: postmortem %lld is given twice "
					"(first on line %d)\n",
					path, m->pm->rows[i].line,
					(long long)col_int(m->pm,
							   &m->pm->rows[i],
							   "id"),
					m->pm->rows[j].line);
				return -1;
			}
	*out = arena_alloc(m->a, sizeof **out * (m->pm->nrows + 1));
	if (!*out)
		return -1;
	*n = 0;
	for (size_t i = 0; i < m->pm->nrows; i++) {
		int rc = build(m, &m->pm->rows[i], &(*out)[*n]);

		if (rc < 0) {
			fprintf(stderr, "%s:%d: out of memory\n", path,
				m->pm->rows[i].line);
			return -1;
		}
		if (rc == 0)
			(*n)++;
	}
	return 0;
}

/* print_summary says what the import did: how many postmortems became
 * reviews now; of those imported before (by an earlier run: see
 * import_sources), which were updated from Morgue, which were unchanged,
 * and every value kept as debrief has it; and what could not be mapped. */
static void print_summary(struct morgue *m, const char *path,
			  const int64_t *known, size_t n,
			  struct buf *updates, size_t updated,
			  int conflicts)
{
	size_t before = 0;

	for (size_t i = 0; i < n; i++)
		before += known[i] != 0;
	printf("%s: %zu of %zu postmortems imported", path, n - before,
	       m->pm->nrows);
	if (before)
		printf("; %zu imported before: %zu updated from Morgue, %zu "
		       "unchanged",
		       before, updated, before - updated);
	if (conflicts)
		printf("; %d value%s changed in both kept as debrief has it",
		       conflicts, conflicts == 1 ? "" : "s");
	printf("\n%s", updates->len ? buf_cstr(updates) : "");
	if (m->rep.n && before == n)
		printf("not mapped: nothing new (the notes were printed when "
		       "these were first imported)\n");
	else if (m->rep.n)
		printf("not mapped (%d):\n%s", m->rep.n, buf_cstr(&m->rep.b));
}

/* update_known brings each review imported before up to date (see
 * morgue_update.c) and keeps what Morgue gave as the next base. Returns
 * -1 (printed) when a store error stopped it. */
static int update_known(struct store *st, struct morgue *m, const char *path,
			const struct export_review *reviews,
			const int64_t *known, size_t n, struct buf *out,
			size_t *updated, int *conflicts)
{
	for (size_t i = 0; i < n; i++) {
		const struct export_review *r = &reviews[i];
		const char *base = NULL;
		int64_t id = 0;
		enum morgue_outcome res;
		struct err e;

		if (!known[i])
			continue;
		err_clear(&e);
		if (store_import_source_get(st, m->a, r->source, &id, &base,
					    &e) != E_OK ||
		    (res = morgue_update(st, m->a, r, known[i], base, out,
					 conflicts, &e)) == MORGUE_FAILED ||
		    store_import_source_set(st, r->source, r->imported, &e) !=
			    E_OK) {
			fprintf(stderr, "%s: %s: not updated: %s\n", path,
				r->source, e.message);
			if (e.code != E_INVALID)
				return -1;
			(*conflicts)++;
			continue;
		}
		*updated += res == MORGUE_UPDATED;
	}
	return 0;
}

int import_morgue_main(int argc, char **argv)
{
	struct cli_args args;
	struct morgue m = {0};
	struct export_review *reviews = NULL;
	struct import_batch b = {.allow_existing = 1, .actor = "morgue"};
	struct store *st = NULL;
	struct err e;
	struct buf updates = BUF_INIT;
	size_t n = 0, updated = 0;
	int conflicts = 0;
	int rc = cli_args_parse("import morgue", argc, argv, 1, CLI_DB, &args);

	if (rc)
		return rc;
	if (args.npos != 1) {
		fprintf(stderr, "usage: debrief import morgue FILE [--db PATH]\n");
		return CLI_EXIT_USAGE;
	}
	if (!(m.a = arena_new()))
		return CLI_EXIT_BAD;
	m.now = time_now();
	if (morgue_load(&m, args.pos[0], &reviews, &n) < 0) {
		fprintf(stderr, "nothing imported\n");
		rc = CLI_EXIT_BAD;
		goto out;
	}
	if (cli_store_open(&args, &st) < 0) {
		rc = CLI_EXIT_BAD;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!(reviews[i].imported = morgue_snapshot(m.a, &reviews[i]))) {
			rc = CLI_EXIT_BAD;
			goto out;
		}
	b.reviews = reviews;
	b.nreviews = n;
	if (!(b.known = arena_alloc(m.a, sizeof *b.known * (n + 1)))) {
		rc = CLI_EXIT_BAD;
		goto out;
	}
	err_clear(&e);
	if (store_import(st, &b, &e) != E_OK) {
		fprintf(stderr, "%s: nothing imported: %s\n", args.pos[0],
			e.message);
		rc = CLI_EXIT_BAD;
		goto out;
	}
	if (update_known(st, &m, args.pos[0], reviews, b.known, n, &updates,
			 &updated, &conflicts) < 0) {
		rc = CLI_EXIT_BAD;
		goto out;
	}
	print_summary(&m, args.pos[0], b.known, n, &updates, updated,
		      conflicts);
	rc = 0;
out:
	buf_release(&updates);
	buf_release(&m.rep.b);
	if (st)
		store_close(st);
	arena_free(m.a);
	return rc;
}
