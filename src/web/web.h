/* web.h: the HTML pages (one file per resource). Every page is written
 * through html.c's escaping writers. */
#ifndef DEBRIEF_WEB_H
#define DEBRIEF_WEB_H

#include "http/http.h"

/* index.c */
void web_index_page(struct request *req, struct response *res);        /* GET / */
void web_deleted_page(struct request *req, struct response *res);      /* GET /deleted (admins) */

/* review.c */
void web_review_page(struct request *req, struct response *res);       /* GET /reviews/{id} */
void web_review_history_page(struct request *req, struct response *res); /* GET /reviews/{id}/history */
void web_review_print(struct request *req, struct response *res);       /* GET /reviews/{id}/print */
void web_review_markdown(struct request *req, struct response *res);    /* GET /reviews/{id}/markdown */

/* review_form.c */
void web_review_new_page(struct request *req, struct response *res);   /* GET /reviews/new */
void web_review_create(struct request *req, struct response *res);     /* POST /reviews */
void web_review_edit_page(struct request *req, struct response *res);  /* GET /reviews/{id}/edit */
void web_review_save(struct request *req, struct response *res);       /* POST /reviews/{id}/edit */
void web_review_delete(struct request *req, struct response *res);     /* POST /reviews/{id}/delete */
void web_review_restore(struct request *req, struct response *res);    /* POST /reviews/{id}/restore */
void web_question_ask(struct request *req, struct response *res);  /* POST /reviews/{id}/questions */
void web_question_vote(struct request *req, struct response *res); /* POST /reviews/{id}/questions/{child}/vote */
void web_foreseen_page(struct request *req, struct response *res); /* GET /reviews/{id}/foreseen */
void web_foreseen_add(struct request *req, struct response *res);  /* POST /reviews/{id}/foreseen */
void web_preview(struct request *req, struct response *res);           /* POST /preview (preview.c) */
/* settings.c: a person's own settings (the time zone) */
void web_settings_page(struct request *req, struct response *res);     /* GET /settings */
void web_settings_save(struct request *req, struct response *res);     /* POST /settings */
/* timeline_entry.c: one timeline entry edited on its own */
void web_timeline_entry_page(struct request *req, struct response *res); /* GET /reviews/{id}/timeline/{child}/edit */
void web_timeline_entry_save(struct request *req, struct response *res); /* POST /reviews/{id}/timeline/{child}/edit */

/* coach_help.c: the language coach's guide (docs/lint.md), the "why" of
 * a finding */
void web_coach_help(struct request *req, struct response *res);        /* GET /coach, /coach/{category} */

/* transcript.c: the chat of a review */
void web_transcript_page(struct request *req, struct response *res);    /* GET /reviews/{id}/chat */
void web_transcript_upload(struct request *req, struct response *res);  /* POST /reviews/{id}/chat */
void web_transcript_promote(struct request *req, struct response *res); /* POST /reviews/{id}/chat/promote */
void web_transcript_slack(struct request *req, struct response *res);   /* POST /reviews/{id}/chat/slack */

/* meeting.c: the review meeting's invite */
void web_meeting_ics(struct request *req, struct response *res);        /* GET /reviews/{id}/meeting.ics */
void web_meeting_page(struct request *req, struct response *res);       /* GET /reviews/{id}/meeting */
void web_meeting_save(struct request *req, struct response *res);       /* POST /reviews/{id}/meeting (without JavaScript) */
void web_meeting_run(struct request *req, struct response *res);        /* GET /reviews/{id}/meeting/run (meeting_run.c) */
void web_meeting_notes(struct request *req, struct response *res);      /* GET /reviews/{id}/meeting/notes (meeting_run.c) */

/* calendar.c: meetings across reviews, the feed */
void web_calendar_page(struct request *req, struct response *res);      /* GET /calendar */
void web_calendar_token(struct request *req, struct response *res);     /* POST /calendar/token */
void web_calendar_feed(struct request *req, struct response *res);      /* GET /calendar.ics (token or session) */

/* facilitators.c: the roster; taking a meeting that asks for a facilitator */
void web_facilitators_page(struct request *req, struct response *res);  /* GET /facilitators */
void web_facilitators_add(struct request *req, struct response *res);   /* POST /facilitators */
void web_facilitator_available(struct request *req, struct response *res); /* POST /facilitators/{id}/available */
void web_meeting_take(struct request *req, struct response *res);       /* POST /reviews/{id}/meeting/take */
/* comments.c: comments on a review (readers may write; only the author
 * edits) */
void web_comment_new_page(struct request *req, struct response *res);  /* GET /reviews/{id}/comments/new?parent_id=&timeline_id= */
void web_comment_edit_page(struct request *req, struct response *res); /* GET /reviews/{id}/comments/{cid}/edit (its author) */
void web_comment_create(struct request *req, struct response *res);    /* POST /reviews/{id}/comments */
void web_comment_edit(struct request *req, struct response *res);      /* POST /reviews/{id}/comments/{cid}/edit */
void web_comment_delete(struct request *req, struct response *res);    /* POST /reviews/{id}/comments/{cid}/delete */

