/* store.h: the one storage interface. Handlers call these functions and
 * never write SQL; sqlite.c implements them today, postgres.c later, and both
 * must pass tests/unit/test_store.c.
 *
 * Conventions for every function:
 * - returns E_OK or an error code, with details in e (may be NULL);
 * - records handed back are allocated from the arena a and live until it is
 *   freed; nothing returned needs freeing by itself;
 * - every write runs in one transaction and returns only after it committed
 *   (durable: synchronous=FULL); it records a revision (actor, time, the
 *   changed fields with old and new text) and bumps versions;
 * - expected_version: the version the caller last read; a different current
 *   version gives E_CONFLICT with e->current_version set and changes nothing;
 *   0 means "do not check";
 * - a review's version counts changes to the review and to every child, so
 *   it also serves as a cache key for its pages; each child has its own
 *   version too;
 * - deleted (soft) reviews and children are invisible unless asked for.
 * The store is safe to use from many threads at once. */
#ifndef DEBRIEF_STORE_H
#define DEBRIEF_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "model/record.h"
#include "model/review.h"
#include "util/arena.h"
#include "util/err.h"

struct store;

/* store_open opens (creating if needed) the database named by url: a file
 * path or "sqlite:PATH" (postgres:// later), and applies pending migrations.
 * *out is NULL on failure. */
enum err_code store_open(const char *url, struct store **out, struct err *e);
void store_close(struct store *st);

/* store_schema_version tells the newest migration applied. */
enum err_code store_schema_version(struct store *st, int *version,
				   struct err *e);

/* store_schema_newest is the newest schema version this program knows
 * (its newest migration). */
int store_schema_newest(void);

/* store_schema_pending looks at the database at url without changing it
 * (read-only; a missing file is an empty database) and calls fn with the
 * version and name of each migration store_open would apply, oldest
 * first. *current gets the database's schema version. E_STORE when the
 * database is newer than this program (store_open refuses it too) or
 * cannot be read. */
typedef void (*store_migration_fn)(int version, const char *name, void *ctx);
enum err_code store_schema_pending(const char *url, int *current,
				   store_migration_fn fn, void *ctx,
				   struct err *e);

struct review_filter {
	const char *kind;    /* NULL: any */
	int severity;        /* 0: any */
	const char *status;  /* NULL: any */
	const char *tag;     /* NULL: any */
	const char *service; /* NULL: any */
	const char *q;       /* NULL: any; words matched in title and text (FTS) */
	int64_t from, to;    /* started_at within [from, to]; 0: open end */
	int deleted;         /* 0: live only; 1: deleted only */
	const struct viewer *viewer; /* only reviews it sees (review_visible);
				      * NULL: every review (CLI, internal) */
	int limit;           /* 0: 50; at most 500 */
	int offset;
	/* keyset pagination: after set, the list starts after the review
	 * whose cursor (store_review_cursor) gave (after_key, after_id), and
	 * offset is ignored; reviews added meanwhile neither shift nor repeat
	 * the rest. Set by store_review_cursor_parse. */
	int after;
	int64_t after_key, after_id;
	/* overdue reviews (issue 15): with overdue_before set, only reviews
	 * resolved before it, not yet reviewed or published, with no meeting
	 * held by overdue_now (held: a live meeting, not cancelled, that
	 * started by then) */
	int64_t overdue_before, overdue_now;
	/* a search's total and counts (issue 21): with count_cap 0 they
	 * count every match; else they stop at offset + limit + count_cap
	 * matches, and *capped (when not NULL) is set to whether they did
	 * (the total then a lower bound). Only matches the viewer sees are
	 * counted either way. Without q the counts are kept, always exact. */
	int count_cap;
	int *capped;
	/* q's words (issue 21): on SQLite a word that begins at most this
	 * many terms of the search indexes is searched as those terms, which
	 * matches the same reviews as the prefix and is read lazily; 0: the
	 * store's choice (16), < 0: every word stays a prefix (tests) */
	int prefix_terms;
};

struct review_counts {
	int64_t total;
	int64_t by_kind[8];     /* index: position in the kind field's choices */
	int64_t by_status[8];   /* index: position in the status choices */
	int64_t by_severity[6]; /* [0]: unset, [1..5] */
	int64_t open_followups; /* follow-ups not done / wont-do, live reviews */
};

/* store_review_list returns the reviews that match f, newest first (by
 * started_at, then created_at, then id), review fields only (no children;
 * the long markdown sections, all but tldr, left NULL: a list shows none;
 * a tldr longer than STORE_LIST_TLDR_CHARS characters cut to them and
 * "…", so that a page's memory does not depend on what was written)
 * except that the tag list of each is filled into out_tags when it is not
 * NULL (parallel to out->items: a record_list of tags each). *total is
 * the number of matches without limit/offset/cursor (a search's stops at
 * f->count_cap more than the page's end, when set). A page costs about
 * the same at any depth and size; a search with count_cap set costs
 * about its page and the cap. A review purged between the read of the
 * page's ids and of their rows (PostgreSQL, where each read has its own
 * snapshot) is left out of the page. */
#define STORE_LIST_TLDR_CHARS 1000
enum err_code store_review_list(struct store *st, struct arena *a,
				const struct review_filter *f,
				struct record_list *out,
				struct record_list **out_tags, int64_t *total,
				struct err *e);

/* store_review_counts counts the reviews matching f (limit/offset and
 * the cursor ignored). */
enum err_code store_review_counts(struct store *st,
				  const struct review_filter *f,
				  struct review_counts *out, struct err *e);

/* store_review_list_counts is store_review_list (without its total) and
 * store_review_counts of f in one call (the index page): the same
 * answers, with a search's words looked up once for both. On SQLite the
 * two share one read transaction; on PostgreSQL each read has its own
 * snapshot. out and out_tags come from a; f->capped is set by the counts;
 * on failure every output is left empty. */
enum err_code store_review_list_counts(struct store *st, struct arena *a,
				       const struct review_filter *f,
				       struct record_list *out,
				       struct record_list **out_tags,
				       struct review_counts *counts,
				       struct err *e);

/* store_review_get loads a review with all its live children, sorted (see
 * review_sort_children). include_deleted: also find a soft-deleted review. */
enum err_code store_review_get(struct store *st, struct arena *a, int64_t id,
			       int include_deleted, struct review_doc *out,
			       struct err *e);

/* store_review_head loads review id's own record, without its children
 * (one statement): what a handler needs to check access before a write.
 * E_NOT_FOUND when missing, or deleted and not include_deleted. Memory
 * from a. */
enum err_code store_review_head(struct store *st, struct arena *a, int64_t id,
				int include_deleted, struct record **out,
				struct err *e);

/* store_review_version reads only the version (cheap; for caches). A
 * deleted or missing review is E_NOT_FOUND. */
enum err_code store_review_version(struct store *st, int64_t id,
				   int64_t *version, struct err *e);

/* store_review_version_for is store_review_version for a viewer: a review
 * the viewer does not see (review_visible) is E_NOT_FOUND with the very
 * message of a missing one. NULL viewer: everyone. Handlers read versions
 * through this (http/access.h), never through store_review_version. */
enum err_code store_review_version_for(struct store *st, int64_t id,
				       const struct viewer *viewer,
				       int64_t *version, struct err *e);

/* store_read_begin makes the calling thread's store calls, until its
 * store_read_end, share one connection and (SQLite) one read transaction:
 * one snapshot, and no lock taken and given back per call (issue 21: a
 * review page served from its stored render made six or seven). A write
 * of the thread ends the snapshot, so that its reads after it see it.
 * For a request's reads; hold it no longer than one request. Nests (the
 * outermost end ends it); a failure only leaves the calls as they were. */
void store_read_begin(struct store *st);
void store_read_end(struct store *st);

