/* static_assets.h: files from static/ compiled into the binary by
 * scripts/embed.c (see the Makefile); the table ends with a NULL name. */
#ifndef DEBRIEF_STATIC_ASSETS_H
#define DEBRIEF_STATIC_ASSETS_H

#include <stddef.h>

struct static_asset {
	const char *name; /* "app.css" */
	const unsigned char *data;
	size_t len;
};

extern const struct static_asset static_assets[];

#endif
