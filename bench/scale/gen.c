/* gen.c: bench/scale's loader. Writes N reviews of the shape of issue 21
 * (about 2 KB of markdown, 10 timeline entries, 3 follow-ups and 3 tags
 * each; one in 20 restricted to the group "sre") straight through the store
 * (store_review_create, the call POST /api/v1/reviews makes), with the
 * store's bulk mode on (commits do not wait for the disk), so that 100,000
 * reviews take minutes. Deterministic for a given seed.
 *
 * Search words it plants, for the bench: every review's text holds common
 * words ("database", "deploy", "rollback" ...) and one rare word "tkNNN"
 * (NNN in 000..999, so each is in about one review in a thousand).
 *
 *   gen [-n N] [-s SEED] DBFILE
 *
 * Built by bench/scale/run.sh against build/libdebrief.a. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/record.h"
#include "model/record_json.h"
#include "model/review.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng_state = 88172645463325252ULL;

/* rnd returns a pseudo-random number in [0, n) (xorshift64*). */
static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

#define PICK(a) ((a)[rnd(COUNT(a))])

static const char *const services[] = {
	"checkout", "search",	 "payments", "login",	"image-resizer",
	"listings", "messaging", "shipping", "kafka",	"memcached",
	"cdn",	    "ads",	 "api",	     "mysql-7", "notifications",
};
static const char *const names[] = {
	"Ana Souza",   "Ben Okafor",  "Chen Wei",    "Dana Kowalski",
	"Eli Navarro", "Hiro Tanaka", "Ines Moreau", "oncall-bot",
};
static const char *const tl_kinds[] = {"alert",	 "observation", "hypothesis",
				       "action", "decision",	"communication",
				       "deploy", "chat",	"other"};
static const char *const fu_status[] = {"open", "in-progress", "done",
					"wont-do"};
static const char *const tags[] = {
	"database", "deploy", "config",	 "capacity",	 "dns",	 "tls",
	"cache",    "vendor", "network", "feature-flag", "cron", "migration",
};
static const char *const sentences[] = {
	"Error rates on the checkout endpoints rose from 0.1% to 14% within two minutes.",
	"The on-call engineer acknowledged the page and opened the incident channel.",
	"Graphs showed connection pool saturation on the primary database.",
	"We suspected the deploy at 14:02 and started a rollback.",
	"The rollback finished but the error rate stayed high, which surprised everyone.",
	"A config change to the cache TTL had been merged earlier that morning.",
	"Support reported a spike in tickets about failed payments.",
	"The status page was updated with a first notice for members.",
	"Replication lag on the replicas reached 90 seconds.",
	"The cron job for label printing overlapped with the backfill.",
	"Traffic was shifted away from the affected data center.",
	"The feature flag was turned off for all users.",
	"Latency returned to normal levels and the alert cleared.",
	"Logs showed timeouts to the third-party fraud scoring API.",
	"The runbook pointed at a dashboard that no longer exists.",
	"Disk usage on the queue brokers crossed 95% and writes slowed down.",
};

/* text writes about len bytes of sentences into b (cap > len + 200). */
static void text(char *b, size_t cap, size_t len)
{
	size_t n = 0;

	b[0] = '\0';
	while (n < len && n + 200 < cap)
		n += (size_t)snprintf(b + n, cap - n, "%s%s", n ? " " : "",
				      PICK(sentences));
}

static void set_time(json_t *o, const char *key, time_t t)
{
	char s[32];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(o, key, json_string(s));
}

/* review_json builds review idx: about 2 KB of markdown over six
 * sections, 10 timeline entries, 3 follow-ups, 3 tags. */
