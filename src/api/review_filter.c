/* review_filter.c: checks the list filters of GET /api/v1/reviews against
 * the model (the same choices a review accepts) before the store sees them. */
#include "api/review_filter_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model/review.h"
#include "util/timeutil.h"
#include "util/utf8.h"

/* FILTER_TEXT_MAX bounds tag and service; a search has its own limits
 * (REVIEW_SEARCH_MAX, shared with the index page). */
#define FILTER_TEXT_MAX 500

/* arg returns the argument, NULL when absent or empty. */
static const char *arg(struct request *req, const char *name)
{
	const char *v = req_query(req, name);

	return v && *v ? v : NULL;
}

/* search_arg reads q under the one rule of searches (model/review.h). */
static enum err_code search_arg(struct request *req, const char **out,
				struct err *e)
{
	*out = arg(req, "q");
	return *out ? review_search_check(*out, e) : E_OK;
}

static enum err_code text_arg(struct request *req, const char *name,
			      const char **out, struct err *e)
{
	const char *v = arg(req, name);

	*out = v;
	if (!v)
		return E_OK;
	if (!utf8_valid(v, strlen(v), NULL))
		return err_set(e, E_BAD_REQUEST, name, "%s is not valid UTF-8",
			       name);
	if (strlen(v) > FILTER_TEXT_MAX)
		return err_set(e, E_BAD_REQUEST, name,
			       "%s is too long (at most %d bytes)", name,
			       FILTER_TEXT_MAX);
	return E_OK;
}

/* choice_arg accepts only one of the choices of review field f. */
static enum err_code choice_arg(struct request *req, const char *name, int f,
				const char **out, struct err *e)
{
	const char *const *choices = review_def.fields[f].choices;
	const char *v = arg(req, name);

	*out = NULL;
	if (!v)
		return E_OK;
	for (int k = 0; choices[k]; k++) {
		if (!strcmp(choices[k], v)) {
			*out = choices[k];
			return E_OK;
		}
	}
	return err_set(e, E_BAD_REQUEST, name,
		       "%s must be one of the %s values "
		       "of a review (for example \"%s\")",
		       name, name, choices[0]);
}

/* int_arg reads a decimal integer in [min, max]; dflt when absent. */
static enum err_code int_arg(struct request *req, const char *name, long min,
			     long max, long dflt, long *out, struct err *e)
{
	const char *v = arg(req, name);
	char *end;
	long n;

	*out = dflt;
	if (!v)
		return E_OK;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*end || errno || end == v || n < min || n > max)
		return err_set(e, E_BAD_REQUEST, name,
			       "%s must be a whole number from %ld to %ld",
			       name, min, max);
	*out = n;
	return E_OK;
}

/* time_arg reads an RFC 3339 time or a date; a date used as an upper
 * bound means the end of that day. */
static enum err_code time_arg(struct request *req, const char *name, int upper,
			      int64_t *out, struct err *e)
{
	const char *v = arg(req, name);

	*out = 0;
	if (!v)
		return E_OK;
	if (strlen(v) == 10 && time_parse_date(v, out) == 0) {
		if (upper)
			*out += 86400 - 1;
		return E_OK;
	}
	if (time_parse(v, out) == 0)
		return E_OK;
	return err_set(e, E_BAD_REQUEST, name,
		       "%s must be a date (2026-11-20) or an RFC 3339 time "
		       "(2026-11-20T14:05:00Z)",
		       name);
}

static enum err_code bool_arg(struct request *req, const char *name, int *out,
			      struct err *e)
{
	const char *v = arg(req, name);

	*out = 0;
	if (!v || !strcmp(v, "0") || !strcmp(v, "false"))
		return E_OK;
	if (!strcmp(v, "1") || !strcmp(v, "true")) {
		*out = 1;
		return E_OK;
	}
	return err_set(e, E_BAD_REQUEST, name, "%s must be 1 or 0", name);
}

/* overdue_arg reads overdue=true: reviews resolved more than
 * meeting_overdue_days ago with no meeting held (model/meeting.h). */
static enum err_code overdue_arg(struct request *req, struct review_filter *f,
				 struct err *e)
{
	int on;
	enum err_code rc = bool_arg(req, "overdue", &on, e);

	if (rc || !on)
		return rc;
	f->overdue_now = time_now();
	f->overdue_before =
		f->overdue_now - req->app->cfg->meeting_overdue_days * 86400;
	return E_OK;
}

enum err_code api_review_filter(struct request *req, struct review_filter *f,
				struct err *e)
{
	long severity, limit, offset;
	const char *cursor;
	enum err_code rc;

