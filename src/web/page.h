/* page.h: what the page files of src/web share among themselves: the
 * layout, small renderers of review facts, the error answers, the page
 * cache and the static asset URLs. Not used outside src/web. */
#ifndef DEBRIEF_WEB_PAGE_H
#define DEBRIEF_WEB_PAGE_H

#include <stdint.h>

#include "http/http.h"
#include "model/review.h"
#include "util/tz.h"
#include "web/html.h"

/* layout.c */

/* Which entry of the top navigation is highlighted. */
enum nav_item {
	NAV_NONE,
	NAV_REVIEWS,
	NAV_NEW,
	NAV_DELETED,
	NAV_CALENDAR, /* review meetings (calendar.c) */
	NAV_FOLLOWUPS,
	NAV_SEARCH, /* learning across reviews (issue 17) */
	NAV_TRENDS,
	NAV_LEARNING,
	NAV_GLOSSARY
};

/* page_begin starts res as a 200 HTML page: doctype, head (title, CSS,
 * deferred app.js), the site header and navigation, and opens <main>. The
 * title is escaped here. Nothing written here depends on who is asking:
 * pages are cached and served to everyone, so the per-user parts (the CSRF
 * meta tag, who is signed in, editor-only links) are slot markers that
 * web_personalize fills for each answer. */
void page_begin(struct response *res, const char *title, enum nav_item nav);
/* Per-request parts of pages (personal.c). Pages are cached and shared by
 * everyone who may see them, so whatever depends on who is asking is
 * written as a slot marker and filled in for each response by
 * web_personalize (web.h), which the router runs on every HTML answer.
 * Markers begin with "<!--debrief:", which neither escaped user text nor
 * safe-mode markdown can produce. */
#define SLOT_CSRF	  "<!--debrief:csrf-->" /* the request's CSRF token */
#define SLOT_USER_NAV	  "<!--debrief:nav-->"  /* who is signed in, admin */
#define SLOT_EDITOR_BEGIN "<!--debrief:editor-->" /* kept for editors, */
#define SLOT_EDITOR_END	  "<!--debrief:/editor-->" /* dropped for readers */
#define SLOT_ADMIN_BEGIN  "<!--debrief:admin-->" /* kept for admins, */
#define SLOT_FLAG	  "<!--debrief:flag:" /* NAME-->: a feature flag's
					       * state now (review_kinds.h) */
#define SLOT_ADMIN_END	  "<!--debrief:/admin-->" /* dropped for others */
#define SLOT_ZONE	  "<!--debrief:zone-->" /* the reader's time zone */
/* A time's text (html_time, HTML_TIME_SLOT in html.h) is written in the
 * reader's zone: page_zone. */
/* page_zone is the zone req's person reads and types times in: their own
 * (settings.c), else the configuration's time_zone, else UTC. */
const struct tz *page_zone(struct request *req);
/* page_csrf_field writes the hidden input named "csrf" that every form
 * posting to this site carries (its value is SLOT_CSRF). */
void page_csrf_field(struct buf *b);
/* page_personal_tag is a short hash (8 hex digits, from req's arena) of
 * everything web_personalize fills in for req (user, role, how they signed
 * in, CSRF token): part of the ETag of a cached page, so that a 304 never
 * confirms one person's copy to another. */
const char *page_personal_tag(struct request *req);

/* page_end closes <main>, writes the footer and closes the document. When
 * the body ran out of memory it turns the response into a bare 500. */
void page_end(struct response *res);

/* page_choice_label writes an enum value such as "near-miss" as a label
 * for people ("Near miss"), escaped. */
void page_choice_label(struct buf *b, const char *value);
/* page_badge writes <span class="badge CLASS-VALUE">Label</span>. */
void page_badge(struct buf *b, const char *cls, const char *value);
/* page_severity writes the severity badge with the config's definition of
 * the level as its tooltip (title attribute); nothing when unset. */
void page_severity(struct buf *b, const struct config *cfg, int64_t sev);
/* page_list writes a list field's items as escaped, comma-separated text
 * (or chips when cls is not NULL). */
void page_list(struct buf *b, const struct value *v, const char *cls);
/* page_excerpt writes the start of text, escaped: whitespace collapsed,
 * cut between words (or between UTF-8 characters) within max bytes (at
 * most 511), only its first line when first_line, and "…" when anything
 * was left out. */
void page_excerpt(struct buf *b, const char *text, size_t max, int first_line);

