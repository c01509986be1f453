/* links_scan.c: the inbound link scanner (links_scan.h). One file and one
 * commit at a time: each blob is loaded, scanned line by line and freed
 * before the next, files over the limit are judged by their object
 * header alone, and libgit2's object cache and pack windows are capped,
 * so that memory stays flat in the size of the repository. */
#include "integrations/links_scan.h"

#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/learning.h"
#include "util/utf8.h"

/* How much of a line is kept as the link's text. */
#define LINK_TEXT_MAX 200

struct scan {
	git_repository *repo;
	git_odb *odb;
	struct links_scan *ls;
	struct links_scan_counts *counts;
	size_t max_file;
	/* where the line being scanned is */
	const char *file, *commit;
	int64_t line;
	const char *text;
	size_t text_len;
	struct err *e;
	int failed;
};

/* valid_utf8 replaces each byte of s[0..n) that is not part of valid
 * UTF-8 (a file in another encoding, a character cut at the edge of a
 * link's text) with '?', so that the text can go out as JSON. */
static void valid_utf8(char *s, size_t n)
{
	size_t i = 0, bad;

	while (i < n && !utf8_valid(s + i, n - i, &bad)) {
		s[i + bad] = '?';
		i += bad + 1;
	}
}

/* add_ref stores one reference with the line it is on. */
static int add_ref(const struct link_ref *ref, void *arg)
{
	struct scan *s = arg;
	struct inbound_link l = {0};
	char text[LINK_TEXT_MAX + 1];
	size_t n = s->text_len, from = 0;
	int added = 0;

	/* the text around the reference, within LINK_TEXT_MAX bytes */
	if (n > LINK_TEXT_MAX) {
		from = ref->at > LINK_TEXT_MAX / 2 ? ref->at - LINK_TEXT_MAX / 2
						   : 0;
		if (from + LINK_TEXT_MAX > n)
			from = n - LINK_TEXT_MAX;
		n = LINK_TEXT_MAX;
	}
	while (n && (s->text[from + n - 1] == '\r'))
		n--;
	memcpy(text, s->text + from, n);
	text[n] = '\0';
	valid_utf8(text, n);
	l.review_id = ref->review_id;
	l.file = s->file;
	l.commit = s->commit;
	l.line = s->commit ? 0 : s->line; /* a commit's link has no line */
	l.text = text;
	s->counts->found++;
	if (store_links_add(s->ls, &l, &added, s->e) != E_OK) {
		s->failed = 1;
		return 1;
	}
	s->counts->stored += added;
	return 0;
}

/* scan_text scans text[0..n) line by line; line numbers from 1. */
static void scan_text(struct scan *s, const char *text, size_t n)
{
	size_t start = 0;

	s->line = 0;
	while (start < n && !s->failed) {
		const char *nl = memchr(text + start, '\n', n - start);
		size_t end = nl ? (size_t)(nl - text) : n;

		s->line++;
		s->text = text + start;
		s->text_len = end - start;
		link_refs_find(s->text, s->text_len, add_ref, s);
		start = end + 1;
	}
}

static int scan_entry(const char *root, const git_tree_entry *entry,
		      void *arg)
{
	struct scan *s = arg;
	const git_oid *oid = git_tree_entry_id(entry);
	char path[PATH_MAX];
	git_object_t type;
	git_blob *blob;
	size_t len;

	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB ||
	    git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK)
		return 0;
	if (git_odb_read_header(&len, &type, s->odb, oid) < 0)
		return 0; /* a missing object: a shallow or partial clone */
	if (len > s->max_file) {
		s->counts->skipped_large++;
		return 0;
	}
	if (git_blob_lookup(&blob, s->repo, oid) < 0)
		return 0;
	if (git_blob_is_binary(blob)) {
		s->counts->skipped_binary++;
		git_blob_free(blob);
		return 0;
	}
	snprintf(path, sizeof path, "%s%s", root, git_tree_entry_name(entry));
	valid_utf8(path, strlen(path));
	s->file = path;
	s->commit = NULL;
	s->counts->files++;
	scan_text(s, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	s->file = NULL;
	return s->failed ? -1 : 0;
}

static void scan_commits(struct scan *s)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	char sha[GIT_OID_HEXSZ + 1];

	if (git_revwalk_new(&walk, s->repo) < 0 ||
	    git_revwalk_push_head(walk) < 0) {
		git_revwalk_free(walk);
		return;
	}
	git_revwalk_sorting(walk, GIT_SORT_TIME);
	while (!s->failed && git_revwalk_next(&oid, walk) == 0) {
		git_commit *c;
		const char *msg;

		if (git_commit_lookup(&c, s->repo, &oid) < 0)
			continue;
		git_oid_tostr(sha, sizeof sha, &oid);
		msg = git_commit_message(c);
		s->file = NULL;
		s->commit = sha;
		s->counts->commits++;
		if (msg)
			scan_text(s, msg, strlen(msg));
		git_commit_free(c);
	}
	s->commit = NULL;
	git_revwalk_free(walk);
}

