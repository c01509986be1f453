/* comments.h: comments on the review page (comments.c). */
#ifndef DEBRIEF_WEB_COMMENTS_H
#define DEBRIEF_WEB_COMMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "model/review.h"
#include "util/arena.h"
#include "util/buf.h"

/* comments_render_section writes the "Comments" section: the threads on
 * the review and the form to start one. */
void comments_render_section(struct buf *b, struct arena *a,
			     const struct review_doc *doc);

/* comments_entry_link writes the link to the page that comments on
 * timeline entry tid. */
void comments_entry_link(struct buf *b, int64_t review_id, int64_t tid);

/* comments_render_entry writes the comments on timeline entry tid, if
 * any. */
void comments_render_entry(struct buf *b, struct arena *a,
			   const struct review_doc *doc, int64_t tid);

/* comments_render_thread writes the threads of comments on tid (0: the
 * review), each followed by its replies. */
void comments_render_thread(struct buf *b, struct arena *a,
			    const struct review_doc *doc, int64_t tid);

/* comments_count_on counts the live comments shown on tid (0: the
 * review's, with those whose entry was removed). */
size_t comments_count_on(const struct review_doc *doc, int64_t tid);

#endif