/* store_statements_prepared is how many SQL statements the store's open
 * connections have prepared so far (each connection keeps its own
 * prepared, conn_stmt): a repeated read prepares none. Not those SQLite
 * prepares inside itself (FTS5's). For tests; cheap, no error. */
long store_statements_prepared(struct store *st);

/* store_generation reads a number that grows with every committed change to
 * any review or child, deletes and restores included (cheap; the cache key
 * of pages that span reviews, such as the index and its counts). */
enum err_code store_generation(struct store *st, int64_t *generation,
			       struct err *e);

/* store_review_create stores doc->review (defaults filled, validated by the
 * caller) and any children in doc. Sets *id. */
enum err_code store_review_create(struct store *st, struct arena *a,
				  const char *actor, const struct review_doc *doc,
				  int64_t *id, struct err *e);

/* store_review_update applies the non-absent fields of patch to review id
 * inside the transaction, validates the result (record_validate: E_INVALID)
 * and stores it. *new_version may be NULL. */
enum err_code store_review_update(struct store *st, struct arena *a,
				  const char *actor, int64_t id,
				  int64_t expected_version,
				  const struct record *patch,
				  int64_t *new_version, struct err *e);

/* store_review_save replaces a whole review as the edit page submits it:
 * review fields from doc->review (a patch), and for each child kind the
 * full list in doc->children: items with an id update that child (a
 * patch), items with id 0 are created, live children missing from the list
 * are deleted. One transaction, one version bump, revisions for each
 * change; validation errors name the child ("timeline[2].at"). */
enum err_code store_review_save(struct store *st, struct arena *a,
				const char *actor, int64_t id,
				int64_t expected_version,
				const struct review_doc *doc,
				int64_t *new_version, struct err *e);

enum err_code store_review_delete(struct store *st, struct arena *a,
				  const char *actor, int64_t id,
				  int64_t expected_version, struct err *e);
enum err_code store_review_restore(struct store *st, struct arena *a,
				   const char *actor, int64_t id,
				   struct err *e);

/* Children of one kind. review_version is the review's version the caller
 * holds (0: do not check); child writes check the child's own version
 * (expected_version, 0: do not check). *new_review_version may be NULL. */
enum err_code store_child_list(struct store *st, struct arena *a,
			       enum child_kind kind, int64_t review_id,
			       struct record_list *out, struct err *e);
enum err_code store_child_get(struct store *st, struct arena *a,
			      enum child_kind kind, int64_t review_id,
			      int64_t child_id, struct record **out,
			      struct err *e);
enum err_code store_child_create(struct store *st, struct arena *a,
				 const char *actor, enum child_kind kind,
				 int64_t review_id, struct record *rec,
				 int64_t *child_id, int64_t *new_review_version,
				 struct err *e);
enum err_code store_child_update(struct store *st, struct arena *a,
				 const char *actor, enum child_kind kind,
				 int64_t review_id, int64_t child_id,
				 int64_t expected_version,
				 const struct record *patch,
				 struct record **updated,
				 int64_t *new_review_version, struct err *e);
enum err_code store_child_delete(struct store *st, struct arena *a,
				 const char *actor, enum child_kind kind,
				 int64_t review_id, int64_t child_id,
				 int64_t expected_version,
				 int64_t *new_review_version, struct err *e);

/* ---- meetings across reviews (sqlite_meeting.c) -------------------- */

/* One meeting on the calendar, with its review's title. */
struct meeting_row {
	const struct record *meeting; /* meeting_def; review_id set */
	int64_t review_id;
	const char *review_title;
};

/* store_meeting_list lists the live meetings of live reviews that viewer
 * sees (NULL: every review) and that overlap [from, to) (end after from,
 * start before to), cancelled ones included, by start; at most max
 * (0 or more than 1000: 1000). Memory from a. */
enum err_code store_meeting_list(struct store *st, struct arena *a,
				 int64_t from, int64_t to,
				 const struct viewer *viewer, size_t max,
				 struct meeting_row **out, size_t *n,
				 struct err *e);

/* One overdue review: resolved before the deadline, not reviewed or
 * published, no meeting held. */
struct overdue_row {
	int64_t id;
	const char *title;
	int64_t resolved_at;
};

/* store_overdue_first lists at most max (1..500) of the overdue reviews
 * viewer sees (the rule of review_filter's overdue_before), the longest
 * overdue first; *more is set when there are others. It walks the open
 * reviews' resolutions from the oldest (migration 042's reviews_overdue,
 * no reviewed or published review in it) with each one's groups from
 * reviews_by_id, and stops at max + 1: it passes only open reviews
 * resolved before the deadline with a meeting held or hidden from the
 * viewer (nothing when none is open, from review_counts). Only the first
 * titled rows read their title (the review's row: a page of the table
 * each); the others' title is NULL (the index's notice names 3 of up to
 * 99: issue 21). One read transaction. Memory from a. */
enum err_code store_overdue_first(struct store *st, struct arena *a,
				  const struct viewer *viewer,
				  int64_t before, int64_t now, size_t max,
				  size_t titled, struct overdue_row **out,
				  size_t *n, int *more, struct err *e);

/* store_meeting_lags lists, for the held meetings (live, not cancelled,
 * started by now) of resolved live reviews viewer sees, the review's
 * resolved_at and the meeting's start, by resolved_at. Memory from a. */
enum err_code store_meeting_lags(struct store *st, struct arena *a,
				 const struct viewer *viewer, int64_t now,
				 int64_t **resolved, int64_t **met, size_t *n,
				 struct err *e);

/* ---- the facilitator roster (sqlite_facilitator.c) ------------------ */

struct facilitator; /* model/facilitator.h */

/* store_facilitator_list returns the live roster by name (at most 2000),
 * each with the held meetings (not cancelled, started by now, of live
 * reviews viewer sees; NULL: all) it facilitated and the start of the
 * last. Memory from a. */
enum err_code store_facilitator_list(struct store *st, struct arena *a,
				     int64_t now, const struct viewer *viewer,
				     struct facilitator **out, size_t *n,
				     struct err *e);

/* store_facilitator_write creates (id 0: patch is the new entry,
 * defaults filled and validated here), changes (the non-absent fields of
 * patch) or, with remove, soft-deletes entry id, checking
 * expected_version (0: do not) in one transaction: E_CONFLICT when stale,
 * E_NOT_FOUND naming "id", E_INVALID naming "name" when another live entry
 * has the name (ignoring case). *out is the entry as stored. */
enum err_code store_facilitator_write(struct store *st, struct arena *a,
				      int64_t id, int64_t expected,
				      const struct record *patch, int remove,
				      struct record **out, struct err *e);

/* store_feed_token_set keeps hash (auth_hash_secret of the token) as
 * user's one calendar feed token, replacing an older one. */
enum err_code store_feed_token_set(struct store *st, const char *user,
				   const char *hash, int64_t now,
				   struct err *e);
/* store_feed_token_find names the user of a feed token's hash;
 * E_NOT_FOUND naming "token" when none has it. */
enum err_code store_feed_token_find(struct store *st, struct arena *a,
				    const char *hash, const char **user,
				    struct err *e);
/* Tickets: a follow-up's ticket in an issue tracker (model/ticket.h), as
 * last read. Only live tickets of live follow-ups of live reviews are
 * seen. A ticket's reads (store_ticket_save_state) are no revisions; a
 * link is, as a change of the follow-up's "ticket" field.
 *
 * store_ticket_list: the tickets of review_id's follow-ups, by id. */
enum err_code store_ticket_list(struct store *st, struct arena *a,
				int64_t review_id, struct record_list *out,
				struct err *e);
