"""SLO burn: the status rollup, spike vs creep, and a fast burn opening one incident through the intake."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import Incident
from insights.models import SLOStatus
from services.models import SLO, Service, SLIReport
from services.slos import record_sli_report


@pytest.fixture
def slo(team):
    service = Service.objects.create(name="Checkout", slug="checkout", team=team, tier=1)
    return SLO.objects.create(service=service, name="availability", user_journey="Pay", objective_percent="99.9")


def report_every_5_minutes(slo, *, hours, error_rate, ending=None, events=10_000):
    """Reports of 5 minutes each over the last `hours`, with this share of bad events.

    All but the latest go in at once; the latest is recorded as a reporter would (so its signal fires once).
    """
    end = ending or timezone.now()
    bad = round(events * error_rate)
    ends = [end - timedelta(minutes=5 * step) for step in range(int(hours * 12))]
    SLIReport.objects.bulk_create(
        SLIReport(slo=slo, period_start=e - timedelta(minutes=5), period_end=e, good=events - bad, total=events)
        for e in ends[1:]
    )
    record_sli_report(slo=slo, period_start=end - timedelta(minutes=5), period_end=end, good=events - bad, total=events)


def test_a_fast_burn_opens_one_incident_through_the_intake(slo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_every_5_minutes(slo, hours=1, error_rate=0.05)  # 50 times the budget's rate
    with django_capture_on_commit_callbacks(execute=True):
        report_every_5_minutes(slo, hours=0.1, error_rate=0.06)
    incident = Incident.objects.get()
    assert (incident.group_key, list(incident.services.values_list("slug", flat=True))) == (
        f"slo:{slo.pk}",
        ["checkout"],
    )
    assert SLOStatus.objects.get().incident == incident


def test_a_short_window_far_above_the_long_one_is_a_spike(slo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_every_5_minutes(slo, hours=1, error_rate=0.0)
        report_every_5_minutes(slo, hours=0.1, error_rate=0.5)
    status = SLOStatus.objects.get()
    assert (status.alerts[0]["rule"], status.burn_kind) == ("fast", "spike")


def test_a_steady_slow_burn_is_a_creep_and_opens_no_incident(slo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_every_5_minutes(slo, hours=72, error_rate=0.0015)  # 1.5 times the budget, for 3 days
    status = SLOStatus.objects.get()
    assert ([alert["rule"] for alert in status.alerts], status.burn_kind) == (["slow"], "creep")
    assert not Incident.objects.exists()


def test_it_counts_the_events_behind_the_budget(slo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_every_5_minutes(slo, hours=2, error_rate=0.0005)
    status = SLOStatus.objects.get()
    assert (status.total, status.report_count, status.budget_remaining) == (240_000, 24, pytest.approx(0.5))


def test_the_api_lists_slo_budgets_and_hides_an_incident_the_reader_may_not_see(
    slo, api, outsider, other_team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_every_5_minutes(slo, hours=1, error_rate=0.05)
    incident = Incident.objects.get()
    incident.restricted = True
    incident.save()
    incident.allowed_teams.set([other_team])
    (row,) = api(outsider).get("/api/insights/slo/").json()["results"]
    assert (row["service"], row["total"], row["incident"], row["alerts"][0]["rule"]) == (
        "checkout",
        120_000,
        None,
        "fast",
    )
