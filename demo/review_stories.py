"""What the demo's reviews say, per story: sections, causal charts, and which story fits which incident."""

from incidents.choices import DetectionSource
from postmortems.choices import FactorCategory as C
from postmortems.choices import FactorKind as K

# Each scenario: classes, sections (formatted with {service} and {title}), and a chart:
# factors as (key, description, kind, category, root cause, symptom), links as (cause key, effect key).
SCENARIOS = {
    "config-push": {
        "match": ("config", "flag", "rate limit", "gateway", "edge"),
        "primary": "configuration-change",
        "secondary": ["human-procedural"],
        "summary": "A configuration change to **{service}** was rolled out to every region at once and "
        "rejected a large share of legitimate requests until it was reverted.",
        "impact": "- {pct} % of {journey} in {region} failed for {duration}.\n- Mobile clients retried aggressively, "
        "doubling load on {service}.\n- Support received {tickets} tickets.",
        "narrative": "A routine configuration change to {service} (`{old_cfg}` to `{cfg}`) passed review and CI, but a "
        "value in it had been copied from a staging file. It went out globally, not through the canary stage.",
        "detection": "Nothing checked the new values before they reached every region.",
        "response": "The on-call engineer suspected the deploy at once, but the rollback tool only covered code "
        "versions, not configuration, which cost 20 minutes.",
        "recovery": "The previous configuration was re-applied by hand; error rates returned to normal within 4 minutes.",
        "went_well": "- The incident channel was calm and well coordinated.\n- The cause was found from the config history.",
        "went_wrong": "- Configuration skipped the canary stage.\n- Rollback for configuration was manual.",
        "got_lucky": "It happened during office hours with the author still online.",
        "surprises": "We believed configuration went through the same canary as code. It did not.",
        "lessons": "Treat configuration as code: same pipeline, same canary, same one-click rollback.",
        "factors": [
            ("value", "Limit value copied from the staging configuration", K.CONDITION, C.HUMAN, False, False),
            ("nocanary", "Configuration changes bypass the canary stage", K.CONDITION, C.PROCEDURAL, True, False),
            ("rollout", "Change rolled out to all regions at once", K.EVENT, C.TECHNICAL, False, False),
            ("reject", "Legitimate requests refused", K.EVENT, C.TECHNICAL, False, False),
            ("retries", "Mobile clients retry without back-off", K.CONTRIBUTING, C.TECHNICAL, False, False),
            ("errors", "Customers see failed page loads", K.EVENT, C.TECHNICAL, False, True),
            ("norollback", "No one-click rollback for configuration", K.CONDITION, C.ORGANISATIONAL, True, False),
            ("slowfix", "Mitigation took 20 minutes longer than a code rollback", K.EVENT, C.PROCEDURAL, False, True),
        ],
        "links": [
            ("value", "rollout"),
            ("nocanary", "rollout"),
            ("rollout", "reject"),
            ("reject", "errors"),
            ("retries", "errors"),
            ("norollback", "slowfix"),
        ],
    },
    "connection-pool": {
        "match": ("database", "postgres", "connection", "pool", "ledger", "replica"),
        "primary": "capacity-load",
        "secondary": ["dependency-failure"],
        "summary": "**{service}** exhausted its database connection pool during a traffic peak; requests queued "
        "and timed out for {duration}.",
        "impact": "- {pct} % of {journey} failed after waiting 30 s, for {duration}.\n- No data was lost.",
        "narrative": "A marketing campaign started at 09:00 without notice to the platform team. {service} scaled "
        "out from 12 to 40 pods; each pod opened its full pool, exceeding the database's connection limit.",
        "detection": "No alert watched the number of connections to the database.",
        "response": "Responders first suspected the most recent deploy and rolled it back, which did not help.",
        "recovery": "Capping the autoscaler at 16 pods and restarting the pods brought connections under the limit.",
        "went_well": "- Rollback was fast, even if it was the wrong lead.\n- Customer communication went out early.",
        "went_wrong": "- No alert on database connection saturation.\n- Autoscaling was unaware of the shared limit.",
        "got_lucky": "Writes were idempotent, so client retries did not apply anything twice.",
        "surprises": "Scaling out made things worse: more pods meant more connections, not more throughput.",
        "lessons": "Put a connection pooler in front of the database and size pools for the maximum pod count.",
        "factors": [
            ("campaign", "Campaign traffic 3× normal, unannounced", K.EVENT, C.ORGANISATIONAL, False, False),
            ("scale", "Autoscaler grew to 40 pods", K.EVENT, C.TECHNICAL, False, False),
            ("pool", "Each pod opens a pool of {pool} connections", K.CONDITION, C.TECHNICAL, True, False),
            ("limit", "Database max_connections reached", K.EVENT, C.TECHNICAL, False, False),
            ("queue", "Requests queue waiting for a connection", K.EVENT, C.TECHNICAL, False, False),
            ("timeouts", "Checkout requests time out", K.EVENT, C.TECHNICAL, False, True),
            ("noalert", "No alert on connection saturation", K.CONDITION, C.PROCEDURAL, True, False),
            ("wronglead", "Responders chased the latest deploy", K.CONTRIBUTING, C.HUMAN, False, False),
            ("late", "Diagnosis took 35 minutes", K.EVENT, C.PROCEDURAL, False, True),
        ],
        "links": [
            ("campaign", "scale"),
            ("scale", "limit"),
            ("pool", "limit"),
            ("limit", "queue"),
            ("queue", "timeouts"),
            ("noalert", "wronglead"),
            ("wronglead", "late"),
        ],
    },
    "certificate-expiry": {
        "match": ("certificate", "tls", "cert", "expired", "secret", "token"),
        "primary": "certificate-secret-expiry",
        "secondary": ["human-procedural"],
        "summary": "An expired TLS certificate on **{service}** broke calls from every client that validates "
        "certificates, for {duration}.",
        "impact": "- {pct} % of {journey} failed TLS handshakes for {duration}.\n- Partners saw errors; browsers with "
        "cached sessions mostly did not.",
        "narrative": "The certificate had been issued by hand two years ago, outside the automated issuer. The renewal "
        "reminder went to the mailbox of someone who had since left.",
        "detection": "Nothing warned us in the weeks before the certificate expired.",
        "response": "The cause was clear within 15 minutes; finding who could issue a certificate took 40 more.",
        "recovery": "A new certificate was issued from the automated issuer and rolled out.",
        "went_well": "- The diagnosis was quick once the right logs were read.",
        "went_wrong": "- Nobody owned the manual certificate.\n- Synthetic checks skipped TLS validation.",
        "got_lucky": "Browsers had cached sessions, so most shoppers were unaffected.",
        "surprises": "We thought every certificate came from the automated issuer.",
        "lessons": "Inventory every certificate; alert 30 days before expiry to a team, not a person.",
        "factors": [
            ("manual", "Certificate issued by hand outside the issuer", K.CONDITION, C.PROCEDURAL, True, False),
            ("mailbox", "Expiry reminder sent to a departed engineer", K.CONDITION, C.ORGANISATIONAL, True, False),
            ("expiry", "Certificate expired at 02:14", K.EVENT, C.TECHNICAL, False, False),
            ("handshake", "TLS handshakes fail for validating clients", K.EVENT, C.TECHNICAL, False, False),
            ("partners", "Partner API calls fail", K.EVENT, C.TECHNICAL, False, True),
        ],
        "links": [
            ("manual", "expiry"),
            ("mailbox", "expiry"),
            ("expiry", "handshake"),
            ("handshake", "partners"),
        ],
    },
    "release-defect": {
        "match": ("deploy", "release", "bug", "regression", "crash", "memory"),
        "primary": "code-defect",
        "secondary": ["capacity-load"],
        "summary": "Release {version} of **{service}** contained a memory leak; pods were OOM-killed in waves for {duration}.",
        "impact": "- Intermittent 502s for about {pct} % of {journey} over {duration}.\n- Background jobs were delayed.",
        "narrative": "A refactor cached parsed responses without a bound. Under production traffic the cache grew "
        "until the container's memory limit killed the pod; restarts came in waves as pods filled up together.",
        "detection": "The canary had judged the release healthy before the memory growth showed.",
        "response": "The release was suspected immediately (the correlation task ranked it first) and rolled back.",
        "recovery": "Rollback completed 25 minutes after the decision; pods stabilised.",
        "went_well": "- The suspect deployment was ranked first.\n- The rollback was uneventful.",
        "went_wrong": "- Load tests did not run long enough to show the leak.\n- Canary ran for 10 minutes only.",
        "got_lucky": "The leak was slow; a faster one would have taken all pods down at once.",
        "surprises": "The canary looked healthy: the leak needed 30 minutes to show.",
        "lessons": "Canary long enough to see memory trends; bound every cache.",
        "factors": [
            ("cache", "Unbounded response cache introduced in a refactor", K.EVENT, C.TECHNICAL, True, False),
            ("canary", "Canary judged healthy after 10 minutes", K.CONDITION, C.PROCEDURAL, True, False),
            ("growth", "Memory grows with traffic", K.CONDITION, C.TECHNICAL, False, False),
            ("oom", "Pods OOM-killed in waves", K.EVENT, C.TECHNICAL, False, False),
            ("errors", "Users see intermittent 502s", K.EVENT, C.TECHNICAL, False, True),
            ("jobs", "Background jobs delayed", K.EVENT, C.TECHNICAL, False, True),
            ("loadtest", "Load tests run for 5 minutes only", K.CONTRIBUTING, C.PROCEDURAL, False, False),
        ],
        "links": [
            ("cache", "growth"),
            ("growth", "oom"),
            ("canary", "oom"),
            ("loadtest", "canary"),
            ("oom", "errors"),
            ("oom", "jobs"),
        ],
    },
    "zone-network": {
        "match": ("dns", "network", "latency", "packet", "timeout", "kafka"),
        "primary": "network",
        "secondary": ["dependency-failure", "infrastructure-hardware"],
        "summary": "Packet loss between two availability zones made **{service}** time out on cross-zone calls "
        "for {duration}.",
        "impact": "- {pct} % of {journey} in {region} timed out for {duration}.\n- Event consumers fell behind.",
        "narrative": "The cloud provider had a partial failure in one zone's network fabric. Our services spread "
        "calls evenly across zones and kept sending traffic to the degraded one.",
        "detection": "Our own health checks stayed green throughout: they ran inside each zone.",
        "response": "Responders confirmed packet loss with the provider's status page after 20 minutes.",
        "recovery": "We drained the affected zone; errors stopped within 5 minutes.",
        "went_well": "- Draining a zone worked as rehearsed.",
        "went_wrong": "- No zone-aware health checks.\n- The drain decision waited for the provider's confirmation.",
        "got_lucky": "The failure was in one zone only.",
        "surprises": "Health checks stayed green: they ran inside each zone.",
        "lessons": "Health-check across zones and drain on our own evidence, not the provider's status page.",
        "factors": [
            ("fabric", "Provider network fabric degraded in one zone", K.EVENT, C.TECHNICAL, True, False),
            ("evenly", "Calls spread evenly across zones", K.CONDITION, C.TECHNICAL, False, False),
            ("health", "Health checks only within a zone", K.CONDITION, C.TECHNICAL, True, False),
            ("loss", "Packet loss on cross-zone calls", K.EVENT, C.TECHNICAL, False, False),
            ("timeouts", "Requests time out", K.EVENT, C.TECHNICAL, False, True),
            ("lag", "Event consumers fall behind", K.EVENT, C.TECHNICAL, False, True),
            ("wait", "Drain waited for provider confirmation", K.CONTRIBUTING, C.PROCEDURAL, False, False),
        ],
        "links": [
            ("fabric", "loss"),
            ("evenly", "loss"),
            ("health", "evenly"),
            ("loss", "timeouts"),
            ("loss", "lag"),
            ("wait", "timeouts"),
        ],
    },
    "dependency-timeout": {
        "match": (),
        "primary": "dependency-failure",
        "secondary": ["human-procedural"],
        "summary": "**{service}** waited on {dep} without a timeout; when {dep} slowed down it tied up every "
        "worker and the service stopped answering for {duration}.",
        "impact": "- {pct} % of {journey} failed for {duration}.\n- Two downstream services degraded too.",
        "narrative": "{dep} answered in 20 s instead of 50 ms. {service} called it without a timeout, so "
        "every worker thread waited, and health checks failed.",
        "detection": "Health checks failed, but said nothing about why.",
        "response": "Restarting {service} helped for a minute each time. Thread dumps showed the blocked calls.",
        "recovery": "A feature flag disabled the call to the slow dependency; the service recovered at once.",
        "went_well": "- A kill switch already existed for that call.\n- Thread dumps pointed straight at the cause.",
        "went_wrong": "- No client timeout.\n- No circuit breaker.",
        "got_lucky": "The kill switch had been added for an unrelated reason a month earlier.",
        "surprises": "The HTTP client's default timeout is infinite.",
        "lessons": "Every remote call gets a timeout and a circuit breaker; default settings are not safe.",
        "factors": [
            ("slow", "Dependency responds in 20 s instead of 50 ms", K.EVENT, C.TECHNICAL, False, False),
            ("notimeout", "Client calls without a timeout", K.CONDITION, C.TECHNICAL, True, False),
            ("nobreaker", "No circuit breaker on the call", K.CONDITION, C.TECHNICAL, True, False),
            ("threads", "Every worker thread blocked", K.EVENT, C.TECHNICAL, False, False),
            ("down", "Service stops answering", K.EVENT, C.TECHNICAL, False, True),
            ("cascade", "Downstream services degrade", K.EVENT, C.TECHNICAL, False, True),
        ],
        "links": [
            ("slow", "threads"),
            ("notimeout", "threads"),
            ("nobreaker", "threads"),
            ("threads", "down"),
            ("down", "cascade"),
        ],
    },
    "capacity-ceiling": {
        "match": ("latency", "cpu", "saturation", "backlog", "queue"),
        "primary": "capacity-load",
        "secondary": ["human-procedural"],
        "summary": "The evening peak in {region} outgrew **{service}**: the autoscaler hit its ceiling, pods ran at "
        "their CPU limit and requests queued for {duration}.",
        "impact": "- p99 latency up to {p99} s (SLO: 400 ms) for {duration}.\n- {pct} % of {journey} timed out."
        "\n- No data was lost.",
        "narrative": "Traffic to {service} has grown about 6 % a month since spring, but the autoscaler maximum of {replicas} "
        "replicas was set two years ago. At 19:40 every replica was at its CPU limit and the autoscaler could not "
        "add more; the queue in front of the workers grew until requests timed out.",
        "detection": "Nothing warned us in the weeks before, "
        "although the autoscaler had sat at its maximum for an hour every evening.",
        "response": "The on-call engineer raised the replica ceiling within 15 minutes, but new pods took 6 minutes "
        "each to become ready because the image is large and the JIT warm-up is slow.",
        "recovery": "Raising the maximum to {more_replicas} replicas and adding a node pool brought latency back under the SLO.",
        "went_well": "- The fix was a one-line change.",
        "went_wrong": "- Nobody owned the autoscaler limits.\n- Pods take minutes to become ready.",
        "got_lucky": "The peak came on a Tuesday, not during the Friday promotion.",
        "surprises": "The autoscaler had been pinned at its maximum every evening for three weeks.",
        "lessons": "Capacity limits need an owner, a review date and an alert when they are reached.",
        "factors": [
            ("growth", "Traffic grew 6 % a month", K.CONDITION, C.ORGANISATIONAL, False, False),
            ("ceiling", "Autoscaler maximum unchanged for two years", K.CONDITION, C.PROCEDURAL, True, False),
            ("peak", "Evening peak reaches the ceiling", K.EVENT, C.TECHNICAL, False, False),
            ("cpu", "Every replica at its CPU limit", K.EVENT, C.TECHNICAL, False, False),
            ("noalert", "No alert when the autoscaler sits at its maximum", K.CONDITION, C.TECHNICAL, True, False),
            ("slowstart", "New pods take 6 minutes to become ready", K.CONTRIBUTING, C.TECHNICAL, False, False),
            ("latency", "Requests queue and time out", K.EVENT, C.TECHNICAL, False, True),
        ],
        "links": [
            ("growth", "peak"),
            ("ceiling", "peak"),
            ("peak", "cpu"),
            ("cpu", "latency"),
            ("noalert", "cpu"),
            ("slowstart", "latency"),
        ],
    },
    "disk-full": {
        "match": ("disk",),
        "primary": "infrastructure-hardware",
        "secondary": ["capacity-load"],
        "summary": "The primary database volume behind **{service}** filled up; PostgreSQL stopped accepting "
        "writes for {duration}.",
        "impact": "- Every write to {service} failed for {duration}; reads kept working.\n"
        "- {pct} % of {journey} failed.\n- No data was lost; clients retried the failed writes.",
        "narrative": "WAL archiving to the backup host had been failing for four days after a credentials rotation. "
        "PostgreSQL keeps WAL segments it cannot archive, so the volume filled at about 40 GB a day until "
        "it hit 100 % at {start_time}.",
        "detection": "The disk-usage alert was set at "
        "95 % and had fired at night two days earlier; it auto-resolved after a vacuum and nobody looked at it.",
        "response": "The cause was found within 10 minutes from the PostgreSQL log. Growing the volume needed a "
        "change ticket in the cloud console that only two people could approve.",
        "recovery": "The volume was grown online, archiving was fixed, and the WAL backlog drained in 40 minutes.",
        "went_well": "- The database log named the problem plainly.\n- Online volume growth worked without a restart.",
        "went_wrong": "- Archiving failed silently for four days.\n- The only disk alert fired too late and too "
        "quietly.",
        "got_lucky": "The replica had its own volume, so reads kept working throughout.",
        "surprises": "A failed archive command makes PostgreSQL keep WAL forever.",
        "lessons": "Alert on the trend, not the threshold, and on the archiver itself.",
        "factors": [
            (
                "rotation",
                "Backup credentials rotated without updating the archiver",
                K.EVENT,
                C.PROCEDURAL,
                False,
                False,
            ),
            ("archive", "WAL archiving fails silently", K.CONDITION, C.TECHNICAL, True, False),
            ("growth", "WAL grows 40 GB a day", K.EVENT, C.TECHNICAL, False, False),
            ("threshold", "Disk alert only at 95 %, and it auto-resolved", K.CONDITION, C.TECHNICAL, True, False),
            ("full", "Primary volume reaches 100 %", K.EVENT, C.TECHNICAL, False, False),
            ("writes", "Writes fail", K.EVENT, C.TECHNICAL, False, True),
            (
                "approval",
                "Only two people can approve growing a volume",
                K.CONTRIBUTING,
                C.ORGANISATIONAL,
                False,
                False,
            ),
        ],
        "links": [
            ("rotation", "archive"),
            ("archive", "growth"),
            ("growth", "full"),
            ("threshold", "full"),
            ("full", "writes"),
            ("approval", "writes"),
        ],
    },
    "migration-lock": {
        "match": ("lock", "migration", "slow queries"),
        "primary": "data-schema-change",
        "secondary": ["human-procedural"],
        "summary": "A schema migration for **{service}** took an exclusive lock on a busy table; writes queued "
        "behind it for {duration}.",
        "impact": "- Write latency above 10 s for {duration}; reads unaffected.\n- {pct} % of {journey} timed out.",
        "narrative": "The migration added a column with a default and an index in one step. On PostgreSQL that "
        "rewrites the table under an ACCESS EXCLUSIVE lock; on the 180 GB table it would have taken hours. Every "
        "write queued behind it, and the connection pool filled with waiting transactions.",
        "detection": "Nothing checked the migration for locking before it ran at peak time.",
        "response": "`pg_stat_activity` showed the migration holding the lock within 12 minutes. The team hesitated "
        "to cancel it, fearing a half-applied schema.",
        "recovery": "Cancelling the migration rolled it back cleanly; writes drained in under a minute.",
        "went_well": "- `pg_stat_activity` made the blocker obvious.\n- Transactional DDL rolled back cleanly.",
        "went_wrong": "- The migration ran at peak time with no lock timeout.\n- Review did not flag the table "
        "rewrite.",
        "got_lucky": "The migration was cancelled before autovacuum also queued behind it.",
        "surprises": "The migration had passed on staging in 2 seconds: the staging table has 4 000 rows.",
        "lessons": "Every migration sets a lock timeout, and big tables change in steps.",
        "factors": [
            ("ddl", "Migration rewrites a 180 GB table in one step", K.EVENT, C.TECHNICAL, False, False),
            ("notimeout", "Migrations run without a lock timeout", K.CONDITION, C.TECHNICAL, True, False),
            ("review", "Review does not check migrations for locking", K.CONDITION, C.PROCEDURAL, True, False),
            ("lock", "Exclusive lock held on a busy table", K.EVENT, C.TECHNICAL, False, False),
            ("queue", "Writes queue behind the lock", K.EVENT, C.TECHNICAL, False, True),
            ("staging", "Staging data is too small to show the cost", K.CONTRIBUTING, C.ORGANISATIONAL, False, False),
        ],
        "links": [
            ("ddl", "lock"),
            ("notimeout", "lock"),
            ("review", "ddl"),
            ("staging", "review"),
            ("lock", "queue"),
        ],
    },
    "replication-lag": {
        "match": ("replication", "lag"),
        "primary": "capacity-load",
        "secondary": ["data-schema-change"],
        "summary": "A backfill on the primary behind **{service}** generated more WAL than the replica could "
        "replay; replicas fell {lag} minutes behind and {service} served stale reads for {duration}.",
        "impact": "- Customers saw stale data (orders missing, old balances) for {duration}.\n- Support "
        "received {tickets} tickets.\n- Nothing was lost; the replicas caught up.",
        "narrative": "A backfill job updated 40 million rows in batches of 50 000 with no pause between batches. The "
        "replica replays WAL in a single process and fell further behind with every batch. {service} reads from "
        "the replica and had no check on its lag.",
        "detection": "Nothing in {service} checked how far behind the replica it read from was.",
        "response": "The lag was visible in the database dashboard at once; finding which job caused it took 20 "
        "minutes because the backfill had no owner tag.",
        "recovery": "Pausing the backfill let the replica catch up in 9 minutes; {service} was switched to read "
        "from the primary meanwhile.",
        "went_well": "- Switching reads to the primary was a flag, already tested.",
        "went_wrong": "- The backfill had no throttle.\n- Reads from the replica ignore lag.",
        "got_lucky": "The primary had enough headroom to take all reads for half an hour.",
        "surprises": "A single backfill could outrun replication on our largest instance type.",
        "lessons": "Throttle bulk writes on replication lag, and route reads away from a lagging replica.",
        "factors": [
            ("backfill", "Backfill updates 40 M rows without pausing", K.EVENT, C.TECHNICAL, False, False),
            ("throttle", "Bulk jobs are not throttled on replica lag", K.CONDITION, C.PROCEDURAL, True, False),
            ("lag", "Replica falls {lag} minutes behind", K.EVENT, C.TECHNICAL, False, False),
            ("blind", "Reads go to the replica whatever its lag", K.CONDITION, C.TECHNICAL, True, False),
            ("stale", "Customers see stale data", K.EVENT, C.TECHNICAL, False, True),
            ("owner", "Backfill has no owner tag", K.CONTRIBUTING, C.ORGANISATIONAL, False, False),
        ],
        "links": [
            ("backfill", "lag"),
            ("throttle", "lag"),
            ("lag", "stale"),
            ("blind", "stale"),
            ("owner", "lag"),
        ],
    },
    "credential-abuse": {
        "match": ("credential", "leaked", "suspicious"),
        "primary": "security",
        "secondary": ["human-procedural"],
        "summary": "Automated abuse against **{service}** using credentials obtained elsewhere. Details stay in "
        "this restricted record.",
        "impact": "- {customers} accounts saw unauthorised sign-in attempts; 31 were accessed and have been reset.\n"
        "- No card data left the vault.\n- The abuse degraded sign-in latency for everyone for {duration}.",
        "narrative": "An attacker replayed a list of leaked credentials from a few thousand residential IPs. Our rate "
        "limits counted attempts per IP, so each address stayed under the limit. A second wave used an API key "
        "that had been committed to a public repository by a contractor.",
        "detection": "The per-IP rate limits never tripped: each address stayed under the limit.",
        "response": "Security took command at once. Blocking ranges at the edge helped only briefly as the source "
        "addresses rotated.",
        "recovery": "Per-account throttling and forced resets for the affected accounts stopped the attack; the "
        "exposed key was revoked.",
        "went_well": "- The security on-call joined in minutes.\n- Restricting the "
        "record kept the details need-to-know.",
        "went_wrong": "- Rate limits per IP only.\n- A long-lived API key with broad scope, in a public repository.",
        "got_lucky": "The leaked key could not read card data.",
        "surprises": "The attacker adapted to the IP blocks within minutes.",
        "lessons": "Throttle per account and per credential, and keep API keys short-lived and narrow.",
        "factors": [
            ("list", "Leaked credential list replayed from rotating IPs", K.EVENT, C.HUMAN, False, False),
            ("perip", "Rate limits count attempts per IP only", K.CONDITION, C.TECHNICAL, True, False),
            ("key", "Long-lived API key committed to a public repository", K.CONDITION, C.PROCEDURAL, True, False),
            ("access", "Accounts accessed without authorisation", K.EVENT, C.TECHNICAL, False, True),
            ("latency", "Sign-in slows for everyone", K.EVENT, C.TECHNICAL, False, True),
            (
                "scanning",
                "No scanning of public repositories for our keys",
                K.CONTRIBUTING,
                C.ORGANISATIONAL,
                False,
                False,
            ),
        ],
        "links": [
            ("list", "access"),
            ("perip", "access"),
            ("key", "access"),
            ("scanning", "key"),
            ("list", "latency"),
        ],
    },
    "near-miss": {
        "match": ("near miss",),
        "primary": "human-procedural",
        "secondary": ["infrastructure-hardware"],
        "summary": "Caught before customers noticed: {near_miss}.",
        "impact": "- No customer impact.\n- About {duration} of engineering time to make it safe.",
        "narrative": "An engineer noticed it while looking at something else: {near_miss}. The alert that should "
        "have warned us did not fire, and the check that should have stopped it was never set up for {service}.",
        "detection": "The alert that should have warned us did not fire.",
        "response": "Fixed by hand within the hour, then written up anyway: the next one may not be noticed.",
        "recovery": "Not needed: the problem was removed before it caused harm.",
        "went_well": "- The engineer raised it instead of quietly fixing it.",
        "went_wrong": "- The safeguard existed for other services but not for {service}.",
        "got_lucky": "Entirely: it was found by chance.",
        "surprises": "How close it was: hours, not days.",
        "lessons": "Near misses are free lessons; a safeguard that covers most services covers none reliably.",
        "factors": [
            ("gap", "Safeguard not set up for this service", K.CONDITION, C.PROCEDURAL, True, False),
            ("drift", "Service set up by hand, outside the template", K.CONDITION, C.ORGANISATIONAL, True, False),
            ("trend", "The dangerous state builds up for days", K.EVENT, C.TECHNICAL, False, False),
            ("noalert", "No alert fires", K.EVENT, C.TECHNICAL, False, False),
            ("chance", "Found by chance, hours before failure", K.EVENT, C.HUMAN, False, True),
        ],
        "links": [
            ("drift", "gap"),
            ("gap", "noalert"),
            ("trend", "noalert"),
            ("noalert", "chance"),
        ],
    },
    "game-day": {
        "match": ("game day",),
        "primary": "dependency-failure",
        "secondary": ["human-procedural"],
        "summary": "Planned game day on **{service}**: {experiment}. The hypothesis held only in part.",
        "impact": "- Planned and announced; error rate peaked at {pct} % in the drill window of {duration}.",
        "narrative": "Hypothesis: {service} keeps serving, degraded, through {experiment}. Cached reads worked as "
        "designed, but writes retried without back-off and the retries overloaded the remaining path for a few "
        "minutes.",
        "detection": "The team watched dashboards prepared in advance.",
        "response": "The team held to the abort criterion agreed beforehand and ran the drill to the end.",
        "recovery": "Traffic restored as scripted; everything was green 4 minutes later.",
        "went_well": "- Abort criteria agreed beforehand.\n- Reads degraded gracefully.",
        "went_wrong": "- Write retries had no back-off.\n- The runbook step for failover was out of date.",
        "got_lucky": "Nothing: this is what drills are for.",
        "surprises": "The failover runbook named a host that no longer exists.",
        "lessons": "Drill the runbook, not only the system; every retry needs back-off and a budget.",
        "factors": [
            ("drill", "Dependency removed for the drill", K.EVENT, C.TECHNICAL, False, False),
            ("retries", "Write retries without back-off", K.CONDITION, C.TECHNICAL, True, False),
            ("runbook", "Failover runbook out of date", K.CONDITION, C.PROCEDURAL, True, False),
            ("overload", "Retries overload the remaining path", K.EVENT, C.TECHNICAL, False, False),
            ("errors", "Error rate peaks at {pct} %", K.EVENT, C.TECHNICAL, False, True),
        ],
        "links": [
            ("drill", "overload"),
            ("retries", "overload"),
            ("overload", "errors"),
            ("runbook", "errors"),
        ],
    },
    "release-crash": {
        "match": ("crash", "exception"),
        "primary": "code-defect",
        "secondary": ["human-procedural"],
        "summary": "Release {version} of **{service}** threw an exception on a new code path: {pct} % of {journey} "
        "failed with an error page for {duration}, until the release was rolled back.",
        "impact": "- {pct} % of {journey} in {region} failed for {duration}.\n- {audience} saw ‘something went "
        "wrong’.\n- No data was lost: the failing requests stopped before writing anything.",
        "narrative": "{version} added a new order-summary code path to {service}. It read an optional field "
        "without checking for null. Every test fixture had the field; many production records do not, so every "
        "request that reached the new path threw a `NullPointerException`. The rollout went to 100 % without "
        "pausing to compare error rates.",
        "detection": "The canary judged the release on its first minutes of traffic, which rarely reached the new "
        "code path.",
        "response": "The error spike lined up with the end of the rollout, and the logs named the new code path "
        "within minutes. The team decided to roll back rather than fix forward.",
        "recovery": "The rollback ran through the pipeline in three batches; the error ratio was back to 0.1 % "
        "when it finished.",
        "went_well": "- The logs named the failing code path at once.\n- Rolling back was a decision, not a debate.",
        "went_wrong": "- Every test fixture had the optional field.\n- The rollout reached 100 % with no automatic "
        "check on error rate.",
        "got_lucky": "The new path failed before writing anything, so there was nothing to repair.",
        "surprises": "A large share of production records lack a field that every test fixture has.",
        "lessons": "Test with production-shaped data, and let a rollout stop itself when errors rise.",
        "factors": [
            ("path", "New code path reads an optional field without a null check", K.EVENT, C.TECHNICAL, True, False),
            ("fixtures", "Test fixtures always have the optional field", K.CONDITION, C.PROCEDURAL, False, False),
            ("rollout", "Rollout reaches 100 % without an error-rate check", K.CONDITION, C.PROCEDURAL, True, False),
            ("exception", "Requests on the new path throw NullPointerException", K.EVENT, C.TECHNICAL, False, False),
            ("errors", "Customers see an error page", K.EVENT, C.TECHNICAL, False, True),
        ],
        "links": [
            ("fixtures", "path"),
            ("path", "exception"),
            ("exception", "errors"),
            ("rollout", "errors"),
        ],
    },
    "breaking-change": {
        "match": ("contract", "breaking"),
        "primary": "code-defect",
        "secondary": ["human-procedural"],
        "summary": "Release {version} of **{service}** changed a response field that {dep} still relied on; {dep} "
        "rejected the responses and {pct} % of {journey} failed for {duration}.",
        "impact": "- {pct} % of {journey} failed for {duration}.\n- {dep} logged 400s for every affected call.\n"
        "- No data was lost; failed calls were retried after the rollback.",
        "narrative": "A serializer change in {version} turned `amount` in {service}'s responses from a number into "
        "a string. {service} considered it an internal cleanup; {dep} parses the field strictly and rejected every "
        "response carrying it. The contract test that covers {dep}'s expectations was marked as skipped in CI "
        "months ago, after it had been flaky.",
        "detection": "No contract test or canary compared the new responses with what {dep} expects.",
        "response": "{dep}'s errors named the field at once; the owners of {service} found the serializer change "
        "in `{version}` soon after and decided to roll back rather than patch {dep}.",
        "recovery": "{service} was rolled back to the previous version; {dep}'s error rate went back to zero. The "
        "change was re-released later with both formats behind a flag.",
        "went_well": "- {dep}'s error messages named the exact field.\n- The owners of both services worked in one "
        "channel.",
        "went_wrong": "- The contract test for {dep} had been skipped for months.\n- The change was not announced "
        "to the teams that call {service}.",
        "got_lucky": "{dep} rejected the responses outright instead of storing a wrong amount.",
        "surprises": "Nobody on the {service} team knew that {dep} parsed this field at all.",
        "lessons": "A response field is a promise: change it in steps, and never skip the tests that keep it.",
        "factors": [
            ("serializer", "Response field `amount` changed from number to string", K.EVENT, C.TECHNICAL, False, False),
            ("skipped", "Contract test for {dep} skipped in CI", K.CONDITION, C.PROCEDURAL, True, False),
            (
                "callers",
                "No list of who calls {service} and relies on which fields",
                K.CONDITION,
                C.ORGANISATIONAL,
                True,
                False,
            ),
            ("reject", "{dep} rejects {service} responses", K.EVENT, C.TECHNICAL, False, False),
            ("errors", "Customers' requests fail", K.EVENT, C.TECHNICAL, False, True),
        ],
        "links": [
            ("skipped", "serializer"),
            ("callers", "serializer"),
            ("serializer", "reject"),
            ("reject", "errors"),
        ],
    },
    "provider-failover": {
        "match": ("third party", "vendor"),
        "primary": "dependency-failure",
        "secondary": ["human-procedural"],
        "summary": "{provider} had an outage and answered {pct} % of **{service}**'s calls with errors; {journey} "
        "failed for {duration} until we failed over to the secondary provider.",
        "impact": "- {pct} % of {journey} failed for {duration}.\n- Customers had to retry the failed {journey} "
        "themselves.\n- No data was lost.",
        "narrative": "{provider} had elevated error rates on its side. {service} sends every request to "
        "{provider} first; a secondary provider is set up for exactly this, but failing over is a flag switched "
        "by hand, and the team waited for {provider}'s status page before switching it.",
        "detection": "{provider}'s status page said nothing for its first 12 minutes of errors.",
        "response": "Our side was quickly shown to be healthy: every failing call was a 503 from {provider}. The "
        "decision to fail over waited for {provider} to confirm the outage.",
        "recovery": "The failover flag sent new requests to the secondary provider; errors dropped to 0.3 % at once.",
        "went_well": "- The secondary provider took the full load without trouble.\n- Dashboards showed at once "
        "that the errors came from {provider}, not from us.",
        "went_wrong": "- Failover is manual and waited for the provider's status page.\n- Calls that failed before "
        "the failover were not retried for customers.",
        "got_lucky": "The contract with the secondary provider still covered our full volume.",
        "surprises": "{provider}'s status page lagged its real outage by 12 minutes.",
        "lessons": "Fail over on our own evidence, automatically, and rehearse it.",
        "factors": [
            ("outage", "{provider} returns 503 to a share of calls", K.EVENT, C.TECHNICAL, False, False),
            ("primary", "Every request goes to {provider} first", K.CONDITION, C.TECHNICAL, False, False),
            ("manual", "Failover to the secondary provider is a manual flag", K.CONDITION, C.PROCEDURAL, True, False),
            ("waited", "Failover waited for the provider's status page", K.CONTRIBUTING, C.HUMAN, False, False),
            ("noretry", "Failed calls are not retried after failover", K.CONDITION, C.TECHNICAL, True, False),
            ("errors", "Customers' requests fail with ‘try again later’", K.EVENT, C.TECHNICAL, False, True),
        ],
        "links": [
            ("outage", "errors"),
            ("primary", "errors"),
            ("manual", "waited"),
            ("waited", "errors"),
            ("noretry", "errors"),
        ],
    },
    "consumer-lag": {
        "match": ("backlog", "queue"),
        "primary": "capacity-load",
        "secondary": ["human-procedural"],
        "summary": "**{service}** fell behind on {dep}: a backlog of {backlog} messages built up and {journey} ran up "
        "to {lag} minutes late for {duration}. Nothing was lost.",
        "impact": "- {journey} were delayed by up to {lag} minutes for {duration}.\n- No message was lost; the "
        "backlog drained after the fix.",
        "narrative": "One slow {service} consumer missed its poll deadline and was removed from the group. The "
        "rebalance that followed never settled: consumers kept joining and leaving, and only 4 of 12 partitions "
        "were being consumed while messages kept arriving.",
        "detection": "Consumer lag was graphed, but nothing explained why the group kept rebalancing.",
        "response": "The partition assignments showed the rebalance loop; the poll interval was the suspect once "
        "the slow batch in the consumer logs was found.",
        "recovery": "Raising `max.poll.interval.ms` and restarting the consumers one at a time let every partition "
        "be consumed again; the backlog drained within the hour.",
        "went_well": "- Nothing was lost: the messages waited in {dep}.",
        "went_wrong": "- The poll interval was the library default, shorter than our slowest batch.\n- Restarting "
        "all consumers at once, the first instinct, made the loop worse.",
        "got_lucky": "Retention on {dep} was long enough to hold the whole backlog.",
        "surprises": "One slow batch could stop two thirds of the partitions.",
        "lessons": "Size poll intervals for the slowest batch, and alert on rebalances, not only on lag.",
        "factors": [
            ("slow", "One slow batch exceeds the poll interval", K.EVENT, C.TECHNICAL, False, False),
            ("interval", "Poll interval left at the library default", K.CONDITION, C.TECHNICAL, True, False),
            ("loop", "Consumer group rebalances in a loop", K.EVENT, C.TECHNICAL, False, False),
            ("partitions", "Only 4 of 12 partitions consumed", K.EVENT, C.TECHNICAL, False, False),
            ("late", "{journey} run late", K.EVENT, C.TECHNICAL, False, True),
            ("rebalances", "No alert on rebalances", K.CONDITION, C.PROCEDURAL, True, False),
        ],
        "links": [
            ("slow", "loop"),
            ("interval", "loop"),
            ("loop", "partitions"),
            ("partitions", "late"),
            ("rebalances", "late"),
        ],
    },
}

