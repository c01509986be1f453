/* test_history_names.c: the History page names rows of lists (timeline
 * entries, follow-ups, ...) by their time and first words, as people know
 * them, not by their internal id; the words are escaped and shortened. */
#include "api/api_checks.h"

#define PATHF(buf, ...) (snprintf(buf, sizeof buf, __VA_ARGS__), buf)

static int64_t post_child(struct hs *s, int64_t id, const char *kind,
			  const char *json)
{
	struct http_resp r;
	char path[96];
	int64_t child;

	assert_int_equal(http_json(s, "POST",
				   PATHF(path, "/api/v1/reviews/%lld/%s",
					 (long long)id, kind),
				   json, &r),
			 201);
	child = jint(r.json, "id");
	http_resp_free(&r);
	return child;
}

static char *history(struct hs *s, int64_t id)
{
	struct http_resp r;
	char path[96];
	char *body;

	assert_int_equal(http_get(s,
				  PATHF(path, "/reviews/%lld/history",
					(long long)id),
				  &r),
			 200);
	body = strdup(r.body);
	http_resp_free(&r);
	return body;
}

static void expect(const char *page, const char *what)
{
	if (!strstr(page, what))
		fail_msg("History does not say: %s", what);
}

static void test_rows_are_named_by_time_and_first_words(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Queue backlog\"}");
	struct http_resp r;
	int64_t tl, fu;
	char path[96], *page;

	tl = post_child(s, id, "timeline",
			"{\"at\": \"2026-01-01T14:20:00Z\", \"text\": "
			"\"Paged the on-call engineer about the <b>queue</b> "
			"backlog that kept growing in every region\\n\\n"
			"More detail.\"}");
	fu = post_child(s, id, "followups",
			"{\"title\": \"Add an alert\", \"due\": "
			"\"2026-12-01\"}");
	/* an update that does not touch the text is still named by it */
	assert_int_equal(http_json(s, "PATCH",
				   PATHF(path,
					 "/api/v1/reviews/%lld/timeline/%lld",
					 (long long)id, (long long)tl),
				   "{\"disputed\": true}", &r),
			 200);
	http_resp_free(&r);
	assert_int_equal(http_json(s, "DELETE",
				   PATHF(path,
					 "/api/v1/reviews/%lld/followups/%lld",
					 (long long)id, (long long)fu),
				   NULL, &r),
			 204);
	http_resp_free(&r);
	page = history(s, id);
	expect(page, "added the <time datetime=\"2026-01-01T14:20:00Z\">"
		     "2026-01-01 14:20 UTC</time> entry “Paged the on-call "
		     "engineer about the &lt;b&gt;queue&lt;/b&gt; backlog…”");
	expect(page, "changed the <time datetime=\"2026-01-01T14:20:00Z\">"
		     "2026-01-01 14:20 UTC</time> entry “Paged the");
	expect(page, "added the follow-up “Add an alert”");
	expect(page, "removed the follow-up “Add an alert”");
	if (strstr(page, "entry <span class=\"muted\">#") ||
	    strstr(page, "follow-up <span class=\"muted\">#"))
		fail_msg("History still names a row by its id");
	free(page);
}

static void test_long_word_is_cut_whole_characters(void **state)
{
	struct hs *s = *state;
	int64_t id = create_review(s, "{\"title\": \"Long word\"}");
	char *page;

	/* "a" and 40 two-byte characters, no space: 60 bytes end inside a
	 * character, so the cut is one byte earlier, never inside one */
	post_child(s, id, "factors",
		   "{\"kind\": \"latent\", \"text\": \"aéééééééééééééééééééééééééééééééééééééééé\"}");
	page = history(s, id);
	expect(page, "added the contributing factor “aééééééééééééééééééééééééééééé…”");
	free(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_rows_are_named_by_time_and_first_words, server_up,
			server_down),
		cmocka_unit_test_setup_teardown(
			test_long_word_is_cut_whole_characters, server_up,
			server_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
