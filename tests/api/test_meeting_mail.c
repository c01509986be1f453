/* test_meeting_mail.c: mailing a meeting's invite over SMTP, against a fake
 * SMTP server on 127.0.0.1 (a thread here that speaks just enough SMTP and
 * keeps what it was sent). Only a POST to .../meeting/send mails, with the
 * version the person saw; saving a meeting never does. */
#include "api/api_checks.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/account_checks.h"

/* The fake server: accepts connections until stopped, answers every
 * command, and appends the envelope and the message to log. */
struct fake_smtp {
	int fd, port, stop, sessions;
	char log[65536];
	size_t len;
	pthread_mutex_t mu;
	pthread_t th;
};

static void fs_log(struct fake_smtp *f, const char *s, size_t n)
{
	pthread_mutex_lock(&f->mu);
	if (f->len + n < sizeof f->log) {
		memcpy(f->log + f->len, s, n);
		f->len += n;
		f->log[f->len] = '\0';
	}
	pthread_mutex_unlock(&f->mu);
}

static void say(int c, const char *s)
{
	ssize_t w = write(c, s, strlen(s));
	(void)w;
}

static void session(struct fake_smtp *f, int c)
{
	char buf[8192], line[2048];
	size_t have = 0, ll = 0;
	int data = 0;
	ssize_t n;

	say(c, "220 fake.smtp ESMTP\r\n");
	while ((n = read(c, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (ll + 1 < sizeof line)
				line[ll++] = buf[i];
			if (buf[i] != '\n')
				continue;
			line[ll] = '\0';
			if (data) {
				if (!strcmp(line, ".\r\n")) {
					data = 0;
					say(c, "250 2.0.0 queued\r\n");
				} else {
					fs_log(f, line, ll);
				}
			} else {
				fs_log(f, line, ll);
				if (!strncasecmp(line, "EHLO", 4))
					say(c, "250-fake.smtp\r\n250 SIZE "
					       "10000000\r\n");
				else if (!strncasecmp(line, "DATA", 4)) {
					data = 1;
					say(c, "354 go ahead\r\n");
				} else if (!strncasecmp(line, "QUIT", 4)) {
					say(c, "221 bye\r\n");
					close(c);
					return;
				} else
					say(c, "250 ok\r\n");
			}
			ll = 0;
		}
		have += (size_t)n;
	}
	(void)have;
	close(c);
}

static void *fs_run(void *arg)
{
	struct fake_smtp *f = arg;

	while (!f->stop) {
		int c = accept(f->fd, NULL, NULL);

		if (c < 0)
			continue;
		if (f->stop) {
			close(c);
			break;
		}
		f->sessions++;
		session(f, c);
	}
	return NULL;
}

static void fs_start(struct fake_smtp *f)
{
	struct sockaddr_in a = {0};
	socklen_t al = sizeof a;
	int one = 1;

	memset(f, 0, sizeof *f);
	pthread_mutex_init(&f->mu, NULL);
	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(f->fd >= 0);
	setsockopt(f->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(f->fd, 4), 0);
	getsockname(f->fd, (struct sockaddr *)&a, &al);
	f->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&f->th, NULL, fs_run, f), 0);
}

static void fs_stop(struct fake_smtp *f)
{
	struct sockaddr_in a = {0};
	int c = socket(AF_INET, SOCK_STREAM, 0);

	f->stop = 1;
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)f->port);
	connect(c, (struct sockaddr *)&a, sizeof a); /* wakes accept */
	close(c);
	pthread_join(f->th, NULL);
	close(f->fd);
}

/* start_with starts a server whose configuration file holds conf. */
static struct hs *start_with(const char *conf)
{
	struct hs *s = acct_prepare();

	assert_int_equal(hs_start_conf(s, conf, NULL), 0);
	return s;
}

static void stop(struct hs *s)
{
	assert_int_equal(hs_stop(s), 0);
	hs_cleanup(s);
	free(s);
}

#define MEETING                                                            \
	"{\"start\": \"2099-01-10T13:00:00Z\", \"duration_minutes\": 60, " \
	"\"timezone\": \"Europe/Paris\", \"invitees\": "                    \
	"[\"eng@lists.example.com\", \"Cy <cy@example.com>\", \"Dee\"]}"

