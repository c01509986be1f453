/* test_db.h: the database a store test runs on. Unset DEBRIEF_TEST_PG,
 * a SQLite file in the test's directory; set (tests/pg/run.sh sets it to
 * the URL of a throwaway cluster), a new PostgreSQL database per test,
 * so that the conformance suites run unchanged on both backends. */
#ifndef DEBRIEF_TEST_DB_H
#define DEBRIEF_TEST_DB_H

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* test_on_pg tells whether the tests run on PostgreSQL. */
static inline int test_on_pg(void)
{
	const char *u = getenv("DEBRIEF_TEST_PG");

	return u && *u;
}

/* test_pg_connect connects to url without its query: debrief's own
 * parameters there (pool_mode=transaction, tests/pg/pgbouncer.sh) are
 * not libpq's. */
static inline PGconn *test_pg_connect(const char *url)
{
	char plain[512];

	snprintf(plain, sizeof plain, "%.*s", (int)strcspn(url, "?"), url);
	return PQconnectdb(plain);
}

/* test_db_url writes into url (size n) a fresh database: dir/test.db, or
 * on PostgreSQL a new database of the cluster (its name from the pid, a
 * count and the microsecond: each file that includes this has a count of
 * its own); 0, or -1 with a message on stderr. */
static inline int test_db_url(char *url, size_t n, const char *dir)
{
	static int count;
	const char *admin = getenv("DEBRIEF_TEST_PG");
	char name[64], sql[128];
	const char *slash, *query;
	PGconn *c;
	PGresult *r;
	struct timespec now;
	int ok;

	if (!test_on_pg()) {
		snprintf(url, n, "%s/test.db", dir);
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(name, sizeof name, "t_%ld_%d_%ld", (long)getpid(), ++count,
		 (long)(now.tv_nsec / 1000));
	c = test_pg_connect(admin);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "test_db_url: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "test_db_url: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	/* the admin URL with its database name replaced, its query kept */
	query = admin + strcspn(admin, "?");
	for (slash = query; slash > admin && *slash != '/';)
		slash--;
	snprintf(url, n, "%.*s/%s%s", (int)(slash - admin), admin, name,
		 query);
	return ok ? 0 : -1;
}

#endif