/* repo_name writes the repository's name: origin's URL, else the
 * absolute path of its work tree (or of the repository when bare). */
static void repo_name(git_repository *repo, char *out, size_t n)
{
	git_remote *origin = NULL;
	const char *dir;
	char abs[PATH_MAX];
	size_t len;

	if (git_remote_lookup(&origin, repo, "origin") == 0 &&
	    git_remote_url(origin)) {
		const char *url = git_remote_url(origin);
		const char *scheme = strstr(url, "://");
		const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
		const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;

		/* never store credentials: https://user:token@host/x */
		if (at && (!slash || at < slash))
			snprintf(out, n, "%.*s%s", (int)(scheme + 3 - url), url,
				 at + 1);
		else
			snprintf(out, n, "%s", url);
		git_remote_free(origin);
		return;
	}
	git_remote_free(origin);
	dir = git_repository_workdir(repo);
	if (!dir)
		dir = git_repository_path(repo);
	if (realpath(dir, abs))
		dir = abs;
	len = strlen(dir) < n ? strlen(dir) : n - 1;
	memcpy(out, dir, len);
	out[len] = '\0';
	/* "/x/repo/" and "/x/repo" are one repository */
	for (size_t k = strlen(out); k > 1 && out[k - 1] == '/'; k--)
		out[k - 1] = '\0';
}

/* open_repo opens the repository at path exactly (no search upwards). */
static enum err_code open_repo(const char *path, git_repository **out,
			       struct err *e)
{
	if (git_repository_open_ext(out, path, GIT_REPOSITORY_OPEN_NO_SEARCH,
				    NULL) < 0) {
		const git_error *ge = git_error_last();

		*out = NULL;
		return err_set(e, E_INVALID, "path",
			       "%s is not a git repository%s%s", path,
			       ge && ge->message ? ": " : "",
			       ge && ge->message ? ge->message : "");
	}
	return E_OK;
}

enum err_code links_scan_check(const char *path, struct err *e)
{
	git_repository *repo;
	enum err_code rc;

	git_libgit2_init();
	rc = open_repo(path, &repo, e);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

enum err_code links_scan_repo(struct store *st, const char *path,
			      size_t max_file, struct links_scan_counts *out,
			      struct err *e)
{
	struct scan s = {0};
	git_reference *head = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	enum err_code rc = E_OK;
	int err;

	memset(out, 0, sizeof *out);
	s.counts = out;
	s.max_file = max_file ? max_file : LINKS_MAX_FILE;
	s.e = e;
	git_libgit2_init();
	/* bounded memory: a small object cache, few mapped pack windows */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(16 * 1024 * 1024));
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT,
			 (size_t)(64 * 1024 * 1024));
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)(8 * 1024 * 1024));
	if ((rc = open_repo(path, &s.repo, e)) != E_OK)
		goto out;
	repo_name(s.repo, out->repository, sizeof out->repository);
	if (git_repository_odb(&s.odb, s.repo) < 0) {
		rc = err_set(e, E_IO, "path", "%s: cannot read its objects",
			     path);
		goto out;
	}
	if ((rc = store_links_begin(st, out->repository, &s.ls, e)) != E_OK)
		goto out;
	err = git_repository_head(&head, s.repo);
	if (err == 0) {
		if (git_reference_peel((git_object **)&commit, head,
				       GIT_OBJECT_COMMIT) < 0 ||
		    git_commit_tree(&tree, commit) < 0) {
			rc = err_set(e, E_IO, "path",
				     "%s: cannot read the tree of HEAD", path);
			goto out;
		}
		git_tree_walk(tree, GIT_TREEWALK_PRE, scan_entry, &s);
		if (!s.failed)
			scan_commits(&s);
	} else if (err != GIT_EUNBORNBRANCH && err != GIT_ENOTFOUND) {
		rc = err_set(e, E_IO, "path", "%s: cannot read HEAD", path);
		goto out;
	} /* else a repository with no commit yet: nothing links */
	if (s.failed) {
		rc = e->code ? e->code : E_STORE;
		goto out;
	}
	rc = store_links_commit(s.ls, e);
	s.ls = NULL;
out:
	store_links_abort(s.ls);
	git_tree_free(tree);
	git_commit_free(commit);
	git_reference_free(head);
	git_odb_free(s.odb);
	git_repository_free(s.repo);
	git_libgit2_shutdown();
	return rc;
}
