"""Compute the rollup tables from incidents: everything (nightly), or just the buckets a change touched.

A *bucket* is the smallest set of rollup rows recomputed together:

- ("class", class_id): MTBF rows of the class, of the class tree of it and of each ancestor, and its repeats;
- ("service", service_id): MTBF rows of the service;
- ("quarter", team_id or None, "2026Q1"): duration and unplanned-work rows of that team and of all teams.

Both paths load incidents as `Fact`s and run the same functions over them, so a full run and
any sequence of incremental runs leave the same rows. Each bucket is replaced (delete, insert)
in one transaction under an advisory lock on PostgreSQL (SQLite serialises writers anyway), and
the unique constraints refuse a duplicate row whatever happens: two runs at once queue behind
each other instead of interleaving. A full run holds the lock on everything; an incremental one
shares that lock and holds its bucket's.
"""

import bisect
import itertools
import zlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.db.models import DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import Team
from incidents.choices import IncidentKind, Status, TimelineKind
from incidents.models import Incident, TimelineEvent
from insights import metrics, signals
from insights.models import (
    WINDOW_DAYS,
    Dimension,
    DurationRollup,
    Measure,
    MtbfRollup,
    RepeatIncident,
    Scope,
    UnplannedWorkRollup,
)
from postmortems.models import RootCauseClass
from services.models import Service

REPEAT_DAYS = 90
# Repeats are listed for incidents that started in the last year; older ones are history.
REPEAT_LISTED_DAYS = 365
# What the lifecycle writes when an incident moves to identified (Incident.change_status).
IDENTIFIED_TEXT = f"to **{Status.IDENTIFIED.label}**"
LOCK_NAMESPACE = 7_410_010
ZERO = timedelta(0)
MEASURES = tuple(Measure)  # iterating the enum itself is slow in a loop run millions of times


@dataclass(slots=True)
class Fact:
    """What the rollups need to know about one incident that counts in metrics (read-only by convention:
    not frozen, because a frozen dataclass costs five times as much to build and a full run builds a million)."""

    id: int
    kind: str
    severity: str
    team_id: int | None
    restricted: bool
    started_at: datetime
    quarter: str
    durations: tuple  # minutes per Measure, in its order; None where an end is unknown or out of order
    class_id: int | None
    person_hours: float | None
    service_ids: tuple = ()


# Each measure as the moment it ends minus the moment it starts (see Measure).
SPANS = {
    Measure.DETECT: ("detected_at", "started_at"),
    Measure.ACKNOWLEDGE: ("acknowledged_at", "detected_at"),
    Measure.UNDERSTAND: ("identified_at", "started_at"),
    Measure.MITIGATE: ("mitigated_at", "started_at"),
    Measure.RESOLVE: ("resolved_at", "started_at"),
}


