/* test_lint_rules.c: the linter's rules, sentence by sentence: every
 * category flags its wording and leaves its near-misses alone (the traps of
 * docs/lint.md), on sentences written for these tests (lint_cases.h) and
 * on focused pairs below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lint/lint.h"

#include "lint_cases.h"

static int setup(void **state)
{
	*state = arena_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* cats_of lints text and returns the mask of categories found. */
static unsigned cats_of(struct arena *a, const char *text)
{
	struct lint_finding *f;
	struct err e;
	size_t n;
	unsigned mask = 0;

	assert_int_equal(lint_text(a, text, strlen(text), NULL, &f, &n, &e),
			 E_OK);
	for (size_t i = 0; i < n; i++)
		mask |= LINT_MASK(f[i].cat);
	return mask;
}

/* check_cases runs every case of lint_cases.h whose expected categories
 * (or, for near-misses, the absence) concern cat; prints each miss and
 * fails when there is one. */
static void check_cases(struct arena *a, enum lint_category cat, int want)
{
	int bad = 0, seen = 0;

	for (size_t i = 0; i < sizeof lint_cases / sizeof lint_cases[0]; i++) {
		const struct lint_case *lc = &lint_cases[i];
		unsigned got = cats_of(a, lc->text) & LINT_MASK(cat);
		int expect = (lc->cats & LINT_MASK(cat)) != 0;

		if (expect != want)
			continue;
		seen++;
		if ((got != 0) != expect) {
			printf("  %s %s: %s\n", expect ? "missed" : "false",
			       lint_category_name(cat), lc->text);
			bad++;
		}
	}
	assert_true(seen > 0);
	assert_int_equal(bad, 0);
}

#define CASES(name, cat)                                                 \
	static void test_##name##_sentences_are_flagged(void **state)    \
	{                                                                \
		check_cases(*state, cat, 1);                             \
	}                                                                \
	static void test_##name##_is_not_flagged_elsewhere(void **state) \
	{                                                                \
		check_cases(*state, cat, 0);                             \
	}

CASES(counterfactual, LINT_COUNTERFACTUAL)
CASES(root_cause, LINT_ROOT_CAUSE)
CASES(human_error, LINT_HUMAN_ERROR)
CASES(hindsight, LINT_HINDSIGHT)
CASES(passive_blame, LINT_PASSIVE_BLAME)
CASES(individual_judgement, LINT_INDIVIDUAL_JUDGEMENT)

/* A focused pair: `flagged` must get cat, `clean` must not. */
struct pair {
	enum lint_category cat;
	const char *flagged, *clean;
};

