/* gen.c: bench data generator. Creates N reviews of realistic size through
 * the JSON API (POST /api/v1/reviews with the children embedded): first one
 * "big" review (300 timeline entries, 30 follow-ups, factors, people, links,
 * tags, long markdown sections), then N-1 ordinary ones. Prints the id of
 * the big review on stdout. Deterministic for a given seed.
 *
 *   gen [-n N] [-s SEED] http://127.0.0.1:PORT
 *
 * Built by bench/run.sh: cc -O2 bench/gen.c $(pkg-config --libs jansson
 * libcurl). */
#include <curl/curl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	"checkout",	 "search",	    "payments", "login",
	"image-resizer", "api-gateway",	    "listings", "messaging",
	"notifications", "shipping-labels", "ads",	"recommendations",
	"mysql-shard-7", "memcached",	    "kafka",	"cdn",
};
static const char *const teams[] = {
	"Core Platform", "Payments", "Search",		 "Storage",
	"Edge",		 "Mobile",   "Data Engineering", "Identity",
};
static const char *const names[] = {
	"Ana Souza",   "Ben Okafor",	"Chen Wei",	 "Dana Kowalski",
	"Eli Navarro", "Fatima Haddad", "Gus Lindqvist", "Hiro Tanaka",
	"Ines Moreau", "Jamal Price",	"Kira Ivanova",	 "Luis Ortega",
	"Mei Lin",     "Noor Rahman",	"oncall-bot",	 "deploy-bot",
};
static const char *const roles[] = {"responder", "actor", "facilitator",
				    "note-taker", "attendee"};
static const char *const tl_kinds[] = {
	"alert",	 "observation", "hypothesis", "action", "decision",
	"communication", "deploy",	"chat",	      "other",
};
static const char *const factor_kinds[] = {"trigger", "latent", "exacerbating",
					   "mitigating"};
static const char *const aims[] = {"prevent", "detect", "mitigate", "respond",
				   "understand"};
static const char *const fu_status[] = {"open", "in-progress", "done",
					"wont-do"};
static const char *const link_kinds[] = {
	"dashboard", "status-post", "forum-post", "ticket", "review", "other"};
static const char *const tags[] = {
	"database", "deploy",	    "config", "capacity",
	"dns",	    "tls",	    "cache",  "third-party",
	"network",  "feature-flag", "cron",   "migration",
};
static const char *const sentences[] = {
	"Error rates on the `checkout` endpoints rose from 0.1% to 14% within two minutes.",
	"The on-call engineer acknowledged the page and opened the incident channel.",
	"Graphs showed connection pool saturation on the primary database.",
	"We suspected the deploy at 14:02 and started a rollback.",
	"The rollback finished but the error rate stayed high, which surprised everyone.",
	"A config change to the cache TTL had been merged earlier that morning.",
	"Support reported a spike in tickets about failed payments.",
	"The status page was updated with a first notice for members.",
	"Replication lag on the replicas reached 90 seconds.",
	"Someone noticed that the cron job for label printing overlapped with the backfill.",
	"Traffic was shifted away from the affected data center.",
	"The feature flag `new_cart_flow` was turned off for all users.",
	"Latency returned to normal levels and the alert cleared.",
	"We agreed to keep the flag off until the follow-ups are done.",
	"Logs showed timeouts to the third-party fraud scoring API.",
	"The runbook pointed at a dashboard that no longer exists.",
	"Two responders were investigating the same hypothesis without knowing it.",
	"At the time, the deploy looked like the most likely cause because it was the only recent change we knew about.",
	"Disk usage on the queue brokers crossed 95% and writes slowed down.",
	"The mitigation worked for the EU region only; US traffic was still affected.",
};

/* para appends n random sentences to b as one paragraph. */
static void para(char *b, size_t cap, int n)
{
	size_t len = strlen(b);
	int i;

	for (i = 0; i < n && len + 200 < cap; i++) {
		len += (size_t)snprintf(b + len, cap - len, "%s%s",
					i ? " " : "", PICK(sentences));
	}
}