static json_t *review_json(unsigned idx)
{
	json_t *r = json_object(), *a;
	time_t start = 1500000000 + (time_t)rnd(300000000);
	char s[1024];
	unsigned first_tag = rnd(COUNT(tags));

	json_object_set_new(
		r, "kind",
		json_string(idx % 9 == 4 ? "near-miss" : "incident"));
	snprintf(s, sizeof s, "%s degraded for %u minutes (#%u)",
		 PICK(services), 5 + rnd(200), idx);
	json_object_set_new(r, "title", json_string(s));
	json_object_set_new(r, "severity", json_integer(1 + rnd(5)));
	json_object_set_new(r, "status",
			    json_string(idx % 3 ? "published" : "draft"));
	set_time(r, "started_at", start);
	set_time(r, "resolved_at", start + 600 + rnd(7200));
	text(s, sizeof s, 150);
	json_object_set_new(r, "tldr", json_string(s));
	text(s, sizeof s, 500);
	{
		size_t n = strlen(s);
		snprintf(s + n, sizeof s - n, " Ticket tk%03u.", rnd(1000));
	}
	json_object_set_new(r, "summary", json_string(s));
	text(s, sizeof s, 350);
	json_object_set_new(r, "impact", json_string(s));
	text(s, sizeof s, 350);
	json_object_set_new(r, "resolution", json_string(s));
	text(s, sizeof s, 300);
	json_object_set_new(r, "went_well", json_string(s));
	text(s, sizeof s, 300);
	json_object_set_new(r, "went_poorly", json_string(s));
	a = json_array();
	json_array_append_new(a, json_string(PICK(services)));
	json_object_set_new(r, "services", a);
	if (idx % 20 == 7) {
		a = json_array();
		json_array_append_new(a, json_string("sre"));
		json_object_set_new(r, "restricted_to", a);
	}

	a = json_array();
	for (int i = 0; i < 10; i++) {
		json_t *e = json_object();

		set_time(e, "at", start + i * 60 + rnd(30));
		json_object_set_new(e, "kind", json_string(PICK(tl_kinds)));
		json_object_set_new(e, "actor", json_string(PICK(names)));
		text(s, sizeof s, 60);
		json_object_set_new(e, "text", json_string(s));
		json_array_append_new(a, e);
	}
	json_object_set_new(r, "timeline", a);

	a = json_array();
	for (int i = 0; i < 3; i++) {
		json_t *f = json_object();

		snprintf(s, sizeof s, "Alert on %s saturation", PICK(services));
		json_object_set_new(f, "title", json_string(s));
		json_object_set_new(f, "horizon",
				    json_string(rnd(2) ? "short" : "long"));
		json_object_set_new(f, "status", json_string(PICK(fu_status)));
		json_object_set_new(f, "owner", json_string(PICK(names)));
		json_array_append_new(a, f);
	}
	json_object_set_new(r, "followups", a);

	a = json_array();
	for (unsigned i = 0; i < 3; i++) {
		json_t *t = json_object();

		json_object_set_new(
			t, "name",
			json_string(tags[(first_tag + i) % COUNT(tags)]));
		json_array_append_new(a, t);
	}
	json_object_set_new(r, "tags", a);
	return r;
}

static int usage(void)
{
	fprintf(stderr, "usage: gen [-n N] [-s SEED] DBFILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct store *st = NULL;
	struct err e;
	long n = 1000;
	int opt;
	time_t t0 = time(NULL);

	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		if (opt == 'n')
			n = atol(optarg);
		else if (opt == 's')
			rng_state ^= strtoull(optarg, NULL, 10) *
				     0x9E3779B97F4A7C15ULL;
		else
			return usage();
	}
	if (optind != argc - 1 || n < 1)
		return usage();
	err_clear(&e);
	if (store_open(argv[optind], &st, &e) != E_OK ||
	    store_bulk_writes(st, &e) != E_OK) {
		fprintf(stderr, "gen: %s: %s\n", argv[optind], e.message);
		store_close(st);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		struct arena *a = arena_new();
		json_t *j = review_json((unsigned)i);
		struct review_doc doc;
		int64_t id;

		if (!a || !j || review_doc_from_json(a, j, &doc, &e) != E_OK ||
		    (record_fill_defaults(a, doc.review),
		     record_validate(doc.review, &e)) != E_OK ||
		    store_review_create(st, a, "bench", &doc, &id, &e) !=
			    E_OK) {
			fprintf(stderr, "gen: review %ld: %s%s%s\n", i,
				e.field[0] ? e.field : "",
				e.field[0] ? ": " : "", e.message);
			json_decref(j);
			arena_free(a);
			store_close(st);
			return 1;
		}
		json_decref(j);
		arena_free(a);
		if ((i + 1) % 10000 == 0)
			fprintf(stderr, "gen: %ld reviews (%lds)\n", i + 1,
				(long)(time(NULL) - t0));
	}
	store_close(st);
	fprintf(stderr, "gen: %ld reviews in %lds\n", n,
		(long)(time(NULL) - t0));
	return 0;
}
