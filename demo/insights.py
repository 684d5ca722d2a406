"""Demo history for insights: two recurrence trends, the tier-1 SLOs and their burns, then the rollups.

Idempotent: trend incidents are found by title, SLOs by (service, name), and an SLO that has
reports already gets no more. Seeded through the domain: incidents cleaned before saving,
reviews published with publish_review, actions moved with transition, SLOs imported from
OpenSLO and the latest SLI report recorded with record_sli_report (the month of history
before it is bulk-inserted, so the demo does not recompute a budget 800 times).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Role
from actions.choices import Category, Status
from actions.models import ActionItem, default_due_date
from demo.insight_stories import BURNS, OPENSLO, TRENDS
from incidents.choices import DetectionSource, IncidentKind
from incidents.models import Incident
from insights import rollups
from insights.slo_burn import refresh_slo_status
from postmortems.models import CausalFactor, Review, RootCauseClass
from postmortems.publishing import publish_review
from services.models import Service, SLIReport
from services.slos import import_openslo, record_sli_report

HOURLY_DAYS = 30
FINE_HOURS = 6
EVENTS_PER_HOUR = 120_000


def trend_titles():
    """The titles of the trend stories' incidents (other demo steps leave these alone)."""
    return [story["title"].format(n=f"#{n}") for story in TRENDS for n in range(1, len(story["days_ago"]) + 1)]


def seed_trends(*, now=None):
    """Seed the two recurrence stories (before the other reviews and actions, which then leave them be)."""
    now = now or timezone.now()
    for story in TRENDS:
        _seed_trend(story, now=now)


def seed_slos_and_rollups(*, now=None):
    """Seed the tier-1 SLOs and their reports, then compute every rollup as the nightly job would."""
    now = now or timezone.now()
    for slo in import_openslo(OPENSLO):
        if not slo.reports.exists():
            _seed_reports(slo, BURNS[slo.name], now=now)
        # What the worker does after a report; done here too, so the seed is complete before it commits.
        refresh_slo_status(slo_id=slo.pk, now=now)
    rollups.recompute_all(now=now)


def _lead_of(team):
    return get_user_model().objects.filter(memberships__team=team, memberships__role=Role.LEAD).first()


def _seed_trend(story, *, now):
    service = Service.objects.select_related("team").get(slug=story["service"])
    root_class = RootCauseClass.objects.get(slug=story["class"])
    lead = _lead_of(service.team)
    action_done = story["action"]["done_days_ago"]
    # The action hangs off the last incident before it was done (or the latest, while it is still open).
    action_on = min((d for d in story["days_ago"] if action_done is None or d > action_done), default=None)
    for n, days in enumerate(story["days_ago"], start=1):
        title = story["title"].format(n=f"#{n}")  # as trend_titles() names them
        if Incident.objects.filter(title=title).exists():
            continue
        started = (now - timedelta(days=days)).replace(hour=2, minute=10, second=0, microsecond=0)
        incident = Incident(
            kind=IncidentKind.INCIDENT,
            title=title,
            summary=story["summary"],
            severity=story["severity"],
            status="resolved",
            started_at=started,
            detected_at=started + timedelta(minutes=25),
            acknowledged_at=started + timedelta(minutes=32),
            mitigated_at=started + timedelta(hours=story["hours"] / 2),
            resolved_at=started + timedelta(hours=story["hours"]),
            team=service.team,
            commander=lead,
            detection_source=DetectionSource.ALERT,
        )
        incident.full_clean()
        incident.save()
        incident.services.set([service])
        review = Review.objects.create(
            incident=incident,
            owner=lead,
            primary_class=root_class,
            summary=story["summary"],
            responder_hours=story["hours"] * 3,
        )
        CausalFactor.objects.create(review=review, description=story["summary"], is_root_cause=True)
        publish_review(review, by=lead)
        if days == action_on:
            _seed_action(review, story["action"], lead=lead, now=now)


def _seed_action(review, plan, *, lead, now):
    opened = review.incident.resolved_at + timedelta(days=2)
    action = ActionItem(
        review=review,
        category=Category.PREVENTIVE,
        title=plan["title"],
        owner=lead,
        team=review.incident.team,
        opened_at=opened,
        due_date=default_due_date(category=Category.PREVENTIVE, severity=review.incident.severity, start=opened.date()),
    )
    action.full_clean()
    action.save()
    action.services.set(review.incident.services.all())
    if plan["done_days_ago"] is not None:
        action.transition(Status.DONE, by=lead, at=now - timedelta(days=plan["done_days_ago"]))


def _seed_reports(slo, burn, *, now):
    """A month of hourly reports, the last hours in 5-minute ones, shaped by the SLO's burn story."""
    budget = 1 - float(slo.objective_percent) / 100
    # The latest report ends now, so the burn is current when the seed commits.
    end = now
    periods = [(end - timedelta(minutes=5 * (k + 1)), end - timedelta(minutes=5 * k)) for k in range(FINE_HOURS * 12)]
    fine_start = periods[-1][0]
    periods += [
        (fine_start - timedelta(hours=k + 1), fine_start - timedelta(hours=k))
        for k in range(HOURLY_DAYS * 24 - FINE_HOURS)
    ]
    rows = []
    for start, stop in periods:
        share = burn["budget_share"]
        if "spike" in burn and end - stop < timedelta(minutes=burn["spike"]["minutes"]):
            share = burn["spike"]["budget_share"]
        if "creep" in burn and end - stop < timedelta(days=burn["creep"]["days"]):
            share = burn["creep"]["budget_share"]
        total = round(EVENTS_PER_HOUR * (stop - start) / timedelta(hours=1))
        bad = round(total * budget * share)
        rows.append((start, stop, total - bad, total))
    latest, history = rows[0], rows[1:]
    SLIReport.objects.bulk_create(
        SLIReport(slo=slo, period_start=start, period_end=stop, good=good, total=total)
        for start, stop, good, total in history
    )
    record_sli_report(slo=slo, period_start=latest[0], period_end=latest[1], good=latest[2], total=latest[3])
