/* access.h: which reviews the request's user sees, and whom it may
 * restrict a review to. Every API and web handler that reaches one review
 * goes through access_review_version or access_review_get, so a review the
 * user may not see answers exactly as a missing one (404), cached answers
 * included; lists and counts pass access_viewer to the store. */
#ifndef DEBRIEF_ACCESS_H
#define DEBRIEF_ACCESS_H

#include <stdint.h>

#include "http/http.h"
#include "model/review.h"
#include "store/store.h"

/* access_viewer fills v for req's user (session_current_user): admins,
 * the anonymous local admin included, see every review; others see what
 * their groups allow. */
void access_viewer(struct request *req, struct viewer *v);

/* access_review_version reads the version of live review id as req's user
 * sees it: E_NOT_FOUND (the store's message for a missing review) when it
 * is missing, deleted or not visible. The cheap read before every cache
 * lookup. */
enum err_code access_review_version(struct request *req, int64_t id,
				    int64_t *version, struct err *e);

/* access_review_head is store_review_head for req's user, as
 * access_review_get: the review's own record, no children. */
enum err_code access_review_head(struct request *req, int64_t id,
				 int include_deleted, struct record **out,
				 struct err *e);

/* access_review_get is store_review_get for req's user: a review it does
 * not see is E_NOT_FOUND with the message of a missing one (and *out is
 * cleared). Memory from req's arena. */
enum err_code access_review_get(struct request *req, int64_t id,
				int include_deleted, struct review_doc *out,
				struct err *e);

/* access_review_history loads review id for its history (the History page,
 * the revisions API): a live review req's user sees, or a deleted one
 * when req's user is an admin (who may restore it, and whom the history
 * explains the delete). To anyone else a deleted review is E_NOT_FOUND
 * with the message of a missing one, as on every other read path. Memory
 * from req's arena. */
enum err_code access_review_history(struct request *req, int64_t id,
				    struct review_doc *out, struct err *e);

/* access_launches_of lists, for "was this foreseen?", the live
 * operability reviews req's user sees that share a service with review r,
 * each once, newest first, at most ACCESS_LAUNCHES_MAX (none when r names
 * no service); with tags set, *tags is an array parallel to out->items of
 * each one's tags. From req's arena. Used by the page and the API alike
 * (web/foreseen.c, api/foreseen.c). */
#define ACCESS_LAUNCHES_MAX 20
enum err_code access_launches_of(struct request *req, const struct record *r,
				 struct record_list *out,
				 struct record_list **tags, struct err *e);

/* access_cache_key is what a page that spans reviews (the index) must add
 * to its cache key: "all" for those who see every review, else the sorted
 * list of the user's groups. From req's arena; NULL on oom. */
const char *access_cache_key(struct request *req);

/* access_check_restrict decides whether req's user may set restricted_to
 * as patch does (absent in patch: nothing to decide) on a review whose
 * stored value is in old (NULL when creating). Admins may name any group;
 * editors only groups they belong to, and never so that they would no
 * longer see the review. E_INVALID naming "restricted_to" otherwise.
 * Names that are not group names are left to record_validate. */
enum err_code access_check_restrict(struct request *req,
				    const struct record *old,
				    const struct record *patch, struct err *e);

/* access_audit_restrict writes the audit record "review.restrict" (review
 * id, old and new list) when patch changed restricted_to from old's (old
 * NULL: a new review, audited when restricted). */
void access_audit_restrict(struct request *req, int64_t id,
			   const struct record *old,
			   const struct record *patch);

#endif