def load_facts(incidents=None):
    """Facts for the incidents (a queryset; all by default) that count in metrics and have a start.

    The database subtracts the moments: a full run reads a million incidents, and a duration arrives
    far cheaper than the two timestamps it comes from.
    """
    base = (
        (incidents if incidents is not None else Incident.objects.all()).for_metrics().filter(started_at__isnull=False)
    )
    identified = (
        TimelineEvent.objects.filter(
            incident=OuterRef("pk"), kind=TimelineKind.STATUS_CHANGE, text__contains=IDENTIFIED_TEXT
        )
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    spans = {
        f"span_{measure}": ExpressionWrapper(F(SPANS[measure][0]) - F(SPANS[measure][1]), output_field=DurationField())
        for measure in MEASURES  # in this order in Fact.durations
    }
    rows = list(
        base.annotate(identified_at=Subquery(identified))
        .annotate(**spans)
        .order_by()
        .values_list(
            "pk",
            "kind",
            "severity",
            "team_id",
            "restricted",
            "started_at",
            "review__primary_class_id",
            "review__responder_hours",
            *spans,
        )
    )
    services = defaultdict(list)
    for incident_id, service_id in _service_links(None if incidents is None else [row[0] for row in rows]):
        services[incident_id].append(service_id)
    facts = []
    for pk, kind, severity, team_id, restricted, started_at, class_id, hours, *lengths in rows:
        started_at = started_at.astimezone(UTC)
        quarter = metrics.quarter_of(started_at)
        durations = tuple(
            None if length is None or length < ZERO else length.total_seconds() / 60 for length in lengths
        )
        hours = float(hours) if hours is not None else None
        services_of = tuple(sorted(services.get(pk, ())))
        facts.append(
            Fact(pk, kind, severity, team_id, restricted, started_at, quarter, durations, class_id, hours, services_of)
        )
    return facts


LINKS_PER_QUERY = 10_000


def _service_links(incident_ids):
    """(incident id, service id) pairs of the incidents (None: of every incident). By id rather than by the
    incidents' query: that would read the incidents a second time."""
    links = Incident.services.through.objects.order_by().values_list("incident_id", "service_id")
    if incident_ids is None:
        yield from links
        return
    for start in range(0, len(incident_ids), LINKS_PER_QUERY):
        yield from links.filter(incident_id__in=incident_ids[start : start + LINKS_PER_QUERY])


def in_scope(facts, scope):
    return list(facts) if scope == Scope.ALL else [fact for fact in facts if not fact.restricted]


# --- Row builders: pure functions of facts ----------------------------------------------------------


def mtbf_rows(facts, *, scope, dimension, key, name, now):
    """The MTBF rows (one per window) of one class, class tree or service; none when no facts."""
    if not facts:
        return []
    starts = defaultdict(list)
    for fact in facts:
        starts[fact.kind].append(fact.started_at)
    for kind_starts in starts.values():
        kind_starts.sort()

    def counted(kind, window_start):
        """How many of a kind started in [window_start, now) (window_start None: before now)."""
        ordered = starts[kind]
        return bisect.bisect_left(ordered, now) - (bisect.bisect_left(ordered, window_start) if window_start else 0)

    rows = []
    for window, days in WINDOW_DAYS.items():
        current, previous, direction = metrics.mtbf_with_trend(starts[IncidentKind.INCIDENT], now=now, days=days)
        window_start = now - timedelta(days=days) if days else None
        rows.append(
            MtbfRollup(
                scope=scope,
                dimension=dimension,
                key=key,
                name=name,
                window=window,
                window_start=window_start,
                window_end=now,
                incident_count=current.incident_count,
                interval_count=current.interval_count,
                median_days=current.median_days,
                mean_days=current.mean_days,
                previous_incident_count=previous.incident_count if previous else None,
                previous_median_days=previous.median_days if previous else None,
                trend=direction or "",
                near_miss_count=counted(IncidentKind.NEAR_MISS, window_start),
                game_day_count=counted(IncidentKind.GAME_DAY, window_start),
                computed_at=now,
            )
        )
    return rows


def repeat_rows(facts, *, scope, class_id, now):
    """Repeats of one class: an incident on a service within REPEAT_DAYS of the class's previous one there."""
    by_service = defaultdict(list)
    for fact in facts:
        if fact.kind == IncidentKind.INCIDENT and fact.class_id == class_id:
            for service_id in fact.service_ids:
                by_service[service_id].append(fact)
    listed_from = now - timedelta(days=REPEAT_LISTED_DAYS)
    rows = []
    for service_id, incidents in by_service.items():
        incidents.sort(key=lambda fact: (fact.started_at, fact.id))
        for previous, fact in itertools.pairwise(incidents):
            gap = (fact.started_at - previous.started_at).total_seconds() / metrics.DAY
            if gap <= REPEAT_DAYS and fact.started_at >= listed_from:
                rows.append(
                    RepeatIncident(
                        scope=scope,
                        incident_id=fact.id,
                        previous_id=previous.id,
                        root_cause_class_id=class_id,
                        service_id=service_id,
                        gap_days=gap,
                        started_at=fact.started_at,
                        computed_at=now,
                    )
                )
    return rows


def quarter_rows(facts, *, scope, team, quarter, now):
    """The duration and unplanned-work rows of one team's ("" for all) incidents in one quarter, by model;
    none without incidents (near misses and game days are not counted)."""
    incidents = [fact for fact in facts if fact.kind == IncidentKind.INCIDENT]
    if not incidents:
        return {DurationRollup: [], UnplannedWorkRollup: []}
    bucket = {"scope": scope, "team": team, "quarter": quarter, "computed_at": now}
    return {DurationRollup: duration_rows(incidents, **bucket), UnplannedWorkRollup: [work_row(incidents, **bucket)]}


def duration_rows(incidents, **bucket):
    """Duration rows of a quarter's incidents (at least one), per severity and for all severities ("")."""
    # {severity: one list of minutes per measure}, filled in one pass.
    by_severity = defaultdict(lambda: [[] for _ in MEASURES])
    for fact in incidents:
        for values, minutes in zip(by_severity[fact.severity], fact.durations, strict=True):
            if minutes is not None:
                values.append(minutes)
    every = [list(itertools.chain.from_iterable(column)) for column in zip(*by_severity.values(), strict=True)]
    rows = []
    for severity, lists in [("", every), *sorted(by_severity.items())]:
        for measure, values in zip(MEASURES, lists, strict=True):
            figure = metrics.distribution(values)
            rows.append(
                DurationRollup(
                    **bucket,
                    severity=severity,
                    measure=measure,
                    count=figure.count,
                    median_minutes=figure.median,
                    p90_minutes=figure.p90,
                    mean_minutes=figure.mean,
                    histogram=figure.histogram,
                )
            )
    return rows


def work_row(incidents, **bucket):
    """The unplanned-work row of a quarter's incidents."""
    efforts = [fact.person_hours for fact in incidents if fact.person_hours is not None]
    return UnplannedWorkRollup(
        **bucket,
        incident_count=len(incidents),
        reviews_with_effort=len(efforts),
        person_hours=round(sum(efforts), 1),
    )


# --- The class tree ----------------------------------------------------------------------------------


def class_tree():
    """({class id: (slug, name, parent id)}) for the whole taxonomy (small)."""
    return {
        pk: (slug, name, parent)
        for pk, slug, name, parent in RootCauseClass.objects.values_list("pk", "slug", "name", "parent_id")
    }


def lineage(class_id, tree):
    """The class and its ancestors, nearest first (stops at a loop, which clean() refuses anyway)."""
    chain = []
    while class_id is not None and class_id not in chain and class_id in tree:
        chain.append(class_id)
        class_id = tree[class_id][2]
    return chain


def descendants(class_id, tree):
    """The class and every class below it."""
    found = {class_id}
    changed = True
    while changed:
        below = {pk for pk, (_, _, parent) in tree.items() if parent in found} - found
        changed = bool(below)
        found |= below
    return found


# --- Writing rows --------------------------------------------------------------------------------------


def _lock(name, *, shared=False):
    """Take a transaction-scoped advisory lock on PostgreSQL (SQLite serialises writers by itself)."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    key = zlib.crc32(name.encode()) - 2**31
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [LOCK_NAMESPACE, key])


def _replace(model, condition, rows):
    model.objects.filter(condition).delete()
    model.objects.bulk_create(rows, batch_size=2000)


@transaction.atomic
def recompute_all(*, now=None):
    """Recompute every rollup row from every incident; return how many rows there are now."""
    now = now or timezone.now()
    _lock("insights-rollups")
    signals.drop_queued_refresh()
    facts = load_facts()
    tree = class_tree()
    services = dict(Service.objects.values_list("pk", "slug"))
    service_names = dict(Service.objects.values_list("pk", "name"))
    teams = dict(Team.objects.values_list("pk", "slug"))
    rows = {MtbfRollup: [], RepeatIncident: [], DurationRollup: [], UnplannedWorkRollup: []}
    for scope in Scope:
        scoped = in_scope(facts, scope)
        by_class, by_tree, by_service, by_quarter = (defaultdict(list) for _ in range(4))
        for fact in scoped:
            if fact.class_id is not None:
                by_class[fact.class_id].append(fact)
                for ancestor in lineage(fact.class_id, tree):
                    by_tree[ancestor].append(fact)
            for service_id in fact.service_ids:
                by_service[service_id].append(fact)
            by_quarter[(fact.quarter, teams.get(fact.team_id))].append(fact)
            by_quarter[(fact.quarter, "")].append(fact)
        for class_id, group in by_class.items():
            slug, name, _ = tree[class_id]
            rows[MtbfRollup] += mtbf_rows(group, scope=scope, dimension=Dimension.CLASS, key=slug, name=name, now=now)
            rows[RepeatIncident] += repeat_rows(group, scope=scope, class_id=class_id, now=now)
        for class_id, group in by_tree.items():
            slug, name, _ = tree[class_id]
            rows[MtbfRollup] += mtbf_rows(
                group, scope=scope, dimension=Dimension.CLASS_TREE, key=slug, name=name, now=now
            )
        for service_id, group in by_service.items():
            rows[MtbfRollup] += mtbf_rows(
                group,
                scope=scope,
                dimension=Dimension.SERVICE,
                key=services[service_id],
                name=service_names[service_id],
                now=now,
            )
        for (quarter, team), group in by_quarter.items():
            if team is None:
                continue
            for model, new_rows in quarter_rows(group, scope=scope, team=team, quarter=quarter, now=now).items():
                rows[model] += new_rows
    for model, new_rows in rows.items():
        _replace(model, Q(), new_rows)
    return sum(len(new_rows) for new_rows in rows.values())


def buckets_for_incident(incident_id):
    """The buckets an incident's current state falls in (none if it is gone)."""
    row = (
        Incident.objects.filter(pk=incident_id).values_list("team_id", "started_at", "review__primary_class_id").first()
    )
    if row is None:
        return set()
    team_id, started_at, class_id = row
    buckets = {
        ("service", service_id)
        for service_id in Incident.services.through.objects.filter(incident_id=incident_id).values_list(
            "service_id", flat=True
        )
    }
    if class_id is not None:
        buckets.add(("class", class_id))
    if started_at is not None:
        buckets.add(("quarter", team_id, metrics.quarter_of(started_at.astimezone(UTC))))
    return buckets


def recompute_bucket(bucket, *, now=None):
    """Recompute one bucket's rows (see the module docstring)."""
    now = now or timezone.now()
    kind, *key = bucket
    with transaction.atomic():
        _lock("insights-rollups", shared=True)
        _lock(f"insights-bucket:{kind}:{key}")
        if kind == "class":
            _recompute_class(key[0], now=now)
        elif kind == "service":
            _recompute_service(key[0], now=now)
        elif kind == "quarter":
            _recompute_quarter(*key, now=now)
        else:
            raise ValueError(f"Unknown rollup bucket {bucket!r}")


def _recompute_class(class_id, *, now):
    tree = class_tree()
    chain = lineage(class_id, tree)
    if not chain:
        return
    # The class itself, and the tree of every ancestor (each includes this class's incidents). Each tree
    # lies within the topmost ancestor's: its incidents are read once and shared out.
    top = load_facts(Incident.objects.filter(review__primary_class_id__in=descendants(chain[-1], tree)))
    for position, ancestor in enumerate(chain):
        slug, name, _ = tree[ancestor]
        members = descendants(ancestor, tree)
        facts = [fact for fact in top if fact.class_id in members]
        for scope in Scope:
            scoped = in_scope(facts, scope)
            mtbf = Q(scope=scope, key=slug)
            new_rows = mtbf_rows(scoped, scope=scope, dimension=Dimension.CLASS_TREE, key=slug, name=name, now=now)
            if position == 0:
                own = [fact for fact in scoped if fact.class_id == class_id]
                new_rows += mtbf_rows(own, scope=scope, dimension=Dimension.CLASS, key=slug, name=name, now=now)
                _replace(
                    RepeatIncident,
                    Q(scope=scope, root_cause_class_id=class_id),
                    repeat_rows(own, scope=scope, class_id=class_id, now=now),
                )
                dimensions = [Dimension.CLASS, Dimension.CLASS_TREE]
            else:
                dimensions = [Dimension.CLASS_TREE]
            _replace(MtbfRollup, mtbf & Q(dimension__in=dimensions), new_rows)


def _recompute_service(service_id, *, now):
    service = Service.objects.filter(pk=service_id).values_list("slug", "name").first()
    if service is None:
        return
    slug, name = service
    facts = load_facts(Incident.objects.filter(services=service_id))
    for scope in Scope:
        _replace(
            MtbfRollup,
            Q(scope=scope, dimension=Dimension.SERVICE, key=slug),
            mtbf_rows(in_scope(facts, scope), scope=scope, dimension=Dimension.SERVICE, key=slug, name=name, now=now),
        )


def quarter_range(quarter):
    """[start, end) of a "2026Q1" quarter in UTC."""
    year, number = (int(part) for part in quarter.split("Q"))
    start = datetime(year, (number - 1) * 3 + 1, 1, tzinfo=UTC)
    end = datetime(year + number // 4, number % 4 * 3 + 1, 1, tzinfo=UTC)
    return start, end


def _recompute_quarter(team_id, quarter, *, now):
    start, end = quarter_range(quarter)
    in_quarter = Incident.objects.filter(started_at__gte=start, started_at__lt=end)
    team = Team.objects.filter(pk=team_id).values_list("slug", flat=True).first() if team_id else None
    groups = [("", load_facts(in_quarter))]
    if team is not None:
        groups.append((team, [fact for fact in groups[0][1] if fact.team_id == team_id]))
    for slug, facts in groups:
        for scope in Scope:
            scoped = in_scope(facts, scope)
            where = Q(scope=scope, team=slug, quarter=quarter)
            for model, rows in quarter_rows(scoped, scope=scope, team=slug, quarter=quarter, now=now).items():
                _replace(model, where, rows)
