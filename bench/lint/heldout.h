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

/* A third set, written after all the changes above and run once: the
 * rules were not changed after its first run (its numbers are the honest
 * estimate on unseen sentences; see bench/lint/README.md). */
static const struct lint_case lint_unseen[] = {
	{"The search cluster was upgraded to version 8 over the weekend.", 0},
	{"A new index was created on the orders table at 09:30.", 0},
	{"The feature was rolled out to all customers on 4 May.", 0},
	{"Traffic was shifted back to the primary region at 12:15.", 0},
	{"The old replicas were decommissioned once the new ones caught "
	 "up.", 0},
	{"The affected accounts were restored from the 02:00 snapshot.", 0},
	{"At 08:12 the cache was flushed to clear the bad entries.", 0},
	{"The job queue was paused while the team investigated.", 0},
	{"Were the backups tested after the storage migration?", 0},
	{"The secrets were not exposed at any point.", 0},
	{"Logs are deleted after 14 days under the retention policy.", 0},
	{"The config was changed by the deploy bot after the merge.", 0},
	{"A canary release was triggered automatically by the pipeline.", 0},
	{"The DNS record was updated with the wrong IP address.", PB},
	{"A debug flag was left enabled in the production build.", PB},
	{"The alert was silenced during the last incident and never turned "
	 "back on.", PB},
	{"The failover procedure was skipped because the runbook was out "
	 "of date.", PB},
	{"The cleanup script was executed with an incorrect path, which "
	 "removed the shared volume.", PB},
	{"The ticket was closed before the fix had been verified.", PB},
	{"A migration was applied to the primary instead of the replica.",
	 PB},
	{"The change was merged without a second review, and the build "
	 "broke for every team.", PB},
	{"The payment gateway failed to respond within the timeout.", 0},
	{"The contractor failed to update the firewall rules.", CF},
	{"We should have load-tested the new endpoint.", CF},
	{"The nightly job should have finished before the sale opened.", 0},
	{"This bug could have let any signed-in user read other carts.", 0},
	{"More memory would have avoided the restart loop.", CF},
	{"The main cause was a missing timeout on the client.", RC},
	{"Several factors combined; none of them alone was enough.", 0},
	{"The admin was distracted by a second page.", HE},
	{"An error in the billing service returned 502 to clients.", 0},
	{"Operator error was listed as the cause in the first draft.", HE},
	{"The scheduler mistakenly placed both replicas on one host.", 0},
	{"Obviously, nobody expected the cache to expire all at once.", HS},
	{"It was not obvious from the graphs that the disk was filling.",
	 0},
	{"The runbook clearly describes how to drain a node.", 0},
	{"The release engineer cut corners on the checklist.", IJ},
	{"The query was sloppy and scanned the whole table.", IJ},
	{"A tired on-call engineer handled four pages that night.", 0},
	{"The team rushed to restore service before the morning peak.", 0},
};
