"""Rollups: what they count, what they leave out, and that every way of computing them agrees."""

import itertools
import statistics
import threading
from datetime import timedelta

import pytest
from celery.signals import task_prerun
from django.db import connection, transaction
from django.utils import timezone

from incidents.models import Incident
from insights import rollups
from insights.models import DurationRollup, MtbfRollup, RepeatIncident, Scope, UnplannedWorkRollup
from insights.tasks import refresh_incident_rollups
from insights.tests.conftest import add_incident, build_history
from postmortems.models import Review, RootCauseClass

ROLLUP_MODELS = (MtbfRollup, RepeatIncident, DurationRollup, UnplannedWorkRollup)
# What a row says, without when it was computed (the two paths run at different moments).
MOMENTS = {"id", "computed_at", "window_start", "window_end"}


def snapshot():
    rows = {}
    for model in ROLLUP_MODELS:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in MOMENTS]
        rows[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return rows


def mtbf_row(key, *, window="all", scope=Scope.PUBLIC, dimension="class"):
    return MtbfRollup.objects.get(scope=scope, dimension=dimension, key=key, window=window)


def test_it_leaves_out_excluded_incidents_and_counts_near_misses_beside(history):
    rollups.recompute_all()
    row = mtbf_row("configuration-change")
    assert (row.incident_count, row.near_miss_count) == (8, 1)


def test_it_counts_restricted_incidents_only_in_the_all_scope(history):
    rollups.recompute_all()
    assert mtbf_row("capacity-load").incident_count == 8
    assert mtbf_row("capacity-load", scope=Scope.ALL).incident_count == 9


def test_it_matches_a_naive_mtbf_of_the_class(history):
    rollups.recompute_all()
    starts = sorted(
        Incident.objects.filter(
            review__primary_class__slug="configuration-change", exclude_from_metrics=False, kind="incident"
        ).values_list("started_at", flat=True)
    )
    gaps = [(b - a).total_seconds() / 86400 for a, b in itertools.pairwise(starts)]
    row = mtbf_row("configuration-change")
    assert (row.interval_count, row.median_days) == (len(gaps), pytest.approx(statistics.median(gaps)))


def test_it_says_not_enough_data_for_a_short_window(history):
    rollups.recompute_all()
    row = mtbf_row("configuration-change", window="90d")
    assert (row.incident_count, row.median_days) == (2, None)


def test_it_calls_the_trend_of_a_class_failing_more_often_worse(db):
    network = RootCauseClass.objects.get(slug="network")
    # Every 20 days in the previous 90 days, every 5 days in the last 90.
    for days in [*range(170, 90, -20), *range(85, 0, -5)]:
        add_incident(days_ago=days, root_class=network)
    rollups.recompute_all()
    row = mtbf_row("network", window="90d")
    assert (row.median_days, row.previous_median_days, row.trend) == (pytest.approx(5), pytest.approx(20), "worse")


def test_a_class_tree_counts_its_subclasses(history):
    rollups.recompute_all()
    assert mtbf_row("change", dimension="class_tree").incident_count == 8
    assert not MtbfRollup.objects.filter(dimension="class", key="change").exists()


def test_it_lists_repeats_on_the_same_service_within_90_days(history):
    rollups.recompute_all()
    gaps = sorted(RepeatIncident.objects.filter(scope=Scope.PUBLIC).values_list("gap_days", flat=True))
    # Capacity on search, 170→120→85→60→45→30→12→5 days ago: every gap.
    # Configuration on checkout, 400→380→350→300→200→150→80→20: not 300→200 (100 days), nor
    # 400→380 (more than a year ago).
    assert [round(gap) for gap in gaps] == [7, 15, 15, 18, 25, 30, 35, 50, 50, 50, 60, 70]


def test_it_summarises_durations_by_severity_and_quarter(history):
    rollups.recompute_all()
    rows = DurationRollup.objects.filter(scope=Scope.PUBLIC, team="", severity="sev1", measure="detect")
    assert sum(row.count for row in rows) == 8
    assert {row.median_minutes for row in rows} == {10}


def test_it_sums_responder_effort_per_team_and_quarter(history, team):
    rollups.recompute_all()
    rows = UnplannedWorkRollup.objects.filter(scope=Scope.PUBLIC, team=team.slug)
    assert sum(row.person_hours for row in rows) == 8 * 6
    assert sum(row.incident_count for row in rows) == 9


def test_time_to_understand_is_the_first_move_to_identified(team, responder):
    incident = add_incident(days_ago=1, status="investigating", resolved_at=None, team=team)
    incident.change_status("identified", by=responder, at=incident.started_at + timedelta(minutes=42))
    rollups.recompute_all()
    row = DurationRollup.objects.get(scope=Scope.PUBLIC, team="", severity="", measure="understand")
    assert (row.count, row.median_minutes) == (1, 42)


def test_a_full_run_twice_leaves_the_same_rows(history):
    rollups.recompute_all()
    first = snapshot()
    rollups.recompute_all()
    assert snapshot() == first


@pytest.mark.parametrize("links_per_query", [rollups.LINKS_PER_QUERY, 2])  # 2: a bucket reads its services in parts
def test_full_and_incremental_agree(
    team, other_team, classes, django_capture_on_commit_callbacks, monkeypatch, links_per_query
):
    monkeypatch.setattr(rollups, "LINKS_PER_QUERY", links_per_query)
    _parent, config, capacity = classes
    with django_capture_on_commit_callbacks(execute=True):
        checkout, search = build_history(team, other_team, classes)
    with django_capture_on_commit_callbacks(execute=True):
        moved = Review.objects.filter(primary_class=config).order_by("incident__started_at").first()
        moved.primary_class = capacity
        moved.save()
    with django_capture_on_commit_callbacks(execute=True):
        incident = Incident.objects.filter(services=search).order_by("started_at").first()
        incident.services.remove(search)
        incident.team = team
        incident.severity = "sev4"
        incident.save()
    with django_capture_on_commit_callbacks(execute=True):
        Incident.objects.filter(services=checkout).order_by("-started_at").first().delete()
    with django_capture_on_commit_callbacks(execute=True):
        add_incident(days_ago=3, services=[checkout], root_class=config, team=other_team, hours=2)
    incremental = snapshot()
    assert incremental["MtbfRollup"], "the signals queued no recomputation"
    rollups.recompute_all()
    assert snapshot() == incremental


def test_a_changed_incident_is_recomputed_on_commit(history, django_capture_on_commit_callbacks):
    checkout, _ = history
    rollups.recompute_all()
    with django_capture_on_commit_callbacks(execute=True):
        add_incident(days_ago=1, services=[checkout], root_class=Review.objects.first().primary_class)
    assert mtbf_row("configuration-change").incident_count == 9


def test_a_full_recompute_makes_the_refresh_queued_before_it_needless(history, django_capture_on_commit_callbacks):
    checkout, _ = history
    config = Review.objects.first().primary_class
    runs = []

    def count_run(sender, kwargs, args, **extra):
        runs.append(args)

    task_prerun.connect(count_run, sender=refresh_incident_rollups)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            add_incident(days_ago=1, services=[checkout], root_class=config)
            rollups.recompute_all()
        assert (runs, mtbf_row("configuration-change").incident_count) == ([], 9)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            rollups.recompute_all()
            late = add_incident(days_ago=1, services=[checkout], root_class=config)
    finally:
        task_prerun.disconnect(count_run, sender=refresh_incident_rollups)
    assert [incident_ids for incident_ids, _ in runs] == [[late.pk]]  # a change after it still queues its refresh
    assert mtbf_row("configuration-change").incident_count == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_full_runs_leave_no_duplicates(history):
    errors = []

    def run():
        try:
            rollups.recompute_all()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert MtbfRollup.objects.filter(scope=Scope.PUBLIC, dimension="class", window="all").count() == 2


@pytest.mark.worker
def test_a_real_worker_updates_the_rollup_when_an_incident_changes(transactional_db, history, celery_worker):
    # The history was built (and its rollups computed in-process) before the worker started.
    incident = Incident.objects.filter(
        review__primary_class__slug="configuration-change", kind="incident", exclude_from_metrics=False
    ).first()
    incident.exclude_from_metrics = True
    incident.save()
    deadline = timezone.now() + timedelta(seconds=30)
    while mtbf_row("configuration-change").incident_count != 7:
        assert timezone.now() < deadline, "the worker did not update the rollup within 30 s"
        threading.Event().wait(0.2)
