/* links_scan.h: `debrief links scan PATH`: the references to reviews
 * ("PM-42", ".../reviews/42", model/learning.h) in the files of a git
 * repository's HEAD and in the messages of every commit reachable from
 * it, read with libgit2 and stored as the repository's inbound links
 * (store.h), replacing those of its last scan. */
#ifndef DEBRIEF_LINKS_SCAN_H
#define DEBRIEF_LINKS_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Files larger than this are not read (their size is read from the
 * object's header, without loading it): memory stays bounded whatever the
 * size of the repository, one file at a time. */
#define LINKS_MAX_FILE (8u * 1024 * 1024)

/* What a scan did. */
struct links_scan_counts {
	int64_t files, commits;	  /* read */
	int64_t skipped_large;	  /* files over LINKS_MAX_FILE */
	int64_t skipped_binary;	  /* binary files */
	int64_t found, stored;	  /* references; those to existing reviews */
	char repository[1024];	  /* the name the links are stored under */
};

/* links_scan_repo scans the repository at path into st, in one
 * transaction of the store (a failure leaves the last scan's links).
 * The repository is named by its remote "origin" URL, else by its
 * absolute path, so that a rescan of a fresh clone replaces the links.
 * A path that is not a git repository is E_INVALID naming "path";
 * nothing is changed then. max_file 0 means LINKS_MAX_FILE. */
enum err_code links_scan_repo(struct store *st, const char *path,
			      size_t max_file, struct links_scan_counts *out,
			      struct err *e);

/* links_scan_check tells whether path is a git repository (E_OK), or
 * E_INVALID naming "path" with libgit2's reason; it changes nothing, so
 * the command can refuse a bad path before it opens the database. */
enum err_code links_scan_check(const char *path, struct err *e);

/* links_main is `debrief links scan PATH [--db PATH]`. */
int links_main(int argc, char **argv);

#endif