/* permalink.c */

/* page_permalink writes a "#" link to anchor (an element id on this
 * page, without '#'), after which learning.js puts a copy-link button
 * (page_learning_script); label names the part for screen readers
 * ("Summary"). */
void page_permalink(struct buf *b, const char *anchor, const char *label);
/* page_learning_script loads static/learning.js, which makes the copy-link
 * buttons copy and fills a review's reads and inbound links. */
void page_learning_script(struct buf *b);

/* error.c */

/* page_fail answers with the page that fits e: the 404 page for
 * E_NOT_FOUND, else the error page with e's status and message (a generic
 * message for server-side failures, which are logged). */
void page_fail(struct request *req, struct response *res, const struct err *e);
/* page_form_fail answers a form post that saved nothing because of e
 * (invalid, a conflict, the review gone, the database away, a failure of
 * ours) with e's status, the reason ("<what> was not saved: ...", what as
 * "The comment") and everything typed in it (web_form_refused). */
void page_form_fail(struct request *req, struct response *res,
		    const char *what, const struct err *e);
/* page_fail_reason is what the person is told of e, for a form that
 * comes back whole with it: e's own message for what they can fix, else a
 * sentence for the review gone, the database away or a failure of ours
 * (logged here). Static or e's own memory. */
const char *page_fail_reason(struct request *req, const struct err *e);

/* history.c */

/* page_revision_def finds the record def of a revision's record kind
 * ("review", "timeline", ...); NULL when unknown. */
const struct record_def *page_revision_def(const char *record_kind);
/* page_revision_what writes what a revision did: "changed the review",
 * "added the <time>2026-01-01 14:20 UTC</time> entry “Paged the on-call…”",
 * "removed the follow-up “Add an alert…”": rows of lists by their time and
 * first words, from the revision's own changes or else from the row as it
 * is in doc (may be NULL); by id only when neither says. */
void page_revision_what(struct buf *b, const struct revision *rv,
			const struct review_doc *doc);

/* meeting.c */

/* page_meeting_card writes the review page's "Review meeting" card: the
 * meeting's facts and links (invite, run of show), or a prompt to
 * schedule one; editor links inside editor slots. */
void page_meeting_card(struct buf *b, const struct review_doc *doc);

/* calendar.c */

/* page_overdue_notice writes, when the asker sees overdue reviews
 * (resolved more than meeting_overdue_days ago, no meeting held), a notice
 * with how many and the most overdue few, for the index page. Depends on
 * the day: pages that cache it key it by the day too. */
void page_overdue_notice(struct request *req, struct buf *b);

/* static.c */

/* static_url returns "/static/NAME?v=HASH" for an embedded file (the hash
 * changes with its content, so it may be cached for a year), or
 * "/static/NAME" when there is no such file. The string lives forever. */
const char *static_url(const char *name);
/* static_tag returns a short hash of all embedded files, for ETags of pages
 * that link them. */
const char *static_tag(void);

/* request helpers (form.c) */

/* page_actor is who is making a change: the request's user. */
const char *page_actor(struct request *req);

/* learning across reviews (issue 17) */

/* Slots of the review page filled per answer by web_review_learning_fill
 * (review_learning.c): its related reviews, and after each contributing
 * factor SLOT_SEEN, the factor's id and "-->" ("seen in N other
 * reviews"). */
#define SLOT_RELATED "<!--debrief:related-->"
#define SLOT_SEEN    "<!--debrief:seen:"
/* web_review_learning_fill fills those slots of the review page in res
 * (review id at version) for req's user, from a fragment cached under the
 * store's generation (0: not cached), else from a stored list that is
 * fresh (store.h's rule; checked against the user's visibility when
 * computed before the last write), else computed. Without the slots it
 * does nothing; when it fails the page goes out without the notes. */
void web_review_learning_fill(struct request *req, struct response *res,
			      int64_t id, int64_t version, int64_t generation);
/* web_render_tag names what shapes a review page besides the review (this
 * build, the severity definitions of cfg), "" when unknown: the tag of its
 * stored renders (review.c). */
const char *web_render_tag(const struct config *cfg);
/* web_on_this_day_box writes the index's "On this day" (up to three
 * reviews of this day, UTC, in earlier years that req's user sees), or
 * nothing when there are none. */
void web_on_this_day_box(struct request *req, struct buf *b, int64_t now);

#endif
