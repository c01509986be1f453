/* test_slow_handlers.c: a request that waits in its handler does not hold
 * up the others (issue 21). The tests hold the database's write lock from
 * outside, so that saves wait for it in their handlers, and time reads in
 * the meantime: on fresh connections with more saves waiting than
 * handler places (those waiting for the write turn give theirs up), and
 * on keep-alive connections opened before, with two threads. A save
 * that waits longer than the busy timeout is 503; the gate keeps the
 * order of arrival. */
#include "api/account_checks.h"
#include <dirent.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "unit/test_db.h"

#define N_WAITING 8    /* saves waiting for the lock at once */
#define GATE_ROOM "4"  /* threads: fewer than N_WAITING */
#define HOLD_MS	  2500 /* how long the test holds the lock */
#define PROMPT_MS 1000 /* a generous bound for a read meanwhile */

struct saver {
	struct hs *s;
	int64_t id;
	int n;
	long status;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* server_up_conf starts a server with the configuration text conf. */
static int server_up_conf(void **state, const char *text)
{
	struct hs *s = calloc(1, sizeof *s);

	if (!s)
		return -1;
	*state = s;
	return hs_start_conf(s, text, NULL);
}

static int server_up_small_gate(void **state)
{
	return server_up_conf(state, "threads = " GATE_ROOM "\n");
}

/* lock_db holds the database's write lock from outside (another
 * process would: a backup, an import) until unlock_db. */
static sqlite3 *lock_db(struct hs *s)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	return db;
}

static void unlock_db(sqlite3 *db)
{
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
}

static void *save(void *arg)
{
	struct saver *sv = arg;
	struct http_resp r;
	char path[64], body[96];

	snprintf(body, sizeof body,
		 "{\"version\": 1, \"title\": \"Saved by %d\"}", sv->n);
	sv->status = http_json(
		sv->s, "PATCH",
		PATHF(path, "/api/v1/reviews/%lld", (long long)sv->id), body,
		&r);
	http_resp_free(&r);
	return NULL;
}

/* More saves than handler places (N_WAITING, `threads` GATE_ROOM) wait
 * for the write turn behind a lock held from outside: the health check
 * and a cached review page are answered at once all the same, as a save
 * in the line of writes gives up its place while it waits. */
static void test_reads_are_answered_while_saves_wait_for_the_lock(void **state)
{
	struct hs *s = *state;
	int64_t id;
	struct saver sv[N_WAITING];
	pthread_t th[N_WAITING];
	struct http_resp r;
	sqlite3 *db;
	char path[64];
	int ok = 0;

	if (test_on_pg())
		skip(); /* it holds SQLite's file lock from outside */
	id = create_review(s, "{\"title\": \"Lock wait\"}");
	db = lock_db(s);
	for (int i = 0; i < N_WAITING; i++) {
		sv[i] = (struct saver){s, id, i, 0};
		assert_int_equal(pthread_create(&th[i], NULL, save, &sv[i]), 0);
	}
	usleep(300 * 1000); /* the saves reach the lock */
	for (long long end = now_ms() + HOLD_MS - 800; now_ms() < end;) {
		const char *paths[] = {"/api/v1/health", NULL};
		long long t0;

		paths[1] = PATHF(path, "/reviews/%lld", (long long)id);
		for (int k = 0; k < 2; k++) {
			t0 = now_ms();
			assert_int_equal(http_get(s, paths[k], &r), 200);
			http_resp_free(&r);
			if (now_ms() - t0 > PROMPT_MS)
				fail_msg("GET %s took %lld ms while %d saves "
					 "waited for the lock",
					 paths[k], now_ms() - t0, N_WAITING);
		}
		usleep(100 * 1000);
	}
	unlock_db(db);
	for (int i = 0; i < N_WAITING; i++) {
		pthread_join(th[i], NULL);
		/* one save of version 1 wins, the others are stale */
		assert_true(sv[i].status == 200 || sv[i].status == 409);
		ok += sv[i].status == 200;
	}
	assert_int_equal(ok, 1);
}

/* A raw keep-alive connection: requests are sent and answers read one at
 * a time, so that the test knows the connection it uses. */
