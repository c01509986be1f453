/* deadline.h: the whole-request deadline of the server (config
 * request_timeout). libmicrohttpd only times a connection out when it is
 * silent (idle_timeout), so a client that sends one header byte a second
 * (slowloris) or trickles its body would keep its connection forever. A
 * watchdog thread shuts down the socket of every connection that has not
 * sent a whole request within the deadline, counted from the moment it
 * connected or got its previous answer. Used by server.c only. */
#ifndef DEBRIEF_HTTP_DEADLINE_H
#define DEBRIEF_HTTP_DEADLINE_H

#include "util/err.h"

struct deadline;
struct deadline_conn;

/* deadline_start starts the watchdog for a deadline of seconds (> 0). */
enum err_code deadline_start(long seconds, struct deadline **out,
			     struct err *e);
/* deadline_stop stops the watchdog and frees d. Call it after the last
 * connection has been removed (after MHD_stop_daemon). */
void deadline_stop(struct deadline *d);

/* deadline_conn_add watches a new connection's socket fd; its clock starts
 * now. NULL when out of memory (the connection is then not watched). */
struct deadline_conn *deadline_conn_add(struct deadline *d, int fd);
/* deadline_conn_remove forgets c (NULL is fine). It must be called before
 * the socket is closed: libmicrohttpd's NOTIFY_CLOSED comes first, so the
 * watchdog never shuts down a descriptor that was reused. */
void deadline_conn_remove(struct deadline *d, struct deadline_conn *c);
/* deadline_conn_answered stops c's clock: the request is in, the answer is
 * being made and sent (idle_timeout covers a slow reader). */
void deadline_conn_answered(struct deadline_conn *c);
/* deadline_conn_next restarts c's clock for the connection's next
 * request (keep-alive). */
void deadline_conn_next(struct deadline_conn *c);

#endif
