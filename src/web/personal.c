/* personal.c: the per-request parts of shared, cached pages (see the slot
 * markers in page.h): the CSRF token, who is signed in, and blocks only
 * editors or only admins see. Pages are rendered once and served to
 * everyone who may see them; web_personalize fills the markers for each
 * answer. */
#include <sodium.h>
#include <string.h>

#include "http/auth.h"
#include "web/page.h"
#include "web/review_kinds.h"
#include "web/web.h"

#define SLOT_PREFIX "<!--debrief:"
#define LIT_LEN(s)  (sizeof(s) - 1)

void page_csrf_field(struct buf *b)
{
	html_raw(b, "<input type=\"hidden\" name=\"csrf\" value=\"" SLOT_CSRF
		    "\">");
}

/* The token, computed once per answer and only when a page asks for it. */
struct fill {
	struct request *req;
	char token[AUTH_HEX];
	int have_token;
	const struct tz *zone; /* NULL until a page asks */
};

const struct tz *page_zone(struct request *req)
{
	const struct tz *z = NULL;

	session_current_user(req);
	if (req->time_zone && *req->time_zone)
		z = tz_get(req->time_zone);
	if (!z && req->app && req->app->cfg)
		z = tz_get(req->app->cfg->time_zone);
	return z ? z : tz_utc(); /* a zone gone from the database: UTC */
}

static const struct tz *fill_zone(struct fill *f)
{
	if (!f->zone)
		f->zone = page_zone(f->req);
	return f->zone;
}

/* fill_time writes the text of a time (after HTML_TIME_SLOT) at p: in the
 * reader's zone with its abbreviation and UTC in the tooltip, or as
 * html_time wrote it (UTC). Returns where the page goes on: past the
 * marker, and past html_time's UTC text when it was replaced. */
static const char *fill_time(struct fill *f, struct buf *b, const char *p,
			     const char *end)
{
	const char *q = p + strlen(HTML_TIME_SLOT), *close;
	long long t = 0;
	int neg = 0, digits = 0;
	char human[TIME_BUF];

	if (q < end && *q == '-') {
		neg = 1;
		q++;
	}
	while (q < end && *q >= '0' && *q <= '9' && digits < 19) {
		t = t * 10 + (*q++ - '0');
		digits++;
	}
	if (!digits || (size_t)(end - q) < 3 || memcmp(q, "-->", 3)) {
		/* not one html_time wrote: left as it is */
		buf_append(b, p, strlen(HTML_TIME_SLOT));
		return p + strlen(HTML_TIME_SLOT);
	}
	q += 3;
	if (neg)
		t = -t;
	if (tz_is_utc(fill_zone(f)))
		return q;
	/* html_time's UTC text ends at </time>, a few bytes on */
	close = q;
	while (close < end && close - q < 64 && *close != '<')
		close++;
	if (close >= end || *close != '<')
		return q;
	html_raw(b, "<span class=\"tz\" title=\"");
	buf_append(b, q, (size_t)(close - q));
	html_raw(b, "\">");
	tz_format_human(f->zone, (int64_t)t, human);
	html_txt(b, human);
	html_raw(b, "</span>");
	return close;
}

/* zone_note writes which zone the page's times are in and where to
 * change it. */
static void zone_note(struct fill *f, struct buf *b)
{
	html_raw(b, "<span class=\"zone-note\">Times are in <strong>");
	html_txt(b, tz_name(fill_zone(f)));
	html_raw(b, "</strong>");
	if (f->req->user)
		html_raw(b, " (<a href=\"/settings\">change</a>)");
	html_raw(b, ".</span>");
}

static const char *fill_token(struct fill *f)
{
	if (!f->have_token) {
		auth_csrf_token(f->req, f->token);
		f->have_token = 1;
	}
	return f->token;
}

/* user_nav writes who is signed in and what they may reach from
 * anywhere: the admin pages, signing out (a form: POST /logout with the
 * token), or signing in. */