static int conn_open(int port)
{
	struct sockaddr_in sa;
	struct timeval tv = {10, 0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static void conn_send(int fd, const char *method, const char *path,
		      const char *json)
{
	char req[512];
	int n = snprintf(req, sizeof req,
			 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			 "Content-Type: application/json\r\n"
			 "Content-Length: %zu\r\n\r\n%s",
			 method, path, json ? strlen(json) : 0,
			 json ? json : "");

	assert_true(n > 0 && (size_t)n < sizeof req);
	assert_int_equal(send(fd, req, (size_t)n, MSG_NOSIGNAL), n);
}

/* conn_answer reads one answer (headers and a Content-Length body) and
 * returns its status; 0 when none came within 10 s. */
static int conn_answer(int fd)
{
	char buf[16384], *end, *cl;
	size_t have = 0, need;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf + have, sizeof buf - 1 - have, 0);
		if (n <= 0)
			return 0;
		have += (size_t)n;
		buf[have] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")))
			break;
	}
	cl = strcasestr(buf, "\r\nContent-Length:");
	assert_non_null(cl);
	need = (size_t)(end + 4 - buf) + strtoul(cl + 17, NULL, 10);
	assert_true(need < sizeof buf);
	while (have < need) {
		n = recv(fd, buf + have, need - have, 0);
		if (n <= 0)
			return 0;
		have += (size_t)n;
	}
	return strncmp(buf, "HTTP/1.1 ", 9) ? 0 : atoi(buf + 9);
}

#define N_CONNS 6 /* keep-alive connections, on two threads */

static int server_up_two_threads(void **state)
{
	return server_up_conf(state, "threads = 2\n");
}

/* With two threads, a save waiting for the lock on one keep-alive
 * connection holds up no request on the others: each is answered by the
 * free thread, whichever connection it came on. It is done twice, the
 * save on the first connection and then on the second: a server whose
 * threads each serve the connections they accepted (libmicrohttpd's pool)
 * fails one of the two, as one of them shares its thread with another
 * connection. */
static void test_a_waiting_save_holds_up_no_other_connection(void **state)
{
	struct hs *s = *state;
	int fd[N_CONNS];
	int64_t id;
	sqlite3 *db;
	char path[64], body[96];

	if (test_on_pg())
		skip(); /* it holds SQLite's file lock from outside */
	id = create_review(s, "{\"title\": \"Lock wait on one connection\"}");
	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	for (int i = 0; i < N_CONNS; i++) {
		fd[i] = conn_open(s->port);
		conn_send(fd[i], "GET", "/api/v1/health", NULL);
		assert_int_equal(conn_answer(fd[i]), 200);
	}
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	for (int slow = 0; slow < 2; slow++) {
		assert_int_equal(
			sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			SQLITE_OK);
		snprintf(body, sizeof body,
			 "{\"version\": %d, \"title\": \"Saved %d\"}", slow + 1,
			 slow);
		conn_send(fd[slow], "PATCH", path, body);
		usleep(300 * 1000); /* the save reaches the lock */
		for (int i = 0; i < N_CONNS; i++) {
			long long t0 = now_ms();

			if (i == slow)
				continue;
			conn_send(fd[i], "GET", "/api/v1/health", NULL);
			assert_int_equal(conn_answer(fd[i]), 200);
			if (now_ms() - t0 > PROMPT_MS)
				fail_msg("GET on connection %d took %lld ms "
					 "while a save on connection %d "
					 "waited for the lock",
					 i, now_ms() - t0, slow);
		}
		assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
				 SQLITE_OK);
		assert_int_equal(conn_answer(fd[slow]), 200);
	}
	sqlite3_close(db);
	for (int i = 0; i < N_CONNS; i++)
		close(fd[i]);
}

/* db_fds counts the server's open descriptors of the database file (one
 * a pooled SQLite connection). */
static int db_fds(struct hs *s)
{
	char d[64], l[512], t[600];
	struct dirent *de;
	DIR *dir;
	int n = 0;

	snprintf(d, sizeof d, "/proc/%d/fd", (int)s->pid);
	dir = opendir(d);
	assert_non_null(dir);
	while ((de = readdir(dir))) {
		ssize_t k;

		snprintf(t, sizeof t, "%s/%s", d, de->d_name);
		k = readlink(t, l, sizeof l - 1);
		if (k <= 0)
			continue;
		l[k] = '\0';
		n += strstr(l, s->db) && !strstr(l, "-wal") &&
		     !strstr(l, "-shm");
	}
	closedir(dir);
	return n;
}

