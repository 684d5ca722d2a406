"""What the demo's actions say, per review story: titles, descriptions, findings, reasons."""

from actions.choices import Category

# Per scenario (the review's story, see demo.review_stories.SCENARIOS) and category: alternatives of
# (title, description), filled with the incident's words ({service}, {dep}, {region}, {version}).
# Which alternative a review gets is drawn from its incident's title, so neighbours differ.
TEMPLATES = {
    "config-push": {
        Category.IMMEDIATE_FIX: [
            (
                "Revert the {service} rate-limit config and freeze config pushes until Monday",
                "Re-apply the last good configuration by hand and pause the config pipeline for {service} "
                "until the canary change below is in.",
            ),
            (
                "Pin {service} to the previous config version in every region",
                "Pin the config version so the scheduled sync does not re-apply the bad values.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Route {service} config changes through the canary stage",
                "Config goes to the {region} canary for 30 minutes before the other regions, with the same "
                "automatic abort on error rate that code releases have.\n\nDone when: a config change to "
                "{service} cannot reach all regions without passing the canary.",
            ),
            (
                "Add one-click rollback for {service} configuration",
                "The rollback button in the pipeline covers code versions only. Make it restore the previous "
                "config bundle too, and add it to the on-call runbook.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Find services besides {service} whose config changes skip the canary",
                "List every service that ships configuration outside the release pipeline; record each one "
                "as a finding with its owner.",
            ),
            (
                "Diff staging and production limits and timeouts in {service} and its neighbours",
                "Look for production values copied from staging files in every tier-1 service.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Validate {service} config against a schema with per-environment bounds in CI",
                "Every limit and timeout gets a typed schema with allowed ranges per environment; CI refuses a "
                "production value outside them.",
            ),
            (
                "Deliver {service} configuration through the same pipeline as code",
                "Retire the config push script. Configuration becomes a versioned artefact with canary, "
                "approval and rollback like any release.",
            ),
        ],
    },
    "connection-pool": {
        Category.IMMEDIATE_FIX: [
            (
                "Cap the {service} autoscaler at 16 pods and cut the pool to 10 per pod",
                "Keeps the worst case under the database's connection limit until PgBouncer is in place.",
            ),
            (
                "Raise max_connections on the primary to 800 for the campaign period",
                "A temporary measure with the DBAs' agreement; revert after the campaign.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Alert on database connections above 80 % of max_connections",
                "Page the owning team and the platform on-call; link the runbook for shedding load.",
            ),
            (
                "Size the {service} pool for the autoscaler's maximum, not its minimum",
                "Pool size × maximum pods must stay under the connections reserved for {service}. Add a "
                "check to the deploy pipeline.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Check pool size × max pods against the database limit for every service in {region}",
                "One row per service that talks to PostgreSQL; findings for any that can exceed its share.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Put PgBouncer in transaction mode between {service} and the primary",
                "Services connect to the pooler, never straight to PostgreSQL, so pod count no longer "
                "decides the number of server connections.",
            ),
            (
                "Announce campaigns to the platform team with expected traffic",
                "Marketing adds expected peak traffic to the campaign checklist; the platform team "
                "pre-scales the shared datastores.",
            ),
        ],
    },
    "capacity-ceiling": {
        Category.IMMEDIATE_FIX: [
            (
                "Raise the {service} autoscaler maximum from 12 to 24 replicas",
                "Also add a second node pool in {region} so the new replicas have somewhere to go.",
            ),
            (
                "Add 6 replicas to {service} ahead of the evening peak",
                "A scheduled scale-up at 18:00 until the autoscaler limits are reviewed.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Alert when the {service} autoscaler sits at its maximum for 15 minutes",
                "Ticket, not page, during the day; page if it coincides with latency above the SLO.",
            ),
            (
                "Cut {service} pod start-up from 6 minutes to under 90 seconds",
                "Slim the image, warm the JIT with a readiness probe that replays recorded requests.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Review autoscaler limits against last quarter's peaks for services in {region}",
                "Compare each maximum with the peak replica count; record services within 20 % of their "
                "ceiling as findings.",
            ),
            (
                "Find services like {service} whose pods take over 2 minutes to become ready",
                "Slow start-up turns a scale-out into an outage; list them with their owners.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Forecast {service} capacity monthly and review its autoscaler ceiling",
                "A capacity review on the first Monday of each month, fed by a 90-day traffic forecast.",
            ),
            (
                "Load-test {service} at 2× the last peak before each quarter",
                "Run the load test against the staging cluster sized like production; a failed run blocks "
                "the next release of {service}.",
            ),
        ],
    },
    "disk-full": {
        Category.IMMEDIATE_FIX: [
            (
                "Grow the {service} primary volume to 2 TB and clear the WAL backlog",
                "Online resize, then fix the archive command and let the backlog drain.",
            ),
            (
                "Fix the WAL archive credentials for {service} and drain the backlog",
                "The rotated backup credentials were never given to the archiver.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Alert on disk usage at 75 % with a 4-hour fill forecast",
                "Replace the 95 % threshold with `predict_linear` on 6 hours of data; the alert must not "
                "auto-resolve without an acknowledgement.",
            ),
            (
                "Alert when WAL archiving fails for 15 minutes",
                "Page on `pg_stat_archiver.failed_count` increasing; the archiver failed for four days unseen.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Audit every PostgreSQL primary for disk headroom below 30 %",
                "Check free space and growth rate; record each primary under 30 % headroom or under 30 days to full.",
            ),
            (
                "Check the archive command and credentials on every database host in {region}",
                "Confirm each host archives successfully and that its credentials are in the rotation runbook.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Move WAL archiving to object storage with retention limits",
                "Archive with pgBackRest straight to object storage; local WAL can no longer pile up behind a "
                "broken backup host.",
            ),
            (
                "Enable volume autogrow on all database volumes with a cost alert",
                "Volumes grow by 20 % at 85 % usage, at most twice a week, and tell the owners when they do.",
            ),
        ],
    },
    "migration-lock": {
        Category.IMMEDIATE_FIX: [
            (
                "Re-run the {service} migration in steps with a 3 s lock timeout",
                "Add the column without a default, backfill in batches, then add the index concurrently.",
            ),
            (
                "Reschedule the {service} migration to the Sunday maintenance window",
                "With `lock_timeout` set and someone watching `pg_stat_activity`.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Set lock_timeout and statement_timeout in the {service} migration runner",
                "The migration runner sets `lock_timeout = 3s` and retries with back-off, so a blocked "
                "migration fails fast instead of queueing writes behind it.",
            ),
            (
                "Lint migrations for table rewrites and non-concurrent indexes",
                "Add squawk to CI for {service}; a dangerous statement needs an explicit override in review.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Check pending migrations of services sharing {service}'s database for table rewrites",
                "Run the linter over the unreleased migrations of every service that uses PostgreSQL.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Refresh the {service} staging database from a masked production snapshot weekly",
                "Migrations are tested against production-sized tables, so a 2-second staging run no longer "
                "hides a 2-hour lock.",
            ),
            (
                "Adopt expand/contract migrations for {service} and the service template",
                "Schema changes ship in backwards-compatible steps; document the pattern and add it to the "
                "service template.",
            ),
        ],
    },
    "replication-lag": {
        Category.IMMEDIATE_FIX: [
            (
                "Pause the backfill and point {service} reads at the primary",
                "Resume the backfill at night with a pause between batches.",
            ),
            (
                "Resume the {service} backfill in batches of 5 000 with a 2 s pause",
                "Watch replica lag while it runs; stop above 10 seconds.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Throttle {service} bulk jobs on replica lag",
                "The batch runner reads `pg_last_xact_replay_timestamp()` on the replicas and sleeps while lag "
                "is above 10 seconds.",
            ),
            (
                "Alert on replica lag above 60 seconds for {service}'s database",
                "The alert at 15 minutes was too late: customers noticed first.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "List jobs writing over 1 M rows to the database behind {service}",
                "For each: owner, batch size, whether it is throttled. Findings for any that are not.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Route {service} reads away from a replica lagging over 5 seconds",
                "The data-access layer checks lag and falls back to the primary (or refuses stale reads on "
                "pages where freshness matters).",
            ),
        ],
    },
    "release-defect": {
        Category.IMMEDIATE_FIX: [
            (
                "Roll back {service} to the release before {version} and block {version}",
                "Mark {version} as bad in the pipeline so nobody re-deploys it.",
            ),
            (
                "Ship a hotfix bounding the {service} response cache to 10 000 entries",
                "An LRU bound on the cache introduced in {version}; deployed through the normal canary.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Extend the {service} canary to 45 minutes and judge it on memory trend",
                "The canary passed after 10 minutes while memory was still climbing. Add memory slope to the "
                "canary's automatic analysis.",
            ),
            (
                "Run a 2-hour soak test for {service} before each release",
                "Nightly soak at production request mix; the release candidate fails on memory growth over 5 % "
                "an hour.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Find unbounded in-memory caches in services built like {service}",
                "Grep for the caching decorator without `maxsize`; record each occurrence as a finding.",
            ),
            (
                "Check which services besides {service} judge their canary in under 30 minutes",
                "List canary durations and analysis metrics per service.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Make the cache helper {service} uses refuse to build without a size bound",
                "The helper in the platform library requires `maxsize`; a lint rule blocks raw dictionaries "
                "used as caches.",
            ),
            (
                "Roll out {service} releases progressively: 1 %, 10 %, 50 %, 100 %",
                "Progressive delivery with automatic rollback on error rate and memory slope at each step.",
            ),
        ],
    },
    "release-crash": {
        Category.IMMEDIATE_FIX: [
            (
                "Roll back {service} to the release before {version} and block {version}",
                "Mark {version} as bad in the pipeline so nobody re-deploys it.",
            ),
            (
                "Ship a null check for the new {service} order-summary path behind a flag",
                "Fix forward through the normal canary, with the new path off until the fix is verified.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Stop {service} rollouts automatically when the 5xx ratio doubles",
                "Each rollout step compares the error ratio of new and old pods and rolls back on its own.",
            ),
            (
                "Add production-shaped records without optional fields to the {service} test fixtures",
                "Sample anonymised production records into the fixtures, including those missing optional fields.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Find reads of optional fields without null checks in services built like {service}",
                "Run the static check over the services sharing its model library; record each occurrence.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Roll out {service} releases progressively: 1 %, 10 %, 50 %, 100 %",
                "Progressive delivery with automatic rollback on error rate at each step.",
            ),
            (
                "Make optional fields explicit types in the {service} model library",
                "Optional fields become Optional types; the compiler refuses a read without a check.",
            ),
        ],
    },
    "breaking-change": {
        Category.IMMEDIATE_FIX: [
            (
                "Roll back {service} to the release before {version}",
                "Restore the numeric `amount` field until every caller accepts both formats.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Re-enable the contract test for {dep} in the {service} pipeline",
                "Fix its flakiness instead of skipping it; a failing contract test blocks the release.",
            ),
            (
                "Announce response changes of {service} to the teams that call it",
                "A changelog entry and a message to every caller's channel before a field changes type or meaning.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "List skipped contract tests across services that call {service}",
                "One finding per skipped or missing contract test, with the owning team.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Version the {service} API and change fields in expand-and-contract steps",
                "Add the new format next to the old, move callers, then remove the old: never in one release.",
            ),
            (
                "Check {service} responses against its published schema in CI",
                "A schema diff that removes or retypes a field fails the build unless the version changes.",
            ),
        ],
    },
    "provider-failover": {
        Category.IMMEDIATE_FIX: [
            (
                "Keep {service} on the secondary provider until {provider} confirms a fix",
                "Switch back during office hours with the team watching, not automatically.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Fail {service} over to the secondary provider automatically on 5xx above 10 %",
                "Decide on our own evidence: error ratio over two minutes, not the provider's status page.",
            ),
            (
                "Retry calls from {service} that failed during a provider outage",
                "Queue failed requests and replay them on the secondary provider once failover is on.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "List third-party calls without a tested failover, starting with {service}",
                "One finding per provider call with no secondary or with a failover never exercised.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Run a provider-outage game day for {service} every quarter",
                "Hypothesis: {service} fails over to the secondary provider within 2 minutes, without people.",
            ),
            (
                "Spread {service} traffic across both providers all the time",
                "Send 10 % to the secondary provider so it is always warm and known to work.",
            ),
        ],
    },
    "consumer-lag": {
        Category.IMMEDIATE_FIX: [
            (
                "Raise max.poll.interval.ms for the {service} consumers to 10 minutes",
                "Longer than the slowest batch seen this quarter, so one slow batch no longer starts a rebalance.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Alert on consumer-group rebalances for {service}",
                "More than three rebalances in 10 minutes pages the owning team, before the lag grows.",
            ),
            (
                "Cap the {service} batch size so a batch finishes within the poll interval",
                "Smaller batches, measured: the slowest must finish in under half the poll interval.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Check the poll interval against the slowest batch for every consumer of {dep}",
                "One finding per consumer group whose slowest batch is close to its poll interval.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Move {service} consumers to cooperative rebalancing",
                "Incremental rebalances keep the other partitions consumed while one consumer rejoins.",
            ),
        ],
    },
    "zone-network": {
        Category.IMMEDIATE_FIX: [
            (
                "Drain the degraded zone in {region} and keep it drained until the provider closes its incident",
                "Re-enable only after 24 hours without packet loss.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Add cross-zone health checks for {service}",
                "Probe each zone from the other zones, so a zone that looks healthy from inside can still be "
                "taken out of rotation.",
            ),
            (
                "Let {service} on-call drain a zone on our own evidence",
                "Update the runbook: drain when cross-zone error rate exceeds 5 % for 5 minutes, without "
                "waiting for the provider's status page.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Find services in {region} that cannot run with one zone drained",
                "Check replica counts and anti-affinity per zone for every tier-1 service.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Enable zone-aware routing for {service} in the service mesh",
                "Prefer same-zone endpoints and eject a zone automatically on outlier detection.",
            ),
            (
                "Run a zone-loss game day for {service} every quarter",
                "Hypothesis: {service} keeps its SLO with one zone of {region} gone.",
            ),
        ],
    },
    "dependency-timeout": {
        Category.IMMEDIATE_FIX: [
            (
                "Set a 2 s timeout on {service} calls to {dep}",
                "The client used the library default, which is no timeout at all.",
            ),
            (
                "Keep the kill switch for {dep} calls on until {dep} is stable",
                "Serve the fallback response meanwhile; review daily.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Add a circuit breaker around {service}'s calls to {dep}",
                "Open after 50 % failures over 20 calls, half-open after 30 s; serve the cached fallback while open.",
            ),
            (
                "Give {service} a separate worker pool for calls to {dep}",
                "Bulkhead the slow dependency so it cannot take every worker thread with it.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Find HTTP clients without timeouts in services that call {dep}",
                "Search for clients built without a timeout and for timeouts above 10 s; one finding per service.",
            ),
            (
                "List synchronous calls to {dep} from other services",
                "Each caller needs a timeout, a breaker and a fallback; record those that lack any.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Make timeouts and breakers the default in the HTTP client {service} uses",
                "The platform client refuses to build without a timeout and wraps every call in a breaker.",
            ),
            (
                "Make {service} serve degraded when {dep} is down",
                "Decide per page what a degraded answer looks like, build it, and prove it with a game day.",
            ),
        ],
    },
    "certificate-expiry": {
        Category.IMMEDIATE_FIX: [
            (
                "Reissue the {service} certificate from the automated issuer",
                "Replace the hand-issued certificate; check all proxies picked it up.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Alert 30 days before a {service} certificate expires, to the owning team",
                "Reminders go to the team channel and the on-call rotation, never to one person's mailbox.",
            ),
            (
                "Make synthetic checks for {service} validate certificates",
                "The checks skipped TLS validation, so they stayed green while every real client failed.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Inventory every certificate on services next to {service}, with its issuer",
                "Scan all listeners and secrets for certificates; record any not issued by the automated "
                "issuer as a finding.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Issue {service} certificates through cert-manager with 30-day lifetimes",
                "Short-lived certificates renewed automatically, so renewal is exercised every week.",
            ),
            (
                "Refuse manually issued certificates at the {region} ingress",
                "An admission policy rejects TLS secrets that cert-manager does not own.",
            ),
        ],
    },
    "credential-abuse": {
        Category.IMMEDIATE_FIX: [
            (
                "Revoke the leaked key and reset the 31 affected accounts",
                "Notify the account owners with the security team's template.",
            ),
            (
                "Block the attacking ranges at the edge and force resets for accessed accounts",
                "Keep the block list for 30 days; review with security.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Throttle {service} sign-in attempts per account and per credential, not only per IP",
                "Progressive delays after 5 failures per account; CAPTCHA after 10.",
            ),
            (
                "Scan public repositories for our API key patterns",
                "Turn on secret scanning with our key prefixes; an exposed key is revoked automatically.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Review every {service} API key older than 90 days and its scopes",
                "Revoke unused keys, narrow broad ones; one finding per service holding such keys.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Replace long-lived {service} API keys with short-lived scoped tokens",
                "Tokens expire after 12 hours and carry the narrowest scope the client needs.",
            ),
            (
                "Check passwords against known-breached lists at sign-in",
                "Refuse breached passwords at sign-up and force a change at the next sign-in.",
            ),
        ],
    },
    "near-miss": {
        Category.IMMEDIATE_FIX: [
            (
                "Make {service} safe by hand and note every step",
                "The steps become the draft of the runbook below.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Add {service} to the alert that should have caught this",
                "The alert exists for services built from the template; {service} was set up by hand.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Find services besides {service} set up outside the template",
                "Compare every service's alerts and checks with the template's; findings for each gap.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Generate {service}'s alerts and checks from the service catalog",
                "Every service in the catalog gets the standard safeguards automatically; a service cannot "
                "opt out silently.",
            ),
        ],
    },
    "game-day": {
        Category.IMMEDIATE_FIX: [
            (
                "Fix the failover runbook for {service}: replace the retired host name",
                "And add the step we improvised during the drill.",
            ),
        ],
        Category.CORRECTIVE: [
            (
                "Add exponential back-off and a retry budget to {service} writes",
                "Retries limited to 10 % of requests; jittered back-off from 100 ms.",
            ),
        ],
        Category.REMEDIAL: [
            (
                "Check runbooks of {service} and its neighbours for host names that no longer resolve",
                "A script over the runbook repository; findings for each stale runbook.",
            ),
        ],
        Category.PREVENTIVE: [
            (
                "Repeat the {service} drill quarterly as a Chaos Toolkit experiment",
                "Record it in the fault catalog so the deployment gate knows when the evidence goes stale.",
            ),
        ],
    },
}