# Chart factors added when people, not an alert, found the problem.
UNALERTED = {
    source: [
        ("_noalert", "No alert covers this failure", K.CONDITION, C.TECHNICAL, False, False),
        ("_late", f"Detected late, by {who}", K.EVENT, C.PROCEDURAL, False, True),
    ]
    for source, who in ((DetectionSource.CUSTOMER, "a customer report"), (DetectionSource.EMPLOYEE, "an engineer"))
}

DRAFT_SECTIONS = {
    "summary": "Draft: {title}. Still collecting the timeline and numbers.",
    "narrative": "To be written after the review meeting.",
}


# The scenario each generated incident's cause (or cause and symptom) tells; other titles match by keyword.
SCENARIO_FOR_CAUSE = {
    "deploy": "release-defect",
    ("deploy", "errors after deploying {version}"): "release-crash",
    ("deploy", "{version} broke requests"): "breaking-change",
    "config": "config-push",
    "capacity": "capacity-ceiling",
    ("capacity", "connection pool exhausted"): "connection-pool",
    ("capacity", "queue backlog growing"): "consumer-lag",
    "dependency": "dependency-timeout",
    "database": "migration-lock",
    ("database", "disk full on primary"): "disk-full",
    ("database", "replication lag over 5 minutes"): "replication-lag",
    "certificate": "certificate-expiry",
    "provider": "zone-network",
    ("provider", "third-party API returning errors"): "provider-failover",
    "security": "credential-abuse",
    "near_miss": "near-miss",
    "game_day": "game-day",
}
# Titles the incident generator did not write fall back to the original, everyday scenarios.
FALLBACK_SCENARIOS = [
    "config-push",
    "connection-pool",
    "certificate-expiry",
    "release-defect",
    "zone-network",
    "dependency-timeout",
]
NEAR_MISSES = {
    "near miss: nearly ran out of disk": "the data volume of {service} was at 96 % and filling 2 % an hour",
    "near miss: certificate about to expire": "the TLS certificate of {service} had three days left and its "
    "automatic renewal had been failing for a month",
    "near miss: wrong region": "a scheduled export from {service} was about to write EU customer data to a "
    "bucket in us-east",
}
EXPERIMENTS = {
    "game day: lose {dep}": "losing {dep} for 20 minutes",
    "game day: region failover drill": "failing over from {region} to its paired region",
    "game day: kill the primary": "killing the primary database node behind it",
}
