"""The metric math behind insights, as small pure functions: no database, no clock.

Every figure travels with the count behind it, and a figure computed from too few
observations is reported as "not enough data" (None) rather than as a number.
"""

import itertools
import math
from dataclasses import dataclass
from datetime import timedelta

# MTBF needs at least this many intervals (four incidents) before its median means anything.
MIN_INTERVALS = 3
# A trend is called only when the median interval moved by more than this fraction.
TREND_TOLERANCE = 0.10
DAY = 86400.0


def median(values):
    """The median of values (the mean of the two middle ones for an even count), or None when empty."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def mean(values):
    """The arithmetic mean of values, or None when empty. Never shown without the median beside it."""
    values = list(values)
    return sum(values) / len(values) if values else None


def percentile(values, p):
    """The nearest-rank p-th percentile (0 < p <= 100): the smallest value with at least p% of values at or below it.

    None when empty. Nearest rank always returns an observed value, so a p90 of three durations is
    the longest of them, not an interpolation nobody measured.
    """
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[rank - 1]


def intervals_days(starts):
    """The gaps in days between consecutive incident starts, in time order."""
    ordered = sorted(starts)
    return [(later - earlier).total_seconds() / DAY for earlier, later in itertools.pairwise(ordered)]


@dataclass(frozen=True)
class Mtbf:
    """Mean and median time between failures in one window, with the counts behind them.

    median_days and mean_days are None when there are fewer than MIN_INTERVALS intervals.
    """

    incident_count: int
    interval_count: int
    median_days: float | None
    mean_days: float | None

    @property
    def enough_data(self):
        return self.interval_count >= MIN_INTERVALS


def mtbf(starts, *, window_start=None, window_end=None):
    """MTBF of the incidents that started in [window_start, window_end) (either end may be open).

    Intervals are counted between consecutive starts inside the window only: the gap from the
    last incident before the window would measure something the window does not show.
    """
    inside = [
        s for s in starts if (window_start is None or s >= window_start) and (window_end is None or s < window_end)
    ]
    gaps = intervals_days(inside)
    if len(gaps) < MIN_INTERVALS:
        return Mtbf(len(inside), len(gaps), None, None)
    return Mtbf(len(inside), len(gaps), median(gaps), mean(gaps))


def trend(current, previous):
    """Compare two Mtbf figures: "better" (failures further apart), "worse", "steady", or None without data."""
    if current.median_days is None or previous.median_days is None or previous.median_days == 0:
        return None
    ratio = current.median_days / previous.median_days
    if ratio > 1 + TREND_TOLERANCE:
        return "better"
    if ratio < 1 - TREND_TOLERANCE:
        return "worse"
    return "steady"


def mtbf_with_trend(starts, *, now, days):
    """(this window's Mtbf, the previous window's of the same length, trend) for a window of days ending at now.

    days=None is all time: there is no previous window and no trend.
    """
    if days is None:
        current = mtbf([s for s in starts if s < now])
        return current, None, None
    length = timedelta(days=days)
    current = mtbf(starts, window_start=now - length, window_end=now)
    previous = mtbf(starts, window_start=now - 2 * length, window_end=now - length)
    return current, previous, trend(current, previous)


def quarter_of(moment):
    """The calendar quarter a moment falls in, as "2026Q1"."""
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


# Upper bounds of the duration histogram's buckets, in minutes; the last bucket is open-ended.
HISTOGRAM_BOUNDS_MINUTES = (5, 15, 30, 60, 120, 240, 480, 1440)


def histogram_labels():
    """Labels for the histogram buckets: "≤ 5 min", …, "> 1 d"."""

    def words(minutes):
        if minutes < 60:
            return f"{minutes} min"
        if minutes < 1440:
            return f"{minutes // 60} h"
        return f"{minutes // 1440} d"

    return [f"≤ {words(bound)}" for bound in HISTOGRAM_BOUNDS_MINUTES] + [f"> {words(HISTOGRAM_BOUNDS_MINUTES[-1])}"]


def histogram(minutes):
    """Counts of durations (in minutes) per HISTOGRAM_BOUNDS_MINUTES bucket, plus one open-ended bucket."""
    counts = [0] * (len(HISTOGRAM_BOUNDS_MINUTES) + 1)
    for value in minutes:
        index = next((i for i, bound in enumerate(HISTOGRAM_BOUNDS_MINUTES) if value <= bound), -1)
        counts[index] += 1
    return counts


@dataclass(frozen=True)
class Distribution:
    """Median, p90 and mean of some durations in minutes, with their count and histogram."""

    count: int
    median: float | None
    p90: float | None
    mean: float | None
    histogram: list


def distribution(minutes):
    """Summarise durations in minutes; the figures are None when there are none."""
    minutes = list(minutes)
    return Distribution(len(minutes), median(minutes), percentile(minutes, 90), mean(minutes), histogram(minutes))


# --- SLO error budgets ------------------------------------------------------------------------------


def error_budget(objective_percent):
    """The fraction of events allowed to fail: 1 - objective (99.9 % → 0.001)."""
    return 1 - objective_percent / 100


def burn_rate(good, total, objective_percent):
    """How fast the error budget burns: the error rate over the budget (1.0 uses it exactly in the window).

    None without events.
    """
    if total <= 0:
        return None
    budget = error_budget(objective_percent)
    error_rate = (total - good) / total
    return error_rate / budget if budget > 0 else (math.inf if error_rate else 0.0)


def budget_remaining(good, total, objective_percent):
    """The fraction of the window's error budget left (negative when overspent); None without events."""
    rate = burn_rate(good, total, objective_percent)
    return None if rate is None else 1 - rate