static void test_send_mails_the_invite_to_every_address(void **state)
{
	struct fake_smtp f;
	struct hs *s;
	char conf[256], path[64];
	struct http_resp r;
	int64_t id;

	(void)state;
	fs_start(&f);
	snprintf(conf, sizeof conf,
		 "smtp_url = smtp://127.0.0.1:%d\nsmtp_starttls = false\n"
		 "smtp_from = debrief@example.com\n",
		 f.port);
	s = start_with(conf);
	id = create_review(s, "{\"title\": \"Disk full on db-3\"}");
	http_json(s, "PUT",
		  PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		  MEETING, &r);
	assert_int_equal(r.status, 201);
	http_resp_free(&r);
	/* saving never mails */
	assert_int_equal(f.sessions, 0);
	PATHF(path, "/api/v1/reviews/%lld/meeting/send", (long long)id);
	/* the version the person saw is required, and must be current */
	http_json(s, "POST", path, NULL, &r);
	check_error(&r, 400, "bad_request", "version");
	http_resp_free(&r);
	http_json(s, "POST", path, "{\"version\": 7}", &r);
	check_error(&r, 409, "conflict", "version");
	http_resp_free(&r);
	assert_int_equal(f.sessions, 0);
	http_json(s, "POST", path, "{\"version\": 1}", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "sent_to")),
			 2);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(r.json, "skipped"), 0)),
			    "Dee");
	http_resp_free(&r);
	pthread_mutex_lock(&f.mu);
	assert_non_null(strstr(f.log, "MAIL FROM:<debrief@example.com>"));
	assert_non_null(strstr(f.log, "RCPT TO:<eng@lists.example.com>"));
	assert_non_null(strstr(f.log, "RCPT TO:<cy@example.com>"));
	assert_non_null(strstr(f.log, "Subject: Invitation: Review meeting: "
				      "Disk full on db-3"));
	assert_non_null(strstr(f.log, "Content-Type: text/calendar; "
				      "charset=utf-8; method=REQUEST"));
	pthread_mutex_unlock(&f.mu);
	stop(s);
	fs_stop(&f);
}

static void test_send_fails_clearly_without_a_server(void **state)
{
	struct fake_smtp f;
	struct hs *s;
	char conf[256], path[64];
	struct http_resp r;
	int64_t id;

	(void)state;
	/* a port nothing listens on: the fake server, stopped */
	fs_start(&f);
	fs_stop(&f);
	snprintf(conf, sizeof conf,
		 "smtp_url = smtp://127.0.0.1:%d\nsmtp_starttls = false\n",
		 f.port);
	s = start_with(conf);
	id = create_review(s, "{\"title\": \"x\"}");
	http_json(s, "PUT",
		  PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		  MEETING, &r);
	http_resp_free(&r);
	http_json(s, "POST",
		  PATHF(path, "/api/v1/reviews/%lld/meeting/send",
			(long long)id),
		  "{\"version\": 1}", &r);
	check_error(&r, 502, "smtp_failed", "smtp");
	http_resp_free(&r);
	stop(s);
}

static void test_send_without_smtp_is_503(void **state)
{
	struct hs *s = start_with("# no smtp_url\n");
	char path[64];
	struct http_resp r;
	int64_t id;

	(void)state;
	id = create_review(s, "{\"title\": \"x\"}");
	http_json(s, "PUT",
		  PATHF(path, "/api/v1/reviews/%lld/meeting", (long long)id),
		  MEETING, &r);
	http_resp_free(&r);
	http_json(s, "POST",
		  PATHF(path, "/api/v1/reviews/%lld/meeting/send",
			(long long)id),
		  "{\"version\": 1}", &r);
	check_error(&r, 503, "not_configured", "smtp");
	http_resp_free(&r);
	stop(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send_mails_the_invite_to_every_address),
		cmocka_unit_test(test_send_fails_clearly_without_a_server),
		cmocka_unit_test(test_send_without_smtp_is_503),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
