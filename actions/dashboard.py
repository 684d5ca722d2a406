"""The leads' dashboard: closure and effectiveness of a filtered set of actions, in a fixed number of queries."""

import statistics
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from actions.choices import VERIFIED_CATEGORIES, Category, Status, Verification
from actions.models import ActionItem, RemedialFinding, done_on_time_q, due_within_q, open_q, overdue_q

CLOSED_WINDOW_DAYS = 90
DUE_SOON_DAYS = 7
BACKLOG_WEEKS = 26
OVERDUE_LIST_LIMIT = 25


def week_ends(*, today, weeks=BACKLOG_WEEKS):
    """The end (local midnight after each Sunday) of the last `weeks` weeks, oldest first; the last is now-ish."""
    this_sunday = today + timedelta(days=6 - today.weekday())
    tz = timezone.get_current_timezone()
    ends = []
    for back in range(weeks - 1, -1, -1):
        day = this_sunday - timedelta(weeks=back)
        ends.append((day, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)))
    return ends


def open_at(moment):
    """Q for actions open at `moment`: opened by then and not yet closed."""
    return Q(opened_at__lte=moment) & (Q(closed_at__isnull=True) | Q(closed_at__gt=moment))


def action_dashboard(actions, *, now=None):
    """Return the dashboard numbers for the actions queryset (already filtered and visible)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = (
        ActionItem.objects.filter(pk__in=actions.values("pk"))
        .with_done_on()
        .annotate(has_findings=Exists(RemedialFinding.objects.filter(action=OuterRef("pk"))))
    )
    is_open = open_q()
    done_recently = Q(status=Status.DONE, done_at__gte=now - timedelta(days=CLOSED_WINDOW_DAYS))
    verified_done = Q(status=Status.DONE, category__in=VERIFIED_CATEGORIES)
    remedial_done = Q(category=Category.REMEDIAL, status=Status.DONE)
    ends = week_ends(today=today)
    aggregates = {
        "open": Count("pk", filter=is_open),
        "overdue": Count("pk", filter=overdue_q(today)),
        "due_soon": Count("pk", filter=due_within_q(DUE_SOON_DAYS, today)),
        "done_on_time": Count("pk", filter=done_recently & done_on_time_q()),
        "done_late": Count("pk", filter=done_recently & done_on_time_q(on_time=False)),
        "remedial_done": Count("pk", filter=remedial_done),
        "remedial_found": Count("pk", filter=remedial_done & Q(has_findings=True)),
        **{
            f"verification_{state}": Count("pk", filter=verified_done & Q(verification=state))
            for state in Verification.values
        },
        "to_confirm": Count(
            "pk",
            filter=verified_done
            & Q(verification__in=(Verification.PENDING, Verification.RECURRED), proposed_verification__gt=""),
        ),
        **{f"backlog_{index}": Count("pk", filter=open_at(end)) for index, (_, end) in enumerate(ends)},
    }
    numbers = rows.aggregate(**aggregates)
    numbers["finding_count"] = RemedialFinding.objects.filter(action__in=actions.values("pk")).count()
    opened = list(rows.filter(is_open).values_list("opened_at", flat=True))
    ages = [(now - moment).total_seconds() / 86400 for moment in opened]
    numbers["median_open_age_days"] = round(statistics.median(ages), 1) if ages else None
    numbers["open_age_p90_days"] = round(statistics.quantiles(ages, n=10)[-1], 1) if len(ages) >= 2 else None
    numbers["backlog"] = {
        "labels": [day.isoformat() for day, _ in ends],
        "open": [numbers.pop(f"backlog_{index}") for index in range(len(ends))],
    }
    numbers["overdue_actions"] = list(
        rows.filter(overdue_q(today))
        .select_related("owner", "team", "review__incident")
        .order_by("due_date", "pk")[:OVERDUE_LIST_LIMIT]
    )
    for action in numbers["overdue_actions"]:
        action.days_late = (today - action.due_date).days
    numbers["today"] = today
    return numbers