/* learning.c: signals that learning happens (issue 17) */
void web_learning_page(struct request *req, struct response *res);     /* GET /learning */
void web_most_read_page(struct request *req, struct response *res);    /* GET /?sort=reads (index.c) */

/* glossary.c: terms and definitions (editors change them) */
void web_glossary_page(struct request *req, struct response *res);     /* GET /glossary */
void web_glossary_create(struct request *req, struct response *res);   /* POST /glossary */
void web_glossary_edit(struct request *req, struct response *res);     /* POST /glossary/{id}/edit */
void web_glossary_delete(struct request *req, struct response *res);   /* POST /glossary/{id}/delete */

/* static.c: files under static/, compiled into the binary */
/* learning across reviews (issue 17) */
void web_search_page(struct request *req, struct response *res);       /* GET /search (search.c) */
void web_trends_page(struct request *req, struct response *res);       /* GET /trends (trends.c) */
void web_on_this_day_page(struct request *req, struct response *res);  /* GET /on-this-day (on_this_day.c) */

void web_static(struct request *req, struct response *res);            /* GET /static/{name} */

/* login.c: signing in and out */
void web_login_page(struct request *req, struct response *res);        /* GET /login */
void web_login(struct request *req, struct response *res);             /* POST /login */
void web_logout_page(struct request *req, struct response *res);       /* GET /logout */
void web_logout(struct request *req, struct response *res);            /* POST /logout */

/* personal.c */
/* web_personalize fills the slot markers (page.h) of an HTML answer for
 * the request's user: the CSRF token, the sign-in/out and admin links, and
 * editor-only blocks kept or dropped by role. Other answers are left as
 * they are. */
void web_personalize(struct request *req, struct response *res);

/* csrf_page.c */
/* web_csrf_failed answers a form post refused for its CSRF token (router):
 * a 403 page that says the form expired or came from another site, and
 * shows every non-empty field that was posted (passwords excepted), so
 * nothing is lost. */
void web_csrf_failed(struct request *req, struct response *res);

/* admin.c: administering users (admins only); the user's name is route
 * parameter 0 */
void web_admin_page(struct request *req, struct response *res);        /* GET /admin: to /admin/users */
void web_admin_users_page(struct request *req, struct response *res);  /* GET /admin/users */
void web_admin_user_create(struct request *req, struct response *res); /* POST /admin/users */
void web_admin_user_page(struct request *req, struct response *res);   /* GET /admin/users/{name} */
void web_admin_user_edit(struct request *req, struct response *res);   /* POST /admin/users/{name}/edit */
void web_admin_user_password(struct request *req, struct response *res); /* POST /admin/users/{name}/password */
void web_admin_user_disable(struct request *req, struct response *res); /* POST /admin/users/{name}/disable */
void web_admin_user_enable(struct request *req, struct response *res); /* POST /admin/users/{name}/enable */
void web_admin_user_signout(struct request *req, struct response *res); /* POST /admin/users/{name}/signout */
void web_admin_user_token_revoke(struct request *req, struct response *res); /* POST /admin/users/{name}/tokens/{id}/revoke */

/* admin_audit.c */
void web_admin_audit_page(struct request *req, struct response *res);  /* GET /admin/audit */

/* followups.c: open and lingering follow-ups across reviews */
void web_followups_page(struct request *req, struct response *res); /* GET /followups */
/* web_lingering_note writes the index's link to the lingering follow-ups
 * the asker sees (nothing when none linger). */
void web_lingering_note(struct request *req, struct buf *b);

/* ticket.c: a follow-up's ticket on the review page, and its form */
void web_followup_ticket(struct request *req, struct response *res); /* POST /reviews/{id}/followups/{fid}/ticket */
/* web_ticket_of finds the ticket of follow-up followup_id in tickets. */
const struct record *web_ticket_of(const struct record_list *tickets,
				   int64_t followup_id);
/* web_ticket_show writes ticket t of follow-up fu: key (a link), status,
 * assignee, last update, when it was read, a read error, and a warning
 * when the ticket is closed and the follow-up not done or the reverse. */
void web_ticket_show(struct buf *b, const struct record *fu,
		     const struct record *t);
/* web_ticket_form writes, for editors, the form that creates or links
 * fu's ticket in one of the configured trackers (nothing without one). */
void web_ticket_form(struct buf *b, const struct config *cfg,
		     int64_t review_id, const struct record *fu,
		     int has_ticket);

/* error.c */
void web_not_found(struct request *req, struct response *res);         /* the 404 page */
void web_error_page(struct request *req, struct response *res, int status,
		    const char *message);
/* csrf_page.c: web_form_refused answers a form post that saved nothing with
 * title and message, then every field typed in it (read-only, passwords
 * left out) and a link back to the form: nothing typed is lost. */
void web_form_refused(struct request *req, struct response *res, int status,
		      const char *title, const char *message);

#endif
