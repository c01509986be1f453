/* lint_output.c: the CLI's output of many findings. They are cut into
 * slices; the slices are formatted (text or JSON) by the calling thread and
 * helper threads, each into one of a few reused buffers, and the calling
 * thread writes them in order as they become ready. A 50 MB document has
 * 100 000 findings and as much JSON as text: this keeps the formatting
 * parallel, the writing overlapped with it, and the memory small (no
 * buffer of the whole output). */
#include <pthread.h>
#include <string.h>

#include "lint/lint_internal.h"

#define SLICE	    1024 /* findings per slice */
#define MAX_WORKERS 8
#define MAX_SLOTS   (2 * MAX_WORKERS)

struct pipe {
	const struct lint_output *job;
	size_t nslices, nslots;
	struct buf slot[MAX_SLOTS]; /* slice i goes to slot i % nslots */
	size_t ready[MAX_SLOTS];    /* 1 + the slice in the slot, 0 none */
	size_t next;		    /* the next slice to format */
	size_t written;		    /* slices written so far */
	int stop;		    /* a write failed: no more work */
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* format_slice formats slice i into its slot (no lock held). */
static void format_slice(struct pipe *p, size_t i)
{
	const struct lint_output *j = p->job;
	struct buf *b = &p->slot[i % p->nslots];
	size_t at = i * SLICE, n = j->n - at < SLICE ? j->n - at : SLICE;
	int not_first = 0;

	buf_reset(b);
	/* only the first slice may start the JSON list */
	if (j->json)
		lint_json_findings(b, i ? &not_first : j->first, j->file,
				   j->text, j->f + at, n);
	else
		lint_write_text(b, j->file, j->text, j->f + at, n);
}

/* take hands out the next slice whose slot is free, or returns 0 when
 * there is none now (*done set when there will be none). Lock held. */
static int take(struct pipe *p, size_t *i, int *done)
{
	*done = p->stop || p->next >= p->nslices;
	if (*done || p->next >= p->written + p->nslots)
		return 0;
	*i = p->next++;
	return 1;
}

static void *helper(void *arg)
{
	struct pipe *p = arg;
	size_t i;
	int done;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (!take(p, &i, &done)) {
			if (done)
				break;
			pthread_cond_wait(&p->cv, &p->mu);
			continue;
		}
		pthread_mutex_unlock(&p->mu);
		format_slice(p, i);
		pthread_mutex_lock(&p->mu);
		p->ready[i % p->nslots] = i + 1;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int lint_output_findings(FILE *to, const struct lint_output *job, int threads)
{
	struct pipe p = {.job = job};
	pthread_t th[MAX_WORKERS];
	size_t nth = 0, i;
	int rc = 0, done;

	if (!job->n)
		return 0;
	p.nslices = (job->n + SLICE - 1) / SLICE;
	if (threads < 1)
		threads = 1;
	if (threads > MAX_WORKERS)
		threads = MAX_WORKERS;
	if ((size_t)threads > p.nslices)
		threads = (int)p.nslices;
	p.nslots = 2 * (size_t)threads;
	for (i = 0; i < p.nslots; i++)
		buf_init(&p.slot[i]);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	for (i = 1; i < (size_t)threads; i++)
		if (!pthread_create(&th[nth], NULL, helper, &p))
			nth++;
	pthread_mutex_lock(&p.mu);
	while (p.written < p.nslices && !p.stop) {
		size_t k = p.written % p.nslots;

		if (p.ready[k] == p.written + 1) {
			/* the next slice in order is formatted: write it */
			struct buf *b = &p.slot[k];

			pthread_mutex_unlock(&p.mu);
			if (b->oom || (b->len && fwrite(b->data, 1, b->len,
							to) != b->len))
				rc = -1;
			pthread_mutex_lock(&p.mu);
			p.ready[k] = 0;
			p.written++;
			p.stop = rc < 0;
			pthread_cond_broadcast(&p.cv);
		} else if (take(&p, &i, &done)) {
			pthread_mutex_unlock(&p.mu);
			format_slice(&p, i);
			pthread_mutex_lock(&p.mu);
			p.ready[i % p.nslots] = i + 1;
		} else {
			pthread_cond_wait(&p.cv, &p.mu);
		}
	}
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < p.nslots; i++)
		buf_release(&p.slot[i]);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return rc;
}