/* Refusals answered before the body is read (here 413 on an announced
 * Content-Length) look up the session too, and a session due for a touch
 * waits for the write lock there: they take a handler place like any
 * request, so that `threads` (2) bounds the database connections (the
 * pool never shrinks); the touches waiting in the line of writes hold
 * neither a connection nor a place, so a health check meanwhile is
 * answered at once. */
static void test_refusals_take_a_handler_place(void **state)
{
	struct hs *s = *state;
	char cookie[256], req[768];
	int fd[10], before, during, after, n;
	struct http_resp r;
	long long t0, waited;
	sqlite3 *db;

	if (test_on_pg())
		skip();
	acct_add_user(s, "ann", "admin");
	assert_int_equal(
		acct_login(s, "ann", "pw-of-ann", cookie, sizeof cookie), 303);
	assert_true(cookie[0]);
	before = db_fds(s);
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db,
				      "UPDATE sessions SET last_seen = "
				      "last_seen - 300",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	n = snprintf(req, sizeof req,
		     "POST /api/v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n"
		     "Content-Type: application/json\r\n"
		     "Content-Length: 999999999999\r\n\r\n",
		     cookie);
	for (int i = 0; i < 10; i++) {
		fd[i] = conn_open(s->port);
		assert_int_equal(send(fd[i], req, (size_t)n, MSG_NOSIGNAL), n);
	}
	usleep(1500 * 1000);
	during = db_fds(s);
	/* the touches wait in the line of writes, out of the gate */
	t0 = now_ms();
	assert_int_equal(http_get(s, "/api/v1/health", &r), 200);
	http_resp_free(&r);
	waited = now_ms() - t0;
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(conn_answer(fd[i]), 413);
		close(fd[i]);
	}
	usleep(200 * 1000);
	after = db_fds(s);
	if (waited > PROMPT_MS)
		fail_msg("GET /api/v1/health took %lld ms while 10 session "
			 "touches waited for the lock (threads = 2)",
			 waited);
	if (during > before + 2 || after > before + 2)
		fail_msg("database connections: %d before, %d during, %d "
			 "after (threads = 2)",
			 before, during, after);
}

static int server_up_gate1_idle2(void **state)
{
	return server_up_conf(state, "threads = 1\nidle_timeout = 2\n");
}

/* A request waiting at the gate longer than idle_timeout is still
 * answered: the idle timeout does not cut a request that is all in. */
static void
test_a_request_waiting_at_the_gate_outlives_idle_timeout(void **state)
{
	struct hs *s = *state;
	int fd[2], st;
	int64_t id;
	sqlite3 *db;
	char path[64];
	long long t0, waited;

	if (test_on_pg())
		skip();
	id = create_review(s, "{\"title\": \"Idle\"}");
	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	for (int i = 0; i < 2; i++)
		fd[i] = conn_open(s->port);
	db = lock_db(s);
	conn_send(fd[0], "PATCH", path, "{\"version\": 1, \"title\": \"x\"}");
	usleep(300 * 1000);
	t0 = now_ms();
	conn_send(fd[1], "GET", "/api/v1/health", NULL);
	st = conn_answer(fd[1]);
	waited = now_ms() - t0;
	unlock_db(db);
	close(fd[0]);
	close(fd[1]);
	assert_int_equal(st, 200);
	/* answered at once: the save had not reached the gate in 300 ms (a
	 * very busy machine), so the wait was not tested */
	if (waited <= 2000)
		skip();
}

/* A save that waits for the lock longer than the busy timeout (5 s) is
 * answered 503 with Retry-After, in the API's one error shape, like one
 * made while PostgreSQL is away; nothing of it is written. */
static void test_a_save_that_waits_past_the_busy_timeout_is_503(void **state)
{
	struct hs *s = *state;
	struct http_resp r;
	int64_t id;
	sqlite3 *db;
	char path[64];
	json_t *j;

	if (test_on_pg())
		skip(); /* it holds SQLite's file lock from outside */
	id = create_review(s, "{\"title\": \"Timed out\"}");
	db = lock_db(s);
	http_json(s, "PATCH",
		  PATHF(path, "/api/v1/reviews/%lld", (long long)id),
		  "{\"version\": 1, \"title\": \"Never saved\", "
		  "\"summary\": \"half\"}",
		  &r);
	unlock_db(db);
	check_unavailable(&r);
	http_resp_free(&r);
	j = get_review(s, id);
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "title")),
			    "Timed out");
	assert_true(!json_string_length(json_object_get(j, "summary")));
	json_decref(j);
}

