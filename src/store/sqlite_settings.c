/* sqlite_settings.c: the settings table of store.h (small values of the
 * installation shared by every server, such as the server secret). */
#include <string.h>

#include "store/sqlite_internal.h"

enum err_code store_setting_ensure(struct store *st, struct arena *a,
				   const char *key, const char *value,
				   const char **out, struct err *e)
{
	struct conn *c;
	struct db_stmt *s = NULL;
	const char *text;
	enum err_code rc;
	int step;

	ERR_LOCAL(e);
	*out = NULL;
	c = conn_get(st, e);
	if (!c)
		return e->code;
	rc = tx_begin(c, 1, e);
	if (rc != E_OK)
		goto out;
	/* the first writer's value stays; later ones read it */
	s = conn_stmt(c,
		      "INSERT INTO settings (key, value) VALUES (?1, ?2) "
		      "ON CONFLICT (key) DO NOTHING",
		      e);
	if (!s)
		goto fail;
	db_bind_text(s, 1, key, -1, DB_STATIC);
	db_bind_text(s, 2, value, -1, DB_STATIC);
	step = db_step(s);
	if (step != DB_DONE)
		db_err(c, e, "settings");
	conn_done(c, s);
	if (step != DB_DONE)
		goto fail;
	s = conn_stmt(c, "SELECT value FROM settings WHERE key = ?1", e);
	if (!s)
		goto fail;
	db_bind_text(s, 1, key, -1, DB_STATIC);
	step = db_step(s);
	if (step != DB_ROW) {
		db_err(c, e, "settings");
		conn_done(c, s);
		goto fail;
	}
	text = db_column_text(s, 0);
	*out = text ? arena_strdup(a, text) : NULL;
	conn_done(c, s);
	if (!*out) {
		err_set(e, E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	rc = tx_commit(c, e);
	goto out;
fail:
	rc = e->code;
	tx_rollback(c);
out:
	conn_put(c);
	return rc;
}