static const struct pair traps[] = {
	/* "should have" as a plan or spec */
	{LINT_COUNTERFACTUAL,
	 "The engineer should have drained the node first.",
	 "The job should have finished by 10:00, but it was still running."},
	/* uncertainty and exposure */
	{LINT_COUNTERFACTUAL, "A dry run could have caught the bad path.",
	 "Users may have seen stale pages for a few minutes."},
	{LINT_COUNTERFACTUAL, "Better alerts might have reduced the impact.",
	 "We do not know whether the GC pause could have contributed."},
	/* "failed to": people vs systems */
	{LINT_COUNTERFACTUAL, "The on-call engineer failed to escalate.",
	 "The health check failed to detect the full disk."},
	{LINT_COUNTERFACTUAL,
	 "The failure of the platform team to renew the certificate took "
	 "the site down.",
	 "The failure of the generators to start left the hall dark."},
	{LINT_COUNTERFACTUAL,
	 "Instead of following the runbook, the operator "
	 "restarted every node.",
	 "The limit was set to 20 instead of the documented 200."},
	/* root: users, volumes, zones, CAs, code */
	{LINT_ROOT_CAUSE, "The root cause was a missing index.",
	 "The root volume filled up; root access was revoked."},
	{LINT_ROOT_CAUSE, "The underlying cause was lock contention.",
	 "Several underlying causes are listed under contributing factors."},
	{LINT_ROOT_CAUSE, "Root Cause: an expired token.",
	 "The `root_cause` field in the form was left empty."},
	{LINT_ROOT_CAUSE, "The primary cause was a bad deploy.",
	 "The direct cause was a malformed request; the trigger was a push."},
	/* errors of people vs errors of systems */
	{LINT_HUMAN_ERROR, "The outage was put down to human error.",
	 "Clients received HTTP 500 errors and the error rate doubled."},
	{LINT_HUMAN_ERROR, "The report blamed a user error in the console.",
	 "User errors (400 responses) rose during the incident."},
	{LINT_HUMAN_ERROR, "An engineer accidentally pushed to main.",
	 "A cleanup job mistakenly targeted the production bucket."},
	{LINT_HUMAN_ERROR, "An inadvertent deletion removed the zone.",
	 "An accidental N+1 query slowed the page."},
	{LINT_HUMAN_ERROR, "A momentary lapse left the flag on.",
	 "The certificate lapsed on Sunday."},
	{LINT_HUMAN_ERROR, "A typo in the hostname broke routing.",
	 "Scanners caught a typo-squatted package."},
	/* quoted mention vs use */
	{LINT_HUMAN_ERROR,
	 "It was attributed to an \"unintentional operator key stroke\".",
	 "We avoid the label \"human error\" in our reviews."},
	/* hindsight vs clarity */
	{LINT_HINDSIGHT, "Obviously, the disk was going to fill up.",
	 "It was not obvious from the alert that the disk was full."},
	{LINT_HINDSIGHT, "Skipping the canary was clearly a bad idea.",
	 "The runbook clearly states which steps are destructive."},
	{LINT_HINDSIGHT, "The failure was entirely predictable.",
	 "Traffic follows a predictable daily pattern."},
	{LINT_HINDSIGHT, "In hindsight, the warning signs were all there.",
	 "The retrospective is on Thursday."},
	/* passives: hidden people vs named agents, fixes and automation */
	{LINT_PASSIVE_BLAME, "A script was run which deleted half the cluster.",
	 "A script was run by the on-call engineer to clean up."},
	{LINT_PASSIVE_BLAME, "The firewall rule was changed without a ticket.",
	 "The change was rolled back and a fix was deployed."},
	{LINT_PASSIVE_BLAME, "The flag had been left enabled for a week.",
	 "The node was automatically removed by the autoscaler."},
	{LINT_PASSIVE_BLAME, "The database was accidentally deleted.",
	 "To stop the errors, writes were disabled on the primary."},
	/* judgements of people vs technical senses and conditions */
	{LINT_INDIVIDUAL_JUDGEMENT, "A careless engineer broke the deploy.",
	 "An exhausted engineer was on the third night of pages."},
	{LINT_INDIVIDUAL_JUDGEMENT, "A lazy workaround caused double charges.",
	 "The lazy-loading module deferred the cache; lazy evaluation helped."},
	{LINT_INDIVIDUAL_JUDGEMENT, "The on-call ignored the first page.",
	 "The worker ignored SIGTERM and kept running."},
	{LINT_INDIVIDUAL_JUDGEMENT,
	 "It was a poorly written regular expression.",
	 "It was a poorly documented regular expression."},
};

static void test_each_trap_flags_its_wording_and_not_its_near_miss(void **state)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++) {
		const struct pair *p = &traps[i];

		if (!(cats_of(*state, p->flagged) & LINT_MASK(p->cat))) {
			printf("  missed %s: %s\n", lint_category_name(p->cat),
			       p->flagged);
			bad++;
		}
		if (cats_of(*state, p->clean) & LINT_MASK(p->cat)) {
			printf("  false %s: %s\n", lint_category_name(p->cat),
			       p->clean);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_span_covers_the_shortest_problem_phrase(void **state)
{
	const char *t = "The primary root cause was a typo.";
	struct lint_finding *f;
	struct err e;
	size_t n;

	assert_int_equal(lint_text(*state, t, strlen(t), NULL, &f, &n, &e),
			 E_OK);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].category, "root-cause");
	assert_int_equal(f[0].start, 4);
	assert_int_equal(f[0].end, 22); /* "primary root cause" */
	assert_string_equal(f[1].category, "human-error");
	assert_int_equal(f[1].start, 29);
	assert_int_equal(f[1].end, 33); /* "typo" */
}

