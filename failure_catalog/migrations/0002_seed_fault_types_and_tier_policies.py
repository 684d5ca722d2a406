"""Seed the common fault types and a default policy per tier. Existing rows (by slug / tier) are left as people edited them."""

from django.db import migrations

# slug: (name, category, description, how to inject, root-cause class slugs that point to it)
FAULT_TYPES = {
    "instance-loss": ("Instance loss", "infrastructure", "One instance, pod or VM of the service disappears.",
                      "Kill a pod (`kubectl delete pod`), LitmusChaos pod-delete, terminate a VM.",
                      ["infrastructure-hardware"]),
    "availability-zone-loss": ("Availability-zone loss", "infrastructure",
                               "Every instance in one availability zone becomes unreachable.",
                               "Drain or cordon every node in a zone; block the zone's subnets.",
                               ["infrastructure-hardware"]),
    "region-loss": ("Region loss", "infrastructure", "A whole region is lost; traffic must fail over.",
                    "Fail traffic over at the global load balancer; block the region's endpoints.",
                    ["infrastructure-hardware"]),
    "dependency-latency": ("Dependency latency", "dependency", "A dependency answers, but slowly.",
                           "Toxiproxy latency toxic; LitmusChaos pod-network-latency; `tc qdisc … netem delay`.",
                           ["dependency-failure"]),
    "dependency-errors": ("Dependency errors", "dependency", "A dependency answers with errors (5xx, exceptions).",
                          "Fault injection in the service mesh (HTTP abort); a stub returning 503.",
                          ["dependency-failure"]),
    "dependency-unavailable": ("Dependency unavailable", "dependency", "A dependency does not answer at all.",
                               "Scale the dependency to zero; block its port with a network policy.",
                               ["dependency-failure"]),
    "dns-failure": ("DNS failure", "network", "Names do not resolve, or resolve wrongly.",
                    "LitmusChaos pod-dns-error; point the resolver at a black hole.", ["network"]),
    "network-partition": ("Network partition", "network", "Two parts of the system cannot reach each other.",
                          "LitmusChaos pod-network-partition; iptables DROP between the two sides.", ["network"]),
    "packet-loss": ("Packet loss", "network", "A share of packets is dropped.",
                    "LitmusChaos pod-network-loss; `tc qdisc … netem loss 10%`.", ["network"]),
    "clock-skew": ("Clock skew", "time", "An instance's clock drifts from the others.",
                   "LitmusChaos time-chaos; libfaketime on one instance.", ["time-clock"]),
    "certificate-expiry": ("Certificate expiry", "security", "A certificate or secret the service uses has expired.",
                           "Serve an expired certificate from a test endpoint; rotate a secret without its users.",
                           ["certificate-secret-expiry"]),
    "disk-full": ("Disk full", "capacity", "A volume the service writes to fills up.",
                  "LitmusChaos disk-fill; `fallocate` a large file.", ["capacity-load", "infrastructure-hardware"]),
    "disk-io-degradation": ("Disk I/O degradation", "infrastructure", "Disk reads and writes become slow.",
                            "LitmusChaos pod-io-stress; `stress-ng --io`.", ["infrastructure-hardware"]),
    "memory-pressure": ("Memory pressure", "capacity", "Memory runs short; the service nears its limit.",
                        "LitmusChaos pod-memory-hog; `stress-ng --vm`.", ["capacity-load"]),
    "memory-leak-soak": ("Memory leak (soak)", "capacity",
                         "Memory grows over hours of normal load until something gives: found by a soak test.",
                         "Run steady production-like load for hours and watch memory and restarts.",
                         ["capacity-load", "code-defect"]),
    "cpu-saturation": ("CPU saturation", "capacity", "CPU is exhausted on the service's instances.",
                       "LitmusChaos pod-cpu-hog; `stress-ng --cpu`.", ["capacity-load"]),
    "cache-loss": ("Cache loss (cold cache)", "data", "The cache is emptied; every request falls through to the source.",
                   "Flush the cache (`FLUSHALL`), or restart the cache cluster.", ["dependency-failure", "capacity-load"]),
    "database-failover": ("Database failover", "data", "The primary database fails over to a replica.",
                          "Trigger a managed failover; kill the primary.", ["dependency-failure", "infrastructure-hardware"]),
    "traffic-spike": ("Traffic spike", "capacity", "Demand jumps far above the usual peak.",
                      "Replay production traffic at several times the rate (k6, Locust).", ["capacity-load"]),
    "bad-configuration-push": ("Bad configuration push", "configuration",
                               "A configuration or feature-flag change with a wrong value reaches the service.",
                               "Push a known-bad value to a canary; flip a flag to an invalid state.",
                               ["configuration-change"]),
    "bad-deploy": ("Bad deploy", "configuration", "A version that fails is deployed; it must be caught and rolled back.",
                   "Deploy a build that fails health checks to a canary.", ["code-defect", "change"]),
}

TIER_POLICIES = {
    # tier: (required fault types, max age days, on version, effects per condition)
    1: (["instance-loss", "availability-zone-loss", "dependency-latency", "dependency-errors",
         "dependency-unavailable", "database-failover", "traffic-spike", "bad-deploy"], 90, False,
        {"no_fresh_evidence": "block", "failing_experiment": "block", "version_evidence_missing": "block",
         "actions_overdue": "warn", "suspect_incident": "block", "incident_history": "block"}),
    2: (["instance-loss", "dependency-latency", "dependency-unavailable", "bad-deploy"], 120, False,
        {"no_fresh_evidence": "warn", "failing_experiment": "block", "version_evidence_missing": "warn",
         "actions_overdue": "warn", "suspect_incident": "block", "incident_history": "warn"}),
    3: (["instance-loss", "bad-deploy"], 180, False,
        {"no_fresh_evidence": "warn", "failing_experiment": "warn", "version_evidence_missing": "warn",
         "actions_overdue": "warn", "suspect_incident": "warn", "incident_history": "warn"}),
}


def seed(apps, schema_editor):
    FaultType = apps.get_model("failure_catalog", "FaultType")
    RootCauseClass = apps.get_model("postmortems", "RootCauseClass")
    TierPolicy = apps.get_model("failure_catalog", "TierPolicy")
    Service = apps.get_model("services", "Service")
    Requirement = apps.get_model("failure_catalog", "ResilienceRequirement")
    for slug, (name, category, description, inject, classes) in FAULT_TYPES.items():
        fault_type, created = FaultType.objects.get_or_create(
            slug=slug, defaults={"name": name, "category": category, "description": description, "how_to_inject": inject}
        )
        if created:
            fault_type.root_cause_classes.set(RootCauseClass.objects.filter(slug__in=classes))
    for tier, (slugs, max_age, on_version, effects) in TIER_POLICIES.items():
        policy, created = TierPolicy.objects.get_or_create(
            tier=tier, defaults={"max_evidence_age_days": max_age, "evidence_on_version": on_version, **effects}
        )
        if not created:
            continue
        fault_types = list(FaultType.objects.filter(slug__in=slugs))
        policy.required_fault_types.set(fault_types)
        for service in Service.objects.filter(tier=tier):
            for fault_type in fault_types:
                Requirement.objects.get_or_create(
                    service=service, fault_type=fault_type, origin="tier_policy",
                    defaults={"expected_behaviour": f"Every tier-{tier} service is verified under {fault_type.name.lower()}.",
                              "max_evidence_age_days": max_age, "evidence_on_version": on_version},
                )


class Migration(migrations.Migration):
    dependencies = [
        ("failure_catalog", "0001_initial"),
        ("postmortems", "0003_seed_root_cause_classes"),
        ("services", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
