/* test_review_renders.c: a review page that misses the memory cache is read
 * back from the store when this program rendered that version before
 * (issue 21), and rendered anew for a new version or another build; so is
 * a review's JSON (migration 029), and every kind of write (an edit, a
 * child's, a delete, a restore, a change of who sees it) makes it anew.
 * The test stops the server, puts a marked page in the stored render's
 * place and starts it again on the same database: the marked page is what
 * a read then gets, so it did not render. */
#include "api/api_checks.h"

#include <sqlite3.h>
#include <zlib.h>

#include "unit/test_db.h"

#define MARK "<p>stored render 9f3c</p>"

/* mark_kind replaces the stored render of kind (0: the page, 1: the JSON)
 * of review id (which must exist: the server wrote it) with MARK, and its
 * tag with tag (NULL: kept). */
static void mark_kind(struct hs *s, int64_t id, int kind, const char *tag)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	Bytef z[256];
	uLongf zlen = sizeof z;

	if (test_on_pg())
		skip(); /* it marks the stored render in the SQLite file */
	assert_int_equal(compress(z, &zlen, (const Bytef *)MARK, strlen(MARK)),
			 Z_OK);
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(db,
				   "UPDATE review_renders SET html = ?2, size "
				   "= ?3, tag = coalesce(?4, tag) WHERE "
				   "review_id = ?1 AND kind = ?5",
				   -1, &st, NULL),
		SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, z, (int)zlen, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, (int)strlen(MARK));
	if (tag)
		sqlite3_bind_text(st, 4, tag, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, kind);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void mark_render(struct hs *s, int64_t id, const char *tag)
{
	mark_kind(s, id, 0, tag);
}

