/* sqlite_comment.c: the rules of a new comment that need the stored
 * review (store_comment_prepare, store.h), shared by the API and the
 * review page's forms. */
#include <string.h>

#include "store/store.h"

/* store_comment_prepare sets what the server says of a new comment (its
 * author, whether the review was published) and checks that what it
 * answers (parent_id) and what it is on (timeline_id) are live records of
 * the same review; a reply is on the entry its parent is on. */
enum err_code store_comment_prepare(struct store *st, struct arena *a,
				    const char *actor, int64_t review_id,
				    struct record *rec, struct err *e)
{
	struct review_doc doc;
	struct record *parent = NULL, *entry;
	int64_t pid = record_int(rec, COMMENT_PARENT_ID, 0);
	int64_t tid = record_int(rec, COMMENT_TIMELINE_ID, 0);
	const char *status;

	record_set_str(rec, COMMENT_AUTHOR, actor);
	if (pid) {
		if (store_child_get(st, a, CHILD_COMMENT,
				    review_id, pid, &parent, e) != E_OK)
			return err_set(e, E_INVALID, "parent_id",
				       "review %lld has no comment %lld to "
				       "answer",
				       (long long)review_id, (long long)pid);
		if (!tid)
			tid = record_int(parent, COMMENT_TIMELINE_ID, 0);
		if (tid != record_int(parent, COMMENT_TIMELINE_ID, 0))
			return err_set(e, E_INVALID, "timeline_id",
				       "a reply is on the timeline entry of "
				       "the comment it answers");
		if (tid)
			record_set_int(rec, COMMENT_TIMELINE_ID, tid);
	}
	if (tid && store_child_get(st, a, CHILD_TIMELINE,
				   review_id, tid, &entry, e) != E_OK)
		return err_set(e, E_INVALID, "timeline_id",
			       "review %lld has no timeline entry %lld",
			       (long long)review_id, (long long)tid);
	if (store_review_get(st, a, review_id, 0, &doc, e) != E_OK)
		return e->code;
	status = record_str(doc.review, REVIEW_STATUS);
	record_set_int(rec, COMMENT_AFTER_PUBLICATION,
		       status && !strcmp(status, "published"));
	return E_OK;
}

