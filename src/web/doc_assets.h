/* doc_assets.h: documents of docs/ compiled into the binary (the
 * Makefile's DOC_ASSETS, written by scripts/embed.c --table doc_assets)
 * for the pages that render them, such as the coach's guide (coach_help.c).
 * The table ends with a NULL name; each document's data ends with a NUL
 * byte that len does not count. */
#ifndef DEBRIEF_DOC_ASSETS_H
#define DEBRIEF_DOC_ASSETS_H

#include "web/static_assets.h"

extern const struct static_asset doc_assets[];

#endif