/* store_ticket_link makes ticket (TK_FOLLOWUP_ID set, validated by the
 * caller) the follow-up's ticket in one transaction: the follow-up must be
 * live on review_id (E_NOT_FOUND); a ticket it had is replaced; the
 * follow-up's "ticket" field becomes the ticket's URL (a revision by
 * actor); the review's version moves. *new_review_version may be NULL. */
enum err_code store_ticket_link(struct store *st, struct arena *a,
				const char *actor, int64_t review_id,
				struct record *ticket,
				int64_t *new_review_version, struct err *e);
/* store_ticket_sync_list: every ticket of tracker (NULL: any), the least
 * recently read first. */
enum err_code store_ticket_sync_list(struct store *st, struct arena *a,
				     const char *tracker,
				     struct record_list *out, struct err *e);
/* store_ticket_find: the tickets of tracker with key (a key may be linked
 * from several follow-ups). */
enum err_code store_ticket_find(struct store *st, struct arena *a,
				const char *tracker, const char *key,
				struct record_list *out, struct err *e);
/* store_ticket_save_state writes what a read found (status, done,
 * assignee, updated, read_at, error, error_at, close_sent of t, a ticket
 * read from the store) unless the ticket was replaced or deleted meanwhile
 * (E_NOT_FOUND). *changed (may be NULL) says whether a page would show
 * something else (ticket_state_changed); the review's version moves then,
 * and otherwise at most once an hour, so that cached pages show a read
 * time at most an hour old without a version move at every sync. */
enum err_code store_ticket_save_state(struct store *st, struct arena *a,
				      const struct record *t, int *changed,
				      struct err *e);

/* Follow-ups across reviews (the follow-ups page, the lingering list,
 * the weekly digest): follow-ups not done or wont-do on live reviews the
 * viewer sees. One lingers when it is past its due date, or when
 * linger_seconds have passed without activity: since its ticket's last
 * update in the tracker (or its linking), or with no ticket since the
 * follow-up last changed. */
struct followup_filter {
	const struct viewer *viewer; /* NULL: every review */
	int lingering;      /* 1: only lingering ones; 0: all open ones */
	int64_t now;        /* UTC seconds: "today" for due dates */
	int64_t linger_seconds;
	const char *owner;  /* NULL: any */
	const char *team;   /* the review's owner team; NULL: any */
	int limit;          /* 0: 50; at most 500 */
	int offset;
	int count_only;     /* 1: *total alone; no rows are read */
};

struct followup_row {
	struct record *followup;
	struct record *ticket; /* NULL: none linked */
	int64_t review_id;
	const char *review_title;
	const char *team;      /* the review's owner team; NULL: none */
	int past_due;          /* its due date has passed */
	int stale;             /* no activity for linger_seconds */
	int64_t last_activity; /* what stale is measured from */
};

/* store_followup_list: the follow-ups f asks for, the oldest due date
 * first (none last), then the oldest; *rows from a, *n of them, *total
 * without limit and offset. With f->count_only, *total alone (*n 0): the
 * count reads indexes only (migration 032), the list would read and sort
 * every match's row. */
enum err_code store_followup_list(struct store *st, struct arena *a,
				  const struct followup_filter *f,
				  struct followup_row **rows, size_t *n,
				  int64_t *total, struct err *e);
/* store_question_vote adds who's vote to question child_id of review_id
 * in one transaction (review_question_vote: one vote per person, else
 * E_INVALID naming "votes"), as an update of the question with its
 * revision. *updated is the question after the vote. */
enum err_code store_question_vote(struct store *st, struct arena *a,
				  const char *who, int64_t review_id,
				  int64_t child_id, struct record **updated,
				  int64_t *new_review_version, struct err *e);

/* One revision: what one write did to one record. */
struct revision {
	int64_t id;
	int64_t review_id;
	const char *record_kind; /* "review", "timeline", "followups", ... */
	int64_t record_id;
	const char *action;      /* "create", "update", "delete", "restore" */
	const char *actor;
	int64_t at;
	int64_t review_version;  /* the review's version after this write */
	struct change *changes;
	size_t nchanges;
};

/* store_revision_list returns a review's revisions, newest first. */
enum err_code store_revision_list(struct store *st, struct arena *a,
				  int64_t review_id, struct revision **out,
				  size_t *n, struct err *e);

/* ---- history pages (sqlite_revision.c) ----------------------------- */

/* One page of a review's history: whole saves (all the revisions that
 * share a review version), newest first. */
struct revision_page {
	struct revision *revs;
	size_t n;
	int64_t total;      /* the review's revisions, on every page */
	int64_t older_than; /* the next page's before_version; 0: last page */
};

/* store_revision_page reads the revisions of the newest max_saves saves
 * (review versions) of review_id below before_version (0 or less: from the
 * newest), so that a save is never split across pages and a page stays
 * the same while newer saves arrive. An empty page is E_OK (a review with
 * no save that old); a missing review is not checked (read it first).
 * Memory from a; the store is not changed. */
enum err_code store_revision_page(struct store *st, struct arena *a,
				  int64_t review_id, int64_t before_version,
				  size_t max_saves, struct revision_page *out,
				  struct err *e);

/* ---- accounts (sqlite_accounts.c): users, sessions, API tokens, audit.
 * Session ids and tokens are never stored: callers pass their hash (hex
 * BLAKE2b, see auth.h), so a copy of the database cannot be replayed. */

/* Roles, in increasing power; a role includes those below it. */
enum role {
	ROLE_NONE = 0, /* nobody signed in */
	ROLE_READER = 1,
	ROLE_EDITOR = 2,
	ROLE_ADMIN = 3,
};

/* role_name gives "reader", "editor", "admin" ("none" for ROLE_NONE);
 * role_parse the reverse (ROLE_NONE for anything else). */
const char *role_name(int role);
int role_parse(const char *s);

struct store_user {
	int64_t id;
	const char *name;
	int role;
	const char *groups;        /* JSON list text, "[]" when none */
	const char *password_hash; /* crypto_pwhash_str text; "" none */
	int disabled;
	int64_t created_at;
	const char *time_zone; /* tz database name; "": the config's */
};

struct store_session {
	const char *user;
	int64_t created_at, last_seen, expires;
};

struct store_token {
	int64_t id;
	const char *user;
	int write; /* scope: 1 write, 0 read */
	int64_t created_at, revoked_at, last_used; /* 0: never */
};

struct store_audit {
	int64_t id, at;
	const char *actor, *action, *detail, *address;
};

/* store_user_create adds a user; E_CONFLICT when the name is taken,
 * E_INVALID for an empty name or ROLE_NONE. groups NULL means "[]". */
enum err_code store_user_create(struct store *st, const char *name, int role,
				const char *groups, const char *password_hash,
				int64_t now, struct err *e);
/* store_user_get finds a user by name (disabled or not); E_NOT_FOUND. */
enum err_code store_user_get(struct store *st, struct arena *a,
			     const char *name, struct store_user *out,
			     struct err *e);
/* store_user_list returns every user, by name. */
enum err_code store_user_list(struct store *st, struct arena *a,
			      struct store_user **out, size_t *n,
			      struct err *e);
/* store_user_count counts users, disabled ones included (any user at all
 * turns the anonymous local admin off). */
enum err_code store_user_count(struct store *st, int64_t *n, struct err *e);
/* store_user_set_password replaces the hash and ends every session of the
 * user; E_NOT_FOUND. */
enum err_code store_user_set_password(struct store *st, const char *name,
				      const char *password_hash,
				      struct err *e);
/* store_user_set_time_zone sets the zone user name reads and types times
 * in ("" for the configuration's); the caller has checked the name
 * (tz_get). E_NOT_FOUND for an unknown user. */
enum err_code store_user_set_time_zone(struct store *st, const char *name,
				       const char *zone, struct err *e);
/* store_user_disable marks the user disabled, ends its sessions and
 * revokes its tokens; E_NOT_FOUND. */