def budget_consumed(rate, *, over, window):
    """The fraction of a window's budget a burn rate spends in `over` (both timedeltas)."""
    return rate * (over / window)


def time_to_exhaustion(rate, *, window):
    """How long a whole budget lasts at a burn rate (window / rate); None when nothing burns."""
    return window / rate if rate and rate > 0 else None


@dataclass(frozen=True)
class BurnAlertRule:
    """A multi-window burn alert: it fires while both windows burn at `threshold` or faster."""

    name: str
    threshold: float
    long_window: timedelta
    short_window: timedelta
    severity: str


# The SRE workbook's recommended alerts for a 30-day SLO (chapter 5, "Alerting on SLOs", table 5-8):
# 2 % of the budget in an hour, 5 % in six hours page; 10 % in three days opens a ticket.
BURN_ALERT_RULES = (
    BurnAlertRule("fast", 14.4, timedelta(hours=1), timedelta(minutes=5), "page"),
    BurnAlertRule("medium", 6.0, timedelta(hours=6), timedelta(minutes=30), "page"),
    BurnAlertRule("slow", 1.0, timedelta(days=3), timedelta(hours=6), "ticket"),
)
ALERT_WINDOWS = sorted({w for rule in BURN_ALERT_RULES for w in (rule.long_window, rule.short_window)})

# Spike or creep: when the short window burns at least this many times faster than the long one,
# the burn is recent and sudden (likely a bug or a bad deploy); otherwise it is sustained
# (likely capacity or design).
SPIKE_RATIO = 2.0


def classify_burn(short_rate, long_rate):
    """ "spike" if the short window burns at least SPIKE_RATIO times the long one's rate, else "creep"."""
    if short_rate is None or long_rate is None:
        return None
    if long_rate <= 0:
        return "spike" if short_rate > 0 else None
    return "spike" if short_rate >= SPIKE_RATIO * long_rate else "creep"


@dataclass(frozen=True)
class BurnAlert:
    rule: BurnAlertRule
    long_rate: float
    short_rate: float
    kind: str


def burn_alerts(rates):
    """The alerts that fire, given burn rates per window ({timedelta: rate or None}), most urgent first."""
    firing = []
    for rule in BURN_ALERT_RULES:
        long_rate, short_rate = rates.get(rule.long_window), rates.get(rule.short_window)
        if long_rate is None or short_rate is None:
            continue
        if long_rate >= rule.threshold and short_rate >= rule.threshold:
            firing.append(BurnAlert(rule, long_rate, short_rate, classify_burn(short_rate, long_rate)))
    return firing


def rates_by_window(reports, *, now, objective_percent, windows=ALERT_WINDOWS):
    """Burn rate over each window ending at now, from SLI reports [(period_start, period_end, good, total)].

    A report counts in a window when its period ends inside it; None for a window with no events.
    """
    rates = {}
    for window in windows:
        start = now - window
        good = total = 0
        for _, period_end, report_good, report_total in reports:
            if start < period_end <= now:
                good += report_good
                total += report_total
        rates[window] = burn_rate(good, total, objective_percent)
    return rates
