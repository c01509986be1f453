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

/* review_form.c */
void web_review_new_page(struct request *req, struct response *res);   /* GET /reviews/new */
void web_review_create(struct request *req, struct response *res);     /* POST /reviews */
void web_review_edit_page(struct request *req, struct response *res);  /* GET /reviews/{id}/edit */
void web_review_save(struct request *req, struct response *res);       /* POST /reviews/{id}/edit */
void web_review_delete(struct request *req, struct response *res);     /* POST /reviews/{id}/delete */
void web_review_restore(struct request *req, struct response *res);    /* POST /reviews/{id}/restore */

/* static.c: files under static/, compiled into the binary */
void web_static(struct request *req, struct response *res);            /* GET /static/{name} */

/* login.c: signing in and out */
void web_login_page(struct request *req, struct response *res);        /* GET /login */
void web_login(struct request *req, struct response *res);             /* POST /login */
void web_logout_page(struct request *req, struct response *res);       /* GET /logout */
void web_logout(struct request *req, struct response *res);            /* POST /logout */

/* error.c */
void web_not_found(struct request *req, struct response *res);         /* the 404 page */
void web_error_page(struct request *req, struct response *res, int status,
		    const char *message);

#endif
