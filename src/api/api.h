/* api.h: the JSON API handlers under /api/v1 (one file per resource). */
#ifndef DEBRIEF_API_H
#define DEBRIEF_API_H

#include "http/http.h"

/* reviews.c */
void api_reviews_list(struct request *req, struct response *res);   /* GET /api/v1/reviews */
void api_reviews_create(struct request *req, struct response *res); /* POST /api/v1/reviews */
void api_review_get(struct request *req, struct response *res);     /* GET /api/v1/reviews/{id} */
void api_review_patch(struct request *req, struct response *res);   /* PATCH /api/v1/reviews/{id} */
void api_review_delete(struct request *req, struct response *res);  /* DELETE /api/v1/reviews/{id} */
void api_review_restore(struct request *req, struct response *res); /* POST /api/v1/reviews/{id}/restore */

/* revisions.c */
void api_revisions_list(struct request *req, struct response *res); /* GET /api/v1/reviews/{id}/revisions */

/* children.c: timeline, followups, factors, people, links, tags; the kind
 * is route parameter 1 ({kind}), the child id parameter 2. */
void api_children_list(struct request *req, struct response *res);  /* GET /api/v1/reviews/{id}/{kind} */
void api_child_create(struct request *req, struct response *res);   /* POST /api/v1/reviews/{id}/{kind} */
void api_child_get(struct request *req, struct response *res);      /* GET /api/v1/reviews/{id}/{kind}/{child} */
void api_child_patch(struct request *req, struct response *res);    /* PATCH /api/v1/reviews/{id}/{kind}/{child} */
void api_child_delete(struct request *req, struct response *res);   /* DELETE /api/v1/reviews/{id}/{kind}/{child} */
void api_question_vote(struct request *req, struct response *res);  /* POST /api/v1/reviews/{id}/questions/{child}/votes */

/* meeting.c: the review's meeting (see meeting.c) */
void api_meeting_get(struct request *req, struct response *res);    /* GET /api/v1/reviews/{id}/meeting */
void api_meeting_put(struct request *req, struct response *res);    /* PUT /api/v1/reviews/{id}/meeting */
void api_meeting_delete(struct request *req, struct response *res); /* DELETE /api/v1/reviews/{id}/meeting: cancels */
void api_meeting_lag(struct request *req, struct response *res);    /* GET /api/v1/meetings/lag: monthly medians */
void api_meeting_send(struct request *req, struct response *res);   /* POST /api/v1/reviews/{id}/meeting/send: mail the invite */

/* facilitators.c: the facilitator roster */
void api_facilitators_list(struct request *req, struct response *res);   /* GET /api/v1/facilitators */
void api_facilitators_create(struct request *req, struct response *res); /* POST /api/v1/facilitators */
void api_facilitator_patch(struct request *req, struct response *res);   /* PATCH /api/v1/facilitators/{id} */
void api_facilitator_delete(struct request *req, struct response *res);  /* DELETE /api/v1/facilitators/{id} */
void api_meeting_facilitators(struct request *req, struct response *res); /* GET /api/v1/reviews/{id}/meeting/facilitators */

/* transcripts.c: the chat of a review (see transcripts.c) */
void api_transcripts_list(struct request *req, struct response *res);    /* GET /api/v1/reviews/{id}/transcripts */
void api_transcripts_upload(struct request *req, struct response *res);  /* POST /api/v1/reviews/{id}/transcripts */
void api_transcripts_promote(struct request *req, struct response *res); /* POST /api/v1/reviews/{id}/transcripts/promote */
void api_transcripts_slack(struct request *req, struct response *res);   /* POST /api/v1/reviews/{id}/transcripts/slack */

/* lint.c */
void api_lint(struct request *req, struct response *res);          /* POST /api/v1/lint */

/* meta.c */
void api_not_found(struct request *req, struct response *res);      /* any other /api/ path */
void api_health(struct request *req, struct response *res);         /* GET /api/v1/health */
void api_ready(struct request *req, struct response *res);          /* GET /api/v1/ready */
void api_metrics(struct request *req, struct response *res);        /* GET /metrics (Prometheus text) */

/* users.c: administering accounts (admins only; users are never deleted,
 * only disabled). The user's name is route parameter 0. */
