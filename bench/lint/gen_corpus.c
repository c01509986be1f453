/* gen_corpus.c: writes a markdown corpus of incident write-ups for the
 * lint benchmark: headings, paragraphs, lists, tables, fenced code and
 * quoted chat, built from sentence templates of which about one in six
 * carries blame-prone wording (the rest are clean, many of them
 * near-misses). Deterministic for a given seed.
 *
 *   gen_corpus [-m MEGABYTES] [-s SEED] > corpus.md
 *
 * Built by bench/lint/run.sh: cc -O2 -o gen_corpus gen_corpus.c */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char *const services[] = {
	"payments API",	 "checkout service",	 "search cluster",
	"auth proxy",	 "billing database",	 "edge cache",
	"message queue", "metrics pipeline",	 "DNS resolver",
	"object store",	 "notification service", "CI runner",
};
static const char *const people[] = {
	"the on-call engineer", "an SRE",
	"the database team",	"a developer",
	"the release manager",	"an operator",
	"the network team",	"the incident commander",
};

/* Templates: %S a service, %P a person or team, %T a time, %N a number. */
static const char *const clean[] = {
	"At %T UTC the %S started returning 503 errors for about %N%% of "
	"requests.",
	"%P was paged at %T and acknowledged the alert within two minutes.",
	"The error rate on the %S returned to normal by %T.",
	"The %S failed to renew its lease because the coordinator was "
	"unreachable.",
	"The nightly export should have finished by %T, but it was still "
	"running an hour later.",
	"Customers may have seen stale results from the %S for up to %N "
	"minutes.",
	"The fix was deployed to all regions by %T.",
	"The faulty release was rolled back at %T and latency recovered.",
	"Requests were throttled by the gateway once the limit of %N per "
	"second was reached.",
	"%P restarted the %S after confirming that the replicas were in "
	"sync.",
	"The root volume on %N nodes filled up with debug logs.",
	"The direct trigger was a configuration push to the %S at %T.",
	"Contributing factors included a retry policy without jitter and a "
	"dashboard that hid the affected shard.",
	"The health check failed to detect the degraded disk because it only "
	"tested TCP connectivity.",
	"The worker ignored SIGTERM and kept running until it was killed.",
	"The runbook clearly states which commands are destructive.",
	"It was not obvious from the alert text that only one shard was "
	"affected.",
	"We will add a dry-run mode to the cleanup tool.",
	"The %S was degraded for %N minutes while the cache warmed up.",
	"Traffic was shifted to the secondary region while the primary "
	"recovered.",
	"An exhausted engineer was on the third night of pages.",
	"The lazy-loading module deferred initialisation of the %S client.",
	"The migration was performed manually by %P with a peer reviewer.",
	"Users saw HTTP 500 errors until the connection pool recovered.",
	"The scheduler would then retry the job every five minutes.",
	"We have not yet determined whether the kernel upgrade could have "
	"contributed to the spike.",
};
static const char *const blame[] = {
	"The root cause was a missing timeout in the %S client.",
	"%P should have checked the replica status before the failover.",
	"A canary stage would have caught the bad build before it reached "
	"the %S.",
	"The outage was ultimately attributed to human error.",
	"%P accidentally ran the cleanup script against production.",
	"A script was run which deleted half of the %S cluster.",
	"In hindsight, the warning signs were all there.",
	"The deploy broke because of a careless change to the %S config.",
	"The operator failed to notice that the disk alert had been firing "
	"for hours.",
	"Obviously, the migration should have been run during off-peak "
	"hours.",
	"The firewall rule for the %S was changed without a ticket.",
	"A typo in the hostname sent all traffic to the staging database.",
	"Load planning was skipped in haste before the launch.",
	"The primary cause of the outage was a misconfigured load balancer.",
};

static void emit(FILE *f, const char *tpl)
{
	for (const char *p = tpl; *p; p++) {
		if (*p != '%') {
			fputc(*p, f);
			continue;
		}
		switch (*++p) {
		case 'S': fputs(services[rnd(COUNT(services))], f); break;
		case 'P': {
			const char *who = people[rnd(COUNT(people))];

			if (p == tpl + 1) {
				fputc(who[0] - 'a' + 'A', f);
				fputs(who + 1, f);
			} else {
				fputs(who, f);
			}
			break;
		}
		case 'T': fprintf(f, "%02u:%02u", rnd(24), rnd(60)); break;
		case 'N': fprintf(f, "%u", 2 + rnd(60)); break;
		case '%': fputc('%', f); break;
		default: fputc(*p, f);
		}
	}
}

static void sentence(FILE *f)
{
	if (rnd(6) == 0)
		emit(f, blame[rnd(COUNT(blame))]);
	else
		emit(f, clean[rnd(COUNT(clean))]);
}

static void paragraph(FILE *f)
{
	unsigned n = 2 + rnd(5);

	for (unsigned i = 0; i < n; i++) {
		if (i)
			fputc(i % 3 == 2 ? '\n' : ' ', f);
		sentence(f);
	}
	fputs("\n\n", f);
}

static void review(FILE *f, unsigned k)
{
	fprintf(f, "# Incident %u: %s outage\n\n## Summary\n\n", k,
		services[rnd(COUNT(services))]);
	paragraph(f);
	paragraph(f);
	fputs("## Timeline\n\n", f);
	for (unsigned i = 0, n = 3 + rnd(6); i < n; i++) {
		fputs("- ", f);
		sentence(f);
		fputc('\n', f);
	}
	fputs("\n> 10:02 <alice> is the root cause the config push?\n"
	      "> 10:03 <bob> should have been caught in staging tbh\n\n",
	      f);
	fputs("## Contributing factors\n\n", f);
	paragraph(f);
	fputs("```\n$ kubectl delete pod --all  # should have used a selector\n"
	      "```\n\n",
	      f);
	fputs("| Time | Event |\n|------|-------|\n", f);
	for (unsigned i = 0, n = 2 + rnd(3); i < n; i++) {
		fprintf(f, "| %02u:%02u | ", rnd(24), rnd(60));
		sentence(f);
		fputs(" |\n", f);
	}
	fputs("\n## What went poorly\n\n", f);
	paragraph(f);
}

int main(int argc, char **argv)
{
	unsigned long mb = 50;
	char *data = NULL;
	size_t size = 0;
	unsigned k = 0;
	FILE *f = open_memstream(&data, &size);

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-m"))
			mb = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "-s"))
			rng_state ^=
				strtoull(argv[i + 1], NULL, 10) * 0x9E37ULL;
	}
	if (!f)
		return 1;
	do {
		review(f, ++k);
		fflush(f);
	} while (size < mb * 1024 * 1024);
	fclose(f);
	if (fwrite(data, 1, size, stdout) != size || fflush(stdout))
		return 1;
	free(data);
	return 0;
}