enum err_code store_user_disable(struct store *st, const char *name,
				 int64_t now, struct err *e);

/* store_session_create records a session (id_hash unique). */
enum err_code store_session_create(struct store *st, const char *id_hash,
				   const char *user, int64_t now,
				   int64_t expires, struct err *e);
/* store_session_get finds a session of an enabled user; E_NOT_FOUND when
 * there is none or its user is disabled (expiry is the caller's rule). */
enum err_code store_session_get(struct store *st, struct arena *a,
				const char *id_hash, struct store_session *out,
				struct err *e);
enum err_code store_session_touch(struct store *st, const char *id_hash,
				  int64_t now, struct err *e);
/* store_session_delete ends one session (none is fine). */
enum err_code store_session_delete(struct store *st, const char *id_hash,
				   struct err *e);
enum err_code store_session_delete_all_for_user(struct store *st,
						const char *user,
						struct err *e);

/* store_token_create records a token's hash and tells its id. */
enum err_code store_token_create(struct store *st, const char *hash,
				 const char *user, int write, int64_t now,
				 int64_t *id, struct err *e);
/* store_token_find finds a live token of an enabled user by hash and
 * stamps last_used = now; E_NOT_FOUND when missing, revoked or disabled. */
enum err_code store_token_find(struct store *st, struct arena *a,
			       const char *hash, int64_t now,
			       struct store_token *out, struct err *e);
/* store_token_revoke revokes token id; E_NOT_FOUND when there is no live
 * token with that id. */
enum err_code store_token_revoke(struct store *st, int64_t id, int64_t now,
				 struct err *e);

/* The login rate limit (http/auth.c) is kept here, so that it holds
 * across every server of the database (027_login_failures.sql): per
 * account and per client address, the failures of the current window
 * (window seconds from its first event) and the checks in progress.
 * store_login_begin decides whether a sign-in of user from addr may have
 * its password checked (*go 1) or is refused (*go 0): refused when the
 * account has max failures and checks in progress, or when the address
 * has and the account has any. A go reserves a check of both, in the
 * same write transaction as the test, so that concurrent tries on any
 * server cannot pass the limit. store_login_end ends that reservation
 * once the check is done: ok forgets the account's failures, a failure
 * counts for both. Windows that are over are deleted (a check left
 * pending by a server that died goes with its window). */
enum err_code store_login_begin(struct store *st, const char *user,
				const char *addr, int64_t now, int64_t window,
				int max, int *go, struct err *e);
enum err_code store_login_end(struct store *st, const char *user,
			      const char *addr, int ok, int64_t now,
			      int64_t window, struct err *e);

/* store_audit_add appends one audit record (detail, address may be NULL). */
enum err_code store_audit_add(struct store *st, int64_t at, const char *actor,
			      const char *action, const char *detail,
			      const char *address, struct err *e);
/* store_audit_list returns at most limit records (0: 100), newest first. */
enum err_code store_audit_list(struct store *st, struct arena *a, int limit,
			       struct store_audit **out, size_t *n,
			       struct err *e);

/* Administration of accounts (sqlite_accounts.c, used by the admin API and
 * pages). */

/* What store_user_update changes; the zero value of each member but
 * disabled changes nothing, so start from STORE_USER_CHANGE_NONE. */
struct store_user_change {
	int role;	    /* ROLE_NONE: keep */
	const char *groups; /* JSON list text; NULL: keep */
	int disabled;	    /* -1: keep; 0: enable; 1: disable */
	const char *password_hash; /* NULL: keep; a new one ends sessions */
};
#define STORE_USER_CHANGE_NONE {ROLE_NONE, NULL, -1, NULL}

/* store_user_update applies ch to user name in one transaction and fills
 * *before (may be NULL) with the user as it was. Disabling also ends the
 * user's sessions and revokes its tokens (as store_user_disable); enabling
 * brings neither back; a new password hash ends its sessions (as
 * store_user_set_password). A change that would leave no enabled admin is
 * E_CONFLICT (field "role" or "disabled") and changes nothing; an unknown
 * user is E_NOT_FOUND. */
enum err_code store_user_update(struct store *st, struct arena *a,
				const char *name,
				const struct store_user_change *ch, int64_t now,
				struct store_user *before, struct err *e);

/* store_token_list returns the tokens of user (NULL: of every user),
 * revoked ones included, newest first. The hashes are not read. */
enum err_code store_token_list(struct store *st, struct arena *a,
			       const char *user, struct store_token **out,
			       size_t *n, struct err *e);

/* Which audit records store_audit_query returns. */
struct store_audit_filter {
	int64_t before;	    /* only ids below this; 0: from the newest */
	int limit;	    /* 0: 100; at most 1000 */
	const char *actor;  /* exact; NULL or "": anyone */
	const char *action; /* prefix ("user." or "login"); NULL or "": any */
};

/* store_audit_query returns the records f selects, newest (highest id)
 * first; page on by passing the last id seen as f->before. */
enum err_code store_audit_query(struct store *st, struct arena *a,
				const struct store_audit_filter *f,
				struct store_audit **out, size_t *n,
				struct err *e);

/* ---- settings (sqlite_settings.c): small values of the installation,
 * shared by every server of the database (such as the server secret). */

/* store_setting_ensure gives the value stored under key, storing value
 * there first when the key has none: the first caller wins, and every
 * caller (on any server) gets the same stored value. *out is from a. */
enum err_code store_setting_ensure(struct store *st, struct arena *a,
				   const char *key, const char *value,
				   const char **out, struct err *e);

/* ---- bulk loading and query plans (issue 21): for bench/scale's loader
 * and for the tests that hold list queries to their plans. */

/* STORE_CURSOR_MAX: room for any cursor text, its NUL included. */
#define STORE_CURSOR_MAX 48

/* store_review_cursor writes to out (n >= STORE_CURSOR_MAX) the cursor of
 * review r as store_review_list returned it: the text that, parsed into a
 * filter, makes the next list start after r. */
void store_review_cursor(const struct record *r, char *out, size_t n);

/* store_review_cursor_parse sets f->after, after_key and after_id from a
 * cursor text; E_BAD_REQUEST (field "cursor") and f unchanged when s is
 * not one. */
enum err_code store_review_cursor_parse(const char *s, struct review_filter *f,
					struct err *e);

/* store_review_list_plan fills *out (from a) with SQLite's query plan
 * (EXPLAIN QUERY PLAN, one step a line, each query's steps after a line
 * "query: what it is") of every query store_review_list and
 * store_review_counts would run for f, so that tests can hold each list to
 * its index. */
enum err_code store_review_list_plan(struct store *st, struct arena *a,
				     const struct review_filter *f,
				     const char **out, struct err *e);

/* store_followup_list_plan: the same for store_followup_list's count of
 * f (the index's lingering note), as the line "query: total" and its
 * steps, then unless f->count_only its page, as "query: page". */
enum err_code store_followup_list_plan(struct store *st, struct arena *a,
				       const struct followup_filter *f,
				       const char **out, struct err *e);

/* store_overdue_first_plan: the same for store_overdue_first's query as
 * viewer would run it, as the line "query: overdue" and its steps. */
enum err_code store_overdue_first_plan(struct store *st, struct arena *a,
				       const struct viewer *viewer,
				       const char **out, struct err *e);

/* store_bulk_writes gives up durability for speed on this store: commits
 * no longer wait for the disk (synchronous = OFF), so a crash may lose or
 * corrupt recent writes. Only for loading generated data (bench/scale);
 * never in a server. Call before other threads use the store. */
enum err_code store_bulk_writes(struct store *st, struct err *e);