void api_users_list(struct request *req, struct response *res);     /* GET /api/v1/users */
void api_users_create(struct request *req, struct response *res);   /* POST /api/v1/users */
void api_user_get(struct request *req, struct response *res);       /* GET /api/v1/users/{name} */
void api_user_patch(struct request *req, struct response *res);     /* PATCH /api/v1/users/{name} */
void api_user_signout(struct request *req, struct response *res);   /* DELETE /api/v1/users/{name}/sessions */
void api_user_tokens(struct request *req, struct response *res);    /* GET /api/v1/users/{name}/tokens */
void api_user_token_revoke(struct request *req, struct response *res); /* DELETE /api/v1/users/{name}/tokens/{id} */

/* audit.c */
void api_audit_list(struct request *req, struct response *res);     /* GET /api/v1/audit */
/* me.c: the asker and their own settings (the time zone) */
void api_me_get(struct request *req, struct response *res);         /* GET /api/v1/me */
void api_me_patch(struct request *req, struct response *res);       /* PATCH /api/v1/me */

/* drafts.c: a person's unsaved form */
void api_draft_put(struct request *req, struct response *res);    /* PUT /api/v1/reviews/{id}/draft, /api/v1/drafts/new */
void api_draft_get(struct request *req, struct response *res);    /* GET the same */
void api_draft_delete(struct request *req, struct response *res); /* DELETE the same */
/* tickets.c: follow-ups' tickets in Jira and GitHub */
void api_followup_ticket(struct request *req, struct response *res); /* POST /api/v1/reviews/{id}/followups/{fid}/ticket */
/* followups.c: open and lingering follow-ups across reviews */
void api_followups_list(struct request *req, struct response *res);   /* GET /api/v1/followups */
void api_followups_digest(struct request *req, struct response *res); /* GET /api/v1/followups/digest */
/* hooks.c: trackers' webhooks (signed with tracker.NAME.secret) */
void api_hook_jira(struct request *req, struct response *res);   /* POST /hooks/jira */
void api_hook_github(struct request *req, struct response *res); /* POST /hooks/github */
/* export.c: the JSON export, as the caller may see it */
void api_export_all(struct request *req, struct response *res);     /* GET /api/v1/export */
void api_review_export(struct request *req, struct response *res);  /* GET /api/v1/reviews/{id}/export */
void api_import_md(struct request *req, struct response *res);      /* POST /api/v1/import/md (admins) */
void api_import_json(struct request *req, struct response *res);    /* POST /api/v1/import/json (admins) */

/* learning across reviews (learning.c, issue 17) */
void api_search(struct request *req, struct response *res);          /* GET /api/v1/search */
void api_trend(struct request *req, struct response *res);           /* GET /api/v1/trends/{series} */
void api_on_this_day(struct request *req, struct response *res);     /* GET /api/v1/on-this-day */
void api_review_related(struct request *req, struct response *res);  /* GET /api/v1/reviews/{id}/related */
/* foreseen.c: the launches of a review's services and their contingency rows (issue 16) */
void api_review_foreseen(struct request *req, struct response *res); /* GET /api/v1/reviews/{id}/foreseen */
/* signals.c: signals that learning happens (issue 17) */
void api_review_reads(struct request *req, struct response *res);         /* GET /api/v1/reviews/{id}/reads */
void api_review_inbound_links(struct request *req, struct response *res); /* GET /api/v1/reviews/{id}/inbound-links */
void api_learning(struct request *req, struct response *res);             /* GET /api/v1/learning?by=month|team */
/* glossary.c: terms a rendered review links to their definitions */
void api_glossary_list(struct request *req, struct response *res);   /* GET /api/v1/glossary */
void api_glossary_create(struct request *req, struct response *res); /* POST /api/v1/glossary (editors) */
void api_glossary_patch(struct request *req, struct response *res);  /* PATCH /api/v1/glossary/{id} (editors) */
void api_glossary_delete(struct request *req, struct response *res); /* DELETE /api/v1/glossary/{id} (editors) */
/* comments.c: comments, a child kind readers may write too */
void api_comments_list(struct request *req, struct response *res);  /* GET /api/v1/reviews/{id}/comments */
void api_comment_create(struct request *req, struct response *res); /* POST the same */
void api_comment_get(struct request *req, struct response *res);    /* GET /api/v1/reviews/{id}/comments/{child} */
void api_comment_patch(struct request *req, struct response *res);  /* PATCH the same (its author) */
void api_comment_delete(struct request *req, struct response *res); /* DELETE the same (its author, admins) */

#endif
