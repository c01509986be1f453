/* test_slack_api.c: `debrief import slack` against a fake Slack Web API
 * on 127.0.0.1 (libmicrohttpd in this process) that answers with the
 * documented response shapes: conversations.info, conversations.history
 * in two cursor pages after one 429 with Retry-After, conversations.replies
 * for a thread, users.info. No test reaches the internet. The token is
 * checked on every call and never appears in what debrief prints. */
#include "api/api_checks.h"
#include "unit/test_db.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOKEN "xoxb-test-token-5c1d"

static struct {
	pthread_mutex_t mu;
	int history_calls, replies_calls, users_calls, info_calls;
	int bad_auth;
	int sent_429;
} fake = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0, 0};

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "Authorization");
	const char *channel = MHD_lookup_connection_value(
		c, MHD_GET_ARGUMENT_KIND, "channel");
	const char *cursor = MHD_lookup_connection_value(
		c, MHD_GET_ARGUMENT_KIND, "cursor");
	const char *user = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
						       "user");
	const char *body;
	unsigned status = 200;
	struct MHD_Response *r;
	enum MHD_Result ret;

	(void)cls, (void)method, (void)version, (void)upload, (void)upload_size,
		(void)con_cls;
	pthread_mutex_lock(&fake.mu);
	if (!auth || strcmp(auth, "Bearer " TOKEN)) {
		fake.bad_auth++;
		body = "{\"ok\": false, \"error\": \"not_authed\"}";
	} else if (!strcmp(url, "/api/conversations.info")) {
		fake.info_calls++;
		body = channel && !strcmp(channel, "C1")
			       ? "{\"ok\": true, \"channel\": {\"id\": \"C1\", "
				 "\"name\": \"incident\"}}"
			       : "{\"ok\": false, \"error\": "
				 "\"channel_not_found\"}";
	} else if (!strcmp(url, "/api/conversations.history")) {
		fake.history_calls++;
		if (!fake.sent_429) {
			fake.sent_429 = 1;
			status = 429;
			body = "{\"ok\": false, \"error\": \"ratelimited\"}";
		} else if (!cursor) {
			body = "{\"ok\": true, \"messages\": ["
			       "{\"type\": \"message\", \"user\": \"U2\", "
			       "\"text\": \"looking\", \"ts\": "
			       "\"1767261800.000200\", \"thread_ts\": "
			       "\"1767261700.000100\", \"reply_count\": 1},"
			       "{\"type\": \"message\", \"user\": \"U1\", "
			       "\"text\": \"rolled back &amp; fine\", \"ts\": "
			       "\"1767261750.000000\"}],"
			       "\"has_more\": true, \"response_metadata\": "
			       "{\"next_cursor\": \"page2\"}}";
		} else {
			body = "{\"ok\": true, \"messages\": ["
			       "{\"type\": \"message\", \"user\": \"U1\", "
			       "\"text\": \"errors up, <@U2> can you look?\", "
			       "\"ts\": \"1767261700.000100\", \"thread_ts\": "
			       "\"1767261700.000100\", \"reply_count\": 1}],"
			       "\"has_more\": false, \"response_metadata\": "
			       "{\"next_cursor\": \"\"}}";
		}
	} else if (!strcmp(url, "/api/conversations.replies")) {
		fake.replies_calls++;
		body = "{\"ok\": true, \"messages\": ["
		       "{\"type\": \"message\", \"user\": \"U1\", \"text\": "
		       "\"errors up, <@U2> can you look?\", \"ts\": "
		       "\"1767261700.000100\", \"thread_ts\": "
		       "\"1767261700.000100\", \"reply_count\": 1},"
		       "{\"type\": \"message\", \"user\": \"U2\", \"text\": "
		       "\"on it\", \"ts\": \"1767261710.000000\", "
		       "\"thread_ts\": \"1767261700.000100\"}],"
		       "\"has_more\": false}";
	} else if (!strcmp(url, "/api/users.info")) {
		fake.users_calls++;
		body = user && !strcmp(user, "U1")
			       ? "{\"ok\": true, \"user\": {\"id\": \"U1\", "
				 "\"name\": \"alice\", \"profile\": "
				 "{\"display_name\": \"Alice\"}}}"
		       : user && !strcmp(user, "U2")
			       ? "{\"ok\": true, \"user\": {\"id\": \"U2\", "
				 "\"name\": \"bob\", \"real_name\": \"Bob\"}}"
			       : "{\"ok\": false, \"error\": \"user_not_found\"}";
	} else {
		status = 404;
		body = "{\"ok\": false, \"error\": \"unknown_method\"}";
	}
	pthread_mutex_unlock(&fake.mu);
	r = MHD_create_response_from_buffer(strlen(body), (void *)body,
					    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	if (status == 429)
		MHD_add_response_header(r, "Retry-After", "1");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

struct cli_out {
	int status;
	char text[4096];
};

static void run(struct hs *s, const char *conf, const char *args,
		struct cli_out *o)
{
	const char *bin = getenv("DEBRIEF_BIN");
	char cmd[2048], path[400];
	FILE *f;
	size_t n;
	int st;

	snprintf(path, sizeof path, "%s/cli.out", s->dir);
	snprintf(cmd, sizeof cmd,
		 "'%s' import slack %s --config '%s' --db '%s' > '%s' 2>&1",
		 bin && *bin ? bin : "./debrief", args, conf, s->db, path);
	st = system(cmd);
	o->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(o->text, 1, sizeof o->text - 1, f);
	o->text[n] = '\0';
	fclose(f);
	assert_null(strstr(o->text, TOKEN));
}

static void write_conf(const char *path, int port, const char *token)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "slack_api_url = http://127.0.0.1:%d/api\n", port);
	if (token)
		fprintf(f, "slack_token = %s\n", token);
	fclose(f);
}