/* ---- stored renders (sqlite_render.c, issue 21): a review page as its
 * last render produced it, kept with the review version and a tag naming
 * the renderer (the program and the settings that shape a page), so that a
 * page missing the memory cache neither renders markdown nor runs the
 * language coach again; and the review's JSON the same way (migration
 * 029), so that it is neither read child table by child table nor encoded
 * again. Derived data: a render of another version or tag is never
 * returned, and the store keeps them within a budget of bytes on disk
 * (deflated; the oldest stored go first, of either kind). */

/* What a stored render is: one of each a review. */
enum render_kind {
	RENDER_PAGE = 0, /* the review page (web/review.c) */
	RENDER_JSON = 1, /* GET /api/v1/reviews/{id} (api/reviews.c) */
};

/* store_render_get appends to out the render of kind of review id at
 * version with tag: E_OK, E_NOT_FOUND (e not filled) when there is none,
 * E_NOMEM when out cannot grow. Reads only; never waits for the write
 * lock. */
struct buf;
enum err_code store_render_get(struct store *st, enum render_kind kind,
			       int64_t id, int64_t version, const char *tag,
			       struct buf *out, struct err *e);

/* store_render_put queues a copy of html (len bytes) as the render of
 * kind of review id at version with tag, replacing the review's render of
 * that kind. A background thread writes what is queued
 * in one transaction, so that a reader never waits for the write lock; a
 * put of a version that is no longer the review's is dropped. Never fails:
 * a render that cannot be queued (out of memory, the queue full, a budget
 * of 0) is just not stored. */
void store_render_put(struct store *st, enum render_kind kind, int64_t id,
		      int64_t version, const char *tag, const char *html,
		      size_t len);

/* Stored related reviews (issue 17): what fills a review page's related
 * reviews and "seen in" notes for one key (the asker's groups and what
 * else shapes them), as computed at a review version, a store generation
 * and a time (migrations 026 and 031's review_related). Written with the
 * stored renders, by their background thread and within their budget's
 * on/off (a budget of 0 stores none).
 *
 * The freshness rule: a stored fragment serves while its review keeps the
 * version it was computed at (an edit of the review itself, its factors,
 * tags or services computes it again), and, once anything else has been
 * written (the generation moved), for at most STORE_RELATED_MAX_AGE
 * seconds after it was computed. So a write to one review does not throw
 * away the lists of the others; a new or changed review shows in other
 * reviews' lists within that time. What a fragment names may have been
 * deleted or restricted since: the caller checks it against the asker's
 * visibility when *at differs from the current generation.
 *
 * store_related_get appends to out the fragment of review id for key that
 * is fresh at version, generation and now (Unix seconds), and sets *at
 * (may be NULL) to the generation it was computed at: E_OK, E_NOT_FOUND
 * (e not filled) when none is. Reads only. */
#define STORE_RELATED_MAX_AGE (15 * 60)
enum err_code store_related_get(struct store *st, int64_t id, const char *key,
				int64_t version, int64_t generation,
				int64_t now, struct buf *out, int64_t *at,
				struct err *e);

/* store_related_put queues a copy of frag (len bytes) as review id's
 * fragment for key, computed at version, generation and now, replacing
 * the one stored before; it is dropped if version is no longer the
 * review's. Each batch written also deletes the fragments past
 * STORE_RELATED_MAX_AGE of an older generation, which no longer serve.
 * Never fails (as store_render_put). */
void store_related_put(struct store *st, int64_t id, const char *key,
		       int64_t version, int64_t generation, int64_t now,
		       const char *frag, size_t len);

/* store_render_flush returns when every put made before it is written (or
 * dropped). For tests and close. */
void store_render_flush(struct store *st);

/* store_render_limit sets the budget: the stored renders' bytes on disk
 * (deflated: about a quarter of a page) stay under max_bytes (0: store
 * none). The default is STORE_RENDER_BYTES. Call before other threads use
 * the store. */
#define STORE_RENDER_BYTES ((size_t)256 * 1024 * 1024)
void store_render_limit(struct store *st, size_t max_bytes);

/* store_render_limit_by_reviews sets a budget that grows with the live
 * reviews: per_review bytes each, at least floor (store_render_budget),
 * counted again when the stored renders outgrow it, so that every review's
 * page and JSON stay stored (a random read of any review is a stored one)
 * however many reviews there are. The default (render_store_bytes = auto):
 * STORE_RENDER_BYTES, STORE_RENDER_PER_REVIEW (a page and its JSON deflate
 * to about 6 KB: 4.2 and 1.6 at bench/scale's reviews). */
#define STORE_RENDER_PER_REVIEW ((size_t)8 * 1024)
void store_render_limit_by_reviews(struct store *st, size_t floor,
				   size_t per_review);
size_t store_render_budget(size_t floor, size_t per_review, int64_t live);

/* ---- drafts (sqlite_draft.c): what one person typed into a review's
 * form and has not saved, one per person (author) and review (review_id;
 * 0: the new-review form). The store does not look inside body; callers
 * check who may read a draft (its author, and only while the review is
 * visible to them). Drafts are not review data: writes record no revision
 * and bump no version or generation. */

/* store_draft_put stores body (text, copied) as author's draft of
 * review_id, replacing the one there. */
enum err_code store_draft_put(struct store *st, const char *author,
			      int64_t review_id, const char *body, int64_t now,
			      struct err *e);
/* store_draft_get reads author's draft of review_id: *body (from a) and
 * *updated_at; E_NOT_FOUND when there is none. */
enum err_code store_draft_get(struct store *st, struct arena *a,
			      const char *author, int64_t review_id,
			      const char **body, int64_t *updated_at,
			      struct err *e);
/* store_draft_delete removes author's draft of review_id; E_OK when there
 * was none. */
enum err_code store_draft_delete(struct store *st, const char *author,
				 int64_t review_id, struct err *e);
/* ---- chat transcripts (sqlite_transcript.c): the messages of a
 * review's chat (model/transcript.h), stored once per (review, channel,
 * ts). They belong to the review: a deleted review's messages are gone
 * with it, and a reader who does not see the review (review_visible)
 * sees none of them, with the answer of a missing review. */

/* An import in progress: one write transaction on one connection, held
 * from store_transcript_begin to _commit or _abort, so that an import
 * that fails half-way leaves nothing. */
struct transcript_import;

/* What an import did. */
struct transcript_counts {
	int64_t added;      /* new messages */
	int64_t duplicates; /* already stored (same channel and ts) */
};

/* store_transcript_begin opens the transaction of an import into live
 * review review_id (E_NOT_FOUND otherwise). On E_OK *out must be ended
 * by store_transcript_commit or store_transcript_abort. */
enum err_code store_transcript_begin(struct store *st, int64_t review_id,
				     struct transcript_import **out,
				     struct err *e);

/* store_transcript_add stores msg (a transcript_def record, validated
 * here: E_INVALID naming the field) unless its channel and ts are
 * stored already; counts either. msg is not kept. On an error the import
 * must be aborted. */
enum err_code store_transcript_add(struct transcript_import *ti,
				   struct record *msg, struct err *e);

/* A batch of messages checked and copied for an import, made without the
 * database: an import prepares the next batch in one thread while
 * another inserts this one (chat_import.c). */
struct transcript_rows;
struct transcript_rows *store_transcript_rows_new(void); /* NULL: oom */
void store_transcript_rows_free(struct transcript_rows *rows);
/* store_transcript_rows_reset empties rows, keeping its memory. */
void store_transcript_rows_reset(struct transcript_rows *rows);
size_t store_transcript_rows_count(const struct transcript_rows *rows);
/* store_transcript_rows_put validates msg (as store_transcript_add does:
 * E_INVALID naming the field) and copies it into rows; msg is not kept. */
enum err_code store_transcript_rows_put(struct transcript_rows *rows,
					const struct record *msg,
					struct err *e);
/* store_transcript_add_rows stores the messages of rows in order, as
 * store_transcript_add each; on an error *failed (may be NULL) is the
 * index of the message that failed, and the import must be aborted. */