	memset(f, 0, sizeof *f);
	if ((rc = choice_arg(req, "kind", REVIEW_KIND, &f->kind, e)) ||
	    (rc = choice_arg(req, "status", REVIEW_STATUS, &f->status, e)) ||
	    (rc = int_arg(req, "severity",
			  (long)review_def.fields[REVIEW_SEVERITY].min,
			  (long)review_def.fields[REVIEW_SEVERITY].max, 0,
			  &severity, e)) ||
	    (rc = text_arg(req, "tag", &f->tag, e)) ||
	    (rc = text_arg(req, "service", &f->service, e)) ||
	    (rc = search_arg(req, &f->q, e)) ||
	    (rc = time_arg(req, "from", 0, &f->from, e)) ||
	    (rc = time_arg(req, "to", 1, &f->to, e)) ||
	    (rc = bool_arg(req, "deleted", &f->deleted, e)) ||
	    (rc = int_arg(req, "limit", 1, API_LIST_MAX_LIMIT,
			  API_LIST_DEFAULT_LIMIT, &limit, e)) ||
	    (rc = int_arg(req, "offset", 0, 1000000000L, 0, &offset, e)))
		return rc;
	if ((rc = text_arg(req, "cursor", &cursor, e)))
		return rc;
	if ((rc = overdue_arg(req, f, e)))
		return rc;
	if (cursor && arg(req, "offset"))
		return err_set(e, E_BAD_REQUEST, "cursor",
			       "give cursor or offset, not both");
	if (cursor && store_review_cursor_parse(cursor, f, e) != E_OK)
		return e->code;
	if (f->from && f->to && f->to < f->from)
		return err_set(e, E_BAD_REQUEST, "to",
			       "to must not be before from");
	f->severity = (int)severity;
	f->limit = (int)limit;
	f->offset = (int)offset;
	return E_OK;
}

enum err_code api_transcript_filter(struct request *req,
				    struct transcript_filter *f, struct err *e)
{
	long limit, offset;
	enum err_code rc;

	memset(f, 0, sizeof *f);
	if ((rc = text_arg(req, "channel", &f->channel, e)) ||
	    (rc = search_arg(req, &f->q, e)) ||
	    (rc = time_arg(req, "since", 0, &f->since, e)) ||
	    (rc = time_arg(req, "until", 1, &f->until, e)) ||
	    (rc = int_arg(req, "limit", 1, TRANSCRIPT_LIST_MAX,
			  API_TRANSCRIPT_DEFAULT_LIMIT, &limit, e)) ||
	    (rc = int_arg(req, "offset", 0, 1000000000L, 0, &offset, e)))
		return rc;
	if (f->since && f->until && f->until < f->since)
		return err_set(e, E_BAD_REQUEST, "until",
			       "until must not be before since");
	f->limit = (int)limit;
	f->offset = (int)offset;
	return E_OK;
}

enum err_code api_followup_filter(struct request *req,
				  struct followup_filter *f, struct err *e)
{
	long limit, offset;
	enum err_code rc;

	memset(f, 0, sizeof *f);
	if ((rc = bool_arg(req, "lingering", &f->lingering, e)) ||
	    (rc = text_arg(req, "owner", &f->owner, e)) ||
	    (rc = text_arg(req, "team", &f->team, e)) ||
	    (rc = int_arg(req, "limit", 1, API_LIST_MAX_LIMIT,
			  API_LIST_DEFAULT_LIMIT, &limit, e)) ||
	    (rc = int_arg(req, "offset", 0, 1000000000L, 0, &offset, e)))
		return rc;
	f->limit = (int)limit;
	f->offset = (int)offset;
	return E_OK;
}

enum err_code api_search_query(struct request *req, struct search_query *sq,
			       struct err *e)
{
	long severity, limit, offset;
	const char *kind;
	enum err_code rc;

	memset(sq, 0, sizeof *sq);
	if ((rc = search_arg(req, &sq->q, e)) ||
	    (rc = choice_arg(req, "kind", REVIEW_KIND, &kind, e)) ||
	    (rc = int_arg(req, "severity",
			  (long)review_def.fields[REVIEW_SEVERITY].min,
			  (long)review_def.fields[REVIEW_SEVERITY].max, 0,
			  &severity, e)) ||
	    (rc = text_arg(req, "tag", &sq->tag, e)) ||
	    (rc = text_arg(req, "service", &sq->service, e)) ||
	    (rc = text_arg(req, "team", &sq->team, e)) ||
	    (rc = time_arg(req, "from", 0, &sq->from, e)) ||
	    (rc = time_arg(req, "to", 1, &sq->to, e)) ||
	    (rc = bool_arg(req, "open_followups", &sq->open_followups, e)) ||
	    (rc = int_arg(req, "limit", 1, SEARCH_MAX_LIMIT,
			  SEARCH_DEFAULT_LIMIT, &limit, e)) ||
	    (rc = int_arg(req, "offset", 0, 1000000000L, 0, &offset, e)))
		return rc;
	if (sq->from && sq->to && sq->to < sq->from)
		return err_set(e, E_BAD_REQUEST, "to",
			       "to must not be before from");
	sq->kind = kind;
	sq->severity = (int)severity;
	sq->limit = (int)limit;
	sq->offset = (int)offset;
	return E_OK;
}