/* A line of saves behind a lock held past the busy timeout is answered
 * 503 together once the first of them gives up, not a busy timeout each
 * (the k-th after k * 5 s, and a stopping server waiting for them all). */
static void test_a_line_behind_a_held_lock_is_answered_at_once(void **state)
{
	struct hs *s = *state;
	struct saver sv[N_WAITING];
	pthread_t th[N_WAITING];
	long long t0, took;
	int64_t id;
	sqlite3 *db;
	json_t *j;

	if (test_on_pg())
		skip(); /* it holds SQLite's file lock from outside */
	id = create_review(s, "{\"title\": \"Held\"}");
	db = lock_db(s);
	t0 = now_ms();
	for (int i = 0; i < N_WAITING; i++) {
		sv[i] = (struct saver){s, id, i, 0};
		assert_int_equal(pthread_create(&th[i], NULL, save, &sv[i]), 0);
	}
	for (int i = 0; i < N_WAITING; i++)
		pthread_join(th[i], NULL);
	took = now_ms() - t0;
	unlock_db(db);
	for (int i = 0; i < N_WAITING; i++)
		assert_int_equal(sv[i].status, 503);
	if (took > 9000)
		fail_msg("%d saves behind a held lock took %lld ms: a busy "
			 "timeout each",
			 N_WAITING, took);
	j = get_review(s, id);
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
	json_decref(j);
}

static int server_up_gate1(void **state)
{
	return server_up_conf(state, "threads = 1\n");
}

#define N_ORDER 5 /* saves waiting at a gate of one place */

/* With one handler place taken by a save waiting for the lock (the
 * writer with the turn keeps its place: it waits for SQLite, not in the
 * line), saves sent one after another wait at the gate; each names the
 * version the one before it makes, so each is 200 only when they enter
 * in the order they came. */
static void test_the_gate_keeps_the_order_of_arrival(void **state)
{
	struct hs *s = *state;
	int fd[N_ORDER];
	int64_t id;
	sqlite3 *db;
	char path[64], body[96];

	if (test_on_pg())
		skip();
	id = create_review(s, "{\"title\": \"In order\"}");
	PATHF(path, "/api/v1/reviews/%lld", (long long)id);
	for (int i = 0; i < N_ORDER; i++)
		fd[i] = conn_open(s->port);
	db = lock_db(s);
	for (int i = 0; i < N_ORDER; i++) {
		snprintf(body, sizeof body,
			 "{\"version\": %d, \"title\": \"Save %d\"}", i + 1, i);
		conn_send(fd[i], "PATCH", path, body);
		usleep(150 * 1000); /* it reaches the gate before the next */
	}
	unlock_db(db);
	for (int i = 0; i < N_ORDER; i++) {
		int st = conn_answer(fd[i]);

		if (st != 200)
			fail_msg("save %d of %d in order of arrival: %d", i + 1,
				 N_ORDER, st);
		close(fd[i]);
	}
	assert_int_equal(review_version(s, id), N_ORDER + 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, server_up, server_down)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_a_request_waiting_at_the_gate_outlives_idle_timeout,
			server_up_gate1_idle2, server_down),
		cmocka_unit_test_setup_teardown(
			test_reads_are_answered_while_saves_wait_for_the_lock,
			server_up_small_gate, server_down),
		T(test_a_save_that_waits_past_the_busy_timeout_is_503),
		T(test_a_line_behind_a_held_lock_is_answered_at_once),
		cmocka_unit_test_setup_teardown(
			test_the_gate_keeps_the_order_of_arrival,
			server_up_gate1, server_down),
		cmocka_unit_test_setup_teardown(
			test_a_waiting_save_holds_up_no_other_connection,
			server_up_two_threads, server_down),
		cmocka_unit_test_setup_teardown(
			test_refusals_take_a_handler_place,
			server_up_two_threads, server_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