enum err_code store_transcript_add_rows(struct transcript_import *ti,
					struct transcript_rows *rows,
					size_t *failed, struct err *e);

/* store_transcript_commit ends an import: when messages were added, the
 * review's version is bumped and one revision ("transcripts", "import")
 * says how many; then the commit. *counts (may be NULL) is filled. ti is
 * freed whatever the outcome; on an error nothing stays. */
enum err_code store_transcript_commit(struct transcript_import *ti,
				      const char *actor,
				      struct transcript_counts *counts,
				      struct err *e);

/* store_transcript_abort rolls an import back and frees ti (NULL: no-op). */
void store_transcript_abort(struct transcript_import *ti);

/* Which messages store_transcript_list returns. */
struct transcript_filter {
	const char *channel; /* exact; NULL: every channel */
	int64_t since, until; /* at within [since, until]; 0: open end */
	const char *q;        /* words in text or author (FTS); NULL: any */
	const struct viewer *viewer; /* NULL: sees every review */
	int limit;            /* 0: 100; at most TRANSCRIPT_LIST_MAX */
	int offset;
};
#define TRANSCRIPT_LIST_MAX 1000

/* store_transcript_list returns the messages of review review_id that
 * match f in time order (at, at_us, id) and, in *total, how many match
 * without limit and offset. A missing, deleted or invisible review is
 * E_NOT_FOUND. */
enum err_code store_transcript_list(struct store *st, struct arena *a,
				    int64_t review_id,
				    const struct transcript_filter *f,
				    struct record_list *out, int64_t *total,
				    struct err *e);

/* store_transcript_channels lists the channels of review_id's messages
 * (sorted) with their message counts (parallel arrays from a). The
 * review is not checked: read it first. */
enum err_code store_transcript_channels(struct store *st, struct arena *a,
					int64_t review_id, const char ***names,
					int64_t **counts, size_t *n,
					struct err *e);

/* store_transcript_promote turns messages ids[0..n) of review review_id
 * into timeline entries in one transaction (one version bump): time,
 * kind "chat", the author as actor, the text, and as source
 * source_prefix followed by the message id ("/reviews/1/chat#m" gives
 * "/reviews/1/chat#m42").
 * The messages stay as they were. A message that is not the review's is
 * E_NOT_FOUND and nothing is created; expected_version as elsewhere. */
enum err_code store_transcript_promote(struct store *st, struct arena *a,
				       const char *actor, int64_t review_id,
				       int64_t expected_version,
				       const int64_t *ids, size_t n,
				       const char *source_prefix,
				       int64_t *new_review_version,
				       struct err *e);

/* ---- backup and restore (sqlite_backup.c): whole-database copies. ---- */

/* store_backup_file copies the database named by url (as store_open reads
 * it) into the new file dest with SQLite's online backup API, in one read
 * transaction: a server may run and write meanwhile, and the copy holds
 * one consistent moment. dest must not exist (E_INVALID: nothing is
 * overwritten); the copy is written beside it and renamed into place only
 * when whole and checked. A source that is not a debrief database is
 * E_INVALID. Needs no open store; changes nothing in the source. */
enum err_code store_backup_file(const char *url, const char *dest,
				struct err *e);

/* store_restore_file replaces the database named by url with a copy of the
 * backup src_path, after checking that src_path is a whole debrief
 * database of a schema this program knows (E_INVALID otherwise). A
 * database that some connection holds open (a running server) is
 * E_CONFLICT and is not touched. One transaction: a failure leaves the
 * database as it was. */
enum err_code store_restore_file(const char *src_path, const char *url,
				 struct err *e);

/* ---- copy between databases (store_copy.c): `debrief copy`. ---- */

/* One table's rows: read from the source, and found in the copy. */
struct copy_count {
	const char *table; /* static */
	int64_t from, to;
};

#define COPY_TABLES_MAX 48
struct copy_report {
	struct copy_count tables[COPY_TABLES_MAX]; /* in copy order */
	int n;
	double seconds;
};

/* store_copy copies every table of the debrief database at url from
 * (read-only; it must be at this program's schema) into the database at
 * url to (either may be SQLite or PostgreSQL), which store_open creates
 * or migrates. Rows keep their ids; the search index is rebuilt and the
 * counts kept by triggers filled as the rows go in; on PostgreSQL the id
 * sequences are moved past the copied ids. One transaction on the
 * target, all or nothing; every table's count (and the derived counts)
 * is checked against the source's before the commit. Errors: a missing
 * source E_NOT_FOUND; not a debrief database, another schema or the same
 * database twice E_INVALID; a target that holds rows in any copied table
 * E_CONFLICT, and then nothing touched it (not even a migration); else
 * E_STORE. r gets the counts and the time taken. */
enum err_code store_copy(const char *from, const char *to,
			 struct copy_report *r, struct err *e);

/* store_copy_table_role tells what store_copy does with a table of the
 * schema: STORE_COPY_COPIED, STORE_COPY_DERIVED (rebuilt or refilled, not
 * copied), or 0 for a table it does not know (a test keeps the list
 * whole). */
#define STORE_COPY_COPIED  1
#define STORE_COPY_DERIVED 2
int store_copy_table_role(const char *table);

/* ---- export and import (sqlite_export.c): every record with its ids,
 * versions and times, deleted ones too, for exports that read back into
 * an empty database as they were. */

/* One revision as stored; changes is the JSON text [{field, old, new}].
 * To store_import, id 0 means a new id and record_id 0 the review's. */
struct export_revision {
	int64_t id, record_id, at, review_version;
	const char *record_kind, *action, *actor, *changes;
};

/* One review with everything that belongs to it: every child of every
 * kind by id (deleted ones too, with deleted_at), and its revisions,
 * oldest first. */
struct export_review {
	struct record *review;
	struct record_list children[CHILD_COUNT];
	struct export_revision *revs;
	size_t nrevs;
	/* Where an import's review came from ("morgue:42"; NULL: nowhere
	 * known). store_import remembers it with the review and skips a
	 * review whose source was imported before (import_batch.known). */
	const char *source;
	/* What source gave, kept with it as the base of a later import of
	 * the same source (JSON text; NULL: none). */
	const char *imported;
	/* Its records outside the children: chat messages (transcript_def)
	 * and tickets (ticket_def), by id, deleted ones too. */
	struct record_list transcripts, tickets;
	/* Its rows kept as stored, each a JSON list of objects keyed by
	 * column (NULL: none): reads (only for a viewer who sees every
	 * review: they name readers), inbound links, import sources. */
	const char *reads, *inbound_links, *sources;
};

/* store_export_reviews calls fn once for each review that viewer sees
 * (review_visible; NULL: every review), by id; only_id > 0 limits it to
 * that review (E_NOT_FOUND, with the message of a missing review, when it
 * is not there or not seen). flags: EXPORT_DELETED, also deleted reviews
 * and children (else only live ones); EXPORT_RECORDS, also everything
 * else of each review (revisions, transcripts, tickets, reads, inbound
 * links, sources; else only the review and its children, all that a
 * markdown file holds). Everything is read in one read
 * transaction (one moment, while writers go on); each review's memory is
 * freed after fn returns, so memory stays flat in the number of reviews.
 * fn returns 0 to go on, anything else stops with E_IO. */
#define EXPORT_DELETED 1
#define EXPORT_RECORDS 2
enum err_code store_export_reviews(struct store *st, const struct viewer *viewer,
				   int64_t only_id, int flags,
				   int (*fn)(const struct export_review *r,
					     void *arg),
				   void *arg, struct err *e);

/* store_is_empty tells (*empty 1) that the database has no review, deleted
 * or not, no user and no audit record: an import with ids may go in. */
enum err_code store_is_empty(struct store *st, int *empty, struct err *e);

