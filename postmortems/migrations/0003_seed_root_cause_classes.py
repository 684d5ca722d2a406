"""Seed the root-cause taxonomy. Existing classes (matched by slug) are left as people edited them."""

from django.db import migrations

# slug: (name, parent slug, description)
TAXONOMY = {
    "change": ("Change", None, "Something we changed: code, configuration or data."),
    "configuration-change": (
        "Configuration change",
        "change",
        "A configuration, feature-flag or infrastructure-as-code change behaved differently than intended.",
    ),
    "code-defect": ("Code defect", "change", "A bug in code we shipped."),
    "data-schema-change": (
        "Data / schema change",
        "change",
        "A migration, backfill or change in the shape of data broke readers or writers.",
    ),
    "capacity-load": ("Capacity / load", None, "Demand exceeded what a component could serve: traffic, quotas, limits."),
    "dependency-failure": ("Dependency failure", None, "A service or vendor we depend on failed or degraded."),
    "infrastructure-hardware": (
        "Infrastructure / hardware",
        None,
        "Hosts, disks, clusters or cloud resources failed underneath the service.",
    ),
    "network": ("Network", "infrastructure-hardware", "Connectivity, DNS, load balancers, routing or packet loss."),
    "certificate-secret-expiry": (
        "Certificate / secret expiry",
        None,
        "A certificate, token, key or password expired or was rotated without its users.",
    ),
    "time-clock": ("Time / clock", None, "Clock skew, time zones, leap seconds, date arithmetic, scheduled jobs."),
    "security": ("Security", None, "An attack, abuse, or a security control acting on legitimate traffic."),
    "human-procedural": (
        "Human / procedural",
        None,
        "A step done by hand, a runbook gap, or a process that let a mistake through.",
    ),
    "unknown": ("Unknown", None, "Not yet determined; revisit when more is known."),
}


def seed(apps, schema_editor):
    RootCauseClass = apps.get_model("postmortems", "RootCauseClass")
    created = {}
    for slug, (name, _parent, description) in TAXONOMY.items():
        created[slug], _ = RootCauseClass.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    for slug, (_name, parent, _description) in TAXONOMY.items():
        if parent and created[slug].parent_id is None:
            created[slug].parent = created[parent]
            created[slug].save(update_fields=["parent"])


def unseed(apps, schema_editor):
    RootCauseClass = apps.get_model("postmortems", "RootCauseClass")
    RootCauseClass.objects.filter(slug__in=TAXONOMY, parent__isnull=False).delete()
    RootCauseClass.objects.filter(slug__in=TAXONOMY).delete()


class Migration(migrations.Migration):
    dependencies = [("postmortems", "0002_review_lifecycle")]

    operations = [migrations.RunPython(seed, unseed)]
