/* session.c: who is asking. Today everyone is the anonymous local user
 * named in the config; accounts and login will change only this file. */
#include "http/http.h"

const char *session_current_user(struct request *req)
{
	if (req && req->app && req->app->cfg &&
	    req->app->cfg->anonymous_user[0])
		return req->app->cfg->anonymous_user;
	return "local";
}
