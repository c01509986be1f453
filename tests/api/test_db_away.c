/* test_db_away.c: while the PostgreSQL database is away the server
 * answers 503 with Retry-After in the one error shape, reconnects by
 * itself when the database is back, and never half-writes a review: a
 * review and its children are all there or none of them; a review typed
 * in the web form meanwhile comes back whole. Also a server
 * killed (SIGKILL) in the middle of writes leaves no half-written review.
 *
 * "Away" is the test's own database refusing connections (ALTER DATABASE
 * ... ALLOW_CONNECTIONS false) with every backend of it terminated, as a
 * restart or a failover does it, without disturbing the other tests'
 * databases on the shared cluster. On SQLite these tests skip. */
#include "api/api_checks.h"
#include "unit/test_db.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define WRITERS	 4
#define ACKS_MAX 4096
/* the children each review is created with */
#define TIMELINE  3
#define FOLLOWUPS 2

struct load {
	struct hs *s;
	atomic_int stop;
	atomic_int acked;	/* 201s */
	atomic_int unavailable; /* 503s */
	atomic_int bad;		/* any other answer (its status) */
	pthread_mutex_t lock;
	int64_t ids[ACKS_MAX];
	int nids;
};

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static const char review_body[] =
	"{\"title\": \"away\", \"severity\": 2, \"timeline\": ["
	"{\"at\": \"2026-11-20T10:00:00Z\", \"text\": \"one\"},"
	"{\"at\": \"2026-11-20T10:01:00Z\", \"text\": \"two\"},"
	"{\"at\": \"2026-11-20T10:02:00Z\", \"text\": \"three\"}],"
	"\"followups\": [{\"title\": \"f1\"}, {\"title\": \"f2\"}]}";

/* writer creates reviews with children until stop; a 503 is an answer
 * (then it waits a little), anything but 201 or 503 is counted bad. */
static void *writer(void *arg)
{
	struct load *l = arg;

	while (!atomic_load(&l->stop)) {
		struct http_resp r;
		int st = http_json(l->s, "POST", "/api/v1/reviews",
				   review_body, &r);

		if (st == 201) {
			pthread_mutex_lock(&l->lock);
			if (l->nids < ACKS_MAX)
				l->ids[l->nids++] = json_integer_value(
					json_object_get(r.json, "id"));
			pthread_mutex_unlock(&l->lock);
			atomic_fetch_add(&l->acked, 1);
		} else if (st == 503) {
			atomic_fetch_add(&l->unavailable, 1);
			sleep_ms(20);
		} else if (st < 0) {
			http_resp_free(&r);
			break; /* the server is gone (SIGKILL) */
		} else {
			fprintf(stderr, "writer: unexpected %d: %s\n", st,
				r.body ? r.body : "");
			atomic_store(&l->bad, st);
		}
		http_resp_free(&r);
	}
	return NULL;
}

/* admin runs sql on the cluster's admin database, not the test's. */
static void admin(const char *sql)
{
	PGconn *c = test_pg_connect(getenv("DEBRIEF_TEST_PG"));
	PGresult *r;

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fprintf(stderr, "admin: %s: %s", sql, PQerrorMessage(c));
	assert_true(PQresultStatus(r) == PGRES_COMMAND_OK ||
		    PQresultStatus(r) == PGRES_TUPLES_OK);
	PQclear(r);
	PQfinish(c);
}

static const char *db_name(const struct hs *s)
{
	static char name[64];
	const char *p = strrchr(s->db, '/') + 1;

	snprintf(name, sizeof name, "%.*s", (int)strcspn(p, "?"), p);
	return name;
}

/* set_away makes the test's database refuse connections and ends every
 * one it has (away = 1), or lets them in again (away = 0). */
static void set_away(const struct hs *s, int away)
{
	char sql[256];

	snprintf(sql, sizeof sql,
		 "ALTER DATABASE %s ALLOW_CONNECTIONS %s", db_name(s),
		 away ? "false" : "true");
	admin(sql);
	if (!away)
		return;
	snprintf(sql, sizeof sql,
		 "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
		 "WHERE datname = '%s'",
		 db_name(s));
	admin(sql);
}

