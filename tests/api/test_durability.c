/* test_durability.c: no acknowledged write is lost. A stream of creates is
 * cut by SIGKILL; after a restart on the same database every review that
 * got its 201 is there. SIGTERM lets requests in flight finish, and the
 * server exits 0. */
#include "api/api_checks.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STREAM_MAX 200
#define KILL_AFTER 60

/* A writer creates reviews "durable N" one after another and records the
 * id of every one acknowledged with 201. */
struct writer {
	struct hs *s;
	int tag;
	pthread_mutex_t lock;
	int64_t acked_id[STREAM_MAX];
	int acked_n[STREAM_MAX];
	int nacked;
	int bad_status; /* an answer other than 201 or 503 */
};

static void *writer_run(void *arg)
{
	struct writer *w = arg;
	char body[128];

	for (int i = 0; i < STREAM_MAX; i++) {
		struct http_resp r;
		int status;

		snprintf(body, sizeof body,
			 "{\"title\": \"durable %d-%d\", \"severity\": 3}",
			 w->tag, i);
		status = http_json(w->s, "POST", "/api/v1/reviews", body, &r);
		if (status < 0)
			break; /* the server is gone */
		pthread_mutex_lock(&w->lock);
		if (status == 201) {
			w->acked_id[w->nacked] = json_integer_value(
				json_object_get(r.json, "id"));
			w->acked_n[w->nacked++] = i;
		} else if (status != 503) {
			/* 503 while draining is an answer; anything else is
			 * a bug */
			w->bad_status = status;
		}
		pthread_mutex_unlock(&w->lock);
		http_resp_free(&r);
		if (status != 201)
			break;
	}
	return NULL;
}

static int writer_count(struct writer *w)
{
	int n;

	pthread_mutex_lock(&w->lock);
	n = w->nacked;
	pthread_mutex_unlock(&w->lock);
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* wait_exit waits at most ms for the server to exit by itself; returns
 * its exit status, 128 + signal, or -1 (then kills it). */
static int wait_exit(struct hs *s, long ms)
{
	int status;

	for (long waited = 0; waited < ms; waited += 10) {
		pid_t r = waitpid(s->pid, &status, WNOHANG);

		if (r == s->pid) {
			s->pid = 0;
			if (WIFEXITED(status))
				return WEXITSTATUS(status);
			return WIFSIGNALED(status) ? 128 + WTERMSIG(status)
						   : -1;
		}
		sleep_ms(10);
	}
	hs_kill(s);
	return -1;
}

/* check_acked: after a restart every acknowledged review reads back with
 * the title that was sent. */
static void check_acked(struct hs *s, const struct writer *w)
{
	char path[64], title[64];

	for (int i = 0; i < w->nacked; i++) {
		json_t *j = get_json(s,
				     PATHF(path, "/api/v1/reviews/%lld",
					   (long long)w->acked_id[i]),
				     200);

		snprintf(title, sizeof title, "durable %d-%d", w->tag,
			 w->acked_n[i]);
		assert_string_equal(jstr(j, "title"), title);
		json_decref(j);
	}
}

static void test_every_acknowledged_write_survives_sigkill(void **state)
{
	struct hs *s = *state;
	struct writer w = {.s = s, .tag = 1};
	pthread_t t;
	int waited = 0;

	pthread_mutex_init(&w.lock, NULL);
	assert_int_equal(pthread_create(&t, NULL, writer_run, &w), 0);
	while (writer_count(&w) < KILL_AFTER && waited < 60000) {
		sleep_ms(2);
		waited += 2;
	}
	hs_kill(s); /* SIGKILL in the middle of the stream */
	pthread_join(t, NULL);
	pthread_mutex_destroy(&w.lock);
	fprintf(stderr, "%d of %d creates acknowledged before SIGKILL\n",
		w.nacked, STREAM_MAX);
	assert_true(w.nacked >= KILL_AFTER);
	assert_int_equal(w.bad_status, 0);

	assert_int_equal(hs_start(s, NULL), 0); /* same dir, same db */
	check_acked(s, &w);
	assert_true(review_total(s, 0) >= w.nacked);
	/* the restarted server takes writes again */
	create_review(s, "{\"title\": \"after the crash\"}");
}

/* slow_post opens a connection and sends the headers and the first half
 * of a create; finish_post sends the rest and reads the status code. */
static int slow_post(struct hs *s, const char *body)
{
	struct sockaddr_in sa = {0};
	char head[256];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)s->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		goto fail;
	snprintf(head, sizeof head,
		 "POST /api/v1/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		 "\r\n",
		 strlen(body));
	if (send(fd, head, strlen(head), MSG_NOSIGNAL) < 0 ||
	    send(fd, body, strlen(body) / 2, MSG_NOSIGNAL) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static long finish_post(int fd, const char *body)
{
	size_t half = strlen(body) / 2, got = 0;
	char buf[4096];
	long status = -1;

	if (send(fd, body + half, strlen(body) - half, MSG_NOSIGNAL) < 0)
		return -1;
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&p, 1, 20000) <= 0)
			break;
		n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n") || got == sizeof buf - 1)
			break;
	}
	if (got > 12 && !strncmp(buf, "HTTP/1.1 ", 9))
		status = strtol(buf + 9, NULL, 10);
	return status;
}

static void test_sigterm_answers_requests_in_flight_and_exits_0(void **state)
{
	struct hs *s = *state;
	const char *body = "{\"title\": \"in flight when SIGTERM came\","
			   " \"summary\": \"half of this body arrives after "
			   "the signal\"}";
	struct writer w = {.s = s, .tag = 2};
	pthread_t t;
	int fd, waited = 0;
	long status;
	json_t *j;

	/* a stream of writes plus one request caught half-sent */
	pthread_mutex_init(&w.lock, NULL);
	fd = slow_post(s, body);
	assert_true(fd >= 0);
	assert_int_equal(pthread_create(&t, NULL, writer_run, &w), 0);
	while (writer_count(&w) < 20 && waited < 60000) {
		sleep_ms(2);
		waited += 2;
	}
	assert_int_equal(kill(s->pid, SIGTERM), 0);
	sleep_ms(300);
	status = finish_post(fd, body);
	close(fd);
	assert_int_equal(status, 201);
	/* wait without a second signal */
	assert_int_equal(wait_exit(s, 20000), 0);
	pthread_join(t, NULL);
	pthread_mutex_destroy(&w.lock);
	fprintf(stderr, "%d creates acknowledged around SIGTERM\n", w.nacked);
	/* requests were answered 201 or refused, never answered badly */
	assert_int_equal(w.bad_status, 0);

	assert_int_equal(hs_start(s, NULL), 0);
	check_acked(s, &w);
	j = get_json(s, "/api/v1/reviews?q=flight", 200);
	assert_int_equal(jint(j, "total"), 1);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_every_acknowledged_write_survives_sigkill,
			server_up, server_down),
		cmocka_unit_test_setup_teardown(
			test_sigterm_answers_requests_in_flight_and_exits_0,
			server_up, server_down),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