# What a remedial sweep found elsewhere, per scenario (the page shows the service before it).
FINDINGS = {
    "config-push": [
        "Feature flags pushed from a script straight to production; moved into the pipeline.",
        "Staging timeout (30 s) found in the production config; set to 3 s.",
        "Config bundle has no rollback; ticket filed with the owning team.",
    ],
    "connection-pool": [
        "Pool 25 × max 30 pods = 750 connections against a share of 300; pool cut to 10.",
        "A second pool for background jobs nobody knew about; merged into one.",
    ],
    "capacity-ceiling": [
        "Peaked at 11 of 12 replicas last quarter; maximum raised to 20.",
        "Takes 4 minutes to become ready; image slimmed from 2.1 GB to 600 MB.",
        "No autoscaler at all, fixed at 4 replicas; autoscaler added.",
    ],
    "disk-full": [
        "Primary at 78 % with 19 days to full; volume grown to 1.5 TB.",
        "Archive command pointed at the old backup host; fixed, and an alert added.",
    ],
    "migration-lock": [
        "Unreleased migration adds an index without CONCURRENTLY; rewritten.",
        "Migration sets a NOT NULL default on a 60 GB table; split into three steps.",
    ],
    "replication-lag": [
        "Nightly export writes 3 M rows unthrottled; batching and pauses added.",
        "Weekly reconciliation job updates every row; now only the changed ones.",
    ],
    "release-defect": [
        "Response cache without `maxsize` in the search handler; bounded to 5 000.",
        "Canary judged after 5 minutes on error rate only; extended to 30, memory added.",
        "Per-tenant settings memoised forever; now expire after 10 minutes.",
    ],
    "consumer-lag": [
        "Export consumer polls every 5 minutes with batches taking 6; batch size halved.",
    ],
    "release-crash": [
        "Reads `customer.tier` without a null check in the invoice path; fixed.",
        "Rollout goes to 100 % in one step; progressive steps added.",
    ],
    "breaking-change": [
        "Contract test for the mobile app skipped since spring; re-enabled.",
        "Renamed a response field last month without telling callers; old name restored as an alias.",
    ],
    "provider-failover": [
        "Secondary SMS gateway configured but never used in production; test traffic added.",
        "Failover flag needs two approvals at night; now one.",
    ],
    "zone-network": [
        "Both replicas in the same zone; anti-affinity added.",
        "Health check only probes localhost; cross-zone probe added.",
    ],
    "dependency-timeout": [
        "Calls the fraud API with the default (infinite) timeout; set to 800 ms.",
        "Retries 5 times without back-off; now 2 retries with jitter.",
        "Webhook client timeout is 60 s; cut to 5 s with a breaker.",
    ],
    "certificate-expiry": [
        "Partner endpoint certificate issued by hand, expires in 41 days; moved to the issuer.",
        "Pins an intermediate certificate that rotates next spring; pin removed.",
    ],
    "credential-abuse": [
        "Holds a 3-year-old API key with admin scope; replaced with a scoped token.",
        "Logs full API keys at debug level; masked.",
    ],
    "near-miss": [
        "Also set up by hand, with no disk or certificate alerts; brought onto the template.",
    ],
    "game-day": [
        "Runbook names two retired hosts; updated.",
    ],
}

# Why an action was dropped, per category: said in the team's words.
WONT_DO_REASONS = {
    Category.IMMEDIATE_FIX: [
        "The rollback already removed the problem; nothing left to patch.",
    ],
    Category.CORRECTIVE: [
        "Covered by the platform team's alerting overhaul, which adds the same check for every service.",
        "Superseded by the preventive action on this review, which removes the need for it.",
    ],
    Category.REMEDIAL: [
        "Folded into the quarterly production-readiness review, which checks the same thing for all services.",
    ],
    Category.PREVENTIVE: [
        "{service} is being replaced next quarter; not worth redesigning. Risk accepted by the team lead.",
        "Too costly for the risk: it needs two independent failures at once. Accepted by the team lead.",
    ],
}