static void test_every_finding_has_a_message_and_a_suggestion(void **state)
{
	for (size_t i = 0; i < sizeof lint_cases / sizeof lint_cases[0]; i++) {
		const char *t = lint_cases[i].text;
		struct lint_finding *f;
		struct err e;
		size_t n;

		assert_int_equal(
			lint_text(*state, t, strlen(t), NULL, &f, &n, &e),
			E_OK);
		for (size_t k = 0; k < n; k++) {
			assert_true(strlen(f[k].message) > 40);
			assert_true(strlen(f[k].suggestion) > 20);
			assert_true(f[k].start < f[k].end);
			assert_true(f[k].end <= strlen(t));
		}
	}
}


/* finding_of: the one finding of cat in text (fails unless exactly
 * one). */
static struct lint_finding finding_of(struct arena *a, const char *text,
				      enum lint_category cat)
{
	struct lint_finding *f, found = {0};
	struct err e;
	size_t n, k = 0;

	assert_int_equal(lint_text(a, text, strlen(text), NULL, &f, &n, &e),
			 E_OK);
	for (size_t i = 0; i < n; i++)
		if (f[i].cat == cat) {
			found = f[i];
			k++;
		}
	assert_int_equal(k, 1);
	return found;
}

static void test_passive_message_names_the_verb_the_actor_and_the_judging_words(
	void **state)
{
	struct lint_finding f = finding_of(
		*state, "The database was accidentally deleted.",
		LINT_PASSIVE_BLAME);

	assert_non_null(strstr(f.message, "\"was accidentally deleted\""));
	assert_non_null(strstr(f.message, "who deleted it"));
	assert_non_null(strstr(f.message, "(\"accidentally\")"));
	assert_non_null(strstr(f.suggestion, "deleted it"));

	f = finding_of(*state,
		       "Two cleanup jobs were run without a review, which "
		       "wiped the cache.",
		       LINT_PASSIVE_BLAME);
	assert_non_null(strstr(f.message, "who ran them"));
	assert_non_null(strstr(f.message, "\"without a review\""));
	assert_non_null(strstr(f.suggestion, "ran them"));

	f = finding_of(*state, "Timeouts were set too low.",
		       LINT_PASSIVE_BLAME);
	assert_non_null(strstr(f.message, "who set them"));
	assert_non_null(strstr(f.message, "\"too low\""));
}

static void test_one_finding_per_category_per_sentence(void **state)
{
	struct lint_finding *f;
	struct err e;
	size_t n, pb = 0, cf = 0;
	const char *t = "The engineer should have checked the lag and should "
			"have paged the DBA. A script was run which deleted "
			"the cluster, and the index was dropped without a "
			"review. The flag was mistakenly enabled.";

	assert_int_equal(lint_text(*state, t, strlen(t), NULL, &f, &n, &e),
			 E_OK);
	for (size_t i = 0; i < n; i++) {
		pb += f[i].cat == LINT_PASSIVE_BLAME;
		cf += f[i].cat == LINT_COUNTERFACTUAL;
	}
	assert_int_equal(cf, 1);
	assert_int_equal(pb, 2); /* the second and the third sentence */
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_counterfactual_sentences_are_flagged),
		T(test_counterfactual_is_not_flagged_elsewhere),
		T(test_root_cause_sentences_are_flagged),
		T(test_root_cause_is_not_flagged_elsewhere),
		T(test_human_error_sentences_are_flagged),
		T(test_human_error_is_not_flagged_elsewhere),
		T(test_hindsight_sentences_are_flagged),
		T(test_hindsight_is_not_flagged_elsewhere),
		T(test_passive_blame_sentences_are_flagged),
		T(test_passive_blame_is_not_flagged_elsewhere),
		T(test_individual_judgement_sentences_are_flagged),
		T(test_individual_judgement_is_not_flagged_elsewhere),
		T(test_each_trap_flags_its_wording_and_not_its_near_miss),
		T(test_span_covers_the_shortest_problem_phrase),
		T(test_every_finding_has_a_message_and_a_suggestion),
		T(test_passive_message_names_the_verb_the_actor_and_the_judging_words),
		T(test_one_finding_per_category_per_sentence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
