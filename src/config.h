/* config.h: settings from debrief.conf, DEBRIEF_* environment variables
 * and command-line flags, applied in that order (later wins). */
#ifndef DEBRIEF_CONFIG_H
#define DEBRIEF_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

/* Issue trackers (see README "Tickets"): tracker.NAME.KEY = value. */
#define CONFIG_MAX_TRACKERS 8
enum tracker_type { TRACKER_NONE = 0, TRACKER_JIRA, TRACKER_GITHUB };

struct tracker_config {
	char name[32];        /* [a-z0-9_-], as in tracker.NAME.type */
	int type;             /* enum tracker_type */
	char url[256];        /* Jira: the site; GitHub: the API
			       * (https://api.github.com, or
			       * https://HOST/api/v3 for Enterprise) */
	char project[64];     /* Jira: the project key ("OPS") */
	char repository[128]; /* GitHub: owner/name */
	char issue_type[64];  /* Jira: for new tickets; "Task" */
	int api_version;      /* Jira REST: 3 (Cloud, the default) or 2
			       * (Server / Data Center) */
	char user[128];       /* Jira: the account's e-mail (Basic auth with
			       * the token); "": the token is a Bearer
			       * personal access token */
	char token[256];      /* a secret; DEBRIEF_TRACKER_NAME_TOKEN */
	char secret[128];     /* webhook secret; DEBRIEF_TRACKER_NAME_SECRET */
	char labels[256];     /* labels of new tickets, comma-separated */
	char users[1024];     /* assignees: "debrief-user=tracker-id, ..." */
	int close_ticket;     /* 1: a follow-up marked done closes its ticket */
	int close_followup;   /* 1: a ticket resolved or closed marks its
			       * follow-up done */
	long timeout;         /* seconds one call may take; 10 */
};

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
	int threads;            /* HTTP worker threads; 0: 4 per core, at
				 * least 8 */
	char severity[6][160];  /* [1..5]: one-line definition of each level */
	char anonymous_user[64]; /* the local user until accounts exist */
	/* the zone times are shown and typed in for whoever has not chosen
	 * their own (util/tz.h): "UTC" */
	char time_zone[65];
	int page_size;          /* reviews per index page; 25 */
	size_t cache_bytes;     /* rendered pages kept in memory; 64 MiB */
	size_t render_store_bytes; /* review pages kept in the database
				    * (bytes deflated); 0: none;
				    * RENDER_STORE_AUTO (the default): 8 KiB a
				    * live review, at least 256 MiB */
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
	/* the language coach: 1 counts hint categories (LINT_HINT_MASK)
	 * in the review page's summary too; 0 (default) leaves them to
	 * the edit page */
	int coach_hints;
	/* review meetings (model/meeting.h, integrations/ical.h) */
	long meeting_max_invitees; /* invitees a meeting may have; 1000 */
	long meeting_overdue_days; /* a review resolved longer ago with no
				    * meeting held is overdue; 14 */
	char meeting_phases[512]; /* the run of show: "name:minutes" items,
				   * comma-separated; one may be "name:*"
				   * (the rest of the meeting). Default
				   * intro:5,timeline:40,questions:10,
				   * follow-ups:* */
	char meeting_organizer[256]; /* the invite's ORGANIZER when the
				      * facilitator has no address; "" :
				      * debrief@<public host> */
	/* mailing invites (integrations/smtp.h); smtp_url "": no e-mail */
	char smtp_url[256];      /* smtp://host:port or smtps://host:port */
	int smtp_starttls;       /* 1 (default): smtp:// must upgrade to TLS */
	char smtp_user[128];     /* "": no login */
	char smtp_password[256]; /* a secret: never shown; DEBRIEF_SMTP_PASSWORD */
	char smtp_from[256];     /* the sender address; "": meeting_organizer */
	/* issue trackers (integrations/tracker.h) */
	struct tracker_config trackers[CONFIG_MAX_TRACKERS];
	int ntrackers;
	long sync_interval;     /* seconds between the server's ticket
				 * syncs; 900; 0: no background sync */
	long search_count_cap;  /* a search's total and counts stop this many
				 * matches past the page (issue 21); 0:
				 * every match is counted. 1000 */
	long search_rank_window; /* a ranked search of a query in more
				  * reviews ranks the newest this many
				  * (issue 21); 0: every match. 500 */
	long linger_days;       /* an open follow-up whose ticket has not
				 * moved in this many days lingers; 30 */
	/* recurring contributing factors (model/factor_key.h): one synonym
	 * group a line, "name: other name, other name"; each
	 * factor_synonyms line of the file adds a group */
	char factor_synonyms[4096];
	/* feature flags shown on contingency rows (integrations/flags.h) */
	char flags_source[1024]; /* flags.source: a JSON or YAML file, or an
				  * http(s) URL answering JSON; "" none */
	long flags_interval;	 /* flags.interval: seconds between reads;
				  * 10 */
};

