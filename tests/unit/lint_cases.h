/* lint_cases.h: sentences in the style of incident write-ups, written for
 * the linter's tests (not taken from any labelled set), with the categories
 * each must get: positives and near-misses for every category and trap of
 * docs/lint.md. Included by test_lint_rules.c. */
#define CF LINT_MASK(LINT_COUNTERFACTUAL)
#define RC LINT_MASK(LINT_ROOT_CAUSE)
#define HE LINT_MASK(LINT_HUMAN_ERROR)
#define HS LINT_MASK(LINT_HINDSIGHT)
#define PB LINT_MASK(LINT_PASSIVE_BLAME)
#define IJ LINT_MASK(LINT_INDIVIDUAL_JUDGEMENT)

static const struct lint_case {
	const char *text;
	unsigned cats;
} lint_cases[] = {
	{"The on-call engineer should have paged the database team as soon "
	 "as replication lag crossed the threshold.",
	 CF},
	{"We should have caught the expired certificate during the "
	 "quarterly audit.",
	 CF},
	{"A canary deployment would have limited the blast radius to a "
	 "single region.",
	 CF},
	{"Better input validation could have prevented the malformed "
	 "payload from reaching the parser.",
	 CF},
	{"Had the operator checked the replica status, the failover would "
	 "not have been triggered.",
	 CF},
	{"If only someone had read the deprecation notice, the upgrade "
	 "would have gone smoothly.",
	 CF},
	{"The outage could have been avoided if the team had scheduled the "
	 "migration outside business hours.",
	 CF},
	{"The release manager failed to verify that the feature flag was "
	 "off in production.",
	 CF},
	{"Two engineers reviewed the pull request but failed to spot the "
	 "inverted condition.",
	 CF},
	{"The network team neglected to update the runbook after the "
	 "topology change.",
	 CF},
	{"The on-call missed the pager notification because the phone was "
	 "on silent.",
	 CF},
	{"The vendor failed to notify customers about the maintenance "
	 "window.",
	 CF},
	{"Instead of following the rollback procedure, the engineer tried "
	 "to patch the schema in place.",
	 CF},
	{"Rather than waiting for the canary to finish, the deployer "
	 "promoted the build to all regions.",
	 CF},
	{"A second reviewer might have noticed the missing index.",
	 CF},
	{"Running the load test beforehand would have revealed the "
	 "connection pool limit.",
	 CF},
	{"The backup job should have completed by 03:00, but it was still "
	 "running at 05:30.",
	 0},
	{"Each shard should have exactly three replicas at all times.",
	 0},
	{"Per the design, the circuit breaker should have opened after "
	 "five consecutive failures.",
	 0},
	{"We should document the manual failover steps in the runbook.",
	 0},
	{"Customers in the EU region may have seen stale data for up to "
	 "ten minutes.",
	 0},
	{"It is not yet clear whether the kernel upgrade could have "
	 "contributed to the memory pressure.",
	 0},
	{"The replica must have lost its lease shortly after 14:10.",
	 0},
	{"Users who logged in during the window could have been exposed to "
	 "other users' session data.",
	 0},
	{"The scheduler would then retry the job every five minutes until "
	 "it succeeded.",
	 0},
	{"Restarting the primary would have meant dropping every open "
	 "connection.",
	 0},
	{"The load balancer failed to remove the unhealthy node from "
	 "rotation.",
	 0},
	{"The certificate renewal job failed to run because the cron "
	 "daemon had crashed.",
	 0},
	{"The migration tool failed to acquire the advisory lock and "
	 "exited.",
	 0},
	{"Customers failed to complete checkout for about twenty minutes.",
	 0},
	{"The parameter was set to 30 seconds instead of the documented "
	 "300 seconds.",
	 PB},
	{"Instead of returning cached data, the service returned errors to "
	 "every request.",
	 0},
	{"The team did not run the integration tests before merging.",
	 0},
	{"The root cause of the outage was an expired intermediate "
	 "certificate.",
	 RC},
	{"Our investigation identified two root causes.",
	 RC},
	{"The RCA document is linked below.",
	 RC},
	{"We are still root-causing the latency regression.",
	 RC},
	{"The main cause of the data loss was a race in the compaction "
	 "code.",
	 RC},
	{"The real cause turned out to be a misconfigured DNS resolver.",
	 RC},
	{"Root Cause: a stale cache entry in the edge proxy.",
	 RC},
	{"The team completed a full root cause analysis within a week.",
	 RC},
	{"The attacker obtained root access on the bastion host.",
	 0},
	{"The root partition filled up because log rotation was disabled "
	 "by a package update.",
	 0},
	{"Clients failed to validate the chain because the root CA "
	 "certificate had been rotated.",
	 0},
	{"The immediate cause was a spike in write traffic from a single "
	 "tenant.",
	 0},
	{"Several underlying causes are discussed in the contributing "
	 "factors section.",
	 0},
	{"The `rootCauseCategory` column in the tracker stays empty for "
	 "this incident.",
	 0},
	{"The incident was ultimately attributed to human error.",
	 HE},
	{"Investigators classified the crash as pilot error.",
	 HE},
	{"The engineer made a mistake when copying the connection string.",
	 HE},
	{"The config file was deleted by mistake during cleanup.",
	 HE | PB},
	{"An administrator accidentally ran the script against the "
	 "production cluster.",
	 HE},
	{"A developer inadvertently committed the API key to a public "
	 "repository.",
	 HE},
	{"The operator forgot to re-enable the alerting after maintenance.",
	 HE},
	{"A typo in the hostname sent all traffic to the staging database.",
	 HE},
	{"The change was the result of a simple oversight in the review "
	 "checklist.",
	 HE},
	{"The technician fat-fingered the VLAN ID on the core switch.",
	 HE},
	{"A single slip by the on-call engineer took down the payments "
	 "API.",
	 HE},
	{"The outage was caused by operator error during a routine disk "
	 "replacement.",
	 HE},
	{"The firewall change was accidentally applied to the wrong "
	 "security group.",
	 HE | PB},
	{"Users saw HTTP 503 errors for about 14 minutes.",
	 0},
	{"The error budget for the quarter was exhausted by this incident.",
	 0},
	{"A cron job accidentally truncated the audit table every night.",
	 0},
	{"The deploy pipeline mistakenly marked the failed build as green.",
	 0},
	{"The TLS certificate lapsed on Saturday morning.",
	 0},
	{"A software error in the RAID controller caused silent data "
	 "corruption.",
	 0},
	{"The engineer deleted the wrong volume while cleaning up old "
	 "snapshots.",
	 0},
	{"The team member incorrectly believed the replica was already "
	 "detached.",
	 0},
	{"The update inadvertently disabled TCP keepalives on all workers.",
	 0},
	{"Obviously, nobody expected the cache to be cold after the "
	 "restart.",
	 HS},
	{"The risk of running both migrations at once was obvious.",
	 HS},
	{"The alert was clearly a symptom of the disk filling up.",
	 HS},
	{"In retrospect, deploying on a Friday afternoon was a bad idea.",
	 HS},
	{"With hindsight, the decision to skip the canary was a mistake.",
	 HE | HS},
	{"This kind of failure was completely foreseeable.",
	 HS},
	{"The outage was entirely preventable.",
	 HS},
	{"Sooner or later the queue was bound to overflow.",
	 HS},
	{"It was just a matter of time before someone ran the wrong "
	 "command.",
	 HS},
	{"Anyone could have seen that the disk would fill up within a day.",
	 HS},
	{"It was not obvious from the dashboard that only one shard was "
	 "affected.",
	 0},
	{"The new error page makes the failure mode more obvious to users.",
	 0},
	{"The runbook clearly explains how to drain a node.",
	 0},
	{"Traffic followed the predictable weekly pattern until Monday "
	 "morning.",
	 0},
	{"Looking back at the logs, the first timeout occurred at 09:12.",
	 0},
	{"The retrospective meeting is scheduled for Thursday.",
	 0},
	{"The production table was dropped at 11:02 UTC.",
	 0},
	{"A new kernel parameter was applied to every node in the fleet.",
	 0},
	{"The rate limit was lowered to 100 requests per second shortly "
	 "before the incident.",
	 PB},
	{"The maintenance flag was left enabled overnight.",
	 PB},
	{"Several DNS records were deleted during the migration.",
	 0},
	{"The feature flag had been turned on for all customers.",
	 PB},
	{"The rollback was started at 10:14 and completed at 10:31.",
	 0},
	{"The hotfix was deployed to all regions within an hour.",
	 0},
	{"The outdated entries were removed by the on-call engineer.",
	 0},
	{"The pods were automatically restarted by the kubelet.",
	 0},
	{"Affected customers were notified by email.",
	 0},
	{"The service was unavailable for 42 minutes.",
	 0},
	{"To stop the data loss, writes were disabled on the primary "
	 "cluster.",
	 0},
	{"The bad configuration was reverted at 15:40.",
	 0},
	{"Config changes are usually applied through the deployment "
	 "pipeline.",
	 0},
	{"The sloppy handover left the night shift without context.",
	 IJ},
	{"The developer was careless with the production credentials.",
	 IJ},
	{"The reviewer didn't bother to run the tests locally.",
	 IJ},
	{"The team cut corners to meet the launch date.",
	 IJ},
	{"The change was rubber-stamped by a reviewer who was on vacation.",
	 IJ},
	{"The migration was rushed through without a dry run.",
	 PB | IJ},
	{"This was a badly written shell script with no error handling.",
	 IJ},
	{"An exhausted engineer was on the third night of pages.",
	 0},
	{"The lazy evaluation of the query deferred the error until later.",
	 0},
	{"The controller ignored the stale heartbeat and kept the lease.",
	 0},
	{"The team performed a careful staged rollout over three days.",
	 0},
	{"A new hire with two weeks on the team ran the deployment.",
	 0},
	{"During a routine capacity expansion, a network engineer "
	 "mistakenly applied a route filter to the wrong peering session, "
	 "withdrawing prefixes for roughly 40 minutes.",
	 HE},
	{"The database migration, which had been tested only against a "
	 "small staging dataset, was run during peak traffic and locked "
	 "the orders table for 18 minutes.",
	 PB},
	{"At 16:02 UTC an unreviewed change to the rate limiter was merged "
	 "and deployed to all edge locations.",
	 PB},
	{"The primary root cause was a missing timeout on calls to the "
	 "metadata service.",
	 RC},
	{"Engineers at the provider failed to renew the wildcard "
	 "certificate, which expired at midnight.",
	 CF},
	{"The postmortem concluded that the incident was the result of a "
	 "technician's mistake while replacing a faulty power supply.",
	 HE},
	{"Had the alert fired on the p99 latency rather than the average, "
	 "responders would have known about the regression an hour "
	 "earlier.",
	 CF},
	{"With the benefit of hindsight, the signs of memory exhaustion "
	 "were obvious days before the crash.",
	 HS},
	{"Several safety checks in the deploy tool were skipped because "
	 "the operator used a force flag.",
	 0},
	{"The storage nodes were drained and replaced by the automation "
	 "over the following hours.",
	 0},
	{"Unfortunately, the on-call engineer ignored the first three "
	 "pages, assuming they were a known flapping alert.",
	 IJ},
	{"The firmware bug caused the controllers to fail over repeatedly, "
	 "producing a cascade of 502 errors for API clients.",
	 0},
	{"Customers using the legacy SDK received authentication errors "
	 "because the token endpoint had been moved.",
	 PB},
	{"The team's negligence in maintaining the backup scripts meant "
	 "that no usable backup existed.",
	 HE},
	{"The health check endpoint failed to report the degraded state "
	 "because it only verified that the process was running.",
	 0},
	{"A misconfigured firewall rule blocked traffic between the two "
	 "availability zones.",
	 0},
	{"In our analysis, a combination of three contributing factors led "
	 "to the outage.",
	 0},
	{"The incident was detected by synthetic monitoring at 08:14, and "
	 "the faulty release was rolled back at 08:31.",
	 0},
	{"The underlying cause of the connection storm is still being "
	 "investigated.",
	 RC},
	{"Following the incident, access to production databases was "
	 "restricted to the on-call rotation.",
	 0},
	{"Several engineers noted that the runbook was outdated and did "
	 "not cover the new cluster layout.",
	 0},
	{"A member of the support team accidentally shared an internal "
	 "dashboard link with a customer.",
	 HE},
	{"The error rates returned to normal after the cache was warmed.",
	 0},
	{"The job that rotates encryption keys failed to start after the "
	 "host was rebooted.",
	 0},
	{"The developer who wrote the parser was sloppy about bounds "
	 "checking.",
	 IJ},
	{"The bad DNS entry was quickly corrected by the on-call engineer.",
	 0},
	{"The decision to disable the circuit breaker was, in hindsight, "
	 "the wrong one.",
	 HS},
	{"Backups had not been tested in over a year, so nobody knew they "
	 "were incomplete.",
	 0},
	{"Requests from mobile clients were routed to the overloaded shard "
	 "because of a hashing bug.",
	 0},
	{"If the deploy had been staged, only one region would have been "
	 "affected.",
	 CF},
	{"The storage team should have been consulted before the quota "
	 "change was made.",
	 CF | PB},
	{"The cluster autoscaler should have added nodes within two "
	 "minutes of the spike.",
	 0},
	{"The upgrade would have taken six hours if done node by node, so "
	 "the team chose a rolling restart.",
	 0},
	{"A rogue process on one host was killed, after which latency "
	 "recovered.",
	 0},
	{"The config push was made without the usual peer review, against "
	 "the change policy.",
	 PB},
	{"The incident report labels this step as \"operator error\", a "
	 "term we avoid.",
	 0},
	{"A predictable consequence of removing the rate limit was an "
	 "overloaded database.",
	 HS},
	{"The change window was chosen to minimize customer impact.",
	 0},
	{"The script was executed by the deploy bot every night at 02:00.",
	 0},
	{"Alerts were silenced for the duration of the maintenance, which "
	 "hid the first errors.",
	 PB},
	{"The regression could have been introduced by either of the two "
	 "library upgrades.",
	 0},
	{"A new version of the billing service was deployed at 09:40 UTC "
	 "without a canary stage.",
	 PB},
	{"The replication topology was changed the previous week to reduce "
	 "cross-region costs.",
	 0},
	{"Traffic was shifted to the secondary region while the primary "
	 "recovered.",
	 0},
	{"The corrupted index was rebuilt from the write-ahead log.",
	 0},
	{"The data was restored from the nightly snapshot by 14:00.",
	 0},
	{"The issue was mitigated by increasing the connection pool size.",
	 0},
	{"Tens of thousands of requests were dropped by the overloaded "
	 "proxy.",
	 0},
	{"During the incident, around 2% of API calls returned 500 errors.",
	 0},
	{"The operator's runbook did not mention that the command was "
	 "irreversible.",
	 0},
	{"Obviously the engineer on call could not have known that the "
	 "replica was stale.",
	 HS},
	{"Clearly, the risk of a full-region failover had been "
	 "underestimated.",
	 HS},
	{"It is clear that more testing is needed before the next release.",
	 0},
	{"The team clearly communicated the status on the public status "
	 "page.",
	 0},
	{"The graph clearly shows the latency spike at 10:03.",
	 0},
	{"The primary cause of delay in recovery was the size of the "
	 "backup.",
	 RC},
	{"The direct cause was a null pointer dereference in the request "
	 "router.",
	 0},
	{"The root user's SSH key was rotated as part of the cleanup.",
	 0},
	{"Our RCA template has been replaced by a contributing factors "
	 "template.",
	 RC},
	{"A rookie mistake in the Terraform module deleted the VPC.",
	 HE | IJ},
	{"The incident commander failed to declare a major incident for "
	 "almost an hour.",
	 CF},
	{"The monitoring system failed to alert because the exporter had "
	 "crashed.",
	 0},
	{"The engineer, who was new to the team, ran the cleanup script "
	 "with the wrong flag.",
	 0},
	{"The on-call was distracted by a separate incident in another "
	 "region.",
	 HE},
	{"The delay was due to a lapse in the certificate renewal process.",
	 0},
	{"A lapse in communication between the teams meant the change went "
	 "unannounced.",
	 HE},
	{"An inadvertent deletion of the DNS zone caused a 3-hour outage.",
	 HE},
	{"The accidental exposure of the admin panel was reported by a "
	 "researcher.",
	 HE},
	{"The accidental complexity of the deployment system made "
	 "rollbacks slow.",
	 0},
	{"The outage was the result of careless handling of production "
	 "credentials.",
	 IJ},
	{"Engineers were careful to drain traffic before restarting each "
	 "node.",
	 0},
	{"The operators were negligent.",
	 IJ},
	{"Management ignored repeated warnings from the storage team about "
	 "disk capacity.",
	 IJ},
	{"The kernel ignored the invalid flag and continued booting.",
	 0},
	{"The schema change was hastily written and merged on a Friday "
	 "evening.",
	 PB | IJ},
	{"Following the rollback, the cache was flushed and warmed.",
	 0},
	{"The retry storm was predictable given the lack of jitter in the "
	 "client.",
	 HS},
	{"We need more predictable deploy times.",
	 0},
	{"Nobody could have predicted that both power feeds would fail at "
	 "once.",
	 0},
	{"In hindsight we should have invested in multi-region failover "
	 "earlier.",
	 CF | HS},
	{"The team should have known better than to deploy during the "
	 "sale.",
	 CF | HS},
	{"Of course, the deploy failed again on the second attempt.",
	 HS},
	{"The on-call engineer failed to follow the escalation policy and "
	 "paged nobody for forty minutes.",
	 CF},
	{"The replica failed to catch up after the network partition "
	 "healed.",
	 0},
	{"If only we had kept the old cluster running for another week.",
	 CF},
	{"Had monitoring covered the batch hosts, the disk alert would "
	 "have fired hours earlier.",
	 CF},
	{"The import job should have processed about 2,000 records per "
	 "minute.",
	 0},
	{"The DBA should have double-checked the target host before "
	 "running the drop.",
	 CF},
	{"A staged rollout might have contained the damage to one cell.",
	 CF},
	{"It is possible that the patch could have caused the regression, "
	 "but we found no evidence.",
	 0},
	{"An automated check would have required a schema registry, which "
	 "we did not have.",
	 0},
	{"The support engineer missed the customer's second email about "
	 "the failing webhooks.",
	 CF},
	{"The pipeline missed its nightly deadline for the third time.",
	 0},
	{"The root-cause analysis meeting is scheduled for Tuesday.",
	 RC},
	{"The fundamental cause was a design that coupled billing to "
	 "authentication.",
	 RC},
	{"Root access was removed from all developer laptops after the "
	 "audit.",
	 0},
	{"Investigators believe a lapse in the vendor's patching programme "
	 "left the router exposed.",
	 HE},
	{"The deploy was blocked because of a slip in the release "
	 "schedule.",
	 0},
	{"An operator mistakenly shut down the healthy node instead of the "
	 "failing one.",
	 HE},
	{"The scheduler mistakenly placed both replicas on the same rack.",
	 0},
	{"Someone accidentally deleted the shared calendar that listed the "
	 "maintenance windows.",
	 HE},
	{"The API returned a user error when the request body was missing.",
	 0},
	{"The team made an error when estimating the disk growth.",
	 HE},
	{"Our error budget policy froze feature work for two weeks.",
	 0},
	{"The dashboard obviously showed the saturation, yet no one acted "
	 "on it.",
	 HS},
	{"The release notes clearly describe the breaking change in the "
	 "config format.",
	 0},
	{"This outage was completely avoidable.",
	 HS},
	{"Given the traffic growth, the capacity crunch was inevitable.",
	 HS},
	{"Deploying both changes together was clearly the wrong call.",
	 HS},
	{"Looking back, we ignored too many flaky alerts.",
	 HS | IJ},
	{"In retrospect, the team considered three rollback strategies.",
	 0},
	{"The firewall rules were rewritten by the security team in March.",
	 0},
	{"The cron entry was commented out during a cleanup and never "
	 "restored.",
	 PB},
	{"The TTL was lowered to 30 seconds before the migration.",
	 0},
	{"A hotfix was shipped at 16:20 and error rates dropped "
	 "immediately.",
	 0},
	{"The queue was drained and the consumers were restarted.",
	 0},
	{"The retention policy was changed without notifying the data "
	 "team.",
	 PB},
	{"The disks were automatically replaced by the storage controller.",
	 0},
	{"The old certificates were deleted as part of the scheduled "
	 "rotation.",
	 0},
	{"The reviewer was sloppy and approved the change in under a "
	 "minute.",
	 IJ},
	{"The script was written in a hurry and lacked error handling.",
	 0},
	{"The engineers rushed to restore service once the cause was "
	 "known.",
	 0},
	{"The reckless decision to skip staging caused the outage.",
	 IJ},
	{"The team was tired after a week of incidents.",
	 0},
	{"A careless typo in the YAML file broke the deploy pipeline.",
	 HE | IJ},
	{"This shoddy migration script corrupted half of the rows.",
	 IJ},
	{"The lazy initialization of the connection pool hid the "
	 "misconfiguration until the first request.",
	 0},
	{"They didn't bother checking whether the backups could be "
	 "restored.",
	 IJ},
	{"Customers were unable to log in between 09:10 and 09:55.",
	 0},
	{"The database was overloaded because a batch job ran during "
	 "business hours.",
	 0},
	{"Engineers manually failed over to the secondary at 03:12.",
	 0},
	{"The investigation is ongoing and will be documented in the "
	 "retrospective.",
	 0},
	{"At 14:32 UTC, a configuration change intended to reduce log "
	 "volume was deployed to all edge nodes simultaneously.",
	 PB},
	{"The change disabled request logging on the edge, which removed "
	 "the signal our anomaly detection relied on.",
	 0},
	{"Engineers began investigating elevated latency at 14:40 but "
	 "could not correlate it with any recent deploys.",
	 0},
	{"The on-call engineer should have checked the change log before "
	 "starting a broader investigation.",
	 CF},
	{"In practice, the change log was spread across three tools, which "
	 "made correlation slow.",
	 0},
	{"A rollback was initiated at 15:05 and completed at 15:21.",
	 0},
	{"Post-incident analysis found that the configuration validator "
	 "failed to reject an empty sampling rate.",
	 0},
	{"The validator's schema had been updated the previous week, and "
	 "the default value was set to zero.",
	 0},
	{"Had the schema change been reviewed by the observability team, "
	 "the zero default would likely have been caught.",
	 CF},
	{"We are adding a required-field check to the validator and a "
	 "canary stage for edge config.",
	 0},
	{"The immediate trigger was a spike in traffic from a misbehaving "
	 "client library.",
	 0},
	{"The primary cause of the prolonged recovery was a thundering "
	 "herd of reconnecting clients.",
	 RC},
	{"Clients retried without backoff, which is a well-known "
	 "anti-pattern.",
	 0},
	{"The team had known about the missing backoff for months but had "
	 "not prioritised the fix.",
	 0},
	{"The backoff fix was not prioritised over feature work.",
	 PB},
	{"It was not clear to responders which of the three alerts was the "
	 "leading indicator.",
	 0},
	{"The SRE lead made a judgement call to fail over to the secondary "
	 "region.",
	 0},
	{"The failover took 14 minutes, longer than the documented 5 "
	 "minutes, because DNS TTLs were higher than expected.",
	 0},
	{"Customers in Europe experienced 502 errors for the duration of "
	 "the failover.",
	 0},
	{"Several customers reported duplicate charges, which were "
	 "refunded automatically.",
	 0},
	{"The billing reconciliation job, which runs hourly, detected the "
	 "duplicates at 16:00.",
	 0},
	{"This was clearly preventable with idempotency keys on the "
	 "payment API.",
	 HS},
	{"Support staff failed to update the status page for the first 30 "
	 "minutes.",
	 CF},
	{"The status page automation failed to post because its API token "
	 "had expired.",
	 0},
	{"An engineer with production access inadvertently restarted the "
	 "wrong pod while debugging.",
	 HE},
	{"The pod restart caused a brief loss of in-memory session state.",
	 0},
	{"The session store should have persisted state to disk, as "
	 "specified in its design document.",
	 0},
	{"Nobody on the team had seen this failure mode before.",
	 0},
	{"The runbook for regional failover was last updated two years ago "
	 "and referenced decommissioned hosts.",
	 0},
	{"Responders were paged 46 times during the incident, which "
	 "contributed to alert fatigue.",
	 0},
	{"A tired operator is more likely to miss a critical alert in a "
	 "noisy channel.",
	 0},
	{"The operator missed the critical alert among dozens of "
	 "low-priority notifications.",
	 CF},
	{"Leadership asked why the change was not tested in staging.",
	 0},
	{"Staging does not receive production-like traffic, so the bug "
	 "would not have appeared there.",
	 CF},
	{"The deploy tool's --force flag bypassed all safety checks.",
	 0},
	{"The --force flag was used because the previous deploy had left a "
	 "stale lock.",
	 0},
	{"We found no evidence that the incident was caused by malicious "
	 "activity.",
	 0},
	{"The incident was the result of a series of reasonable decisions "
	 "made under time pressure.",
	 0},
	{"Our review focused on contributing factors rather than a single "
	 "root cause.",
	 RC},
	{"It should have been obvious that a single Redis node was a "
	 "single point of failure.",
	 HS},
	{"Predictably, the retry storm overwhelmed the recovering "
	 "database.",
	 HS},
	{"The outcome was foreseeable to anyone who had read the capacity "
	 "report.",
	 HS},
	{"With hindsight, we can see that the alert threshold was too "
	 "high.",
	 HS},
	{"The symptoms were obvious only after we correlated three "
	 "dashboards.",
	 HS},
	{"It was not immediately apparent that the two outages were "
	 "related.",
	 0},
	{"The team clearly explained the trade-offs in the design review.",
	 0},
	{"We made the predictable mistake of testing with empty caches.",
	 HE | HS},
	{"The dashboards clearly showed the queue growing for two hours "
	 "before the page.",
	 HS},
	{"The real root cause was never determined.",
	 RC},
	{"Root-causing the failure took the team three days.",
	 RC},
	{"We did a five-whys exercise to find the single cause of the "
	 "outage.",
	 RC},
	{"The cause of the slowdown was a missing index on the orders "
	 "table.",
	 0},
	{"A contributing factor was the lack of a staging environment with "
	 "production data.",
	 0},
	{"The DNS root servers were unaffected.",
	 0},
	{"The operator made an error in the target hostname.",
	 HE},
	{"A junior engineer's mistake brought down the cluster.",
	 HE},
	{"The load test was unintentionally run against production.",
	 HE | PB},
	{"An erroneous entry in the routing table sent traffic to a dead "
	 "host.",
	 0},
	{"The script erroneously matched both the primary and the replica.",
	 0},
	{"The engineer on call was careless about checking which terminal "
	 "was active.",
	 IJ},
	{"The migration plan was sloppy and missed two tables.",
	 IJ},
	{"Honestly, the whole rollout was amateurish.",
	 IJ},
	{"The team hastily rolled out a fix that introduced a second bug.",
	 IJ},
	{"The new hire was unfamiliar with the deployment tooling.",
	 0},
	{"The cache layer lazily populates entries on first read.",
	 0},
	{"Reviewers rubber stamped the change without reading the diff.",
	 IJ},
	{"The feature flag was flipped for all users at 12:01.",
	 0},
	{"The quota was raised to 200 at 12:30 to relieve pressure.",
	 0},
	{"Two indexes were dropped during the cleanup on Friday.",
	 0},
	{"The bucket policy had been changed to allow public reads.",
	 PB},
	{"The leaked credentials were rotated within an hour.",
	 0},
	{"The incident was declared at 09:05 and resolved at 11:40.",
	 0},
	{"Safeguards were bypassed to speed up the release.",
	 PB},
	{"Traffic was rerouted through the backup link by the network "
	 "automation.",
	 0},
	{"The on-call rotation was understaffed during the holiday period.",
	 0},
	{"If the alert had fired, the on-call engineer would have been "
	 "paged within a minute.",
	 CF},
	{"The database team neglected to test the restore procedure.",
	 CF},
	{"The cluster failed to elect a new leader for six minutes.",
	 0},
	{"The project was running late, so the load test was skipped.",
	 PB},
	/* Issue 12: the patterns seen on real write-ups, in sentences
	 * written here. 1. neutral narration of what happened or what the
	 * system was: no passive-blame unless the sentence judges the
	 * action or ties it to the harm */
	{"The configuration change was pushed to the repository at 14:02.",
	 0},
	{"A new record type was introduced in version 2.3 of the schema.",
	 0},
	{"The payments service was deployed to the new region last spring.",
	 0},
	{"At 09:14 the branch was merged and tagged for release.",
	 0},
	{"The feature flag was enabled for ten percent of accounts at "
	 "11:00.",
	 0},
	{"The cache layer was introduced two years ago to absorb read "
	 "traffic.",
	 0},
	{"The storage backend was migrated to the new engine in 2019.",
	 0},
	{"Three indexes were dropped during the schema cleanup on Friday.",
	 0},
	{"The change was pushed at 14:02 and the outage began four minutes "
	 "later.",
	 PB},
	{"A cleanup script was run against the wrong cluster, which erased "
	 "the tenant volumes.",
	 PB},
	{"The retry limit was set too high, so the queue overflowed within "
	 "minutes.",
	 PB},
	{"The new firewall rule was applied without a review and blocked "
	 "all internal traffic.",
	 PB},
	{"The flag was mistakenly enabled in production.",
	 PB | HE},
	{"The wrong certificate bundle was deployed to the edge nodes.",
	 PB},
	{"The trouble began when an untested migration was executed on the "
	 "primary.",
	 PB},
	/* 2. the response and the remediation */
	{"A new cluster was provisioned and traffic was migrated to it.",
	 0},
	{"Traffic was migrated to the standby region while the primary was "
	 "rebuilt.",
	 0},
	{"The offending action has been disabled for every tenant.",
	 0},
	{"Additional capacity was provisioned in the affected zone.",
	 0},
	{"An alert on queue depth was added the same afternoon.",
	 0},
	{"The batch endpoint was moved to its own pool of workers.",
	 0},
	{"Writes were paused and the old index was dropped once the copy "
	 "had been verified.",
	 0},
	/* 3. software is not a person */
	{"The replication manager failed the primary over to a replica in "
	 "the other data center.",
	 0},
	{"A cascading error from the billing service exhausted the "
	 "connection pool.",
	 0},
	{"The orchestrator failed the node and rescheduled its pods "
	 "elsewhere.",
	 0},
	{"Our monitoring missed the spike because it sampled every five "
	 "minutes.",
	 0},
	{"The proxy ignored the upstream health checks after the reload.",
	 0},
	/* 4. questions, negations and deliberate procedure */
	{"Why were my pipelines not executed during the window?",
	 0},
	{"Were any customer records deleted?",
	 0},
	{"My scheduled jobs were not executed while the queue was paused.",
	 0},
	{"The audit logs were not removed, as they are stored in a separate "
	 "bucket.",
	 0},
	{"No customer data was deleted or modified.",
	 0},
	{"Each change is reviewed and then deployed in stages.",
	 0},
	/* 5. exposure and uncertainty; blame words in another sense */
	{"This flaw could have enabled an attacker to read other tenants' "
	 "files.",
	 0},
	{"The leaked token could have allowed anyone to publish new "
	 "packages.",
	 0},
	{"An attacker could have used the exposed key to sign releases.",
	 0},
	{"The security board provides oversight of every production access "
	 "request.",
	 0},
	{"Rollouts resumed under the oversight of the change advisory "
	 "board.",
	 0},
	{"We accept that people can make mistakes, so the tooling has to "
	 "make them safe.",
	 0},
	{"Anyone can make a mistake with a command this long.",
	 0},
	{"The expired certificate was an oversight in the renewal "
	 "checklist.",
	 HE},
	/* 7. misses: subjects across a dash or elided, slips as gerunds
	 * and nouns, "failure to" after a possessive, judging passives
	 * outside the verb list, hindsight and "culprit", conditionals */
	{"The operator \xe2\x80\x94 working alone that night \xe2\x80\x94 "
	 "failed to escalate the alert.",
	 CF},
	{"The engineer restarted the primary and failed to check the "
	 "replica lag.",
	 CF},
	{"The on-call acknowledged the page but then failed to follow the "
	 "runbook.",
	 CF},
	{"The outage began with the operator mistakenly executing the "
	 "cleanup against production.",
	 HE},
	{"The wrong push of a button took the packing line offline.",
	 HE},
	{"The team's failure to renew the domain took the site offline.",
	 CF},
	{"Acme's failure to rotate the signing keys left them exposed for "
	 "a year.",
	 CF},
	{"The generator's failure to start left the hall without power.",
	 0},
	{"The outage was misdiagnosed as a network fault for the first "
	 "hour.",
	 PB},
	{"The disk alert was misread as a duplicate and closed.",
	 PB},
	{"The slowdown was surprising given that the team had seen the same "
	 "alert the week before.",
	 HS},
	{"The investigation revealed the true culprit: a stale DNS entry.",
	 RC},
	{"The real culprit was a retry storm from the mobile clients.",
	 RC},
	{"If the user had enrolled in two-factor authentication, the "
	 "attacker would not have gained access.",
	 CF},
	{"If the team had pinned the dependency, the build would have kept "
	 "working.",
	 CF},
	{"If the primary fails, traffic moves to the replica within "
	 "seconds.",
	 0},
	/* found on the second set (bench/lint/heldout.h), reworded */
	{"An intruder could have downloaded the nightly backups.",
	 0},
	{"The load on the checkout service is predictable before holidays.",
	 0},
	{"Our main cause for concern is the growth of the audit table.",
	 0},
	{"During the outage, the search index was disabled to reduce load.",
	 0},
	{"The API keys were accidentally committed to the docs repository.",
	 PB | HE},
	{"The job was launched before the previous run had finished, which "
	 "sent duplicate invoices.",
	 PB},
	{"An outdated image was deployed to the payment hosts.",
	 PB},
	/* narration and response next to the harm, and states before it */
	{"Traffic was migrated to the new region to end the outage.",
	 0},
	{"The new cluster was quickly provisioned in the second zone.",
	 0},
	{"The new agent version had been deployed two weeks earlier.",
	 0},
	{"Replicas were migrated and removed from the pool one by one.",
	 0},
	{"The quota had been lowered the week before, so the batch jobs "
	 "overflowed.",
	 PB},
	{"The cache TTL was shortened an hour before the outage.",
	 PB},
	/* issue 12, second pass (h12): passives outside the verb list
	 * with a judgement in their own clause, subjects across dashes and
	 * fronted clauses, slips as nouns, organisations' "failure to",
	 * exposure and uncertainty, general truths, clarity */
	{"The alert was routed to the wrong team for the first hour.", PB},
	{"The order queue was misrouted to a region with no consumers.", PB},
	{"The API token was posted publicly in a support forum.", PB},
	{"The batch was reprocessed by mistake, charging some customers "
	 "twice.",
	 PB | HE},
	{"The ticket was closed before the rollout had been verified.", PB},
	{"The threshold was raised so far that the alert never fired.", PB},
	{"The cache was cleared to remove the bad entries.", 0},
	{"The old certificate was swapped in by the deploy script.", 0},
	{"Why was the wrong region selected?", 0},
	{"The wrong region was not selected in the end.", 0},
	{"The outage followed an operator slip in which the wrong volume "
	 "was selected.",
	 HE},
	{"The on-call engineer \u2014 three hours into the page \u2014 "
	 "accidentally deleted the replica.",
	 HE},
	{"Inadvertently closing the wrong terminal, the operator stopped "
	 "the import.",
	 HE},
	{"A misclick on the dashboard paused every queue.", HE},
	{"The support agent accidentally refunded the whole batch.", HE},
	{"The deploy agent accidentally restarted the pods.", 0},
	{"The registrar's failure to renew the domain took the site "
	 "offline.",
	 CF},
	{"An attacker using a leaked cookie could have downloaded every "
	 "invoice.",
	 0},
	{"Nobody knows whether an earlier restart would have saved the "
	 "queue.",
	 0},
	{"With a little foresight, the on-call team would have caught the "
	 "expiry.",
	 HS | CF},
	{"Outages are inevitable in a system this large.", 0},
	{"The runbook clearly said to drain the node first.", 0},
	{"The developer lazily skipped the integration tests.", IJ},
	{"The proxy lazily opens upstream connections.", 0},
	{"During the rollout one of the team's engineers forgot to copy the "
	 "binary to the last host.",
	 HE},
	{"The flaw could have allowed any other customer to read the "
	 "invoices.",
	 0},
	/* impact, wishes and worse pasts are no counterfactuals; hindsight
	 * beyond the lexicon; shortcuts and nobody as judgements */
	{"Had the breach gone on, card numbers would have been at risk.", 0},
	{"The bill could have exceeded our yearly budget had the loop run "
	 "all night.",
	 0},
	{"We would have preferred to tell customers earlier.", 0},
	{"Users in Asia could have been affected if the second link had "
	 "failed too.",
	 0},
	{"Had the batch been split, only one shard would have been "
	 "affected.",
	 CF},
	{"Every indicator pointed to a saturated link.", 0},
	{"All the signs pointed to a leaking connection pool.", HS},
	{"Running both migrations at once was a recipe for disaster.", HS},
	{"The cron job was a disaster waiting to happen.", HS},
	{"With that little headroom, the cluster was always going to tip "
	 "over.",
	 HS},
	{"It is easy to see now that the retry budget was too generous.", HS},
	{"It was not easy to see which shard held the lock.", 0},
	{"The integration tests were skipped to save time.", PB},
	{"The firewall change was approved by nobody.", PB},
	{"The config value was read from the wrong environment file.", 0},
	{"Traces were shared with the vendor without redaction.", PB},
	/* environments mixed up, and harm in a relative clause */
	{"A test certificate was installed on the production load "
	 "balancers.",
	 PB},
	{"Live customer data was copied into the staging database.", PB},
	{"The staging cluster was rebuilt from the production snapshot "
	 "after the incident.",
	 0},
	{"Three unrelated changes were batched into one deploy, which made the "
	 "cause harder to find.",
	 PB},
	{"The team opted to replay the queue instead of dropping the stale "
	 "messages.",
	 0},
	/* more judged passives, and hindsight as surprise or plain sight */
	{"The schema change was run against the advice of the DBA team.", PB},
	{"The backup jobs were sent to an unmonitored queue.", PB},
	{"The domain was allowed to lapse over the holidays.", PB},
	{"The domain was allowed to renew automatically.", 0},
	{"The capacity alert was dismissed as noise.", PB},
	{"The migration steps were executed out of order.", PB},
	{"The soak test was shortened to hit the release date.", PB},
	{"The dangers of a single shared key were plain to see.", HS},
	{"It should come as no surprise that the queue filled up.", HS},
	{"It is not surprising that the replica lagged, given the load.", HS},
	{"No one should have been surprised by the disk filling up.", HS},
	{"The team was surprised by how fast the replica caught up.", 0},
	{"The surprise came when the standby refused to start.", 0},
	/* worse pasts (the help imagined away), prompts and impossibility
	 * are no counterfactuals; a better past without a participle is */
	{"If the on-call engineer had not failed over, the queue would have "
	 "overflowed within the hour.",
	 0},
	{"Had the canary not caught it, the bad build would have crashed "
	 "every region.",
	 0},
	{"Without the kill switch, the outage would have spread to Europe.",
	 0},
	{"Recovery would have taken days without the support of the "
	 "storage team.",
	 0},
	{"If the cron job had not been disabled, the tables would not have "
	 "been locked.",
	 CF},
	{"If the flag had not been set, the request would have gone to the "
	 "old backend.",
	 CF},
	{"How could this have been detected sooner?", 0},
	{"Nothing could have stopped the fibre cut itself.", 0},
	{"We should have been clearer about the impact in the first update.",
	 CF},
	{"Visitors in Brazil might have noticed slow checkouts.", 0},
	{"Customers could have been told about the delay sooner.", CF},
	{"The team missed the 99.95% availability goal in June.", 0},
	{"A change was made to the proxy that dropped every keep-alive "
	 "connection.",
	 PB},
	{"The new routing policy was applied to all data centres at once.",
	 PB},
	{"Writes were moved to the new primary before it was synced.", PB},
	{"The API token was pasted into the wiki in plain text.", PB},
	{"The compaction was scheduled for peak traffic.", PB},
	{"The new policy was applied to one data centre at a time.", 0},
	/* coach (issue 12, fresh.tsv misses): a remedy noun inside the
	 * subject's relative clause; ", which exposed"; "in error" after a
	 * person's action; a sentence-initial "Mistakenly executing";
	 * "the warnings we had ignored" */
	{"The health check that controls failover had been misconfigured "
	 "during a deploy three weeks earlier.",
	 PB},
	{"The fix that restored failover was deployed at noon.", 0},
	{"The firewall rule was deleted during the cleanup, which exposed "
	 "the admin port.",
	 PB},
	{"A policy change was applied to a single router in error while "
	 "the engineer was setting up one customer's BGP session.",
	 HE},
	{"The engineer deleted the volume in error.", HE},
	{"The request ended in error after three retries.", 0},
	{"The spike showed up in error rates within a minute.", 0},
	{"Mistakenly executing the restore against the live database "
	 "overwrote a day of orders.",
	 HE},
	{"Mistakenly caching the empty response made every page blank.", 0},
	{"The warnings we had ignored were all about disk space.", IJ},
	{"The job had ignored the signal.", 0},
	/* coach: from the real write-ups re-judged */
	{"Someone ran a migration script against production instead of "
	 "staging.",
	 0},
	{"The issue was isolated to a policy change that was implemented on "
	 "a single router in error.",
	 HE},
	/* coach: a passive done while something still needed it, or whose
	 * value a relative clause calls too small */
	{"The old index was dropped while queries still depended on it.", PB},
	{"The disk was formatted while it still held the only copy of the "
	 "logs.",
	 PB},
	{"The old index was dropped while the new one was being built.", 0},
	{"The storage quota was left at its default, which was far too small.",
	 PB},
	{"The limit was set at 100 requests a second, which was too low for "
	 "the import.",
	 PB},
	{"The limit was set at 100 requests a second, the same as in the "
	 "other regions.",
	 0},
	/* coach, from first-person write-ups re-judged: slips named in
	 * general, quoted advice, "of course" far from the outcome,
	 * "obvious patterns" in data, "instead of blaming" */
	{"This practice helps teams learn from mistakes.", 0},
	{"Fatigue can turn minor oversights into major crises.", 0},
	{"The same design can also amplify mistakes at great speed.", 0},
	{"The operator's mistakes were not caught by the tool.", HE},
	{"He made a small but significant mistake.", HE},
	{"We want something better than \"try not to make that mistake "
	 "again.\"",
	 0},
	{"The mistake was eventually confessed, and of course, instead of "
	 "wasting time blaming the engineer, we banded together to remedy "
	 "the data loss.",
	 HE},
	{"Of course the cache fell over as soon as the traffic doubled.", HS},
	{"Luckily, the dataset contained a few obvious patterns.", 0},
	{"It was obvious that the disk would fill up within days.", HS},
	{"Instead of following the runbook, the engineer restarted the "
	 "primary by hand.",
	 CF},
	/* coach, second real sample: the idiom with a possessive, the
	 * gerund as subject */
	{"After every outage, we write a blameless post-mortem to learn from "
	 "our mistakes.",
	 0},
	{"Making mistakes is a real bummer.", 0},
	{"It's a bad idea to be messing around while customers are out of "
	 "service.",
	 0},
	{"It is a bad idea to deploy on a Friday evening.", 0},
	{"In retrospect, it was a bad idea to deploy on a Friday evening.",
	 HS},
	{"Deploying on a Friday was a bad idea.", HS},
	{"This week I made more mistakes than I usually do.", HE},
	{"We learned that the operator's mistakes came from a confusing "
	 "prompt.",
	 HE},
};