/* markdown returns a markdown section: paragraphs, a list, sometimes a
 * table and a link. Caller frees. */
static char *markdown(int paragraphs, int with_table)
{
	size_t cap = 512 + (size_t)paragraphs * 1400;
	char *b = calloc(1, cap);
	size_t len;
	int p, i;

	if (!b)
		return NULL;
	for (p = 0; p < paragraphs; p++) {
		para(b, cap, 2 + (int)rnd(4));
		len = strlen(b);
		snprintf(b + len, cap - len, "\n\n");
		if (p == 0) {
			for (i = 0; i < 3; i++) {
				len = strlen(b);
				snprintf(b + len, cap - len, "- %s\n",
					 PICK(sentences));
			}
			len = strlen(b);
			snprintf(
				b + len, cap - len,
				"\nSee [the dashboard](https://grafana.example.com/d/%u) "
				"and https://status.example.com/incidents/%u.\n\n",
				rnd(9000), rnd(9000));
		}
	}
	if (with_table) {
		len = strlen(b);
		snprintf(b + len, cap - len,
			 "| Region | Error rate | Duration |\n"
			 "|---|---:|---:|\n"
			 "| us-east | %u%% | %u min |\n"
			 "| eu-west | %u%% | %u min |\n\n"
			 "- [x] notify support\n- [ ] update runbook\n",
			 rnd(40), rnd(90), rnd(40), rnd(90));
	}
	return b;
}