/* What store_import writes: reviews as store_export_reviews reads them,
 * users (password_hash ignored: imported users cannot sign in until given
 * a password) and audit records, all with their ids. */
struct import_batch {
	const struct export_review *reviews;
	size_t nreviews;
	const struct store_user *users;
	size_t nusers;
	const struct store_audit *audit;
	size_t naudit;
	int allow_existing; /* 1: the database need not be empty */
	const char *actor;  /* a review with no revisions gets a "create"
			     * revision by actor (NULL: none) */
	/* When set, more reviews after reviews[], one at a time: next sets
	 * *out and returns 1, returns 0 at the end (it may set users and
	 * audit of the batch then) or -1 with e filled. Each review is
	 * written before next is called again, so the producer may reuse
	 * its memory: an import of any size in flat memory. */
	int (*next)(void *arg, struct export_review **out, struct err *e);
	void *next_arg;
	/* When set, nreviews slots: known[i] is the review that reviews[i]'s
	 * source made before (it was skipped, nothing of it written), or 0
	 * (it was imported now). A source given twice in one batch: the
	 * second is skipped too (importers refuse that earlier, by line). */
	int64_t *known;
	/* The records outside reviews, as JSON lists of row objects as
	 * store_export_table gives them (NULL: none). */
	const char *glossary_terms, *facilitators, *drafts;
};

/* store_export_table sets *json (from a) to every row of table, one of
 * "glossary_terms", "facilitators" or "drafts", as a JSON list of objects
 * keyed by column, values as stored; E_INVALID for another table. */
enum err_code store_export_table(struct store *st, struct arena *a,
				 const char *table, const char **json,
				 struct err *e);

/* store_import_source_get finds the review that source made in an
 * import before: *review_id (0: none), what source gave then (*imported,
 * from a; NULL when not kept: imports before migration 022). */
enum err_code store_import_source_get(struct store *st, struct arena *a,
				      const char *source, int64_t *review_id,
				      const char **imported, struct err *e);

/* store_import_source_set records what source gave now (imported, JSON
 * text) as the base of its next import; E_NOT_FOUND for a source never
 * imported. */
enum err_code store_import_source_set(struct store *st, const char *source,
				      const char *imported, struct err *e);

/* store_import writes b in one transaction, ids, versions and times as
 * given (a record with id 0 gets a new id, set in the record), and
 * rebuilds the search index of each review. Unless b->allow_existing the
 * database must be empty (E_CONFLICT). Records are trusted (validated by
 * the importer); an id given twice or already taken is E_INVALID naming
 * the record, and then nothing is written. */
enum err_code store_import(struct store *st, const struct import_batch *b,
			   struct err *e);

/* ---- learning across reviews (issue 17): ranked search
 * (sqlite_search.c), recurring factors, related reviews and on this day
 * (sqlite_learning.c), trends (sqlite_trends.c). Every call takes a
 * viewer and reads only the live reviews it sees (review_visible): a
 * restricted review never reaches a snippet, a count, a related list or
 * a trend of someone outside its groups. */

/* Around each matched word of a snippet: bytes that review text does not
 * hold (record validation refuses control characters). */
#define STORE_MARK_OPEN	 "\x02"
#define STORE_MARK_CLOSE "\x03"

/* What store_search looks for. q is as typed: words (each required),
 * "a phrase", prefix*, a OR b, -word or NOT word (excluded); anything
 * that is not this syntax (an unbalanced quote, a lone operator, a
 * column filter like title:x) is searched as plain words, never an
 * error. The rest filters like struct review_filter. */
struct search_query {
	const char *q;
	const char *kind;    /* NULL: any */
	int severity;        /* 0: any */
	const char *service, *team, *tag; /* NULL: any (team: owner_team) */
	int64_t from, to;    /* started_at within [from, to]; 0: open end */
	int open_followups;  /* 1: only reviews with an open follow-up */
	const struct viewer *viewer; /* NULL: every review */
	int limit;           /* 0: 20; at most 100 */
	int offset;
	int count_cap, *capped; /* as review_filter's */
	/* rank_window (issue 21): when more than this many reviews match
	 * by their text, only the newest this many (by id) are ranked,
	 * more when the page needs them; 0: every match is ranked */
	int rank_window;
};

/* Where in a review a hit matched, with its text (marked). */
struct search_match {
	const char *where; /* a section's label, "Timeline", "Follow-ups",
			    * "Contributing factors", "Chat" */
	const char *text;  /* an excerpt around the first match, marked */
};

struct search_hit {
	/* the review's id, version, times, title, kind, status, severity
	 * and started_at; its other fields are left NULL */
	struct record *review;
	double score;          /* bm25: lower is better */
	const char *title;     /* the title, matched words marked */
	const char *snippet;   /* the text around its first match, marked
				* (the beginning when only the title matched) */
	struct search_match matches[3]; /* up to 3 places, in text order */
	size_t nmatches;
};

#define SEARCH_DEFAULT_LIMIT 20
#define SEARCH_MAX_LIMIT     100

/* store_search_fts is the FTS5 query store_search runs for q (always
 * valid FTS5 syntax); NULL when q has nothing to search. From a. */
const char *store_search_fts(struct arena *a, const char *q);

/* store_search ranks the reviews matching sq, by their text or their
 * chat (transcripts), by bm25 (the title weighs more than the text; a
 * review's best message counts for its chat) in SQLite and returns one
 * page of them, best first, in *hits (from a); snippets and matches are
 * made for that page only. *total counts every match (up to
 * sq->count_cap more than the page's end, when set). With
 * sq->rank_window, a query matching more reviews ranks only its newest
 * matches (see there). An empty q is no match. */
enum err_code store_search(struct store *st, struct arena *a,
			   const struct search_query *sq,
			   struct search_hit **hits, size_t *n,
			   int64_t *total, struct err *e);

/* One recurring contributing factor: a canonical key (model/factor_key.h)
 * and the reviews it is in. */
struct factor_count {
	const char *key;    /* canonical key */
	const char *label;  /* how people wrote it (or the synonym's name) */
	int64_t reviews;    /* live reviews the viewer sees that name it */
	int64_t *review_ids; /* up to STORE_FACTOR_REVIEWS of them, newest */
	const char **titles; /* their titles */
	size_t nids;
};
#define STORE_FACTOR_REVIEWS 10

/* store_factor_counts returns the factors named in at least min_reviews
 * reviews, the most recurring first (then by key), at most limit (0:
 * all), with synonyms (may be NULL) merged. From a. */
struct factor_synonyms;
enum err_code store_factor_counts(struct store *st, struct arena *a,
				  const struct viewer *viewer,
				  const struct factor_synonyms *syn,
				  int64_t min_reviews, size_t limit,
				  struct factor_count **out, size_t *n,
				  struct err *e);

/* How many other reviews name one contributing factor of a review. */
struct factor_seen {
	int64_t factor_id;
	const char *key; /* its key (model/factor_key.h) */
	int64_t seen; /* other live reviews the viewer sees that name it
		       * (or a synonym of it) */
};

/* store_factor_seen tells, for each live contributing factor of review
 * review_id, in how many other reviews it appears (*out from a, in no
 * particular order). The review is not checked: read it first. */
enum err_code store_factor_seen(struct store *st, struct arena *a,
				const struct viewer *viewer,
				const struct factor_synonyms *syn,
				int64_t review_id, struct factor_seen **out,
				size_t *n, struct err *e);

/* One related review and why. */
struct related_review {
	int64_t id;
	const char *title;
	int64_t started_at; /* 0: unknown */
	int shared_factors, shared_tags, shared_services;
	int text; /* 1: similar words */
};

