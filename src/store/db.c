/* db.c: choosing the driver of a database URL. */
#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/db_driver.h"

int db_url_is_postgres(const char *url)
{
	return url && (!strncmp(url, "postgres://", 11) ||
		       !strncmp(url, "postgresql://", 13));
}

const char *db_sqlite_file(const char *url)
{
	if (!strncmp(url, "sqlite://", 9))
		return url + 9;
	if (!strncmp(url, "sqlite:", 7))
		return url + 7;
	return url;
}

int db_open(const char *url, int readonly, struct db **out, char *msg,
	    unsigned n)
{
	*out = NULL;
	if (!url || !*url) {
		snprintf(msg, n, "no database given");
		return DB_ERROR;
	}
	if (db_url_is_postgres(url))
		return db_pg_open(url, out, msg, n);
	url = db_sqlite_file(url);
	if (!*url) {
		snprintf(msg, n, "no database file given");
		return DB_ERROR;
	}
	if (!strcmp(url, ":memory:")) {
		/* every pooled connection would get a database of its own */
		snprintf(msg, n,
			 "an in-memory database cannot be shared between "
			 "threads; give a file");
		return DB_ERROR;
	}
	return db_sqlite_open(url, readonly, out, msg, n);
}
