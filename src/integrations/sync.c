/* sync.c: `debrief sync` and the server's sync job (see sync.h). */
#include "integrations/sync.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "importers/cli_args.h"
#include "integrations/tickets.h"
#include "util/log.h"
#include "util/metrics.h"

static void print_report(const struct sync_report *r)
{
	printf("synced: %lld ticket%s read, %lld changed, %lld missing, "
	       "%lld failed, %lld closed, %lld follow-up%s marked done\n",
	       (long long)r->read, r->read == 1 ? "" : "s",
	       (long long)r->changed, (long long)r->missing,
	       (long long)r->failed, (long long)r->closed,
	       (long long)r->followups_done,
	       r->followups_done == 1 ? "" : "s");
}

int sync_main(int argc, char **argv)
{
	struct cli_args a;
	struct config cfg;
	struct store *st = NULL;
	struct sync_report rep;
	struct err e;
	int rc = cli_args_parse("sync", argc, argv, 1, CLI_DB, &a);

	if (rc)
		return rc;
	if (a.npos > 1) {
		fprintf(stderr, "usage: debrief sync [TRACKER] [--db PATH] "
				"[--config PATH]\n");
		return CLI_EXIT_USAGE;
	}
	err_clear(&e);
	config_defaults(&cfg);
	if (config_load(&cfg, a.config ? a.config : "debrief.conf",
			a.config != NULL, &e) != E_OK ||
	    config_from_env(&cfg, &e) != E_OK) {
		fprintf(stderr, "debrief: %s\n", e.message);
		return CLI_EXIT_BAD;
	}
	if (cfg.ntrackers == 0) {
		printf("nothing to sync: no tracker is configured "
		       "(tracker.NAME.type)\n");
		return 0;
	}
	if (cli_store_open(&a, &st) < 0)
		return CLI_EXIT_BAD;
	rc = tickets_sync(st, &cfg, a.npos ? a.pos[0] : NULL,
			  &tickets_sync_limits, &rep, &e) == E_OK
		     ? 0
		     : CLI_EXIT_BAD;
	print_report(&rep);
	if (rc)
		fprintf(stderr, "debrief sync: %s\n", e.message);
	store_close(st);
	return rc;
}

struct sync_job {
	struct store *st;
	const struct config *cfg;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
};

/* The job waits out rate limits in steps of a second so that a stop is
 * not held up by a long Retry-After. One job per process. */
static struct sync_job *running;

static unsigned job_sleep(unsigned seconds)
{
	for (unsigned i = 0; i < seconds; i++) {
		int stop;
		pthread_mutex_lock(&running->mu);
		stop = running->stop;
		pthread_mutex_unlock(&running->mu);
		if (stop)
			return seconds - i;
		sleep(1);
	}
	return 0;
}

static void *job_main(void *arg)
{
	struct sync_job *j = arg;
	struct tracker_limits lim = tickets_sync_limits;
	enum err_code rc;

	lim.sleep_fn = job_sleep;
	pthread_mutex_lock(&j->mu);
	while (!j->stop) {
		struct sync_report rep;
		struct timespec until;
		struct err e;

		struct timespec t0, t1;

		pthread_mutex_unlock(&j->mu);
		err_clear(&e);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = tickets_sync(j->st, j->cfg, NULL, &lim, &rep, &e);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		metrics_count(METRIC_JOBS);
		metrics_time(METRIC_JOB,
			     (double)(t1.tv_sec - t0.tv_sec) +
				     (t1.tv_nsec - t0.tv_nsec) / 1e9);
		if (rc != E_OK) {
			metrics_count(METRIC_JOB_FAILURES);
			log_warn("ticket sync: %s", e.message);
		} else
			log_info("ticket sync: %lld read, %lld changed, %lld "
				 "missing, %lld failed, %lld closed",
				 (long long)rep.read, (long long)rep.changed,
				 (long long)rep.missing, (long long)rep.failed,
				 (long long)rep.closed);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += j->cfg->sync_interval;
		pthread_mutex_lock(&j->mu);
		while (!j->stop &&
		       pthread_cond_timedwait(&j->cv, &j->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

struct sync_job *sync_job_start(struct store *st, const struct config *cfg)
{
	struct sync_job *j;

	if (cfg->ntrackers == 0 || cfg->sync_interval <= 0 || running)
		return NULL;
	if (!(j = calloc(1, sizeof *j)))
		return NULL;
	j->st = st;
	j->cfg = cfg;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	running = j;
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		log_warn("ticket sync: could not start its thread");
		running = NULL;
		free(j);
		return NULL;
	}
	return j;
}

void sync_job_stop(struct sync_job *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	j->stop = 1;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	pthread_join(j->thread, NULL);
	running = NULL;
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
	free(j);
}
