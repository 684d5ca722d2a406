"""What each demo incident looks like: where its cause can happen, what customers saw, and how the response went.

`CAUSES[cause][symptom]` is one story. The symptom (a title template) is what `demo.incidents.cause_of` returns
and what the review and action seeds key their scenarios on, so keep symptom texts stable.

A story has:
- `where`: the placement rule naming the services it is believable on (see `demo.incidents.PLACEMENTS`);
- `sources`: detection-source weights (alert, customer, employee);
- `alert`, `customer`, `employee`: how it was detected by each source;
- `summaries`: what customers saw, one picked per incident;
- `story`: (phase, kind, text) lines; phase D is diagnosis (before the cause was known), F the fix (up to
  mitigation), A after mitigation (before resolution). Two to five lines, at least two of them diagnosis.

Texts are formatted with the incident's words: {service} {dep} {version} {region} {journey} {audience}
{provider} {for_minutes} {pct} {p99} {tickets} {customers} {replicas} {more_replicas} {pool} {lag} {backlog}
{cfg} {old_cfg} {count} {ticket} {person}.
"""

from incidents.choices import TimelineKind as K

D, F, A = "diagnosis", "fix", "after"

ALERT_HEAVY = {"alert": 85, "customer": 8, "employee": 7}
CUSTOMER_HEAVY = {"alert": 20, "customer": 70, "employee": 10}

