"""The demo organisation's playbooks and runbooks: what its teams wrote down after their incidents.

Each entry is keyed by slug. `from_symptom` names the demo incident symptom (see
`demo.incident_stories`) whose latest published review the playbook was written from; a step's
`Why: {incident}` names the latest incident of that symptom on one of the playbook's services (the
sentence is dropped when there is none). `feedback` lists outcomes of uses in that symptom's
incidents, newest first. `reviewed_days_ago` past `interval` makes a playbook stale.
"""

STEPS_ROLLBACK = """Roll back first, investigate after: a bad release is the commonest cause of errors right after a deploy.

1. Confirm the error rate rose within minutes of the rollout finishing:
   ```
   kubectl -n {service} rollout history deployment/{service}
   ```
   Why: in {incident} we spent twenty minutes reading logs while the fix was one command away.
2. Roll back to the previous revision:
   ```
   kubectl -n {service} rollout undo deployment/{service}
   ```
3. Watch the 5xx ratio on the {service} dashboard for five minutes; it should fall below 0.5 %.
4. Freeze further deploys of {service} in the pipeline until the review names the cause.
"""

STEPS_SCALE = """Add capacity before tuning: tuning under load makes it worse.

1. Check the saturation panel: CPU above 85 % on most pods, or request queue time rising.
2. Scale out:
   ```
   kubectl -n {service} scale deployment/{service} --replicas=$(( $(kubectl -n {service} get deployment/{service} -o jsonpath='{.spec.replicas}') * 2 ))
   ```
   Why: in {incident} the autoscaler's ceiling was the bottleneck; doubling by hand bought the time to raise it.
3. Raise the HorizontalPodAutoscaler's `maxReplicas` if it is pinned at the ceiling.
4. Once p99 is back under 500 ms, note the peak request rate in the incident for capacity planning.
"""