/* render_store_bytes = auto: the store sizes it by the reviews. */
#define RENDER_STORE_AUTO ((size_t)-1)

/* config_defaults fills every setting with its default. */
void config_defaults(struct config *c);

/* config_load reads "key = value" lines (# comments) from path. A missing
 * file is fine when required is 0. Unknown keys and bad values are
 * E_INVALID with "path:line: message" in e. Keys: db, listen, max_body,
 * max_header, idle_timeout, request_timeout, max_connections,
 * max_connections_per_ip, threads, severity.1 .. severity.5,
 * anonymous_user, time_zone (a tz database name such as Europe/Berlin),
 * page_size, cache_bytes, render_store_bytes (auto, 0 or 1M to 1G),
 * cookie_secure (true/false), session_idle and session_max (seconds, or
 * with an s, m, h or d suffix), proxy_user_header, trusted_proxies,
 * public_url (http:// or https://, a host, an optional port),
 * log_format (logfmt/json), log_file, access_log (true/false), statsd,
 * statsd_prefix, metrics.token, metrics.allow, chat_max_entry (a size, 1K
 * to 1G), slack_token, slack_api_url (http:// or https://),
 * coach_hints (true/false),
 * meeting_max_invitees (1 to 10000), meeting_overdue_days (1 to 365),
 * meeting_phases (see meeting_phases_parse), meeting_organizer (an
 * e-mail address), smtp_url (smtp:// or smtps://), smtp_starttls
 * (true/false), smtp_user, smtp_password, smtp_from (an address),
 * sync_interval (a duration, or 0), linger_days, search_count_cap and
 * search_rank_window (0 to 100000000), tracker.NAME.KEY
 * (config_tracker.c),
 * factor_synonyms ("name: other, other"; repeatable: each adds a group). */
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
 * DEBRIEF_THREADS, DEBRIEF_SLACK_TOKEN and, for each tracker NAME,
 * DEBRIEF_TRACKER_NAME_TOKEN and DEBRIEF_TRACKER_NAME_SECRET (NAME in
 * upper case, '-' as '_'); then checks that every tracker is complete
 * (config_trackers_check). */
enum err_code config_from_env(struct config *c, struct err *e);

/* config_tracker.c: config_tracker_set applies one tracker.NAME.KEY;
 * config_trackers_check names the first tracker that lacks a setting its
 * type needs; config_tracker_find finds a tracker by name (NULL: none).
 * No message repeats a token or a secret. */
enum err_code config_tracker_set(struct config *c, const char *key,
				 const char *value, struct err *e);
enum err_code config_trackers_check(const struct config *c, struct err *e);
enum err_code config_trackers_from_env(struct config *c, struct err *e);
const struct tracker_config *config_tracker_find(const struct config *c,
						 const char *name);

/* config_public_host writes the host name of c->public_url (lower case,
 * an IPv6 address in brackets, without the port) into host; "" when
 * public_url is not set. */
void config_public_host(const struct config *c, char *host, size_t hostlen);

/* config_listen_split parses c->listen into host and port. */
enum err_code config_listen_split(const struct config *c, char *host,
				  size_t hostlen, int *port, struct err *e);

#endif
