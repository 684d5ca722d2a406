"""The failure catalog's demo: experiments over six months, guardrails from reviews, analyses and gate history.

The story is data (demo/data/failure_catalog.yaml and the journals beside it); seeding goes through the same code
a person or a pipeline reaches: the importers, the requirement and analysis workflows, the gate. It runs once:
a catalog that already has experiments is left as it is.
"""

import json
import random
from datetime import timedelta
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.organisation import DEMO_USERNAME
from failure_catalog.analysis import start_analysis
from failure_catalog.choices import Outcome, RequirementOrigin, Source
from failure_catalog.gate import check_gate
from failure_catalog.importing import Overrides, parse_document, record_imports
from failure_catalog.models import Experiment, FaultType, ResilienceRequirement
from failure_catalog.requirements import require_from_failure_mode, require_from_review
from postmortems.models import Review
from services.models import Service

DATA = Path(__file__).parent / "data"


def story():
    return yaml.safe_load((DATA / "failure_catalog.yaml").read_text())


def seed_failure_catalog(*, now=None):
    """Seed the catalog's story unless experiments exist; return how many experiments were created."""
    if Experiment.objects.exists():
        return 0
    now = now or timezone.now()
    data = story()
    services = {service.slug: service for service in Service.objects.select_related("team")}
    fault_types = {fault_type.slug: fault_type for fault_type in FaultType.objects.all()}
    demo_user = get_user_model().objects.filter(username=DEMO_USERNAME).first()
    for entry in data["journals"]:
        _import_journal(entry, now=now, by=demo_user)
    for entry in data["experiments"]:
        _record(services[entry.pop("service")], fault_types[entry.pop("fault_type")], now=now, by=demo_user, **entry)
    gate_checked = {entry["service"] for entry in data["gate_checks"]} - {"ledger"}
    _generate_evidence(data["generated"], services, gate_checked=gate_checked, now=now, by=demo_user)
    for entry in data["review_requirements"]:
        _require_from_review(entry, services, fault_types, by=demo_user)
    for entry in data["analyses"]:
        _analyse(entry, services, fault_types, now=now, by=demo_user)
    for entry in data["gate_checks"]:
        check_gate(
            services[entry["service"]],
            version=entry["version"],
            environment=entry["environment"],
            user=demo_user,
            now=now - timedelta(days=entry["days_ago"]),
        )
    return Experiment.objects.count()


def _import_journal(entry, *, now, by):
    """Import a real `chaos run` journal as if it had run days_ago (its times moved, nothing else)."""
    journal = json.loads((DATA / "journals" / entry["file"]).read_text())
    started = now - timedelta(days=entry["days_ago"], hours=3)
    took = timedelta(seconds=float(journal.get("duration") or 1))
    journal["start"], journal["end"] = started.isoformat(), (started + took).isoformat()
    overrides = Overrides(entry["service"], entry["fault_type"], entry["version"], entry["environment"])
    record_imports(
        Source.CHAOSTOOLKIT, parse_document(Source.CHAOSTOOLKIT, json.dumps(journal, indent=2), overrides), by=by
    )


def _record(service, fault_type, *, now, by, days_ago, **fields):
    started = now - timedelta(days=days_ago, hours=2)
    experiment = Experiment(
        service=service,
        fault_type=fault_type,
        started_at=started,
        ended_at=started + timedelta(minutes=25),
        recorded_by=by,
        **fields,
    )
    experiment.full_clean()
    experiment.save()
    return experiment


def _generate_evidence(rule, services, *, gate_checked, now, by):
    """Evidence for the required cells nobody told a story about: verified, stale, failing or missing by share."""
    rng = random.Random(11)
    told = set(Experiment.objects.values_list("service_id", "fault_type_id"))
    requirements = ResilienceRequirement.objects.filter(origin=RequirementOrigin.TIER_POLICY).select_related(
        "service", "fault_type"
    )
    last_day = rule["months"] * 30
    for requirement in requirements.order_by("service__slug", "fault_type__slug"):
        service, fault_type = requirement.service, requirement.fault_type
        if (service.pk, fault_type.pk) in told:
            continue
        draw = rng.random()
        age = requirement.max_evidence_age_days
        version = f"{1 + rng.randrange(9)}.{rng.randrange(20)}.{rng.randrange(10)}"
        title = f"{service.name} under {fault_type.name.lower()}"
        common = {"title": title, "version": version, "environment": rng.choice(["staging", "canary", "production"])}
        if draw < rule["verified_share"]:
            _record(
                service,
                fault_type,
                outcome=Outcome.HELD,
                days_ago=rng.randrange(2, max(3, age // 2)),
                now=now,
                by=by,
                **common,
            )
        elif draw < rule["verified_share"] + rule["stale_share"]:
            _record(
                service,
                fault_type,
                outcome=Outcome.HELD,
                days_ago=min(last_day, age + rng.randrange(5, 60)),
                now=now,
                by=by,
                **common,
            )
        elif (
            draw < rule["verified_share"] + rule["stale_share"] + rule["failing_share"]
            and service.slug not in gate_checked
        ):
            _record(
                service,
                fault_type,
                outcome=Outcome.HELD,
                days_ago=rng.randrange(60, last_day),
                now=now,
                by=by,
                **common,
            )
            _record(
                service,
                fault_type,
                outcome=Outcome.DEVIATED,
                days_ago=rng.randrange(1, 30),
                now=now,
                by=by,
                observations="The steady state did not hold: error rate above the SLO for the whole injection.",
                **common,
            )


def _require_from_review(entry, services, fault_types, *, by):
    review = (
        Review.objects.published()
        .filter(primary_class__slug=entry["root_cause_class"], factors__is_root_cause=True)
        .select_related("incident")
        .order_by("incident_id")
        .first()
    )
    if review is None:
        return
    chosen = [*review.incident.services.all(), *(services[slug] for slug in entry["also"])]
    require_from_review(
        review=review,
        factor=review.factors.filter(is_root_cause=True).order_by("id").first(),
        services=list(dict.fromkeys(chosen)),
        fault_type=fault_types[entry["fault_type"]],
        expected_behaviour=entry["expected_behaviour"],
        max_evidence_age_days=entry["max_evidence_age_days"],
        evidence_on_version=entry["evidence_on_version"],
        by=by,
    )


def _analyse(entry, services, fault_types, *, now, by):
    service = services[entry["service"]]
    analysis = start_analysis(
        service=service, title=entry["title"], analysed_at=now - timedelta(days=entry["days_ago"]), by=by
    )
    for filled in entry["filled"]:
        fields = dict(filled)
        dependency = services.get(fields.pop("dependency", None))
        row = analysis.rows.filter(fault_type=fault_types[fields.pop("fault_type")], dependency=dependency).first()
        if row is None:
            continue
        for name, value in fields.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
    first = analysis.rows.exclude(detection="").first()
    if first is not None:
        require_from_failure_mode(first, by=by)
