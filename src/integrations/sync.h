/* sync.h: keeping tickets in step with their trackers: `debrief sync` for
 * cron (sync_main) and the server's background job (sync_job_*), both
 * through tickets_sync (tickets.h). */
#ifndef DEBRIEF_SYNC_H
#define DEBRIEF_SYNC_H

#include "config.h"
#include "store/store.h"

/* sync_main is `debrief sync [TRACKER] [--db PATH] [--config PATH]`:
 * syncs once and exits 0, or 1 when a tracker failed (every other
 * tracker synced all the same), 2 on bad usage. */
int sync_main(int argc, char **argv);

/* sync_job_start starts a thread that syncs every cfg->sync_interval
 * seconds, the first time right away; nothing when there is no tracker
 * or the interval is 0. A request never waits on it. sync_job_stop ends
 * it (within a second or the tracker's timeout) and frees it; NULL is
 * fine. */
struct sync_job;
struct sync_job *sync_job_start(struct store *st, const struct config *cfg);
void sync_job_stop(struct sync_job *j);

#endif