CAUSES = {
    "deploy": {
        "errors after deploying {version}": {
            "where": "applications",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` HTTP 5xx ratio above 5 % for 3 minutes ({region})",
            "customer": "Support ticket #{ticket}: “{journey} fail with ‘something went wrong’ since about ten "
            "minutes ago.”",
            "employee": "{person} saw {service} errors climb on the release dashboard while `{version}` rolled out.",
            "summaries": [
                "After release {version} of {service}, {pct} % of {journey} in {region} failed with an error page "
                "{for_minutes}. Rolling back fixed it.",
                "{audience} in {region} saw ‘something went wrong’ on {pct} % of {journey} {for_minutes}, right after "
                "{service} {version} went out.",
            ],
            "story": [
                (D, K.OBSERVATION, "5xx ratio on {service} went from 0.1 % to {pct} % within two minutes."),
                (
                    D,
                    K.OBSERVATION,
                    "The spike starts as the rollout of `{version}` reaches 100 %; logs show "
                    "`NullPointerException` in the new order-summary code path.",
                ),
                (F, K.DECISION, "Roll back to the previous version rather than fix forward."),
                (F, K.ACTION, "Rollback of {service} started in the pipeline; 3 of 3 batches done after 7 minutes."),
                (A, K.OBSERVATION, "Error ratio back to 0.1 %; no new errors from the new code path."),
            ],
        },
        "elevated 5xx after release {version}": {
            "where": "applications",
            "sources": {"alert": 90, "customer": 5, "employee": 5},
            "alert": "`{service}` pod restarts above 10 in 15 minutes (OOMKilled)",
            "customer": "Support ticket #{ticket}: “{journey} fail every few minutes, then work again.”",
            "employee": "{person} noticed {service} pods restarting in waves on the cluster dashboard.",
            "summaries": [
                "Release {version} of {service} leaked memory; pods restarted in waves and about {pct} % of {journey} "
                "failed with 502s, on and off, {for_minutes}.",
                "{audience} saw intermittent 502 errors on {pct} % of {journey} {for_minutes} while {service} "
                "{version} was OOM-killed in waves.",
            ],
            "story": [
                (
                    D,
                    K.OBSERVATION,
                    "{service} pods are OOM-killed every 20–30 minutes; memory grows in a straight "
                    "line after each restart.",
                ),
                (D, K.OBSERVATION, "Memory growth starts with `{version}`; the previous release was flat at 600 MB."),
                (F, K.DECISION, "Roll back `{version}`; a heap dump from one pod first, for the fix."),
                (F, K.ACTION, "Heap dump taken; rollback of {service} finished after 25 minutes."),
                (A, K.COMMUNICATION, "Status page: *resolved*. {tickets} support tickets tagged to this incident."),
            ],
        },
        "{version} broke requests": {
            "where": "called_applications",
            "sources": {"alert": 60, "customer": 15, "employee": 25},
            "alert": "`{dep}` calls to `{service}` failing: 4xx ratio above 20 %",
            "customer": "Partner ticket #{ticket}: “your API started returning 400 for requests that worked this "
            "morning.”",
            "employee": "{person} in #deploys: “{dep} is logging 400s from {service} since `{version}`.”",
            "summaries": [
                "{service} {version} changed a response field that {dep} still relied on; {pct} % of {journey} "
                "failed {for_minutes} until the release was rolled back.",
                "A breaking API change in {service} {version} made {dep} reject {pct} % of {journey} {for_minutes}.",
            ],
            "story": [
                (D, K.OBSERVATION, "{dep} rejects {service} responses: `amount` is now a string, not a number."),
                (D, K.OBSERVATION, "`{version}` changed the serializer; the contract test for {dep} was skipped."),
                (F, K.DECISION, "Roll back {service}; re-release with both formats behind a flag."),
                (F, K.ACTION, "Rolled back {service} to the previous version."),
                (A, K.COMMUNICATION, "Owners of {dep} confirmed their error rate is back to zero."),
            ],
        },
    },
    "config": {
        "bad configuration push": {
            "where": "applications",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` error-budget burn rate 14× over 5 minutes ({region})",
            "customer": "Support ticket #{ticket}: “{journey} keep failing for our whole team.”",
            "employee": "{person} saw the config push to {service} go out and errors follow a minute later.",
            "summaries": [
                "A configuration push to {service} pointed it at the staging endpoint; {pct} % of {journey} in "
                "{region} failed {for_minutes} until it was reverted.",
                "{audience} in {region} could not complete {pct} % of {journey} {for_minutes} after a bad "
                "configuration push to {service}.",
            ],
            "story": [
                (D, K.OBSERVATION, "Spike in 503 responses from {service}: {pct} % of requests."),
                (
                    D,
                    K.OBSERVATION,
                    "Config changed from `{old_cfg}` to `{cfg}` 6 minutes before the first alert; "
                    "`{cfg}` has a staging hostname in it.",
                ),
                (F, K.ACTION, "Re-applied `{old_cfg}` by hand: the rollback tool covers code, not configuration."),
                (F, K.COMMUNICATION, "Posted in #incidents: cause found, revert applied, watching error rates."),
            ],
        },
        "feature flag misfire": {
            "where": "applications",
            "sources": {"alert": 30, "customer": 50, "employee": 20},
            "alert": "`{service}` conversion rate 40 % below the same hour last week",
            "customer": "Support ticket #{ticket}: “half of our customers get an empty page at {journey}.”",
            "employee": "{person} (product) noticed the new {service} flow showing to everyone, not the 5 % test group.",
            "summaries": [
                "An experiment flag in {service} was switched on for everyone instead of 5 %; {pct} % of {journey} "
                "showed an empty page {for_minutes}.",
                "{audience} got an unfinished {service} flow {for_minutes}: {pct} % of {journey} could not be "
                "completed until the flag was switched off.",
            ],
            "story": [
                (D, K.OBSERVATION, "Errors only for sessions in the `new-flow` flag cohort, which is 100 %, not 5 %."),
                (D, K.OBSERVATION, "Flag targeting edited 20 minutes ago: percentage field saved as `100` not `5`."),
                (F, K.ACTION, "Switched the `new-flow` flag off for everyone."),
                (F, K.OBSERVATION, "Completed {journey} back to the usual rate within 3 minutes."),
                (A, K.COMMUNICATION, "Support given a macro for the {tickets} tickets about the empty page."),
            ],
        },
        "rate limits too strict after config change": {
            "where": "public_entry",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` HTTP 429 ratio above 10 % ({region})",
            "customer": "Support ticket #{ticket}: “your API keeps answering ‘Too Many Requests’ at normal volume.”",
            "employee": "{person} saw 429s from {service} in the mobile app while testing.",
            "summaries": [
                "A rate-limit change on {service} was copied from staging; {pct} % of {journey} in {region} got "
                "“429 Too Many Requests” {for_minutes}.",
                "{audience} were throttled by {service}: {pct} % of {journey} were refused {for_minutes} after a "
                "limit went from 600 to 60 requests a minute.",
            ],
            "story": [
                (D, K.OBSERVATION, "{pct} % of {service} responses are 429; mobile clients retry and double the load."),
                (D, K.OBSERVATION, "Config `{cfg}` set the per-client limit to 60/min; `{old_cfg}` had 600/min."),
                (F, K.DECISION, "Revert to `{old_cfg}` everywhere; no partial fix."),
                (F, K.ACTION, "Reverted {service} configuration to `{old_cfg}` in all regions."),
                (A, K.OBSERVATION, "429 ratio at 0.02 %; retry storm from mobile clients died down."),
            ],
        },
    },
    "capacity": {
        "p99 latency above 2 s": {
            "where": "public_entry",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` latency SLO burn rate 10×: p99 {p99} s ({region})",
            "customer": "Support ticket #{ticket}: “{journey} take forever this evening.”",
            "employee": "{person} noticed {service} pages loading slowly during the evening peak.",
            "summaries": [
                "The evening peak in {region} outgrew {service}: {journey} took up to {p99} s (normally 300 ms) and "
                "{pct} % timed out {for_minutes}.",
                "{audience} in {region} waited seconds for {journey} {for_minutes}; {pct} % gave up or timed out.",
            ],
            "story": [
                (D, K.OBSERVATION, "p99 latency on {service} at {p99} s (SLO: 400 ms)."),
                (D, K.OBSERVATION, "All {replicas} pods at their CPU limit; the autoscaler is at its maximum."),
                (F, K.ACTION, "Raised the autoscaler maximum from {replicas} to {more_replicas} replicas."),
                (F, K.OBSERVATION, "Latency recovering as new replicas become ready (6 minutes each)."),
            ],
        },
        "connection pool exhausted": {
            "where": "postgres_clients",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` p99 latency above 30 s; DB pool wait time above 5 s",
            "customer": "Support ticket #{ticket}: “{journey} spin and then fail.”",
            "employee": "{person} saw {service} pods failing health checks while traffic climbed.",
            "summaries": [
                "{service} ran out of database connections during a campaign peak; {pct} % of {journey} failed "
                "after waiting 30 s {for_minutes}.",
                "{audience} saw {journey} hang and fail ({pct} % of them) {for_minutes}: {service} scaled out and "
                "its pods together asked {dep} for more connections than it allows.",
            ],
            "story": [
                (D, K.OBSERVATION, "{service} scaled from 12 to 40 pods; each opens a pool of {pool} connections."),
                (D, K.OBSERVATION, "{dep} at `max_connections` (2 000); new connections are refused."),
                (F, K.DECISION, "Cap the autoscaler at 16 pods instead of adding connections to {dep}."),
                (F, K.ACTION, "Autoscaler capped; pods restarted in batches to release connections."),
                (A, K.OBSERVATION, "Connections to {dep} at 1 300 of 2 000; pool wait time under 5 ms."),
            ],
        },
        "CPU saturation at peak": {
            "where": "applications",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` CPU throttling above 50 % on all pods ({region})",
            "customer": "Support ticket #{ticket}: “{journey} time out at lunchtime.”",
            "employee": "{person} noticed {service} throttled on the capacity dashboard during the lunch peak.",
            "summaries": [
                "{service} ran out of CPU at the lunch peak in {region}; {journey} slowed to {p99} s and {pct} % "
                "timed out {for_minutes}.",
                "{pct} % of {journey} timed out {for_minutes} while {service} was CPU-throttled at peak.",
            ],
            "story": [
                (D, K.OBSERVATION, "CPU throttling above 50 % on every {service} pod; p99 at {p99} s."),
                (
                    D,
                    K.OBSERVATION,
                    "Profile shows 60 % of CPU in JSON serialisation of a response that doubled in size last week.",
                ),
                (F, K.ACTION, "Added a node pool and raised {service} to {more_replicas} replicas."),
                (F, K.OBSERVATION, "Throttling under 5 %; p99 back to 350 ms."),
            ],
        },
        "queue backlog growing": {
            "where": "consumers",
            "sources": {"alert": 75, "customer": 10, "employee": 15},
            "alert": "`{service}` consumer lag on `{dep}` above 100 000 messages",
            "customer": "Support ticket #{ticket}: “{journey} arrive hours late.”",
            "employee": "{person} noticed {journey} from {service} running behind on the data dashboard.",
            "summaries": [
                "{service} fell behind on {dep}; {journey} were delayed by up to {lag} minutes {for_minutes}. "
                "Nothing was lost.",
                "A backlog of {backlog} messages built up in front of {service}: {journey} ran up to {lag} minutes "
                "late {for_minutes}.",
            ],
            "story": [
                (D, K.OBSERVATION, "Consumer lag on {dep} at {backlog} messages and growing 3 000 a minute."),
                (
                    D,
                    K.OBSERVATION,
                    "Only 4 of 12 partitions are being consumed: a rebalance loop after a slow "
                    "consumer was kicked out.",
                ),
                (F, K.ACTION, "Raised `max.poll.interval.ms` and restarted the {service} consumers one at a time."),
                (F, K.OBSERVATION, "All 12 partitions consumed; backlog shrinking by 8 000 a minute."),
                (A, K.OBSERVATION, "Backlog drained; end-to-end delay back under 30 s."),
            ],
        },
    },
    "dependency": {
        "timeouts calling {dep}": {
            "where": "sync_dependencies",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` health checks failing on 8 of 10 pods",
            "customer": "Support ticket #{ticket}: “{journey} just spin and never finish.”",
            "employee": "{person} saw {service} stop answering on the status dashboard.",
            "summaries": [
                "{dep} slowed to 20 s per call and {service} waited on it with no timeout; {pct} % of {journey} "
                "failed {for_minutes}.",
                "{audience} could not complete {pct} % of {journey} {for_minutes}: every {service} worker was stuck "
                "waiting on {dep}.",
            ],
            "story": [
                (D, K.OBSERVATION, "Restarting {service} helps for a minute each time, then health checks fail again."),
                (D, K.OBSERVATION, "Thread dumps: all 200 workers blocked in calls to {dep}, no timeout set."),
                (F, K.DECISION, "Turn off the call to {dep} with its kill switch; serve without it."),
                (F, K.ACTION, "Kill switch for {dep} calls on; {service} recovered at once."),
                (A, K.COMMUNICATION, "Owners of {dep} paged; their slowdown came from a failed node."),
            ],
        },
        "degraded because {dep} is slow": {
            "where": "sync_dependencies",
            "sources": {"alert": 70, "customer": 15, "employee": 15},
            "alert": "`{service}` p99 latency {p99} s; upstream `{dep}` p99 above 2 s",
            "customer": "Support ticket #{ticket}: “{journey} are very slow today.”",
            "employee": "{person} noticed {service} slowing down along with {dep} on the service map.",
            "summaries": [
                "{dep} slowed down and {service} slowed with it: {journey} took up to {p99} s {for_minutes}, "
                "and {pct} % timed out.",
                "{journey} were slow ({p99} s at p99) {for_minutes} because {dep} was; {pct} % failed.",
            ],
            "story": [
                (D, K.OBSERVATION, "Most of {service}'s time goes to waiting on {dep} (p99 {p99} s)."),
                (D, K.OBSERVATION, "{dep} dashboards show elevated latency since a node failure 15 minutes earlier."),
                (F, K.DECISION, "Shed non-critical traffic to {dep} while it recovers."),
                (F, K.ACTION, "Enabled the circuit breaker for {dep} calls from {service}."),
            ],
        },
        "cascading failures from {dep}": {
            "where": "sync_dependencies",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` and `{dep}` error-budget burn rate above 14×",
            "customer": "Support ticket #{ticket}: “nothing works — {journey} fail.”",
            "employee": "{person} saw errors in {dep} and {service} turn red together on the service map.",
            "summaries": [
                "A failure in {dep} spread to {service} through retries; {pct} % of {journey} failed {for_minutes}.",
                "{audience} saw errors on {pct} % of {journey} {for_minutes} as retries from {service} kept {dep} "
                "from recovering.",
            ],
            "story": [
                (D, K.OBSERVATION, "{dep} error rate at 60 %; {service} retries each call 3 times, tripling its load."),
                (D, K.OBSERVATION, "{dep} recovers for seconds, then falls over again under the retry storm."),
                (F, K.DECISION, "Stop retries from {service} to let {dep} recover."),
                (F, K.ACTION, "Retry budget for {dep} calls set to 0 by flag; {dep} recovered in 4 minutes."),
                (A, K.COMMUNICATION, "Status page updated: *operational*, with a short explanation."),
            ],
        },
    },
    "database": {
        "slow queries and lock contention": {
            "where": "postgres",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` write latency p99 above 10 s",
            "customer": "Support ticket #{ticket}: “saving anything takes forever, then fails.”",
            "employee": "{person} noticed the migration job for {service} still running after 10 minutes.",
            "summaries": [
                "A schema migration on {dep} held a table lock; {journey} hung for up to 30 s and {pct} % failed "
                "{for_minutes}. Reads kept working.",
                "{audience} could read but not save: {pct} % of {journey} timed out {for_minutes} while a migration "
                "blocked writes.",
            ],
            "story": [
                (D, K.OBSERVATION, "Write latency on {service} above 10 s; reads unaffected."),
                (
                    D,
                    K.OBSERVATION,
                    "`pg_stat_activity`: the migration holds an ACCESS EXCLUSIVE lock on `orders`; "
                    "312 sessions wait behind it.",
                ),
                (F, K.DECISION, "Cancel the migration; reschedule it with a lock timeout, in steps."),
                (F, K.ACTION, "`pg_cancel_backend` on the migration; the transaction rolled back cleanly."),
                (A, K.OBSERVATION, "Waiting sessions drained in under a minute."),
            ],
        },
        "replication lag over 5 minutes": {
            "where": "postgres",
            "sources": CUSTOMER_HEAVY,
            "alert": "`postgres-main` replica replay lag above 5 minutes",
            "customer": "Support ticket #{ticket}: “my order went through but it is not in my account.”",
            "employee": "{person} saw stale data in {service} right after changing it.",
            "summaries": [
                "{audience} saw stale data {for_minutes}: changes they had just made were missing from {journey} "
                "because replicas of {dep} fell {lag} minutes behind. Nothing was lost.",
                "Replicas of {dep} lagged up to {lag} minutes; {service} served old data and support got {tickets} "
                "tickets about missing changes {for_minutes}.",
            ],
            "story": [
                (D, K.OBSERVATION, "Replica replay lag at {lag} minutes and growing; the primary is fine."),
                (D, K.OBSERVATION, "WAL generation 8× normal: a backfill job updating 40 M rows with no pause."),
                (F, K.ACTION, "Switched reads from the replicas to the primary by flag."),
                (F, K.ACTION, "Paused the backfill; replica caught up in 9 minutes."),
                (A, K.COMMUNICATION, "Support told the missing changes were delayed, not lost; macro sent."),
            ],
        },
        "disk full on primary": {
            "where": "postgres",
            "sources": {"alert": 90, "customer": 5, "employee": 5},
            "alert": "`postgres-main` could not write WAL: No space left on device",
            "customer": "Support ticket #{ticket}: “we cannot save anything; every save fails.”",
            "employee": "{person} saw writes failing across services using {dep}.",
            "summaries": [
                "The primary volume of {dep} filled up; every write failed {for_minutes} ({pct} % of {journey}). "
                "Reads kept working and nothing was lost.",
                "{audience} could not save anything {for_minutes}: {dep} ran out of disk. {pct} % of {journey} "
                "failed; clients retried afterwards.",
            ],
            "story": [
                (D, K.OBSERVATION, "Data volume of {dep} at 100 % ({gb} GB); PostgreSQL refuses writes."),
                (D, K.OBSERVATION, "`pg_wal` holds 160 GB: the archiver has failed every segment for four days."),
                (F, K.ACTION, "Grew the volume online to {more_gb} GB (change approved by the platform lead)."),
                (F, K.ACTION, "Fixed the archiver credentials; WAL backlog draining."),
                (A, K.OBSERVATION, "Volume at 61 %; archiver caught up 40 minutes later."),
            ],
        },
    },
    "certificate": {
        "TLS certificate expired": {
            "where": "tls_endpoints",
            "sources": CUSTOMER_HEAVY,
            "alert": "Synthetic check for `{service}` failing: certificate expired",
            "customer": "Partner ticket #{ticket}: “x509: certificate has expired or is not yet valid” from {service}.",
            "employee": "{person} got a certificate warning opening {service} from the office network.",
            "summaries": [
                "The TLS certificate of {service} expired; partners and apps that validate certificates failed on "
                "{pct} % of {journey} {for_minutes}. Browsers with cached sessions mostly kept working.",
                "{audience} calling {service} got “certificate has expired” {for_minutes}; {pct} % of {journey} "
                "failed until a new certificate was issued.",
            ],
            "story": [
                (D, K.OBSERVATION, "`openssl s_client` against {service}: certificate expired at 00:00 UTC today."),
                (D, K.OBSERVATION, "It was issued by hand two years ago; the renewal mail went to someone who left."),
                (F, K.ACTION, "Issued a certificate from the automated issuer and reloaded the proxies."),
                (F, K.COMMUNICATION, "Partners told to retry failed calls; status page updated."),
            ],
        },
        "mTLS handshakes failing": {
            "where": "mtls_services",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` TLS handshake errors above 100/s from internal clients",
            "customer": "Support ticket #{ticket}: “{journey} fail with an error code we have not seen before.”",
            "employee": "{person} saw `bad certificate` errors from {service} in the logs.",
            "summaries": [
                "The client certificate internal services use for {service} expired; {pct} % of {journey} failed "
                "{for_minutes}.",
                "{journey} failed for {audience} ({pct} %) {for_minutes} because calls into {service} could no "
                "longer complete their mTLS handshake.",
            ],
            "story": [
                (
                    D,
                    K.OBSERVATION,
                    "Handshakes fail with `tls: bad certificate`; only callers with the old client certificate.",
                ),
                (
                    D,
                    K.OBSERVATION,
                    "The intermediate CA for internal mTLS expired; the renewal job had failed silently for two weeks.",
                ),
                (F, K.ACTION, "Rotated the CA bundle and restarted the sidecars on the callers of {service}."),
                (A, K.DECISION, "Alert on certificate expiry at 30 days, to the team, not a person."),
            ],
        },
    },
    "provider": {
        "upstream provider outage in {region}": {
            "where": "anywhere",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` cross-zone request timeouts above 5 % ({region})",
            "customer": "Support ticket #{ticket}: “{journey} in {region} time out, elsewhere fine.”",
            "employee": "{person} saw {service} timing out in one zone of {region} only.",
            "summaries": [
                "A network failure at our cloud provider in {region} made {pct} % of {journey} time out "
                "{for_minutes} until we drained the affected zone.",
                "{audience} in {region} saw timeouts on {pct} % of {journey} {for_minutes} during the cloud "
                "provider's partial outage.",
            ],
            "story": [
                (D, K.OBSERVATION, "Timeouts only on calls crossing into zone b of {region}; packet loss 8 %."),
                (D, K.OBSERVATION, "Provider status page confirms a network incident in {region}, 20 minutes in."),
                (F, K.DECISION, "Drain zone b for {service}; do not wait for the provider's fix."),
                (F, K.ACTION, "Zone b drained; errors stopped within 5 minutes."),
                (A, K.ACTION, "Zone b back in rotation after the provider closed its incident."),
            ],
        },
        "third-party API returning errors": {
            "where": "third_party",
            "sources": ALERT_HEAVY,
            "alert": "`{service}` calls to {provider} failing: 5xx ratio above 20 %",
            "customer": "Support ticket #{ticket}: “{journey} fail with ‘try again later’.”",
            "employee": "{person} saw {provider} errors pile up in the {service} logs.",
            "summaries": [
                "{provider} returned errors to {pct} % of {service}'s calls; {journey} failed {for_minutes} until "
                "we failed over.",
                "{audience} saw {pct} % of {journey} fail {for_minutes} while {provider}, which {service} depends on, "
                "had an outage.",
            ],
            "story": [
                (D, K.OBSERVATION, "{pct} % of calls from {service} to {provider} answer 503; our side is healthy."),
                (D, K.OBSERVATION, "{provider} status page: “elevated error rates”, started 12 minutes ago."),
                (F, K.DECISION, "Fail over to the secondary provider for new requests."),
                (F, K.ACTION, "Failover flag switched on; errors down to 0.3 %."),
                (A, K.COMMUNICATION, "Customer support briefed; failed {journey} can be retried."),
            ],
        },
    },
    "security": {
        "credential-stuffing attack": {
            "where": "sign_in",
            "sources": {"alert": 100},
            "alert": "`{service}` login failure ratio 40× normal",
            "summaries": [
                "Automated sign-in attempts with leaked credentials against {service}; {customers} accounts "
                "targeted and sign-in slowed for everyone {for_minutes}. Details restricted.",
            ],
            "story": [
                (D, K.OBSERVATION, "Login failures from 4 000 residential IPs, each under the per-IP limit."),
                (D, K.DECISION, "Treat as a security incident; restrict this record."),
                (F, K.ACTION, "Per-account throttling on; forced resets for accessed accounts."),
                (F, K.COMMUNICATION, "Security lead and legal informed."),
            ],
        },
        "suspicious access to card tokens": {
            "where": "card_data",
            "sources": {"alert": 60, "employee": 40},
            "alert": "`{service}` detokenisation requests from an unusual client: 30× baseline",
            "employee": "{person} flagged unusual detokenisation volume in the {service} audit log.",
            "summaries": [
                "Unusual detokenisation requests against {service} from one internal client. No card data left "
                "the vault. Details restricted.",
            ],
            "story": [
                (
                    D,
                    K.OBSERVATION,
                    "{count} detokenisation calls in an hour from a batch client that normally makes 50.",
                ),
                (D, K.DECISION, "Treat as a security incident; restrict this record."),
                (F, K.ACTION, "Revoked the client's credentials; requests stopped."),
                (F, K.COMMUNICATION, "Security lead, PCI contact and legal informed."),
            ],
        },
        "leaked API key used from unknown IPs": {
            "where": "api_keys",
            "sources": {"alert": 70, "customer": 30},
            "alert": "`{service}` API key used from 300+ new IP addresses",
            "customer": "Partner ticket #{ticket}: “we see calls on our key we did not make.”",
            "summaries": [
                "An API key for {service} leaked in a public repository and was used from unknown addresses. "
                "Details restricted.",
            ],
            "story": [
                (D, K.OBSERVATION, "{count} calls with one partner key from IPs never seen before."),
                (D, K.OBSERVATION, "The key appears in a public repository committed three days ago."),
                (F, K.ACTION, "Revoked the key; issued a new one to the partner."),
                (F, K.COMMUNICATION, "Security lead and legal informed."),
            ],
        },
    },
    "near_miss": {
        "near miss: nearly ran out of disk": {
            "where": "stateful",
            "sources": {"employee": 100},
            "employee": "{person} noticed the data volume of {service} at 96 % while looking at something else.",
            "summaries": [
                "No customer impact: the data volume of {service} was at 96 % and filling 2 % an hour when we "
                "caught it.",
            ],
            "story": [
                (D, K.OBSERVATION, "Volume at 96 %, +2 % an hour: full in about two hours."),
                (D, K.OBSERVATION, "The 90 % alert never fired: its rule has the old volume name."),
                (F, K.ACTION, "Grew the volume by 50 % online."),
                (A, K.DECISION, "Write it up anyway: the alert that should have fired did not."),
            ],
        },
        "near miss: certificate about to expire": {
            "where": "certificate_holders",
            "sources": {"employee": 100},
            "employee": "{person} saw {service}'s certificate expiry date (3 days) in the browser by chance.",
            "summaries": [
                "No customer impact: the TLS certificate of {service} had three days left and renewal had been "
                "failing for a month.",
            ],
            "story": [
                (D, K.OBSERVATION, "Certificate expires in 3 days; the renewal job fails on a DNS challenge."),
                (D, K.OBSERVATION, "Renewal has failed daily for 31 days; the failures go to an unread mailbox."),
                (F, K.ACTION, "Fixed the DNS challenge record and renewed by hand."),
                (A, K.DECISION, "Write it up anyway: nothing would have warned us in time."),
            ],
        },
        "near miss: wrong region": {
            "where": "exports",
            "sources": {"employee": 100},
            "employee": "{person} noticed an export job of {service} configured with a us-east bucket.",
            "summaries": [
                "No customer impact: a scheduled export from {service} was about to write EU customer data to a "
                "bucket in us-east.",
            ],
            "story": [
                (D, K.OBSERVATION, "Tonight's export job targets `exports-us-east`; the data is EU customers'."),
                (D, K.OBSERVATION, "The bucket name came from a copied job definition; no policy check on region."),
                (F, K.ACTION, "Disabled the job and pointed it at the EU bucket."),
                (A, K.DECISION, "Write it up anyway: the data-residency check does not cover export jobs."),
            ],
        },
    },
    "game_day": {
        "game day: lose {dep}": {
            "where": "sync_dependencies",
            "sources": {},
            "chaos": "Game day started: blocking traffic from {service} to {dep} for 20 minutes.",
            "summaries": [
                "Planned drill: {service} without {dep} for 20 minutes. Reads degraded gracefully; error rate peaked "
                "at {pct} % for a few minutes.",
            ],
            "story": [
                (D, K.DECISION, "Hypothesis: {service} degrades gracefully without {dep}; abort above 5 % errors."),
                (D, K.OBSERVATION, "Fallback served cached results; error rate peaked at {pct} % from write retries."),
                (F, K.ACTION, "Restored traffic to {dep}; experiment over."),
            ],
        },
        "game day: region failover drill": {
            "where": "tier_one",
            "sources": {},
            "chaos": "Game day started: failing {service} over from {region} to its paired region.",
            "summaries": [
                "Planned drill: {service} failed over out of {region}. It worked, with {pct} % errors for 4 minutes "
                "while DNS caught up.",
            ],
            "story": [
                (D, K.DECISION, "Hypothesis: {service} fails over out of {region} in under 10 minutes."),
                (D, K.OBSERVATION, "Failover took 14 minutes: the runbook named a host that no longer exists."),
                (F, K.ACTION, "Failed back to {region}; experiment over."),
            ],
        },
        "game day: kill the primary": {
            "where": "postgres_clients",
            "sources": {},
            "chaos": "Game day started: killing the {dep} primary node behind {service}.",
            "summaries": [
                "Planned drill: killed the {dep} primary behind {service}. Writes failed for 40 s during promotion; "
                "error rate peaked at {pct} %.",
            ],
            "story": [
                (D, K.DECISION, "Hypothesis: {service} keeps serving reads and loses writes for under a minute."),
                (D, K.OBSERVATION, "Replica promoted after 38 s; {service} reconnected after 70 s (stale DNS cache)."),
                (F, K.ACTION, "Old primary rebuilt as a replica; experiment over."),
            ],
        },
    },
}

# What customers do with each service, and who they are: the impact in summaries is told in these words.
JOURNEYS = {
    "edge-gateway": ("page loads and API calls", "Shoppers and partners"),
    "auth-api": ("sign-ins", "Shoppers"),
    "user-profile": ("profile and address updates", "Shoppers"),
    "permissions": ("requests needing a permission check", "Shoppers and merchants"),
    "checkout-api": ("checkouts", "Shoppers"),
    "cart": ("add-to-cart clicks", "Shoppers"),
    "pricing": ("price lookups at checkout", "Shoppers"),
    "promotions": ("voucher redemptions", "Shoppers"),
    "payments-api": ("card payments", "Shoppers"),
    "ledger": ("ledger postings behind payments", "Merchants"),
    "payouts": ("merchant payouts", "Merchants"),
    "fraud-scoring": ("fraud checks on payments", "Shoppers"),
    "card-vault": ("card tokenisations", "Shoppers"),
    "search-api": ("searches", "Shoppers"),
    "indexer": ("catalog updates reaching search", "Merchants"),
    "recommendations": ("recommendation widgets", "Shoppers"),
    "catalog": ("product page loads", "Shoppers"),
    "events-pipeline": ("event deliveries", "Internal teams"),
    "warehouse-loader": ("warehouse loads", "Analysts"),
    "reporting": ("dashboard refreshes", "Finance and product teams"),
    "notifications": ("order emails and SMS", "Shoppers"),
    "postgres-main": ("writes from sign-in, pricing, ledger and catalog", "Shoppers and merchants"),
    "redis-cache": ("cached reads", "Shoppers"),
    "kafka": ("events published", "Internal teams"),
    "object-storage": ("image and export downloads", "Shoppers and analysts"),
    "dns": ("name lookups", "Every service"),
}

# Third parties a service calls (services "with an external dependency"), named in provider stories.
PROVIDERS = {
    "payments-api": "the card acquirer",
    "payouts": "the banking partner's transfer API",
    "notifications": "the SMS gateway",
    "fraud-scoring": "the device-fingerprint vendor",
    "edge-gateway": "the CDN",
    "dns": "the managed DNS provider",
    "user-profile": "the address-lookup API",
}