CUSTOM = {
    "connection-pool-exhausted": {
        "kind": "runbook",
        "title": "Database connection pool exhausted",
        "team": "platform",
        "services": ["postgres-main", "payments-api", "checkout-api"],
        "classes": ["capacity-load"],
        "alert_names": ["PgBouncerPoolSaturated", "PostgresTooManyConnections"],
        "symptoms": [
            "requests time out waiting for a database connection",
            "FATAL: sorry, too many clients already",
            "p99 latency jumps while CPU stays low",
        ],
        "summary": "Find who holds the connections before raising the pool size: a bigger pool hides a leak.",
        "suspects": "- A deploy that stopped returning connections (a leak)\n- Long transactions holding connections idle\n- A traffic spike beyond the pool's size",
        "validation": "`SHOW POOLS;` on pgbouncer: many `cl_waiting` with `sv_active` at the limit means the pool is full. Check `pg_stat_activity` for `idle in transaction` sessions older than a minute before changing anything.",
        "warnings": "Do **not** restart pgbouncer while payments are in flight: every open transaction is dropped and card authorisations are lost.",
        "body": """Work from the pooler inwards.

1. Look at the pools on pgbouncer:
   ```
   psql -h pgbouncer.internal -p 6432 -U admin pgbouncer -c 'SHOW POOLS;'
   ```
   Why: restarting pgbouncer in {incident} dropped every in-flight payment.
2. Find sessions idle in a transaction:
   ```
   SELECT pid, usename, application_name, now() - xact_start AS age FROM pg_stat_activity WHERE state = 'idle in transaction' ORDER BY age DESC;
   ```
3. Terminate the ones older than five minutes:
   ```
   SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' AND now() - xact_start > interval '5 minutes';
   ```
4. If the pool is full of *active* queries, raise `default_pool_size` by 25 % and reload pgbouncer (`RELOAD;`, not a restart).
5. Record in the incident which application held the connections.
""",
        "from_symptom": "connection pool exhausted",
        "feedback": ["helped", "helped", "used"],
    },
    "tls-certificate-expired": {
        "kind": "runbook",
        "title": "Rotate an expired TLS certificate",
        "team": "platform",
        "services": ["edge-gateway"],
        "classes": ["certificate-secret-expiry"],
        "alert_names": ["CertificateExpiringSoon", "CertificateExpired", "ProbeSSLHandshakeFailed"],
        "symptoms": [
            "browsers show NET::ERR_CERT_DATE_INVALID",
            "clients fail the TLS handshake",
            "certificate expired",
        ],
        "summary": "Renew through cert-manager and roll the ingress; never upload a certificate by hand.",
        "suspects": "- cert-manager's ACME order failing (DNS challenge, rate limit)\n- A certificate issued by hand, outside cert-manager",
        "validation": "`kubectl -n ingress get certificate` shows `READY False`; `openssl s_client -connect shop.example.com:443 -servername shop.example.com </dev/null | openssl x509 -noout -enddate` shows the past date.",
        "warnings": "Do not delete the Secret before the new certificate is issued: the ingress then serves its default certificate to everyone.",
        "body": """1. See which certificate failed and why:
   ```
   kubectl -n ingress describe certificate shop-example-com
   ```
   Why: in {incident} the order had been failing for three weeks on a DNS challenge nobody watched.
2. Delete the failed order so cert-manager retries:
   ```
   kubectl -n ingress delete order -l cert-manager.io/certificate-name=shop-example-com
   ```
3. Wait for `READY True`, then restart the ingress pods one at a time:
   ```
   kubectl -n ingress rollout restart deployment/edge-gateway
   ```
4. Confirm the new expiry date with `openssl s_client` from outside the cluster.
""",
        "from_symptom": "TLS certificate expired",
        "feedback": ["helped"],
    },
    "mtls-handshake-failures": {
        "kind": "playbook",
        "title": "Mutual TLS handshakes failing between services",
        "team": "platform",
        "services": ["payments-api", "card-vault", "auth-api"],
        "classes": ["certificate-secret-expiry", "configuration-change"],
        "alert_names": ["MTLSHandshakeErrors"],
        "symptoms": [
            "tls: bad certificate",
            "certificate signed by unknown authority",
            "only calls between two services fail",
        ],
        "summary": "If only one service pair fails, suspect its client certificate or a CA bundle change, not the network.",
        "suspects": "- A client certificate that expired (they live 30 days)\n- A CA bundle rotated on one side only\n- A sidecar that did not reload its certificates",
        "validation": "Compare `notAfter` of the client certificate in the caller's secret with now, and the issuer with the callee's trusted bundle.",
        "warnings": "Do not switch the pair to plain TLS to get traffic flowing: card data must never cross the network unauthenticated.",
        "body": """1. Read the caller's client certificate dates:
   ```
   kubectl -n payments get secret payments-api-mtls -o jsonpath='{.data.tls\\.crt}' | base64 -d | openssl x509 -noout -dates -issuer
   ```
   Why: {incident} was a client certificate that expired on a Sunday.
2. If it expired, trigger renewal with `cmctl renew -n payments payments-api-mtls`.
3. Restart the caller's pods so the sidecar loads the new certificate.
""",
        "from_symptom": "mTLS handshakes failing",
    },
    "kafka-consumer-lag": {
        "kind": "playbook",
        "title": "Event consumers falling behind (Kafka lag)",
        "team": "data",
        "services": ["events-pipeline", "kafka", "warehouse-loader"],
        "classes": ["capacity-load"],
        "alert_names": ["KafkaConsumerLagHigh"],
        "symptoms": ["events arrive late", "dashboards show yesterday's numbers", "consumer group lag keeps growing"],
        "summary": "Suspect a slow consumer or a rebalance storm before adding partitions.",
        "suspects": "- One slow consumer (a poison message, a slow downstream write)\n- Rebalance storms from consumers that time out\n- A genuine traffic spike",
        "validation": "`kafka-consumer-groups --describe` shows lag on *all* partitions (capacity) or on one (a stuck consumer).",
        "warnings": "Do not restart all consumers at once: the rebalance stops every partition and the lag grows faster.",
        "body": """1. Describe the consumer group:
   ```
   kafka-consumer-groups --bootstrap-server kafka:9092 --describe --group warehouse-loader
   ```
2. If one partition lags, find its consumer's pod and read its last error; skip a poison message only with the data team's agreement.
   Why: in {incident} one malformed event stopped a partition for four hours.
3. If all partitions lag, scale consumers up to the partition count, not beyond.
""",
        "from_symptom": "queue backlog growing",
        "feedback": ["helped", "did_not_help"],
    },
    "disk-full-primary": {
        "kind": "runbook",
        "title": "Disk full on the database primary",
        "team": "platform",
        "services": ["postgres-main"],
        "classes": ["capacity-load", "infrastructure-hardware"],
        "alert_names": ["NodeFilesystemAlmostFull", "PostgresWALArchiveFailing"],
        "symptoms": ["could not extend file: No space left on device", "writes refused", "WAL directory growing"],
        "summary": "Usually the WAL archive stopped shipping. Never delete WAL files by hand.",
        "suspects": "- `archive_command` failing (credentials, bucket permissions)\n- A replication slot held by a dead replica\n- Old base backups on the same volume",
        "validation": "`SELECT * FROM pg_stat_archiver;` shows `failed_count` rising; `SELECT slot_name, active FROM pg_replication_slots;` shows an inactive slot.",
        "warnings": "Never `rm` files in `pg_wal`: the cluster will not start again.",
        "body": """1. Check the archiver:
   ```
   psql -c 'SELECT archived_count, failed_count, last_failed_wal, last_failed_time FROM pg_stat_archiver;'
   ```
   Why: {incident} was an expired bucket credential; WAL piled up for two days.
2. Drop a replication slot only if its replica is gone for good:
   ```
   SELECT pg_drop_replication_slot('replica_3');
   ```
3. Grow the volume online if the archive cannot be fixed within the hour.
""",
        "from_symptom": "disk full on primary",
    },
    "replication-lag": {
        "kind": "playbook",
        "title": "Read replicas lagging behind the primary",
        "team": "platform",
        "services": ["postgres-main", "reporting"],
        "classes": ["capacity-load"],
        "alert_names": ["PostgresReplicationLagHigh"],
        "symptoms": ["reports show stale numbers", "replica lag over 5 minutes", "users see old data after saving"],
        "summary": "A long query on the replica or a write burst on the primary; move reads to the primary only as a last resort.",
        "suspects": "- A long analytical query holding back replay (`hot_standby_feedback`)\n- A bulk write (backfill, migration) on the primary",
        "validation": "`SELECT now() - pg_last_xact_replay_timestamp();` on the replica; `pg_stat_activity` there for queries older than the lag.",
        "warnings": "Moving all reads to the primary during a write burst can overload it: do it per service, not globally.",
        "body": """1. Measure the lag on each replica.
2. Cancel analytical queries older than the lag on the lagging replica:
   ```
   SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE backend_type = 'client backend' AND now() - query_start > interval '10 minutes';
   ```
   Why: {incident} was a finance report running for three hours.
3. Pause backfills until the lag is under a minute.
""",
        "from_symptom": "replication lag over 5 minutes",
        "feedback": ["helped"],
    },
    "slow-queries-lock-contention": {
        "kind": "playbook",
        "title": "Slow queries and lock contention",
        "team": "platform",
        "services": ["postgres-main", "ledger"],
        "classes": ["data-schema-change", "code-defect"],
        "alert_names": ["PostgresLockWaitsHigh"],
        "symptoms": ["queries waiting on locks", "migration running during peak", "timeouts on one table only"],
        "summary": "Find the blocking session before killing anything; it is usually a migration or a forgotten transaction.",
        "suspects": "- A schema migration taking an ACCESS EXCLUSIVE lock\n- A batch job updating many rows in one transaction",
        "validation": "`SELECT pid, pg_blocking_pids(pid), query FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0;`",
        "warnings": "Killing a migration half-way can leave a table locked until rollback finishes: ask its author first.",
        "body": """1. List blocked sessions and who blocks them (query above).
2. Cancel the blocker (cancel, not terminate, first):
   ```
   SELECT pg_cancel_backend(<blocking pid>);
   ```
   Why: in {incident} an index was built without CONCURRENTLY at noon.
3. Re-run the migration with `lock_timeout = '5s'` outside peak.
""",
        "from_symptom": "slow queries and lock contention",
    },
    "redis-evictions": {
        "kind": "runbook",
        "title": "Redis evicting keys (cache hit ratio falls)",
        "team": "platform",
        "services": ["redis-cache"],
        "classes": ["capacity-load"],
        "alert_names": ["RedisEvictionsHigh", "RedisMemoryHigh"],
        "symptoms": ["cache hit ratio drops", "latency spikes across many services", "evicted_keys rising"],
        "summary": "maxmemory reached: find the big keys before raising the limit.",
        "suspects": "- A new feature caching large values without a TTL\n- A key-space explosion (per-request keys)",
        "validation": "`redis-cli INFO memory` and `INFO stats` (`evicted_keys`); `redis-cli --bigkeys` on a replica.",
        "warnings": 'Do not FLUSHALL to "reset" the cache: every service then hits the database at once (a thundering herd).',
        "body": """1. Check memory and evictions:
   ```
   redis-cli -h redis-cache INFO memory | grep used_memory_human
   ```
2. Find the biggest keys on a replica:
   ```
   redis-cli -h redis-cache-replica --bigkeys
   ```
3. Raise `maxmemory` by a quarter only if no single prefix dominates.
""",
        "feedback": ["used"],
    },
    "dns-resolution-failures": {
        "kind": "runbook",
        "title": "DNS resolution failures inside the cluster",
        "team": "platform",
        "services": ["dns"],
        "classes": ["network"],
        "alert_names": ["CoreDNSErrorsHigh"],
        "symptoms": ["NXDOMAIN for internal names", "intermittent lookup timeouts", "errors across unrelated services"],
        "summary": "CoreDNS overloaded or its upstream unreachable; look at conntrack before scaling.",
        "suspects": "- CoreDNS pods CPU-throttled\n- conntrack table full on nodes\n- `ndots:5` multiplying lookups",
        "validation": "`kubectl -n kube-system top pods -l k8s-app=kube-dns`; `conntrack -S` on a node for `insert_failed`.",
        "warnings": "",
        "body": """1. Scale CoreDNS:
   ```
   kubectl -n kube-system scale deployment/coredns --replicas=6
   ```
2. Check conntrack on the busiest nodes; raise `nf_conntrack_max` if `insert_failed` grows.
3. Set `ndots: 2` on the noisiest deployment's `dnsConfig`.
""",
    },
    "provider-outage": {
        "kind": "playbook",
        "title": "Payment provider degraded or down",
        "team": "payments",
        "services": ["payments-api"],
        "classes": ["dependency-failure"],
        "alert_names": ["PaymentProviderLatencyHigh", "PaymentProviderErrorRateHigh"],
        "symptoms": ["card authorisations slow or failing", "checkout conversion falls", "provider status page amber"],
        "summary": "Switch to the secondary acquirer when the primary is degraded for more than five minutes.",
        "suspects": "- The acquirer's own outage (check their status page)\n- Our egress (NAT gateway) dropping connections",
        "validation": "Authorisation success rate by acquirer on the payments dashboard; a test authorisation from a pod with `curl`.",
        "warnings": "Switching acquirers mid-batch can double-capture: wait for the capture job to finish.",
        "body": """1. Confirm on the provider's status page and in our per-acquirer success rate.
2. Flip the acquirer flag:
   ```
   flagctl set payments.primary_acquirer secondary --reason "primary degraded"
   ```
   Why: in {incident} we waited for the provider for forty minutes; the secondary was healthy all along.
3. Post in #payments-status and tell support which card brands are affected.
""",
        "from_symptom": "upstream provider outage in {region}",
        "feedback": ["helped", "helped"],
    },
    "third-party-api-errors": {
        "kind": "playbook",
        "title": "Third-party API returning errors or rate limiting us",
        "team": "checkout",
        "services": ["checkout-api", "pricing", "notifications"],
        "classes": ["dependency-failure"],
        "alert_names": ["UpstreamHTTP429", "UpstreamErrorRateHigh"],
        "symptoms": ["HTTP 429 too many requests", "quota exceeded", "retries multiplying traffic"],
        "summary": "Back off and queue instead of retrying immediately: retries make it worse.",
        "suspects": "- Our retry policy amplifying a small outage\n- A quota change on the provider's side",
        "validation": "Compare our request rate to the provider with the quota in their console; look for retry storms in the client metrics.",
        "warnings": "",
        "body": """1. Open the circuit breaker for the provider:
   ```
   flagctl set checkout.tax_provider.circuit open
   ```
2. Lower the retry budget to one retry with jitter.
3. Ask the provider for a temporary quota raise if the spike is ours and legitimate.
""",
        "from_symptom": "third-party API returning errors",
    },
    "credential-stuffing": {
        "kind": "playbook",
        "title": "Credential-stuffing attack on sign-in",
        "team": "identity",
        "services": ["auth-api", "edge-gateway"],
        "classes": ["security"],
        "alert_names": ["LoginFailureRateHigh"],
        "symptoms": ["failed logins from many IPs", "login success ratio collapses", "account lockouts spike"],
        "summary": "Rate-limit by credential, not only by IP; involve security before blocking ranges.",
        "suspects": "- A credential list from another site's breach\n- A bot using residential proxies",
        "validation": "Failed logins per distinct username and per ASN on the identity dashboard.",
        "warnings": "Blocking whole countries locks out real customers: use the challenge page first.",
        "body": """1. Turn on the login challenge for unknown devices:
   ```
   flagctl set auth.login_challenge on --reason "credential stuffing"
   ```
2. Open a security incident and restrict it to the security team.
3. Force password resets for accounts with successful logins from the attacking ASNs.
""",
        "from_symptom": "credential-stuffing attack",
    },
    "feature-flag-misfire": {
        "kind": "runbook",
        "title": "A feature flag misfired",
        "team": "checkout",
        "services": ["checkout-api", "promotions", "pricing"],
        "classes": ["configuration-change"],
        "alert_names": [],
        "symptoms": [
            "errors right after a flag change",
            "only some customers affected",
            "wrong prices or discounts shown",
        ],
        "summary": "Turn the flag off first; the flag's audit log says who changed it and when.",
        "suspects": "- A flag turned on for 100 % instead of a percentage\n- A flag whose code path was never deployed",
        "validation": "`flagctl log --since 2h` lists changes; correlate with the error graph.",
        "warnings": "",
        "body": """1. List recent flag changes:
   ```
   flagctl log --since 2h
   ```
2. Turn the suspect flag off:
   ```
   flagctl set <flag> off --reason "incident"
   ```
   Why: {incident} took thirty minutes because nobody thought of flags as changes.
3. Tell the flag's owner; leave it off until the review.
""",
        "from_symptom": "feature flag misfire",
        "feedback": ["helped"],
    },
    "rate-limits-too-strict": {
        "kind": "runbook",
        "title": "Rate limits too strict after a configuration change",
        "team": "platform",
        "services": ["edge-gateway"],
        "classes": ["configuration-change"],
        "alert_names": ["EdgeRateLimitedRequestsHigh"],
        "symptoms": [
            "HTTP 429 from our own edge",
            "legitimate customers rate limited",
            "errors right after a config push",
        ],
        "summary": "Roll back the gateway configuration; then fix the limit with a canary.",
        "suspects": "- A limit written per minute instead of per second\n- A limit applied per region instead of per client",
        "validation": "The edge dashboard's 429 panel by route; `git log` of the gateway configuration repository.",
        "warnings": "",
        "body": """1. Roll back the last gateway configuration:
   ```
   gatewayctl config rollback --to previous
   ```
   Why: {incident} was a per-minute limit typed as per-second.
2. Re-apply the intended change to one region first.
""",
        "from_symptom": "rate limits too strict after config change",
    },
    "bad-config-push": {
        "kind": "playbook",
        "title": "Errors after a configuration push",
        "team": "platform",
        "services": ["edge-gateway", "auth-api", "checkout-api"],
        "classes": ["configuration-change"],
        "alert_names": ["ConfigReloadFailed"],
        "symptoms": ["errors right after a config change", "pods crash-looping on start", "config reload failed"],
        "summary": "Configuration is code: roll it back like a release, then find what validation missed.",
        "suspects": "- A value that passed the schema but means something else (units, regions)\n- A secret reference that does not exist in one environment",
        "validation": "The config repository's last merge time against the error graph; pod logs for `config` errors.",
        "warnings": "",
        "body": """1. Revert the configuration commit and let the pipeline apply it.
2. If the pipeline is blocked, apply the previous ConfigMap by hand:
   ```
   kubectl -n <namespace> apply -f previous-config.yaml
   ```
   Why: in {incident} the pipeline itself read the broken configuration.
3. Add the failing value to the config schema's tests.
""",
        "from_symptom": "bad configuration push",
        "feedback": ["helped", "did_not_help"],
    },
    "cpu-saturation-peak": {
        "kind": "playbook",
        "title": "CPU saturation at peak traffic",
        "team": "checkout",
        "services": ["checkout-api", "pricing", "search-api"],
        "classes": ["capacity-load"],
        "alert_names": ["KubePodCPUThrottlingHigh"],
        "symptoms": ["p99 latency above 2 s at peak", "CPU throttling", "autoscaler at max replicas"],
        "summary": "Scale out now, find the expensive endpoint later.",
        "suspects": "- The autoscaler's ceiling\n- A new expensive endpoint (N+1 queries, regex)",
        "validation": "CPU per pod against its limit; the autoscaler's current vs maximum replicas.",
        "warnings": "",
        "body": STEPS_SCALE,
        "from_symptom": "CPU saturation at peak",
    },
    "latency-p99": {
        "kind": "playbook",
        "title": "p99 latency above 2 seconds",
        "team": "platform",
        "services": ["edge-gateway", "checkout-api", "search-api"],
        "classes": ["capacity-load", "dependency-failure"],
        "alert_names": ["HighRequestLatencyP99"],
        "symptoms": ["p99 latency above 2 s", "pages slow but not failing", "timeouts at the edge"],
        "summary": "Slow is usually a dependency: follow the trace to the slowest span before scaling anything.",
        "suspects": "- A slow dependency (database, cache, provider)\n- Garbage-collection pauses after a memory change",
        "validation": "Open a slow trace from the exemplar on the latency graph; the slowest span names the suspect.",
        "warnings": "",
        "body": """1. Open an exemplar trace from the p99 panel.
2. If the slowest span is the database, go to *Slow queries and lock contention*; if it is Redis, *Redis evicting keys*.
3. If the service itself is slow, compare GC pause time before and after the last deploy.
""",
        "from_symptom": "p99 latency above 2 s",
        "feedback": ["helped"],
    },
    "dependency-timeouts": {
        "kind": "playbook",
        "title": "Timeouts calling a dependency",
        "team": "platform",
        "services": ["checkout-api", "payments-api", "search-api", "auth-api"],
        "classes": ["dependency-failure"],
        "alert_names": ["UpstreamTimeoutsHigh"],
        "symptoms": ["context deadline exceeded", "timeouts calling a dependency", "cascading failures"],
        "summary": "Protect yourself first (timeouts, circuit breaker), then help the dependency.",
        "suspects": "- The dependency is overloaded\n- Our timeouts are longer than our callers' (retries pile up)",
        "validation": "The dependency's own dashboard; our client's timeout and retry settings.",
        "warnings": "Raising timeouts during an outage ties up more threads: lower them instead.",
        "body": """1. Check the dependency's dashboard and its on-call channel.
2. Open the circuit breaker for non-essential calls:
   ```
   flagctl set <service>.degraded_mode on
   ```
   Why: {incident} cascaded because every caller waited 30 seconds.
3. Shed non-critical traffic (recommendations, promotions) at the edge.
""",
        "from_symptom": "timeouts calling {dep}",
    },
    "leaked-api-key": {
        "kind": "runbook",
        "title": "An API key leaked",
        "team": "identity",
        "services": ["auth-api"],
        "classes": ["security"],
        "alert_names": ["APIKeyUsedFromNewASN"],
        "symptoms": ["API key used from unknown IPs", "key found in a public repository"],
        "summary": "Revoke first, then find what the key touched. Keep the incident restricted.",
        "suspects": "",
        "validation": "The key's last-used IPs in the admin console.",
        "warnings": "Do not discuss the key's scope in public channels.",
        "body": """1. Revoke the key:
   ```
   authctl keys revoke <key id> --reason "leaked"
   ```
2. Restrict the incident to the security team.
3. Export the key's access log for the last 30 days for the security review.
""",
        "from_symptom": "leaked API key used from unknown IPs",
    },
    "region-failover": {
        "kind": "runbook",
        "title": "Fail over a region",
        "team": "platform",
        "services": ["edge-gateway", "dns"],
        "classes": ["infrastructure-hardware", "network"],
        "alert_names": ["RegionUnavailable"],
        "symptoms": ["a whole region unreachable", "cloud provider incident in one region"],
        "summary": "Drain the region at the edge, then at DNS; rehearsed each quarter on a game day.",
        "suspects": "",
        "validation": "Probes from outside the provider fail for every service in the region.",
        "warnings": "Check the other region has capacity for double the traffic before draining.",
        "body": """1. Drain the region at the edge:
   ```
   gatewayctl region drain eu-west --reason "region failover"
   ```
   Why: the game day {incident} showed DNS alone takes 20 minutes to move clients.
2. Lower the DNS weight of the region to 0.
3. Watch the surviving region's saturation; scale it out.
""",
        "from_symptom": "game day: region failover drill",
        "reviewed_days_ago": 400,
        "interval": 180,
    },
    "primary-failover": {
        "kind": "runbook",
        "title": "Promote a database replica after losing the primary",
        "team": "platform",
        "services": ["postgres-main"],
        "classes": ["infrastructure-hardware"],
        "alert_names": ["PostgresPrimaryDown"],
        "symptoms": ["primary unreachable", "all writes failing"],
        "summary": "Patroni promotes automatically; step in only if it has not within two minutes.",
        "suspects": "",
        "validation": "`patronictl list` shows no leader.",
        "warnings": "Never promote by hand while the old primary might still accept writes: fence it first.",
        "body": """1. Check the cluster:
   ```
   patronictl -c /etc/patroni.yml list
   ```
2. Fence the old primary (stop its VM) before promoting.
3. Promote the most up-to-date replica:
   ```
   patronictl -c /etc/patroni.yml failover --candidate pg-2
   ```
   Why: in the game day {incident} a manual promotion without fencing gave us two primaries for a minute.
""",
        "from_symptom": "game day: kill the primary",
        "reviewed_days_ago": 300,
        "interval": 90,
    },
    "health-checks-failing": {
        "kind": "runbook",
        "title": "Load balancer marks every backend down",
        "team": "platform",
        "services": ["edge-gateway", "checkout-api"],
        "classes": ["dependency-failure", "configuration-change"],
        "alert_names": ["TargetUnhealthy"],
        "symptoms": ["502 bad gateway", "all backends marked down at once", "health checks failing"],
        "summary": "When every backend fails its health check at once, suspect the check itself: a deep check takes the fleet out with its dependency.",
        "suspects": "- A health endpoint that queries the database or a cache\n- A changed health-check path or port",
        "validation": "`curl -sS -o /dev/null -w '%{http_code} %{time_total}' http://<pod ip>:8080/healthz` from a node; compare with the load balancer's timeout.",
        "warnings": "Do not disable health checks entirely: a dead pod then keeps receiving traffic.",
        "body": """1. Call the health endpoint of one pod directly and time it.
2. Point the load balancer at the shallow check:
   ```
   gatewayctl backends set-health-path checkout-api /healthz
   ```
   Why: in {incident} a slow database made `/readyz` time out on every pod at once.
3. Keep `/readyz` for the orchestrator only.
""",
        "from_symptom": "cascading failures from {dep}",
    },
    "near-miss-certificate": {
        "kind": "runbook",
        "title": "A certificate is about to expire",
        "team": "platform",
        "services": ["edge-gateway", "card-vault"],
        "classes": ["certificate-secret-expiry"],
        "alert_names": ["CertificateExpiringIn7Days"],
        "symptoms": ["certificate expires within a week"],
        "summary": "Renew now, then find why automation did not.",
        "suspects": "",
        "validation": "",
        "warnings": "",
        "body": """1. Renew with cert-manager:
   ```
   cmctl renew -n ingress shop-example-com
   ```
2. File an action to bring the certificate under automation if it was issued by hand.
""",
        "from_symptom": "near miss: certificate about to expire",
    },
}

