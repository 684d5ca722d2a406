"""What the /insights/ dashboard shows, read from the rollup tables through the one FilterSet."""

from django.db.models import Count, Min, Prefetch, Q

from actions.choices import VERIFIED_CATEGORIES
from actions.models import ActionItem
from insights import links, metrics
from insights.filtersets import DEFAULTS, InsightsFilterSet
from insights.models import (
    Dimension,
    DurationRollup,
    Measure,
    MtbfRollup,
    RepeatIncident,
    Scope,
    SLOStatus,
    UnplannedWorkRollup,
    Window,
    scope_for,
)
from insights.panels import slo_lines

REPEATS_SHOWN = 20
# Services with the most incidents first; the filters (team, service) and the API reach the rest.
SERVICES_SHOWN = 50
TREND_ARROWS = {
    "better": ("↑", "better: failures further apart"),
    "worse": ("↓", "worse: failures closer together"),
    "steady": ("→", "steady"),
}


def mtbf_table(rows, limit=None):
    """MTBF rows as table lines with their links and trend arrows; classes with data first, then by incidents."""

    def enough_data(row):
        return row.interval_count >= metrics.MIN_INTERVALS

    ordered = sorted(rows, key=lambda row: (not enough_data(row), -row.incident_count, row.name))
    lines = []
    for row in ordered[:limit]:
        arrow, words = TREND_ARROWS.get(row.trend, ("", "no trend: not enough data in one of the windows"))
        lines.append(
            {
                "row": row,
                "enough_data": enough_data(row),
                "arrow": arrow,
                "trend_words": words,
                "incidents_url": links.mtbf_incidents(row),
                "near_miss_url": links.mtbf_incidents(row, kind="near_miss"),
                "game_day_url": links.mtbf_incidents(row, kind="game_day"),
            }
        )
    return lines


def chart(labels, *datasets, kind="bar", unit=""):
    """The data a canvas draws (see static/hindsight/insights.js)."""
    return {
        "type": kind,
        "labels": labels,
        "unit": unit,
        "datasets": [{"label": label, "data": data} for label, data in datasets],
    }


def durations_by_quarter(rows):
    """{quarter: {measure: row}} and the chart of median and p90 time to resolve per quarter."""
    table = {}
    for row in rows:
        table.setdefault(row.quarter, {})[row.measure] = row
    quarters = sorted(table)
    lines = [
        {
            "quarter": quarter,
            "url": links.quarter_incidents(
                quarter, team=row_team(table[quarter]), severity=row_severity(table[quarter])
            ),
            "cells": [table[quarter].get(measure) for measure in Measure],
        }
        for quarter in quarters
    ]
    resolve = [table[q].get(Measure.RESOLVE) for q in quarters]
    figure = chart(
        quarters,
        ("Median time to resolve (h)", [hours(r.median_minutes) if r else None for r in resolve]),
        ("p90 time to resolve (h)", [hours(r.p90_minutes) if r else None for r in resolve]),
        kind="line",
        unit="h",
    )
    return lines, figure


def row_team(measures):
    return next(iter(measures.values())).team


def row_severity(measures):
    return next(iter(measures.values())).severity


def hours(minutes):
    return round(minutes / 60, 1) if minutes is not None else None


def dashboard_context(request):
    """Everything the dashboard page shows, in a fixed number of queries whatever the number of rows."""
    user = request.user
    filterset = InsightsFilterSet(request.GET or None, queryset=MtbfRollup.objects.for_user(user), request=request)
    valid = filterset.is_valid()

    def filtered(queryset, drop=(), **defaults):
        data = request.GET.copy()
        for name in drop:
            data.pop(name, None)
        for name, value in defaults.items():
            data[name] = value
        rows = InsightsFilterSet(data, queryset=queryset, request=request)
        return rows.qs if valid else queryset.none()

    # MTBF per class is not split by team, service or severity: those filters apply to the other sections.
    by_class = list(
        filtered(MtbfRollup.objects.for_user(user), drop=("team", "service", "severity"), by=Dimension.CLASS).order_by(
            "name"
        )
    )
    by_service = list(filtered(MtbfRollup.objects.for_user(user), by=Dimension.SERVICE).order_by("name"))
    stopping = ActionItem.objects.filter(category__in=VERIFIED_CATEGORIES).order_by("pk")
    repeats_qs = (
        filtered(RepeatIncident.objects.for_user(user))
        .select_related("incident", "previous__review", "root_cause_class", "service")
        .prefetch_related(Prefetch("previous__review__actions", queryset=stopping, to_attr="stopping_actions"))
        .order_by("-started_at", "-incident_id", "service_id")
    )
    repeats = list(repeats_qs[:REPEATS_SHOWN])
    repeat_counts = repeats_qs.order_by().aggregate(all=Count("pk"), within_30=Count("pk", filter=Q(gap_days__lte=30)))
    durations = list(filtered(DurationRollup.objects.for_user(user)).order_by("quarter", "measure"))
    work = list(filtered(UnplannedWorkRollup.objects.for_user(user)).order_by("quarter"))
    duration_lines, duration_chart = durations_by_quarter(durations)
    class_lines = mtbf_table(by_class)
    with_data = [line for line in class_lines if line["enough_data"]]
    statuses = filtered(SLOStatus.objects.select_related("slo__service")).order_by("slo__service__name", "slo__name")
    lines_for_slos = slo_lines(user, statuses)
    computed = MtbfRollup.objects.for_user(user).aggregate(oldest=Min("computed_at"))["oldest"]
    return {
        "filterset": filterset,
        "filter_form": filterset.form,
        "scope_hides_restricted": scope_for(user) == Scope.PUBLIC,
        "computed_at": computed,
        "class_lines": class_lines,
        "service_lines": mtbf_table(by_service, limit=SERVICES_SHOWN),
        "service_count": len(by_service),
        "mtbf_chart": chart(
            [line["row"].name for line in with_data],
            ("Median days between incidents", [round(line["row"].median_days, 1) for line in with_data]),
            unit="d",
        ),
        "repeats": repeats,
        "repeat_count": repeat_counts["all"],
        "repeat_30_count": repeat_counts["within_30"],
        "duration_lines": duration_lines,
        "duration_chart": duration_chart,
        "measures": list(Measure),
        "work": [{"row": row, "url": links.quarter_incidents(row.quarter, team=row.team)} for row in work],
        "work_chart": chart(
            [row.quarter for row in work],
            ("Incidents", [row.incident_count for row in work]),
            ("Person-hours recorded", [row.person_hours for row in work]),
        ),
        "min_intervals": metrics.MIN_INTERVALS,
        "slo_lines": lines_for_slos,
        "slo_chart": chart(
            [str(line["status"].slo) for line in lines_for_slos],
            (
                "Error budget left (%)",
                [
                    round(line["status"].budget_remaining * 100, 1)
                    if line["status"].budget_remaining is not None
                    else None
                    for line in lines_for_slos
                ],
            ),
            unit="%",
        ),
        "period_label": Window(filterset.form.cleaned_data.get("window") or DEFAULTS["window"]).label if valid else "",
    }
