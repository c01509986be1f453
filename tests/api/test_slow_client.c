/* test_slow_client.c: slow clients must not stall anyone else. Against a
 * server started with short timeouts (idle_timeout = 3, request_timeout =
 * 4), a slowloris attack (200 connections that send one header byte a
 * second), slow POST bodies and a silent connection run while normal
 * requests on fresh connections are timed; then every slow connection must
 * have been closed by the server after its timeout. */
#include "api/api_checks.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IDLE_TIMEOUT	3 /* seconds, in the test's config file */
#define REQUEST_TIMEOUT 4
#define N_LORIS		200 /* headers, one byte a second */
#define N_SLOW_POST	20  /* bodies, one byte a second */
#define N_SLOW		(N_LORIS + N_SLOW_POST + 1) /* + one silent */
#define ATTACK_MS	((REQUEST_TIMEOUT + 3) * 1000)
#define PROMPT_MS	2000 /* a generous bound for a normal request */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int tcp_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* timed_get sends GET path on a new connection (Connection: close), reads
 * the answer to its end and returns the milliseconds it took; *status gets
 * the answer's status (0: none). */
static long long timed_get(int port, const char *path, int *status)
{
	struct timeval tv = {10, 0};
	long long t0 = now_ms();
	char req[256], buf[4096];
	ssize_t n;
	int fd = tcp_connect(port);

	*status = 0;
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	snprintf(req, sizeof req,
		 "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
		 path);
	assert_int_equal(send_all(fd, req), 0);
	n = recv(fd, buf, sizeof buf - 1, 0);
	if (n >= 12) {
		buf[n] = '\0';
		if (!strncmp(buf, "HTTP/1.1 ", 9))
			*status = atoi(buf + 9);
	}
	while (n > 0) /* the rest, up to the server's close */
		n = recv(fd, buf, sizeof buf, 0);
	close(fd);
	return now_ms() - t0;
}

static const char *const normal_paths[] = {"/api/v1/health", "/",
					   "/api/v1/reviews", "/reviews/new"};
#define N_PATHS (sizeof normal_paths / sizeof normal_paths[0])

/* round_of_requests makes each normal request once; returns the slowest
 * time and asserts that all were answered 200. */
static long long round_of_requests(int port)
{
	long long worst = 0;

	for (size_t i = 0; i < N_PATHS; i++) {
		int status;
		long long ms = timed_get(port, normal_paths[i], &status);

		if (status != 200)
			fail_msg("%s answered %d after %lld ms",
				 normal_paths[i], status, ms);
		if (ms > worst)
			worst = ms;
	}
	return worst;
}

/* ---- the attack ---- */

struct slow {
	int fd;
	int kind;			/* 0 slowloris, 1 slow POST, 2 silent */
	long long opened_ms, closed_ms; /* closed_ms 0: still open */
};

struct attack {
	struct slow conn[N_SLOW];
	atomic_int stop;
	pthread_t thread;
};

static void mark_closed(struct slow *c, long long now)
{
	if (!c->closed_ms)
		c->closed_ms = now;
}

/* attacker sends one byte on every slowloris and slow POST connection a
 * second, and notes when the server closes each connection. */
static void *attacker(void *arg)
{
	struct attack *a = arg;
	struct pollfd pfd[N_SLOW];
	long long next_byte = now_ms() + 1000;

	while (!atomic_load(&a->stop)) {
		long long now;
		nfds_t n = 0;
		int idx[N_SLOW];

		for (int i = 0; i < N_SLOW; i++) {
			if (a->conn[i].closed_ms)
				continue;
			pfd[n].fd = a->conn[i].fd;
			pfd[n].events = POLLIN | POLLRDHUP;
			pfd[n].revents = 0;
			idx[n++] = i;
		}
		poll(pfd, n, 100);
		now = now_ms();
		for (nfds_t k = 0; k < n; k++) {
			char c;

			if (!pfd[k].revents)
				continue;
			/* the server never answers these: anything readable
			 * is the end of the connection */
			if (recv(pfd[k].fd, &c, 1, MSG_DONTWAIT) <= 0 ||
			    (pfd[k].revents & (POLLHUP | POLLERR | POLLRDHUP)))
				mark_closed(&a->conn[idx[k]], now);
		}
		if (now < next_byte)
			continue;
		next_byte += 1000;
		for (int i = 0; i < N_SLOW; i++) {
			struct slow *c = &a->conn[i];

			if (c->closed_ms || c->kind == 2)
				continue;
			if (send(c->fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) <
			    0)
				mark_closed(c, now);
		}
	}
	return NULL;
}