# Per-service runbooks every team keeps for its tier-1 services.
ROLLBACK_SERVICES = [
    "edge-gateway",
    "auth-api",
    "checkout-api",
    "pricing",
    "payments-api",
    "ledger",
    "card-vault",
    "search-api",
    "catalog",
]
SCALE_SERVICES = [
    "checkout-api",
    "search-api",
    "payments-api",
    "auth-api",
    "pricing",
    "recommendations",
    "indexer",
    "fraud-scoring",
]


def rollback_runbook(service, name, team):
    return {
        "kind": "runbook",
        "title": f"Roll back a bad {name} release",
        "team": team,
        "services": [service],
        "classes": ["code-defect"],
        "alert_names": [f"{name.replace(' ', '')}HighErrorRate"],
        "symptoms": [f"{name} errors after a deploy", "5xx ratio above 5 %"],
        "summary": f"Errors on {name} right after a release: roll back first, investigate after.",
        "suspects": "- The release that just finished\n- A migration that shipped with it",
        "validation": "The error rate rose within minutes of the rollout finishing (deploy markers on the dashboard).",
        "warnings": "If the release ran a migration, check the previous version can read the new schema before rolling back.",
        "body": STEPS_ROLLBACK.replace("{service}", service),
        "from_symptom": "errors after deploying {version}",
    }


def scale_runbook(service, name, team):
    return {
        "kind": "runbook",
        "title": f"Scale out {name} under load",
        "team": team,
        "services": [service],
        "classes": ["capacity-load"],
        "alert_names": [],
        "symptoms": [f"{name} latency rising with traffic", "CPU above 85 %"],
        "summary": f"{name} is saturated: add replicas now, tune later.",
        "suspects": "",
        "validation": "CPU above 85 % on most pods and the autoscaler at its ceiling.",
        "warnings": "",
        "body": STEPS_SCALE.replace("{service}", service),
        "from_symptom": "CPU saturation at peak",
    }
