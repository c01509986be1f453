/* fuzz_config.c: libFuzzer target for the config file parser
 * (config_load). The input is the file's content, handed over through a
 * memfd so that no file is written per run.
 *
 * Invariants: a refused file is E_INVALID with "path:line: " in the
 * message and leaves nothing half-checked behind; an accepted one holds
 * only values in their ranges: a listen address config_listen_split
 * accepts, NUL-terminated UTF-8 strings, sizes and durations within their
 * limits. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "fuzz/fuzz_common.h"
#include "util/utf8.h"

static void check_str(const char *s, size_t cap, const char *name)
{
	size_t n = strnlen(s, cap);

	FUZZ_ASSERT(n < cap, "%s is not NUL-terminated", name);
	FUZZ_ASSERT(utf8_valid(s, n, NULL), "%s is not UTF-8", name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct config c;
	char host[128];
	int port;
	struct err e;

	if (fd < 0) {
		fd = memfd_create("debrief.conf", 0);
		FUZZ_ASSERT(fd >= 0, "memfd_create");
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	FUZZ_ASSERT(ftruncate(fd, 0) == 0, "ftruncate");
	FUZZ_ASSERT(pwrite(fd, data, size, 0) == (ssize_t)size, "pwrite");

	config_defaults(&c);
	err_clear(&e);
	if (config_load(&c, path, 1, &e) != E_OK) {
		FUZZ_ASSERT(e.code == E_INVALID || e.code == E_IO,
			    "code %d: %s", e.code, e.message);
		FUZZ_ASSERT(!strncmp(e.message, path, strlen(path)),
			    "message without the path: %s", e.message);
		return 0;
	}
	check_str(c.db, sizeof c.db, "db");
	check_str(c.listen, sizeof c.listen, "listen");
	check_str(c.anonymous_user, sizeof c.anonymous_user, "anonymous_user");
	check_str(c.proxy_user_header, sizeof c.proxy_user_header,
		  "proxy_user_header");
	check_str(c.trusted_proxies, sizeof c.trusted_proxies,
		  "trusted_proxies");
	for (int i = 1; i <= 5; i++)
		check_str(c.severity[i], sizeof c.severity[i], "severity");
	FUZZ_ASSERT(c.db[0] && c.anonymous_user[0], "empty db or user");
	FUZZ_ASSERT(config_listen_split(&c, host, sizeof host, &port, &e) ==
				    E_OK &&
			    port >= 0 && port <= 65535,
		    "accepted listen \"%s\" does not split", c.listen);
	FUZZ_ASSERT(c.max_body >= 1 && c.max_body <= (1u << 30), "max_body %zu",
		    c.max_body);
	FUZZ_ASSERT(c.threads >= 0 && c.threads <= 256, "threads %d",
		    c.threads);
	FUZZ_ASSERT(c.page_size >= 1 && c.page_size <= 500, "page_size %d",
		    c.page_size);
	FUZZ_ASSERT(c.session_idle >= 1 && c.session_idle <= 366L * 86400 &&
			    c.session_max >= 1 && c.session_max <= 366L * 86400,
		    "sessions %ld %ld", c.session_idle, c.session_max);
	FUZZ_ASSERT(c.max_header >= 8 * 1024 && c.max_header <= 1024 * 1024,
		    "max_header %zu", c.max_header);
	FUZZ_ASSERT(c.idle_timeout >= 1 && c.idle_timeout <= 366L * 86400 &&
			    c.request_timeout >= 1 &&
			    c.request_timeout <= 366L * 86400,
		    "timeouts %ld %ld", c.idle_timeout, c.request_timeout);
	FUZZ_ASSERT(c.max_connections >= 1 && c.max_connections <= 65536 &&
			    c.max_connections_per_ip >= 0 &&
			    c.max_connections_per_ip <= 65536,
		    "connections %d %d", c.max_connections,
		    c.max_connections_per_ip);
	FUZZ_ASSERT(c.cookie_secure == 0 || c.cookie_secure == 1,
		    "cookie_secure %d", c.cookie_secure);
	/* trackers: names as tracker.NAME.KEY allows, strings terminated,
	 * URLs http(s) without a trailing slash, values in range */
	FUZZ_ASSERT(c.ntrackers >= 0 && c.ntrackers <= CONFIG_MAX_TRACKERS,
		    "ntrackers %d", c.ntrackers);
	FUZZ_ASSERT(c.sync_interval >= 0 && c.sync_interval <= 366L * 86400 &&
			    c.linger_days >= 1 && c.linger_days <= 3650,
		    "sync %ld linger %ld", c.sync_interval, c.linger_days);
	for (int i = 0; i < c.ntrackers; i++) {
		const struct tracker_config *t = &c.trackers[i];
		size_t ul;

		check_str(t->name, sizeof t->name, "tracker name");
		check_str(t->url, sizeof t->url, "tracker url");
		check_str(t->project, sizeof t->project, "tracker project");
		check_str(t->repository, sizeof t->repository, "repository");
		check_str(t->token, sizeof t->token, "token");
		check_str(t->secret, sizeof t->secret, "secret");
		check_str(t->users, sizeof t->users, "users");
		FUZZ_ASSERT(t->name[0] && strspn(t->name,
						 "abcdefghijklmnopqrstuvwxyz"
						 "0123456789-_") ==
						  strlen(t->name),
			    "tracker name %s", t->name);
		FUZZ_ASSERT(config_tracker_find(&c, t->name) == t,
			    "tracker %s twice", t->name);
		ul = strlen(t->url);
		FUZZ_ASSERT(!ul || ((!strncmp(t->url, "https://", 8) ||
				     !strncmp(t->url, "http://", 7)) &&
				    t->url[ul - 1] != '/'),
			    "tracker url %s", t->url);
		FUZZ_ASSERT(t->type >= TRACKER_NONE && t->type <= TRACKER_GITHUB,
			    "type %d", t->type);
		FUZZ_ASSERT(t->api_version == 2 || t->api_version == 3,
			    "api_version %d", t->api_version);
		FUZZ_ASSERT(t->timeout >= 1 && t->timeout <= 300, "timeout %ld",
			    t->timeout);
		FUZZ_ASSERT(!strchr(t->user, ':'), "user with ':'");
	}
	return 0;
}