static int64_t total(struct hs *s)
{
	struct http_resp r;
	int64_t t;

	assert_int_equal(http_get(s, "/api/v1/reviews/1/transcripts", &r), 200);
	t = json_integer_value(json_object_get(r.json, "total"));
	http_resp_free(&r);
	return t;
}

static void test_import_one_channel_through_the_web_api(void **state)
{
	struct hs *s = *state;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	struct http_resp r;
	struct cli_out o;
	char conf[400], badconf[400], notoken[400];
	json_t *msgs;
	int port;

	struct sockaddr_in loopback = {0};

	loopback.sin_family = AF_INET;
	loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	loopback.sin_port = 0; /* any free port */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
			     answer, NULL, MHD_OPTION_SOCK_ADDR, &loopback,
			     MHD_OPTION_END);
	assert_non_null(d);
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info->port;
	snprintf(conf, sizeof conf, "%s/slack.conf", s->dir);
	snprintf(badconf, sizeof badconf, "%s/bad.conf", s->dir);
	snprintf(notoken, sizeof notoken, "%s/none.conf", s->dir);
	write_conf(conf, port, TOKEN);
	write_conf(badconf, port, "xoxb-wrong");
	write_conf(notoken, port, NULL);
	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"checkout errors\"}", &r),
			 201);
	http_resp_free(&r);

	/* bad input: exit 1, nothing imported */
	run(s, conf, "--review 1 --channel C9", &o);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.text, "channel_not_found"));
	run(s, badconf, "--review 1 --channel C1", &o);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.text, "not_authed"));
	assert_null(strstr(o.text, "xoxb-wrong"));
	run(s, notoken, "--review 1 --channel C1", &o);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.text, "slack_token"));
	run(s, conf, "--review 1", &o);
	assert_int_equal(o.status, 2);
	assert_int_equal(total(s), 0);

	/* the channel: a 429 first, two pages, one thread */
	run(s, conf, "--review 1 --channel C1", &o);
	if (o.status != 0)
		fail_msg("exit %d: %s", o.status, o.text);
	assert_non_null(strstr(o.text, "4 messages imported"));
	assert_int_equal(fake.sent_429, 1);
	assert_int_equal(fake.history_calls, 3);
	assert_true(fake.replies_calls >= 1);
	assert_int_equal(fake.users_calls, 2); /* each user asked once */
	assert_int_equal(http_get(s, "/api/v1/reviews/1/transcripts", &r), 200);
	msgs = json_object_get(r.json, "messages");
	assert_int_equal(json_array_size(msgs), 4);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(msgs, 0), "text")),
			    "errors up, @Bob can you look?");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(msgs, 0), "author")),
			    "Alice");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(msgs, 0), "channel")),
			    "incident");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(msgs, 1), "thread_ts")),
			    "1767261700.000100");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(msgs, 2), "text")),
			    "rolled back & fine");
	http_resp_free(&r);
	/* again: nothing new */
	run(s, conf, "--review 1 --channel C1", &o);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.text, "0 messages imported (4 already"));
	assert_int_equal(total(s), 4);

	/* the same through the API of a server configured with the token */
	{
		struct hs *s2 = calloc(1, sizeof *s2);
		const char *args[] = {"--config", conf, NULL};
		char log[8192];
		FILE *f;
		size_t n;

		assert_non_null(s2);
		snprintf(s2->dir, sizeof s2->dir, "%.200s/s2", s->dir);
		assert_int_equal(mkdir(s2->dir, 0700), 0);
		assert_int_equal(test_db_url(s2->db, sizeof s2->db, s2->dir), 0);
		assert_int_equal(hs_start(s2, args), 0);
		assert_int_equal(http_json(s2, "POST", "/api/v1/reviews",
					   "{\"title\": \"t\"}", &r),
				 201);
		http_resp_free(&r);
		assert_int_equal(http_json(s2, "POST",
					   "/api/v1/reviews/1/transcripts/slack",
					   "{\"channel\": \"C9\"}", &r),
				 422);
		assert_non_null(strstr(r.body, "channel_not_found"));
		http_resp_free(&r);
		assert_int_equal(http_json(s2, "POST",
					   "/api/v1/reviews/1/transcripts/slack",
					   "{\"channel\": \"../x\"}", &r),
				 400);
		http_resp_free(&r);
		assert_int_equal(http_json(s2, "POST",
					   "/api/v1/reviews/1/transcripts/slack",
					   "{\"channel\": \"C1\"}", &r),
				 201);
		assert_int_equal(
			json_integer_value(json_object_get(r.json, "added")), 4);
		assert_null(strstr(r.body, TOKEN));
		http_resp_free(&r);
		assert_int_equal(http_get(s2, "/api/v1/reviews/1/transcripts",
					  &r),
				 200);
		assert_int_equal(
			json_integer_value(json_object_get(r.json, "total")), 4);
		http_resp_free(&r);
		/* the web form: shown to an editor, the token nowhere */
		assert_int_equal(http_get(s2, "/reviews/1/chat", &r), 200);
		assert_non_null(strstr(r.body, "action=\"/reviews/1/chat/slack\""));
		assert_null(strstr(r.body, TOKEN));
		http_resp_free(&r);
		{
			int calls = fake.history_calls;

			assert_int_equal(http_form(s2, "/reviews/1/chat/slack",
						   "channel=C1&since=2026-01-01",
						   &r),
					 303);
			assert_true(fake.history_calls > calls);
			{
				char *loc = http_header(&r, "Location");

				assert_non_null(loc);
				assert_string_equal(
					loc, "/reviews/1/chat?all=1&added=0");
				free(loc);
			}
			http_resp_free(&r);
		}
		/* bad input: a clear page, nothing imported */
		assert_int_equal(http_form(s2, "/reviews/1/chat/slack",
					   "channel=..%2Fx", &r),
				 400);
		assert_non_null(strstr(r.body, "Channel: give the channel"));
		http_resp_free(&r);
		assert_int_equal(http_form(s2, "/reviews/1/chat/slack",
					   "channel=C1&since=soon", &r),
				 400);
		assert_non_null(strstr(r.body, "From and To must be"));
		http_resp_free(&r);
		assert_int_equal(http_form(s2, "/reviews/1/chat/slack",
					   "channel=C1&since=2026-01-02&"
					   "until=2026-01-01",
					   &r),
				 400);
		http_resp_free(&r);
		assert_int_equal(http_form(s2, "/reviews/1/chat/slack",
					   "channel=C9", &r),
				 422);
		assert_non_null(strstr(r.body, "channel_not_found"));
		assert_null(strstr(r.body, TOKEN));
		http_resp_free(&r);
		assert_int_equal(http_form(s2, "/reviews/9/chat/slack",
					   "channel=C1", &r),
				 404);
		http_resp_free(&r);
		assert_int_equal(http_get(s2, "/api/v1/reviews/1/transcripts",
					  &r),
				 200);
		assert_int_equal(
			json_integer_value(json_object_get(r.json, "total")), 4);
		http_resp_free(&r);
		assert_int_equal(hs_stop(s2), 0);
		/* the token is in no line the server logged */
		f = fopen(s2->log, "r");
		assert_non_null(f);
		n = fread(log, 1, sizeof log - 1, f);
		log[n] = '\0';
		fclose(f);
		assert_null(strstr(log, TOKEN));
		hs_cleanup(s2);
		free(s2);
	}
	/* a server without a token: no form, a hint, and a POST refused */
	assert_int_equal(http_get(s, "/reviews/1/chat", &r), 200);
	assert_null(strstr(r.body, "action=\"/reviews/1/chat/slack\""));
	assert_non_null(strstr(r.body, "<code>slack_token</code>"));
	http_resp_free(&r);
	assert_int_equal(http_form(s, "/reviews/1/chat/slack", "channel=C1", &r),
			 409);
	assert_non_null(strstr(r.body, "No Slack token is configured"));
	http_resp_free(&r);
	MHD_stop_daemon(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_import_one_channel_through_the_web_api, server_up,
			server_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