/* sql_count reads one number from the test's database. */
static long sql_count(const struct hs *s, const char *sql)
{
	PGconn *c = test_pg_connect(s->db);
	PGresult *r;
	long n = -1;

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	r = PQexec(c, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		n = atol(PQgetvalue(r, 0, 0));
	else
		fprintf(stderr, "sql_count: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return n;
}

/* check_whole: every review has all its children, and every one that
 * was acknowledged is there. */
static void check_whole(const struct hs *s, struct load *l)
{
	long half = sql_count(
		s, "SELECT count(*) FROM reviews r WHERE "
		   "(SELECT count(*) FROM timeline_entries t "
		   "WHERE t.review_id = r.id) <> 3 OR "
		   "(SELECT count(*) FROM followups f "
		   "WHERE f.review_id = r.id) <> 2");
	long total = sql_count(s, "SELECT count(*) FROM reviews");
	char sql[128];

	fprintf(stderr, "%ld reviews, %d acknowledged, %d answered 503\n",
		total, l->nids, atomic_load(&l->unavailable));
	assert_int_equal(half, 0);
	assert_true(total >= l->nids);
	for (int i = 0; i < l->nids; i++) {
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM reviews WHERE id = %lld",
			 (long long)l->ids[i]);
		assert_int_equal(sql_count(s, sql), 1);
	}
}

static void wait_acks(struct load *l, int n, long ms)
{
	for (long w = 0; atomic_load(&l->acked) < n && w < ms; w += 10)
		sleep_ms(10);
}

static void test_away_database_is_503_then_back_without_restart(void **state)
{
	struct hs *s = *state;
	struct load l = {.s = s};
	pthread_t t[WRITERS];
	struct http_resp r;
	char *retry;
	int before;

	if (!test_on_pg())
		skip();
	pthread_mutex_init(&l.lock, NULL);
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer, &l), 0);
	wait_acks(&l, 20, 30000);
	assert_true(atomic_load(&l.acked) >= 20);

	set_away(s, 1);
	/* a write: 503, Retry-After, the one error shape */
	assert_int_equal(http_json(s, "POST", "/api/v1/reviews",
				   "{\"title\": \"while away\"}", &r),
			 503);
	check_unavailable(&r);
	http_resp_free(&r);
	/* a page that needs the database: the HTML error page, 503 */
	assert_int_equal(http_get(s, "/?q=away", &r), 503);
	retry = http_header(&r, "Retry-After");
	assert_non_null(retry);
	free(retry);
	assert_non_null(strstr(r.body, "try again"));
	http_resp_free(&r);
	/* a review typed in the web form meanwhile: every word of it comes
	 * back, to send once the database is back */
	assert_int_equal(http_form(s, "/reviews",
				   "title=Typed+while+away&summary="
				   "Caf%C3%A9+KEEP%E2%9C%93",
				   &r),
			 503);
	assert_non_null(strstr(r.body, "form-refused"));
	assert_non_null(strstr(r.body, "Caf\xc3\xa9 KEEP\xe2\x9c\x93"));
	assert_non_null(strstr(r.body, "database is unavailable"));
	http_resp_free(&r);
	sleep_ms(1000); /* the writers meet it too */
	assert_true(atomic_load(&l.unavailable) > 0);

	set_away(s, 0);
	before = atomic_load(&l.acked);
	wait_acks(&l, before + 20, 30000);
	assert_true(atomic_load(&l.acked) >= before + 20);
	atomic_store(&l.stop, 1);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&l.bad), 0);
	/* reads work again too, on the same server */
	assert_int_equal(http_get(s, "/?q=away", &r), 200);
	http_resp_free(&r);
	check_whole(s, &l);
	pthread_mutex_destroy(&l.lock);
}

/* The backends are terminated again and again while the database still
 * takes connections (a pooler or a proxy restarting): every answer is
 * 201 or 503, and nothing is half-written. */
