/* comments.c: /api/v1/reviews/{id}/comments[/{child}]. Comments are a
 * child kind like the others (children.c does the work, with the rules
 * of comments: the server names the author, only the author edits); they
 * have routes of their own because readers may comment, where the other
 * kinds need an editor. Each handler puts the kind back where the
 * generic route would have it (route parameter 1) and hands over. */
#include "api/api.h"

static void as_comments(struct request *req)
{
	if (req->nparams > 1)
		req->params[2] = req->params[1];
	req->params[1] = "comments";
	req->nparams = req->nparams > 1 ? 3 : 2;
}

void api_comments_list(struct request *req, struct response *res)
{
	as_comments(req);
	api_children_list(req, res);
}

void api_comment_create(struct request *req, struct response *res)
{
	as_comments(req);
	api_child_create(req, res);
}

void api_comment_get(struct request *req, struct response *res)
{
	as_comments(req);
	api_child_get(req, res);
}

void api_comment_patch(struct request *req, struct response *res)
{
	as_comments(req);
	api_child_patch(req, res);
}

void api_comment_delete(struct request *req, struct response *res)
{
	as_comments(req);
	api_child_delete(req, res);
}