static char *page(struct hs *s, int64_t id)
{
	struct http_resp r;
	char path[64];
	char *body;

	assert_int_equal(http_do(s, "GET", PATHF(path, "/reviews/%lld",
						(long long)id),
				 NULL, NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	body = strdup(r.body);
	http_resp_free(&r);
	return body;
}

static int64_t create_and_read(struct hs *s)
{
	int64_t id = create_review(
		s, "{\"title\": \"Queue backlog\", \"severity\": 2, "
		   "\"summary\": \"The **queue** grew for an hour.\"}");
	char *p = page(s, id); /* renders, and stores the render */

	assert_non_null(strstr(p, "<strong>queue</strong>"));
	free(p);
	return id;
}

static void restart(struct hs *s)
{
	assert_int_equal(hs_stop(s), 0); /* writes what is queued */
}

static void test_missed_page_is_read_back_from_the_store(void **state)
{
	struct hs *s = *state;
	int64_t id = create_and_read(s);
	char *p;

	restart(s);
	mark_render(s, id, NULL);
	assert_int_equal(hs_start(s, NULL), 0);
	p = page(s, id); /* the memory cache is empty after the restart */
	assert_non_null(strstr(p, MARK));
	free(p);
}

static void test_new_version_is_rendered_anew(void **state)
{
	struct hs *s = *state;
	int64_t id = create_and_read(s);
	struct http_resp r;
	char path[64];
	char *p;

	restart(s);
	mark_render(s, id, NULL);
	assert_int_equal(hs_start(s, NULL), 0);
	assert_int_equal(http_json(s, "PATCH",
				   PATHF(path, "/api/v1/reviews/%lld",
					 (long long)id),
				   "{\"version\": 1, \"title\": \"Queue "
				   "backlog, again\"}",
				   &r),
			 200);
	http_resp_free(&r);
	p = page(s, id);
	assert_null(strstr(p, MARK));
	assert_non_null(strstr(p, "Queue backlog, again"));
	free(p);
}

static void test_render_of_another_build_is_not_served(void **state)
{
	struct hs *s = *state;
	int64_t id = create_and_read(s);
	char *p;

	restart(s);
	mark_render(s, id, "an older build");
	assert_int_equal(hs_start(s, NULL), 0);
	p = page(s, id);
	assert_null(strstr(p, MARK));
	assert_non_null(strstr(p, "<strong>queue</strong>"));
	free(p);
}

/* json reads review id's JSON: its status, and its body in *body
 * (malloc'd) when body is not NULL. */
static long json(struct hs *s, int64_t id, char **body)
{
	struct http_resp r;
	char path[64];
	long status;

	status = http_get(s, PATHF(path, "/api/v1/reviews/%lld", (long long)id),
			  &r);
	assert_int_equal(status, r.status);
	if (body)
		*body = strdup(r.body ? r.body : "");
	http_resp_free(&r);
	return status;
}

/* json_marked: review id's JSON was read (so stored), the server
 * restarted and the stored JSON marked. */
static void json_marked(struct hs *s, int64_t id)
{
	char *b;

	assert_int_equal(json(s, id, &b), 200);
	assert_null(strstr(b, MARK));
	free(b);
	restart(s);
	mark_kind(s, id, 1, NULL);
	assert_int_equal(hs_start(s, NULL), 0);
}

static void test_missed_json_is_read_back_from_the_store(void **state)
{
	struct hs *s = *state;
	int64_t id = create_and_read(s);
	char *b;

	json_marked(s, id);
	assert_int_equal(json(s, id, &b), 200);
	assert_string_equal(b, MARK);
	free(b);
	/* the page was stored beside it, each of its own kind */
	b = page(s, id);
	assert_null(strstr(b, MARK));
	free(b);
}

/* write_then_read: with the stored JSON of review id marked first (when
 * mark), sends a write to /api/v1/reviews/{id}SUFFIX and checks its
 * status; then the JSON is made anew and holds want, or is a 404 when
 * want is NULL. */
static void write_then_read(struct hs *s, int64_t id, int mark,
			    const char *method, const char *suffix,
			    const char *body, long status, const char *want)
{
	struct http_resp r;
	char path[96], *b;

	if (mark)
		json_marked(s, id);
	assert_int_equal(http_json(s, method,
				   PATHF(path, "/api/v1/reviews/%lld%s",
					 (long long)id, suffix),
				   body, &r),
			 status);
	http_resp_free(&r);
	if (!want) {
		assert_int_equal(json(s, id, NULL), 404);
		return;
	}
	assert_int_equal(json(s, id, &b), 200);
	assert_null(strstr(b, MARK));
	assert_non_null(strstr(b, want));
	free(b);
}

static void test_json_is_made_anew_after_every_kind_of_write(void **state)
{
	struct hs *s = *state;
	int64_t id = create_and_read(s);

	/* an edit of the review */
	write_then_read(s, id, 1, "PATCH", "",
			"{\"version\": 1, \"title\": \"Queue backlog, "
			"edited\"}",
			200, "Queue backlog, edited");
	/* a child's write */
	write_then_read(s, id, 1, "POST", "/timeline",
			"{\"at\": \"2026-03-01T10:00:00Z\", \"text\": "
			"\"Paged the on-call\"}",
			201, "Paged the on-call");
	/* a change of who sees it (a write of the review: a new version) */
	write_then_read(s, id, 1, "PATCH", "",
			"{\"restricted_to\": [\"security\"]}", 200,
			"security");
	/* a delete: gone, stored JSON or not */
	write_then_read(s, id, 1, "DELETE", "", NULL, 204, NULL);
	/* a restore: the review as it is now, not the JSON marked before
	 * the delete */
	write_then_read(s, id, 0, "POST", "/restore", "{}", 200,
			"Paged the on-call");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_missed_page_is_read_back_from_the_store),
		T(test_new_version_is_rendered_anew),
		T(test_render_of_another_build_is_not_served),
		T(test_missed_json_is_read_back_from_the_store),
		T(test_json_is_made_anew_after_every_kind_of_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