static void test_terminated_connections_never_half_write(void **state)
{
	struct hs *s = *state;
	struct load l = {.s = s};
	pthread_t t[WRITERS];
	char sql[256];

	if (!test_on_pg())
		skip();
	pthread_mutex_init(&l.lock, NULL);
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer, &l), 0);
	snprintf(sql, sizeof sql,
		 "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
		 "WHERE datname = '%s'",
		 db_name(s));
	for (int k = 0; k < 10; k++) {
		wait_acks(&l, (k + 1) * 10, 30000);
		admin(sql);
	}
	wait_acks(&l, atomic_load(&l.acked) + 10, 30000);
	atomic_store(&l.stop, 1);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&l.bad), 0);
	assert_true(atomic_load(&l.acked) >= 110);
	check_whole(s, &l);
	pthread_mutex_destroy(&l.lock);
}

static void test_sigkill_mid_write_leaves_no_half_review(void **state)
{
	struct hs *s = *state;
	struct load l = {.s = s};
	pthread_t t[WRITERS];

	if (!test_on_pg())
		skip();
	pthread_mutex_init(&l.lock, NULL);
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer, &l), 0);
	wait_acks(&l, 40, 30000);
	hs_kill(s); /* SIGKILL with writes in flight */
	atomic_store(&l.stop, 1);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&l.bad), 0);
	/* the killed server's transactions are rolled back by PostgreSQL
	 * once their connections close; wait for them to go */
	for (int w = 0; w < 100; w++) {
		char sql[256];

		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM pg_stat_activity WHERE "
			 "datname = '%s' AND pid <> pg_backend_pid()",
			 db_name(s));
		if (sql_count(s, sql) == 0)
			break;
		sleep_ms(50);
	}
	check_whole(s, &l);
	assert_int_equal(hs_start(s, NULL), 0); /* same database */
	create_review(s, review_body);
	pthread_mutex_destroy(&l.lock);
}

/* migrate_output runs `debrief migrate --db url`: its exit status, and
 * what it printed in out. */
static int migrate_output(const char *url, char *out, size_t n)
{
	const char *bin = getenv("DEBRIEF_BIN");
	char cmd[1024];
	FILE *fp;
	size_t got;
	int st;

	snprintf(cmd, sizeof cmd, "'%s' migrate --db '%s' 2>&1",
		 bin && *bin ? bin : "./debrief", url);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	got = fread(out, 1, n - 1, fp);
	out[got] = '\0';
	st = pclose(fp);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A database that refuses who we are (no such role, no such database)
 * is a configuration error that no retry mends: the command stops at
 * once and says so, rather than "unavailable, try again". */
static void test_refused_login_is_a_configuration_error(void **state)
{
	const char *admin = getenv("DEBRIEF_TEST_PG");
	const char *host, *slash;
	char url[512], out[2048];

	(void)state;
	if (!test_on_pg())
		skip();
	host = strchr(admin, '@');
	slash = host ? strchr(host, '/') : NULL;
	assert_non_null(slash);
	/* a role the cluster does not have */
	snprintf(url, sizeof url, "postgres://no_such_role%.*s",
		 (int)strcspn(host, "?"), host);
	assert_int_equal(migrate_output(url, out, sizeof out), 1);
	assert_non_null(strstr(out, "configuration error"));
	assert_non_null(strstr(out, "no_such_role"));
	assert_null(strstr(out, "try again"));
	/* a database the cluster does not have */
	snprintf(url, sizeof url, "postgres://debrief%.*s/no_such_db",
		 (int)(slash - host), host);
	assert_int_equal(migrate_output(url, out, sizeof out), 1);
	assert_non_null(strstr(out, "configuration error"));
	assert_non_null(strstr(out, "no_such_db"));
	/* a server that is not there is still "away" (503 while serving) */
	assert_int_equal(
		migrate_output("postgres://debrief@127.0.0.1:1/x", out,
			       sizeof out),
		1);
	assert_null(strstr(out, "configuration error"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_away_database_is_503_then_back_without_restart,
			server_up, server_down),
		cmocka_unit_test_setup_teardown(
			test_terminated_connections_never_half_write,
			server_up, server_down),
		cmocka_unit_test_setup_teardown(
			test_sigkill_mid_write_leaves_no_half_review,
			server_up, server_down),
		cmocka_unit_test(test_refused_login_is_a_configuration_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
