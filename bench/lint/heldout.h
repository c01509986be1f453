/* heldout.h: a second labelled set for the bench, written after the
 * rules of issue 12 were tuned on tests/unit/lint_cases.h: sentences in
 * the manner of long write-ups by the teams themselves (timelines,
 * background, response, analysis), worded here. Labels follow
 * ../shared/lint/GUIDELINE.md and the rule that a passive is only
 * blame when it hides who did something the sentence judges.
 *
 * Its first run, before any change it prompted: macro-F1 0.866;
 * passive-blame precision 0.88, recall 0.64; counterfactual 0.83 / 1.00;
 * root-cause 0.67 / 1.00; hindsight 0.60 / 1.00. The general fixes it
 * prompted (exposure with an attacker as subject, "cause for concern",
 * predictable traffic, "during the incident", more operational verbs)
 * were then made, with fixtures of their own in lint_cases.h; the one
 * disagreement left ("the dashboard clearly showed ...", labelled clean,
 * flagged as hindsight) is kept, not fixed away. So this set is no
 * longer unseen: a new set is needed for an honest estimate. Same macros
 * as lint_cases.h. */
static const struct lint_case lint_heldout[] = {
	{"At 16:20 UTC a change to the rate limiter was merged and "
	 "released to the canary fleet.", 0},
	{"The new ingestion pipeline was launched in March to replace the "
	 "nightly batch jobs.", 0},
	{"During the incident, a read-only mode was enabled for the "
	 "dashboard to shed load.", 0},
	{"A temporary firewall exception was added so the restore job could "
	 "reach the archive.", 0},
	{"The affected shards were rebalanced over the following two "
	 "hours.", 0},
	{"Once the backlog was drained, the consumers were scaled back to "
	 "their normal count.", 0},
	{"The session store was moved to a dedicated cluster in 2021.", 0},
	{"Why was the alert routed to the wrong rotation?", 0},
	{"None of the payment records were modified.", 0},
	{"The staging environment is rebuilt from scratch every night.", 0},
	{"The certificates had not been rotated since the service was "
	 "created.", 0},
	{"The kill switch was flipped at 10:41 and errors dropped to zero "
	 "within a minute.", 0},
	{"A hotfix was deployed at 11:05 that restored the previous "
	 "timeout.", 0},
	{"The deploy was started before the schema migration had "
	 "finished, which left the API reading a column that did not yet "
	 "exist.", PB},
	{"The production credentials were accidentally committed to a "
	 "public repository.", PB | HE},
	{"The load balancer pool was misconfigured during the network "
	 "change, sending all traffic to one zone.", PB},
	{"The runbook step that drains the node was skipped under time "
	 "pressure.", PB},
	{"The capacity warning was ignored for three weeks.", PB},
	{"A one-line change to the retry loop was shipped without tests "
	 "and took down checkout.", PB},
	{"The maintenance window was scheduled during peak traffic in "
	 "Asia, causing the longest impact of the year.", PB},
	{"An operator mistakenly selected the production cluster in the "
	 "console.", HE},
	{"The outage was the result of a simple typo in a hostname.", HE},
	{"It was a human error, plain and simple.", HE},
	{"The engineer forgot to remove the debug flag before the "
	 "release.", HE},
	{"A cron job inadvertently deleted the temporary tables it was "
	 "meant to keep.", 0},
	{"The certificate lapsed on Sunday because the renewal bot had "
	 "been disabled.", PB},
	{"The replication error was logged but did not page anyone.", 0},
	{"Our primary cause of concern was the growth of the retry "
	 "queue.", 0},
	{"The primary cause was a memory leak in the image resizer.", RC},
	{"We ran a root cause analysis the next morning.", RC},
	{"The root certificate bundle on the build hosts was out of "
	 "date.", 0},
	{"A leak in the connection handler was the immediate trigger.", 0},
	{"The team should have rolled back instead of trying a forward "
	 "fix.", CF},
	{"A simple integration test would have caught the inverted "
	 "flag.", CF},
	{"Customers may have received duplicate emails during this "
	 "window.", 0},
	{"The backup should have completed by 03:00 but stalled on a "
	 "locked table.", 0},
	{"Had the alert threshold been lower, we would have been paged an "
	 "hour earlier.", CF},
	{"The vendor failed to honour the agreed maintenance window.", CF},
	{"The queue consumer failed to acknowledge messages after the "
	 "upgrade.", 0},
	{"The reviewer missed the changed default in a 900-line diff.", CF},
	{"The misconfiguration could have exposed internal metrics to the "
	 "internet.", 0},
	{"An attacker could have replayed the signed requests.", 0},
	{"In hindsight, the warning signs were all there.", HS},
	{"Looking back, scaling the database before the sale was clearly "
	 "the right call.", HS},
	{"The error message was not clear about which region failed.", 0},
	{"The dashboard clearly showed the queue growing from 09:10.", 0},
	{"The failure was entirely predictable.", HS},
	{"The traffic pattern is predictable on weekdays.", 0},
	{"The on-call engineer was exhausted after three nights of "
	 "pages.", 0},
	{"The migration script was poorly written and had no dry-run "
	 "mode.", IJ},
	{"The developer was careless with the production console.", IJ},
	{"The operator ignored the confirmation prompt.", IJ},
	{"The worker ignored the shutdown signal and kept writing.", 0},
	{"The change was rushed out on a Friday afternoon.", PB | IJ},
	{"Lazy loading of the settings page hid the slow query.", 0},
	{"The release was made from an unmerged branch.", PB},
	{"The restore was performed by the database team at 14:10.", 0},
	{"Requests were throttled by the edge once the limit was hit.", 0},
	{"The secondary was promoted automatically after 30 seconds.", 0},
	{"A bad config was pushed to every router, which withdrew our "
	 "routes.", PB},
};