/* store_related returns up to max (at most 20) live reviews the viewer
 * sees most like review_id: shared contributing factors (by key, synonyms
 * merged), tags and services, and the title's words in their text (looked
 * for only while fewer than max candidates share a factor or two tags);
 * best first. From a. */
enum err_code store_related(struct store *st, struct arena *a,
			    const struct viewer *viewer,
			    const struct factor_synonyms *syn, int64_t review_id,
			    size_t max, struct related_review **out, size_t *n,
			    struct err *e);

/* store_related_check keeps of rel[0..*n) the live reviews the viewer
 * sees, in their order, with their titles and starts as they are now
 * (from a): a stored related list (store_related_get) may name a review
 * deleted, restricted or renamed since it was computed. */
enum err_code store_related_check(struct store *st, struct arena *a,
				  const struct viewer *viewer,
				  struct related_review *rel, size_t *n,
				  struct err *e);

/* store_on_this_day lists the live reviews the viewer sees whose
 * incident started (UTC) on month/day of a year before year, newest
 * first: limit (0: 50, at most 500) from offset; *total all of them.
 * Review fields only, long markdown NULL. */
enum err_code store_on_this_day(struct store *st, struct arena *a,
				const struct viewer *viewer, int month,
				int day, int year, int limit, int offset,
				struct record_list *out, int64_t *total,
				struct err *e);

/* A series of the trends: a table of ncols named columns and nrows rows;
 * cell (r, c) is cells[r * ncols + c]. Months are "YYYY-MM" (UTC). */
enum trend_cell_type { CELL_NULL, CELL_INT, CELL_REAL, CELL_TEXT };
struct trend_cell {
	enum trend_cell_type type;
	int64_t i;
	double d;
	const char *s;
};
struct trend_table {
	const char *series;
	const char *const *cols;
	size_t ncols, nrows;
	struct trend_cell *cells;
};

/* The series store_trend knows, by name; NULL-terminated. */
extern const char *const store_trend_series[];

/* store_trend computes series name over what viewer sees, with synonyms
 * (may be NULL) merged in "factors"; now is the time ages are taken at.
 * E_NOT_FOUND naming "series" for an unknown name. From a. */
enum err_code store_trend(struct store *st, struct arena *a, const char *name,
			  const struct viewer *viewer,
			  const struct factor_synonyms *syn, int64_t now,
			  struct trend_table *out, struct err *e);
/* ---- learning signals (issue 17; sqlite_reads.c, sqlite_links.c,
 * sqlite_signals.c, sqlite_glossary.c). Reads and inbound links are not
 * review data: writing them records no revision and bumps no version or
 * generation. Callers check that the asker sees the review
 * (access_review_version) before reading a review's reads or links;
 * lists across reviews take a viewer. */

/* store_comment_prepare readies a new comment rec (comment_def,
 * validated) of review review_id for store_child_create: sets its author
 * (actor) and after_publication (the review is published now), checks
 * that parent_id names a live comment and timeline_id a live entry of
 * the same review (E_INVALID naming the field), and puts a reply on the
 * entry of the comment it answers. */
enum err_code store_comment_prepare(struct store *st, struct arena *a,
				    const char *actor, int64_t review_id,
				    struct record *rec, struct err *e);

/* store_read_note records a view of review review_id by v->reader when
 * the rule of read_counts (model/learning.h) counts it, looking up the
 * reader's last counted read and whether they wrote part of the review
 * (an actor of one of its revisions, comments aside); v's is_author and
 * last_read_at are filled here. *counted (may be NULL) tells whether it
 * was. A missing review is E_NOT_FOUND. */
struct read_view;
enum err_code store_read_note(struct store *st, int64_t review_id,
			      struct read_view *v, int *counted,
			      struct err *e);

/* store_read_counts counts review_id's reads at or after since (0: all)
 * and the distinct people who made them. */
enum err_code store_read_counts(struct store *st, int64_t review_id,
				int64_t since, int64_t *reads,
				int64_t *readers, struct err *e);

/* store_reads_top lists the live reviews f->viewer sees that were read at
 * or after since, most read first (then newest id), f's limit and offset
 * applied (other members of f are ignored); (*reads)[i] (from a) is the
 * count of out->items[i]; *total the number of such reviews. Review
 * fields only, as store_review_list. */
enum err_code store_reads_top(struct store *st, struct arena *a,
			      const struct review_filter *f, int64_t since,
			      struct record_list *out, int64_t **reads,
			      int64_t *total, struct err *e);

/* One reference to a review found in a git repository: in a file at a
 * line (commit NULL) or in a commit's message (file NULL, line 0). */
struct inbound_link {
	int64_t id, review_id, line, found_at;
	const char *repository, *file, *commit, *text;
};

/* A scan in progress: one write transaction that began by removing the
 * repository's links, so that a scan that fails half-way leaves the
 * links of the last scan as they were. */
struct links_scan;

/* store_links_begin opens the transaction of a scan of repository. On
 * E_OK *out must be ended by store_links_commit or store_links_abort. */
enum err_code store_links_begin(struct store *st, const char *repository,
				struct links_scan **out, struct err *e);
/* store_links_add stores l (strings copied) when review l->review_id
 * exists (deleted or not); *added (may be NULL) tells whether it did. */
enum err_code store_links_add(struct links_scan *ls,
			      const struct inbound_link *l, int *added,
			      struct err *e);
/* store_links_commit commits and frees ls, whatever the outcome. */
enum err_code store_links_commit(struct links_scan *ls, struct err *e);
/* store_links_abort rolls back and frees ls (NULL: no-op). */
void store_links_abort(struct links_scan *ls);

/* store_links_list returns review_id's inbound links (from a), by
 * repository, file, line and commit, limit (0: 100, at most 1000) and
 * offset applied, and their total. */
enum err_code store_links_list(struct store *st, struct arena *a,
			       int64_t review_id, int limit, int offset,
			       struct inbound_link **out, size_t *n,
			       int64_t *total, struct err *e);

/* One row of the learning page: a month ("2026-11") or an owner team
 * ("" for none), with what happened in it among the reviews the viewer
 * sees. By month: reviews started, reads made, comments written,
 * attendees of reviews started, links to reviews started in that month.
 * By team: the same over the team's reviews, all time. */
struct learning_row {
	const char *key;
	int64_t incidents, reads, readers, comments, comments_after_pub,
		attendees, inbound_links;
};

/* store_learning_stats fills *rows (from a), newest month first or
 * teams by name, at most limit (0: 24) rows from offset; by_team 0 or 1.
 * *total is the number of rows without limit and offset. */
enum err_code store_learning_stats(struct store *st, struct arena *a,
				   const struct viewer *viewer, int by_team,
				   int limit, int offset,
				   struct learning_row **rows, size_t *n,
				   int64_t *total, struct err *e);

/* A glossary term. */
struct glossary_term {
	int64_t id, created_at, updated_at;
	const char *term, *definition;
};

/* store_glossary_list returns every term (from a), by term (no case). */
enum err_code store_glossary_list(struct store *st, struct arena *a,
				  struct glossary_term **out, size_t *n,
				  struct err *e);
/* store_glossary_put creates term (id 0) or updates term id, checked by
 * the caller (glossary_check); a term that exists already (any case) is
 * E_CONFLICT naming "term"; an unknown id E_NOT_FOUND. Sets *id. */
enum err_code store_glossary_put(struct store *st, int64_t *id,
				 const char *term, const char *definition,
				 struct err *e);
/* store_glossary_delete removes term id; E_NOT_FOUND when there is none. */
enum err_code store_glossary_delete(struct store *st, int64_t id,
				    struct err *e);
/* store_learning_stamp is a number that changes with every change to the
 * glossary and with every links scan (cheap): part of the cache key of
 * the review page, which links terms and lists inbound links. */
enum err_code store_learning_stamp(struct store *st, int64_t *stamp,
				   struct err *e);

#endif
