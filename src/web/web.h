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

/* coach_help.c: the language coach's guide (docs/lint.md), the "why" of
 * a finding */
void web_coach_help(struct request *req, struct response *res);        /* GET /coach, /coach/{category} */

/* transcript.c: the chat of a review */
void web_transcript_page(struct request *req, struct response *res);    /* GET /reviews/{id}/chat */
void web_transcript_upload(struct request *req, struct response *res);  /* POST /reviews/{id}/chat */
void web_transcript_promote(struct request *req, struct response *res); /* POST /reviews/{id}/chat/promote */

/* static.c: files under static/, compiled into the binary */
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

/* error.c */
void web_not_found(struct request *req, struct response *res);         /* the 404 page */
void web_error_page(struct request *req, struct response *res, int status,
		    const char *message);

#endif
