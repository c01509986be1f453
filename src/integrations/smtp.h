/* smtp.h: mailing a meeting's invite over SMTP with libcurl. Only ever
 * called when a person presses send (never on save). */
#ifndef DEBRIEF_SMTP_H
#define DEBRIEF_SMTP_H

#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

/* Where and how to send, from the configuration. */
struct smtp_server {
	const char *url;      /* smtp://host:port or smtps://host:port */
	int starttls;         /* smtp://: require the upgrade to TLS */
	const char *user;     /* NULL or "": no login */
	const char *password;
	const char *from;     /* the envelope and From address */
};

/* One invite: who gets it, the subject, a plain text part and the .ics
 * (sent as text/calendar; method=REQUEST or CANCEL). */
struct smtp_invite {
	const char *const *to; /* addresses, already checked */
	size_t nto;
	const char *subject;   /* one line */
	const char *text;
	const char *ics;
	const char *method;    /* "REQUEST", "CANCEL" */
};

/* smtp_message builds the MIME message of inv (CRLF lines, the .ics in
 * base64); memory from a. */
const char *smtp_message(struct arena *a, const struct smtp_server *srv,
			 const struct smtp_invite *inv);

/* smtp_send delivers inv through srv: E_OK, or E_IO with the server's or
 * libcurl's reason in e (field "smtp"). Blocks at most 30 s. */
enum err_code smtp_send(struct arena *a, const struct smtp_server *srv,
			const struct smtp_invite *inv, struct err *e);

#endif
