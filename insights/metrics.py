"""The metric math behind insights, as small pure functions: no database, no clock.

Every figure travels with the count behind it, and a figure computed from too few
observations is reported as "not enough data" (None) rather than as a number.
"""

import bisect
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
    return _median_of_sorted(sorted(values))


def _median_of_sorted(ordered):
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
    return _percentile_of_sorted(sorted(values), p)


def _percentile_of_sorted(ordered, p):
    return ordered[math.ceil(p / 100 * len(ordered)) - 1] if ordered else None


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
    """Counts of durations (in minutes) per HISTOGRAM_BOUNDS_MINUTES bucket, plus one open-ended bucket.

    A value on a bound counts in the bucket that bound closes ("≤ 5 min" holds 5).
    """
    return _histogram_of_sorted(sorted(minutes))


def _histogram_of_sorted(ordered):
    # How many values are at or below each bound; the differences are the buckets.
    at_or_below = [0, *(bisect.bisect_right(ordered, bound) for bound in HISTOGRAM_BOUNDS_MINUTES), len(ordered)]
    return [later - earlier for earlier, later in itertools.pairwise(at_or_below)]


@dataclass(frozen=True)
class Distribution:
    """Median, p90 and mean of some durations in minutes, with their count and histogram."""

    count: int
    median: float | None
    p90: float | None
    mean: float | None
    histogram: list


def distribution(minutes):
    """Summarise durations in minutes; the figures are None when there are none. Sorts once."""
    ordered = sorted(minutes)
    return Distribution(
        len(ordered),
        _median_of_sorted(ordered),
        _percentile_of_sorted(ordered, 90),
        sum(ordered) / len(ordered) if ordered else None,
        _histogram_of_sorted(ordered),
    )