static void user_nav(struct fill *f, struct buf *b)
{
	struct request *req = f->req;

	html_raw(b, "<div class=\"user-nav\">");
	switch (req->auth_via) {
	case AUTH_VIA_NONE:
		html_raw(b, "<a href=\"/login");
		if (req->path && strcmp(req->path, "/login") &&
		    strcmp(req->path, "/logout") && strcmp(req->path, "/")) {
			html_raw(b, "?next=");
			html_url_arg(b, req->path);
		}
		html_raw(b, "\">Sign in</a>");
		break;
	case AUTH_VIA_LOCAL:
		html_raw(b, "<span class=\"who\" title=\"There are no accounts "
			    "yet, so everyone who can reach this address is "
			    "the local admin. Add the first one with: debrief "
			    "user add NAME --role admin\">Local mode (no "
			    "accounts)</span>");
		break;
	default:
		html_raw(b, "<span class=\"who\">Signed in as <strong>");
		html_txt(b, req->user);
		html_raw(b, "</strong></span> <a href=\"/settings\">Settings"
			    "</a>");
		break;
	}
	if (req->user && req->role >= ROLE_ADMIN)
		html_raw(b, " <a href=\"/admin/users\">Admin</a>");
	if (req->auth_via == AUTH_VIA_COOKIE) {
		html_raw(b, " <form class=\"sign-out\" method=\"post\" "
			    "action=\"/logout\">");
		html_hidden(b, "csrf", fill_token(f));
		html_raw(b, "<button type=\"submit\" class=\"link\">Sign out"
			    "</button></form>");
	}
	html_raw(b, "</div>");
}

static int is_html(const struct response *res)
{
	return !res->content_type ||
	       !strncmp(res->content_type, "text/html", 9);
}

static int at(const char *p, const char *end, const char *lit, size_t n)
{
	return (size_t)(end - p) >= n && !memcmp(p, lit, n);
}

/* next_slot finds the next "<!--debrief:" in [p, end), or NULL. It looks
 * for the '!' with memchr, which is many times faster than memmem on a
 * page: '!' is rare in HTML and memchr is vectorised. The review page is
 * the hot path (see bench/), so this matters. */
static const char *next_slot(const char *p, const char *end)
{
	const char *q = p + 1;

	while (q < end && (q = memchr(q, '!', (size_t)(end - q)))) {
		if (q[-1] == '<' &&
		    at(q - 1, end, SLOT_PREFIX, LIT_LEN(SLOT_PREFIX)))
			return q - 1;
		q++;
	}
	return NULL;
}

/* skip_block returns where the text after the block's end marker (of n
 * bytes) begins, p being just after its begin marker. It fails closed:
 * without its end, the rest of the page is the block. */
static const char *skip_block(const char *p, const char *end,
			      const char *end_marker, size_t n)
{
	const char *e = next_slot(p, end);

	while (e && !at(e, end, end_marker, n))
		e = next_slot(e + 1, end);
	return e ? e + n : end;
}

/* flag_slot writes the state of the flag named from n up to "-->" and
 * sets *p after the slot; 0 when it is not a flag name. */
static int flag_slot(struct buf *out, const char *n, const char *end,
		     const char **p)
{
	const char *close = memmem(n, (size_t)(end - n), "-->", 3);
	char name[128];

	if (!close || (size_t)(close - n) >= sizeof name)
		return 0;
	memcpy(name, n, (size_t)(close - n));
	name[close - n] = '\0';
	if (!review_flag_name_valid(name))
		return 0;
	web_flag_state(out, name);
	*p = close + 3;
	return 1;
}