static void rfc3339(char *out, size_t n, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void set_time(json_t *o, const char *key, time_t t)
{
	char s[32];

	rfc3339(s, sizeof s, t);
	json_object_set_new(o, key, json_string(s));
}

static void set_md(json_t *o, const char *key, int paragraphs, int table)
{
	char *s = markdown(paragraphs, table);

	json_object_set_new(o, key, s ? json_string(s) : json_null());
	free(s);
}

/* review builds one review with its children. idx makes titles distinct;
 * big selects the large shape. */
static json_t *review(int idx, int big)
{
	json_t *r = json_object(), *a;
	int ntl = big ? 300 : 15 + (int)rnd(30);
	int nfu = big ? 30 : 2 + (int)rnd(6);
	int nfa = big ? 9 : 2 + (int)rnd(3);
	int npe = big ? 14 : 3 + (int)rnd(4);
	int nli = big ? 12 : 1 + (int)rnd(4);
	int mdp = big ? 5 : 2;
	time_t start = 1640995200 + (time_t)idx * 86400 / 3 + rnd(3600);
	time_t dur = big ? 6 * 3600 : 600 + rnd(7200);
	char s[512];
	int i;

	if (!r)
		return NULL;
	json_object_set_new(
		r, "kind",
		json_string(idx % 9 == 4 ? "near-miss" : "incident"));
	snprintf(s, sizeof s, "%s: %s degraded for %u minutes (#%d)",
		 big ? "Big review" : "Review", PICK(services),
		 (unsigned)(dur / 60), idx);
	json_object_set_new(r, "title", json_string(s));
	json_object_set_new(r, "severity", json_integer(1 + rnd(5)));
	json_object_set_new(r, "status",
			    json_string(idx % 3 ? "published" : "draft"));
	set_time(r, "started_at", start);
	set_time(r, "detected_at", start + 120 + rnd(300));
	set_time(r, "first_status_at", start + 600 + rnd(300));
	set_time(r, "mitigated_at", start + dur / 2);
	set_time(r, "resolved_at", start + dur);
	set_md(r, "tldr", 1, 0);
	set_md(r, "summary", mdp + 1, big);
	set_md(r, "impact", mdp, big);
	set_md(r, "resolution", mdp, 0);
	set_md(r, "surprising", mdp, 0);
	set_md(r, "difficult", mdp, 0);
	set_md(r, "open_questions", 1, 0);
	set_md(r, "went_well", mdp, 0);
	set_md(r, "went_poorly", mdp, 0);
	set_md(r, "data_sources", 1, 0);
	a = json_array();
	json_array_append_new(a, json_string(PICK(services)));
	json_array_append_new(a, json_string(PICK(services)));
	json_object_set_new(r, "services", a);
	json_object_set_new(r, "owner_team", json_string(PICK(teams)));
	json_object_set_new(r, "impact_type", json_string("degradation"));
	json_object_set_new(r, "problem_type", json_string("config"));

	a = json_array();
	for (i = 0; i < ntl; i++) {
		json_t *e = json_object();

		set_time(e, "at", start + (time_t)i * dur / ntl + rnd(30));
		json_object_set_new(e, "approximate",
				    json_boolean(rnd(10) == 0));
		json_object_set_new(e, "kind", json_string(PICK(tl_kinds)));
		json_object_set_new(e, "actor", json_string(PICK(names)));
		s[0] = '\0';
		para(s, sizeof s, 1 + (int)rnd(2));
		json_object_set_new(e, "text", json_string(s));
		snprintf(s, sizeof s,
			 "https://chat.example.com/archives/C0%u/p%u", rnd(999),
			 rnd(1000000));
		json_object_set_new(e, "source", json_string(s));
		if (rnd(3) == 0) {
			s[0] = '\0';
			para(s, sizeof s, 1);
			json_object_set_new(e, "context", json_string(s));
		}
		if (rnd(5) == 0)
			json_object_set_new(e, "perspective",
					    json_string(PICK(names)));
		json_object_set_new(e, "disputed", json_boolean(rnd(25) == 0));
		json_array_append_new(a, e);
	}
	json_object_set_new(r, "timeline", a);

	a = json_array();
	for (i = 0; i < nfu; i++) {
		json_t *f = json_object();

		snprintf(s, sizeof s, "Follow-up %d: make %s %s safer", i + 1,
			 PICK(services), PICK(tags));
		json_object_set_new(f, "title", json_string(s));
		s[0] = '\0';
		para(s, sizeof s, 2);
		json_object_set_new(f, "description", json_string(s));
		json_object_set_new(f, "owner", json_string(PICK(names)));
		json_object_set_new(f, "horizon",
				    json_string(rnd(3) ? "short" : "long"));
		json_object_set_new(f, "aim", json_string(PICK(aims)));
		json_object_set_new(f, "status", json_string(PICK(fu_status)));
		snprintf(s, sizeof s, "2026-%02u-%02u", 1 + rnd(12),
			 1 + rnd(28));
		json_object_set_new(f, "due", json_string(s));
		snprintf(s, sizeof s, "OPS-%u", 1000 + rnd(9000));
		json_object_set_new(f, "ticket", json_string(s));
		json_array_append_new(a, f);
	}
	json_object_set_new(r, "followups", a);

	a = json_array();
	for (i = 0; i < nfa; i++) {
		json_t *f = json_object();

		s[0] = '\0';
		para(s, sizeof s, 1);
		json_object_set_new(f, "text", json_string(s));
		json_object_set_new(
			f, "kind",
			json_string(i == 0 ? "trigger" : PICK(factor_kinds)));
		s[0] = '\0';
		para(s, sizeof s, 2);
		json_object_set_new(f, "description", json_string(s));
		json_array_append_new(a, f);
	}
	json_object_set_new(r, "factors", a);

	a = json_array();
	for (i = 0; i < npe; i++) {
		json_t *p = json_object();

		json_object_set_new(p, "name",
				    json_string(names[i % COUNT(names)]));
		json_object_set_new(
			p, "role",
			json_string(i == 0 ? "facilitator" : PICK(roles)));
		json_array_append_new(a, p);
	}
	json_object_set_new(r, "people", a);

	a = json_array();
	for (i = 0; i < nli; i++) {
		json_t *l = json_object();

		snprintf(s, sizeof s, "https://grafana.example.com/d/%u/%s",
			 rnd(9000), PICK(services));
		json_object_set_new(l, "url", json_string(s));
		json_object_set_new(l, "kind", json_string(PICK(link_kinds)));
		json_object_set_new(l, "comment",
				    json_string("What responders looked at"));
		json_array_append_new(a, l);
	}
	json_object_set_new(r, "links", a);

	a = json_array();
	for (i = 0; i < (big ? 6 : 1 + (int)rnd(3)); i++)
		json_array_append_new(
			a, json_string(tags[(idx + i * 5) % COUNT(tags)]));
	json_object_set_new(r, "tags", a);
	return r;
}

struct sink {
	char *data;
	size_t len;
};

static size_t sink_write(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	char *d = realloc(s->data, s->len + size * n + 1);

	if (!d)
		return 0;
	memcpy(d + s->len, p, size * n);
	s->data = d;
	s->len += size * n;
	s->data[s->len] = '\0';
	return size * n;
}

/* post sends one review; returns its id, or -1 after printing why. */
static long long post(CURL *c, const char *url, json_t *r)
{
	struct curl_slist *h = NULL;
	struct sink s = {NULL, 0};
	char *body = json_dumps(r, JSON_COMPACT);
	long status = 0;
	long long id = -1;
	json_t *resp = NULL;
	CURLcode rc;

	if (!body)
		return -1;
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		fprintf(stderr, "gen: %s: %s\n", url, curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	resp = s.data ? json_loads(s.data, 0, NULL) : NULL;
	if (status != 201 && status != 200) {
		fprintf(stderr, "gen: POST %s: HTTP %ld: %.300s\n", url, status,
			s.data ? s.data : "");
		goto out;
	}
	if (resp && json_is_integer(json_object_get(resp, "id")))
		id = json_integer_value(json_object_get(resp, "id"));
	else
		fprintf(stderr, "gen: no id in answer: %.300s\n",
			s.data ? s.data : "");
out:
	json_decref(resp);
	curl_slist_free_all(h);
	free(s.data);
	free(body);
	return id;
}

int main(int argc, char **argv)
{
	const char *base = NULL;
	char url[512];
	long n = 1000, i;
	long long big = -1, id;
	size_t bytes = 0;
	CURL *c;
	int opt;

	for (opt = 1; opt < argc; opt++) {
		if (!strcmp(argv[opt], "-n") && opt + 1 < argc)
			n = strtol(argv[++opt], NULL, 10);
		else if (!strcmp(argv[opt], "-s") && opt + 1 < argc)
			rng_state ^= strtoull(argv[++opt], NULL, 10) *
				     0x9E3779B97F4A7C15ULL;
		else if (argv[opt][0] != '-' && !base)
			base = argv[opt];
		else
			base = NULL, opt = argc;
	}
	if (!base || n < 1) {
		fprintf(stderr,
			"usage: gen [-n N] [-s SEED] http://HOST:PORT\n");
		return 2;
	}
	snprintf(url, sizeof url, "%s/api/v1/reviews", base);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    !(c = curl_easy_init())) {
		fprintf(stderr, "gen: cannot initialise libcurl\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		json_t *r = review((int)i, i == 0);
		char *dump;

		if (!r) {
			fprintf(stderr, "gen: out of memory\n");
			return 1;
		}
		dump = json_dumps(r, JSON_COMPACT);
		bytes += dump ? strlen(dump) : 0;
		free(dump);
		id = post(c, url, r);
		json_decref(r);
		if (id < 0)
			return 1;
		if (i == 0)
			big = id;
	}
	curl_easy_cleanup(c);
	curl_global_cleanup();
	fprintf(stderr, "gen: %ld reviews, %zu bytes of JSON posted\n", n,
		bytes);
	printf("%lld\n", big);
	return 0;
}
