/* config.h: settings from debrief.conf, DEBRIEF_* environment variables
 * and command-line flags, applied in that order (later wins). */
#ifndef DEBRIEF_CONFIG_H
#define DEBRIEF_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

struct config {
	char db[1024];          /* "debrief.db" (SQLite path or URL); DEBRIEF_DB */
	char listen[128];       /* "127.0.0.1:8080"; DEBRIEF_LISTEN */
	size_t max_body;        /* bytes; 8 MiB; DEBRIEF_MAX_BODY: the
				 * ceiling of every route's own limit */
	size_t max_header;      /* bytes per connection for the request
				 * line and headers; 64 KiB */
	long idle_timeout;      /* seconds a connection may be silent; 30 */
	long request_timeout;   /* seconds to send a whole request; 60 */
	int max_connections;    /* open connections at most; 512 */
	int max_connections_per_ip; /* 0: no limit per address */
	int threads;            /* HTTP worker threads; 0: one per core */
	char severity[6][160];  /* [1..5]: one-line definition of each level */
	char anonymous_user[64]; /* the local user until accounts exist */
	int page_size;          /* reviews per index page; 25 */
	size_t cache_bytes;     /* rendered pages kept in memory; 64 MiB */
	/* accounts (see README "Accounts") */
	int cookie_secure;      /* 1: the session cookie gets Secure */
	long session_idle;      /* seconds a session may sit unused; 12h */
	long session_max;       /* seconds a session lives at most; 7d */
	char proxy_user_header[64]; /* "": no reverse-proxy sign-in */
	char trusted_proxies[512];  /* comma-separated peer addresses */
	/* operating it (see README "Watching it") */
	int log_format;         /* enum log_format: logfmt (default) or json */
	char log_file[1024];    /* "": stderr */
	int access_log;         /* 1: a line per answered request */
	char statsd[256];       /* "HOST:PORT", "": no StatsD */
	char statsd_prefix[48]; /* "debrief" */
	char metrics_token[128]; /* metrics.token: Bearer token for /metrics */
	char metrics_allow[512]; /* metrics.allow: peer addresses for /metrics */
	/* "https://debrief.example.com": the address people use; its host
	 * is the one Host header name accepted besides loopback names (see
	 * README "Security"). "": none */
	char public_url[256];
	/* chat imports (importers/chat_import.c) */
	size_t chat_max_entry;  /* bytes one file of a Slack export's zip may
				 * expand to (zip bombs); 64 MiB */
	char slack_token[256];  /* Slack Web API token for `debrief import
				 * slack`; "" none. A secret: never shown in
				 * pages, logs, messages or exports;
				 * DEBRIEF_SLACK_TOKEN */
	char slack_api_url[256]; /* "https://slack.com/api" (tests point it at
				  * a fake server) */
	/* feature flags shown on contingency rows (integrations/flags.h) */
	char flags_source[1024]; /* flags.source: a JSON or YAML file, or an
				  * http(s) URL answering JSON; "" none */
	long flags_interval;	 /* flags.interval: seconds between reads;
				  * 10 */
};

/* config_defaults fills every setting with its default. */
void config_defaults(struct config *c);

/* config_load reads "key = value" lines (# comments) from path. A missing
 * file is fine when required is 0. Unknown keys and bad values are
 * E_INVALID with "path:line: message" in e. Keys: db, listen, max_body,
 * max_header, idle_timeout, request_timeout, max_connections,
 * max_connections_per_ip, threads, severity.1 .. severity.5,
 * anonymous_user, page_size, cache_bytes,
 * cookie_secure (true/false), session_idle and session_max (seconds, or
 * with an s, m, h or d suffix), proxy_user_header, trusted_proxies,
 * public_url (http:// or https://, a host, an optional port),
 * log_format (logfmt/json), log_file, access_log (true/false), statsd,
 * statsd_prefix, metrics.token, metrics.allow, chat_max_entry (a size, 1K
 * to 1G), slack_token, slack_api_url (http:// or https://). */
enum err_code config_load(struct config *c, const char *path, int required,
			  struct err *e);

/* config_check is `debrief check-config`: like config_load, then
 * config_from_env, but it goes on past a bad line and prints every problem
 * to report, one line each ("path:line: message", with a suggestion for a
 * key that looks like a typo). Returns the number of problems (0: the
 * settings are good); c holds every good setting. */
int config_check(struct config *c, const char *path, int required,
		 FILE *report);

/* config_suggest returns the known key closest to key (at most two edits
 * away, three for a key of 10 bytes or more), or NULL. config_key_name(i)
 * is the i-th known key, NULL past the last. Both return static strings. */
const char *config_suggest(const char *key);
const char *config_key_name(size_t i);

/* config_from_env applies DEBRIEF_DB, DEBRIEF_LISTEN, DEBRIEF_MAX_BODY,
 * DEBRIEF_THREADS. */
enum err_code config_from_env(struct config *c, struct err *e);

/* config_public_host writes the host name of c->public_url (lower case,
 * an IPv6 address in brackets, without the port) into host; "" when
 * public_url is not set. */
void config_public_host(const struct config *c, char *host, size_t hostlen);

/* config_listen_split parses c->listen into host and port. */
enum err_code config_listen_split(const struct config *c, char *host,
				  size_t hostlen, int *port, struct err *e);

#endif
