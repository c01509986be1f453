/* meeting_site.h: what the meeting pages share about this site: the UID
 * host and organizer of its invites, and the absolute link of a review. */
#ifndef DEBRIEF_MEETING_SITE_H
#define DEBRIEF_MEETING_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "integrations/ical.h"

/* meeting_site fills site for req: host from public_url (host must hold
 * hostlen bytes and outlive site; "" without public_url, see
 * ical_meeting_uid), organizer from meeting_organizer. */
void meeting_site(struct request *req, struct ical_site *site, char *host,
		  size_t hostlen);

/* meeting_review_url is review id's absolute address: under public_url,
 * else under the request's Host. Memory from req's arena. */
const char *meeting_review_url(struct request *req, int64_t review_id);

#endif