static void attack_start(struct attack *a, int port)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < N_SLOW; i++) {
		struct slow *c = &a->conn[i];

		c->kind = i < N_LORIS ? 0 : i < N_LORIS + N_SLOW_POST ? 1 : 2;
		c->fd = tcp_connect(port);
		assert_true(c->fd >= 0);
		c->opened_ms = now_ms();
		if (c->kind == 0)
			assert_int_equal(send_all(c->fd, "GET / HTTP/1.1\r\n"
							 "Host: 127.0.0.1\r\n"
							 "X-Slow: "),
					 0);
		else if (c->kind == 1)
			assert_int_equal(
				send_all(c->fd,
					 "POST /api/v1/reviews HTTP/1.1\r\n"
					 "Host: 127.0.0.1\r\n"
					 "Content-Type: application/json\r\n"
					 "Content-Length: 1000\r\n\r\n"
					 "{\"title\": \""),
				0);
	}
	assert_int_equal(pthread_create(&a->thread, NULL, attacker, a), 0);
}

static void attack_stop(struct attack *a)
{
	atomic_store(&a->stop, 1);
	pthread_join(a->thread, NULL);
	for (int i = 0; i < N_SLOW; i++)
		close(a->conn[i].fd);
}

/* server_up_short_timeouts starts a server whose config file sets short
 * timeouts (and the default connection limit, 512). */
static int server_up_short_timeouts(void **state)
{
	struct hs *s = calloc(1, sizeof *s);
	char conf[128];

	if (!s)
		return -1;
	snprintf(conf, sizeof conf,
		 "idle_timeout = %d\nrequest_timeout = %d\nthreads = 2\n",
		 IDLE_TIMEOUT, REQUEST_TIMEOUT);
	*state = s;
	return hs_start_conf(s, conf, NULL);
}

static void
test_slow_clients_do_not_stall_others_and_are_cut_after_timeout(void **state)
{
	struct hs *s = *state;
	struct attack *a = calloc(1, sizeof *a);
	long long before = 0, during = 0, t0;
	char log[65536];
	FILE *f;
	size_t n;

	assert_non_null(a);
	for (int i = 0; i < 3; i++) {
		long long w = round_of_requests(s->port);

		before = w > before ? w : before;
	}

	attack_start(a, s->port);
	t0 = now_ms();
	sleep_ms(1500); /* every slow connection has begun */
	while (now_ms() - t0 < (REQUEST_TIMEOUT - 1) * 1000) {
		long long w = round_of_requests(s->port);

		during = w > during ? w : during;
		sleep_ms(100);
	}
	print_message("slowest normal request: %lld ms before, %lld ms "
		      "during the attack of %d connections\n",
		      before, during, N_SLOW);
	assert_true(during <= PROMPT_MS);

	while (now_ms() - t0 < ATTACK_MS)
		sleep_ms(100);
	attack_stop(a);
	for (int i = 0; i < N_SLOW; i++) {
		struct slow *c = &a->conn[i];
		long long lived = c->closed_ms - c->opened_ms;

		if (!c->closed_ms)
			fail_msg("slow connection %d (kind %d) still open "
				 "after %d ms",
				 i, c->kind, ATTACK_MS);
		/* the silent one goes after idle_timeout, the others after
		 * request_timeout, not before */
		if (lived <
		    (c->kind == 2 ? IDLE_TIMEOUT : REQUEST_TIMEOUT) * 1000 -
			    500)
			fail_msg("slow connection %d (kind %d) closed after "
				 "only %lld ms",
				 i, c->kind, lived);
	}
	/* the slow bodies created nothing, and the server still answers */
	assert_int_equal(review_total(s, 0), 0);
	round_of_requests(s->port);
	f = fopen(s->log, "r");
	assert_non_null(f);
	n = fread(log, 1, sizeof log - 1, f);
	log[n] = '\0';
	fclose(f);
	assert_non_null(strstr(log, "(request_timeout)"));
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_slow_clients_do_not_stall_others_and_are_cut_after_timeout,
			server_up_short_timeouts, server_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
