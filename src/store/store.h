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
 * the long markdown sections, all but tldr, left NULL: a list shows none)
 * except that the tag list of each is filled into out_tags when it is not
 * NULL (parallel to out->items: a record_list of tags each). *total is
 * the number of matches without limit/offset/cursor. A page costs about
 * the same at any depth and size, except that a search reads its
 * matches. */
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

/* store_review_get loads a review with all its live children, sorted (see
 * review_sort_children). include_deleted: also find a soft-deleted review. */
enum err_code store_review_get(struct store *st, struct arena *a, int64_t id,
			       int include_deleted, struct review_doc *out,
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

/* store_bulk_writes gives up durability for speed on this store: commits
 * no longer wait for the disk (synchronous = OFF), so a crash may lose or
 * corrupt recent writes. Only for loading generated data (bench/scale);
 * never in a server. Call before other threads use the store. */
enum err_code store_bulk_writes(struct store *st, struct err *e);

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
};

/* store_export_reviews calls fn once for each review that viewer sees
 * (review_visible; NULL: every review), by id; only_id > 0 limits it to
 * that review (E_NOT_FOUND, with the message of a missing review, when it
 * is not there or not seen). include_deleted: also deleted reviews and
 * children; else only live ones. Everything is read in one read
 * transaction (one moment, while writers go on); each review's memory is
 * freed after fn returns, so memory stays flat in the number of reviews.
 * fn returns 0 to go on, anything else stops with E_IO. */
enum err_code store_export_reviews(struct store *st, const struct viewer *viewer,
				   int64_t only_id, int include_deleted,
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
};

/* store_import writes b in one transaction, ids, versions and times as
 * given (a record with id 0 gets a new id, set in the record), and
 * rebuilds the search index of each review. Unless b->allow_existing the
 * database must be empty (E_CONFLICT). Records are trusted (validated by
 * the importer); an id given twice or already taken is E_INVALID naming
 * the record, and then nothing is written. */
enum err_code store_import(struct store *st, const struct import_batch *b,
			   struct err *e);

#endif
