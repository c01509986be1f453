/* smtp.c: an invite as a MIME message (text and text/calendar parts) sent
 * with libcurl's SMTP client (see smtp.h). */
#include "integrations/smtp.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* base64 appends s as base64 in lines of 76. */
static void base64(struct buf *b, const char *s)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(s), col = 0;
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 |
			     (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		char q[4] = {tbl[v >> 18 & 63], tbl[v >> 12 & 63],
			     i + 1 < n ? tbl[v >> 6 & 63] : '=',
			     i + 2 < n ? tbl[v & 63] : '='};

		buf_append(b, q, 4);
		if ((col += 4) >= 76) {
			buf_puts(b, "\r\n");
			col = 0;
		}
	}
	if (col)
		buf_puts(b, "\r\n");
}

/* header_text appends s with line breaks and non-ASCII made safe for a
 * header: an RFC 2047 UTF-8 base64 word when needed. */
static void header_text(struct buf *b, const char *s)
{
	int plain = 1;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			plain = 0;
	if (plain) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "=?UTF-8?B?");
	{
		struct buf t = BUF_INIT;

		base64(&t, s);
		for (size_t i = 0; i < t.len; i++)
			if (t.data[i] != '\r' && t.data[i] != '\n')
				buf_putc(b, t.data[i]);
		buf_release(&t);
	}
	buf_puts(b, "?=");
}

const char *smtp_message(struct arena *a, const struct smtp_server *srv,
			 const struct smtp_invite *inv)
{
	struct buf b = BUF_INIT;
	char date[64], boundary[48];
	time_t now = time(NULL);
	struct tm tm;
	const char *out;

	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(boundary, sizeof boundary, "debrief-%lld-%zu",
		 (long long)now, inv->nto);
	buf_printf(&b, "Date: %s\r\nFrom: <%s>\r\nTo: ", date, srv->from);
	for (size_t i = 0; i < inv->nto; i++)
		buf_printf(&b, "%s<%s>", i ? ",\r\n " : "", inv->to[i]);
	buf_puts(&b, "\r\nSubject: ");
	header_text(&b, inv->subject);
	buf_printf(&b,
		   "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
		   "boundary=\"%s\"\r\n\r\n--%s\r\nContent-Type: text/plain; "
		   "charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		   boundary, boundary);
	base64(&b, inv->text);
	buf_printf(&b,
		   "--%s\r\nContent-Type: text/calendar; charset=utf-8; "
		   "method=%s\r\nContent-Disposition: attachment; "
		   "filename=\"invite.ics\"\r\nContent-Transfer-Encoding: "
		   "base64\r\n\r\n",
		   boundary, inv->method);
	base64(&b, inv->ics);
	buf_printf(&b, "--%s--\r\n", boundary);
	out = b.oom ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

struct reader {
	const char *p;
	size_t left;
};

static size_t on_read(char *out, size_t size, size_t n, void *arg)
{
	struct reader *r = arg;
	size_t k = size * n < r->left ? size * n : r->left;

	memcpy(out, r->p, k);
	r->p += k;
	r->left -= k;
	return k;
}

enum err_code smtp_send(struct arena *a, const struct smtp_server *srv,
			const struct smtp_invite *inv, struct err *e)
{
	const char *msg = smtp_message(a, srv, inv);
	struct curl_slist *rcpt = NULL;
	struct reader rd;
	char from[300], errbuf[CURL_ERROR_SIZE] = "";
	enum err_code rc = E_OK;
	CURLcode cc;
	CURL *c;

	if (!msg)
		return err_set(e, E_NOMEM, NULL, "out of memory");
	pthread_once(&curl_once, curl_init);
	if (!(c = curl_easy_init()))
		return err_set(e, E_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < inv->nto; i++) {
		char to[340];
		struct curl_slist *n;

		snprintf(to, sizeof to, "<%s>", inv->to[i]);
		if (!(n = curl_slist_append(rcpt, to))) {
			rc = err_set(e, E_NOMEM, NULL, "out of memory");
			goto out;
		}
		rcpt = n;
	}
	snprintf(from, sizeof from, "<%s>", srv->from);
	rd.p = msg;
	rd.left = strlen(msg);
	curl_easy_setopt(c, CURLOPT_URL, srv->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &rd);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (srv->starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (srv->user && *srv->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, srv->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD,
				 srv->password ? srv->password : "");
	}
	if ((cc = curl_easy_perform(c)) != CURLE_OK)
		rc = err_set(e, E_IO, "smtp", "the mail server refused or "
					      "could not be reached: %s",
			     errbuf[0] ? errbuf : curl_easy_strerror(cc));
out:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return rc;
}