void web_personalize(struct request *req, struct response *res)
{
	struct buf *in = &res->body, out = BUF_INIT;
	struct fill f = {.req = req};
	const char *p, *end, *m;
	int editor, admin;

	if (!is_html(res) || !in->len || in->oom)
		return;
	p = in->data;
	end = p + in->len;
	m = next_slot(p, end);
	if (!m)
		return;
	session_current_user(req);
	editor = req->user && req->role >= ROLE_EDITOR;
	admin = req->user && req->role >= ROLE_ADMIN;
	for (; m; m = next_slot(p, end)) {
		buf_append(&out, p, (size_t)(m - p));
		if (at(m, end, SLOT_CSRF, LIT_LEN(SLOT_CSRF))) {
			html_attr(&out, fill_token(&f));
			p = m + LIT_LEN(SLOT_CSRF);
		} else if (at(m, end, SLOT_USER_NAV, LIT_LEN(SLOT_USER_NAV))) {
			user_nav(&f, &out);
			p = m + LIT_LEN(SLOT_USER_NAV);
		} else if (at(m, end, SLOT_EDITOR_BEGIN,
			      LIT_LEN(SLOT_EDITOR_BEGIN))) {
			p = m + LIT_LEN(SLOT_EDITOR_BEGIN);
			if (!editor)
				p = skip_block(p, end, SLOT_EDITOR_END,
					       LIT_LEN(SLOT_EDITOR_END));
		} else if (at(m, end, SLOT_EDITOR_END,
			      LIT_LEN(SLOT_EDITOR_END))) {
			p = m + LIT_LEN(SLOT_EDITOR_END);
		} else if (at(m, end, SLOT_ADMIN_BEGIN,
			      LIT_LEN(SLOT_ADMIN_BEGIN))) {
			p = m + LIT_LEN(SLOT_ADMIN_BEGIN);
			if (!admin)
				p = skip_block(p, end, SLOT_ADMIN_END,
					       LIT_LEN(SLOT_ADMIN_END));
		} else if (at(m, end, SLOT_ADMIN_END,
			      LIT_LEN(SLOT_ADMIN_END))) {
			p = m + LIT_LEN(SLOT_ADMIN_END);
		} else if (at(m, end, HTML_TIME_SLOT,
			      LIT_LEN(HTML_TIME_SLOT))) {
			p = fill_time(&f, &out, m, end);
		} else if (at(m, end, SLOT_ZONE, LIT_LEN(SLOT_ZONE))) {
			zone_note(&f, &out);
			p = m + LIT_LEN(SLOT_ZONE);
		} else if (at(m, end, SLOT_FLAG, LIT_LEN(SLOT_FLAG)) &&
			   flag_slot(&out, m + LIT_LEN(SLOT_FLAG), end, &p)) {
			/* the flag's state, read now: flags change
			 * without the review changing */
		} else {
			/* not a slot we know: left as it is */
			buf_append(&out, m, LIT_LEN(SLOT_PREFIX));
			p = m + LIT_LEN(SLOT_PREFIX);
		}
	}
	buf_append(&out, p, (size_t)(end - p));
	sodium_memzero(f.token, sizeof f.token);
	buf_release(in);
	*in = out; /* an out of memory stays flagged: the server answers 500 */
}

const char *page_personal_tag(struct request *req)
{
	struct fill f = {.req = req};
	crypto_generichash_state st;
	unsigned char h[crypto_generichash_BYTES_MIN];
	char role[3], hex[9];
	const char *user;

	session_current_user(req);
	user = req->user ? req->user : "";
	role[0] = (char)('0' + req->role);
	role[1] = (char)('0' + req->auth_via);
	role[2] = '\0';
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)user,
				  strlen(user) + 1);
	crypto_generichash_update(&st, (const unsigned char *)role, 3);
	/* times are written in the reader's zone */
	crypto_generichash_update(&st,
				  (const unsigned char *)tz_name(page_zone(req)),
				  strlen(tz_name(page_zone(req))) + 1);
	crypto_generichash_update(&st, (const unsigned char *)fill_token(&f),
				  strlen(f.token));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(hex, sizeof hex, h, 4);
	sodium_memzero(f.token, sizeof f.token);
	return arena_strdup(req->arena, hex);
}
