"""The metric math against naive computations and the SRE workbook's worked examples."""

import statistics
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insights import metrics

T0 = datetime(2026, 1, 1, tzinfo=UTC)
durations = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=60)
starts = st.lists(st.integers(min_value=0, max_value=5 * 365 * 24 * 60), max_size=40).map(
    lambda minutes: [T0 + timedelta(minutes=m) for m in minutes]
)


def naive_percentile(values, p):
    """The smallest observed value with at least p% of the values at or below it, by counting."""
    for candidate in sorted(values):
        if sum(1 for v in values if v <= candidate) >= p / 100 * len(values):
            return candidate
    raise AssertionError("unreachable")


def naive_intervals(moments):
    """Every gap from each start to the next later-or-equal one, found by searching rather than sorting."""
    remaining = list(moments)
    gaps = []
    current = min(remaining) if remaining else None
    while len(remaining) > 1:
        remaining.remove(current)
        following = min(remaining)
        gaps.append((following - current).total_seconds() / 86400)
        current = following
    return gaps


@given(durations)
def test_median_matches_the_statistics_module(values):
    assert metrics.median(values) == pytest.approx(statistics.median(values))


@given(durations, st.integers(min_value=1, max_value=100))
def test_percentile_matches_counting(values, p):
    assert metrics.percentile(values, p) == naive_percentile(values, p)


@given(durations)
def test_p90_is_never_below_the_median(values):
    assert metrics.percentile(values, 90) >= metrics.median(values) - 1e-9 * max(values)


@given(starts)
def test_mtbf_matches_a_naive_computation(moments):
    figure = metrics.mtbf(moments)
    gaps = naive_intervals(moments)
    assert (figure.incident_count, figure.interval_count) == (len(moments), len(gaps))
    if len(gaps) >= 3:
        assert figure.median_days == pytest.approx(statistics.median(gaps))
        assert figure.mean_days == pytest.approx(statistics.fmean(gaps))


@given(starts)
def test_mtbf_says_not_enough_data_below_three_intervals(moments):
    figure = metrics.mtbf(moments)
    assert figure.enough_data == (len(moments) >= 4)
    assert (figure.median_days is None) == (len(moments) < 4)


@given(starts, st.integers(min_value=0, max_value=5 * 365), st.integers(min_value=1, max_value=400))
def test_mtbf_in_a_window_counts_only_the_incidents_inside_it(moments, offset_days, length_days):
    start = T0 + timedelta(days=offset_days)
    end = start + timedelta(days=length_days)
    figure = metrics.mtbf(moments, window_start=start, window_end=end)
    inside = [m for m in moments if start <= m < end]
    assert figure.incident_count == len(inside)
    assert figure.interval_count == max(len(inside) - 1, 0)


def test_mtbf_of_a_worked_example():
    moments = [T0 + timedelta(days=d) for d in (0, 10, 30, 31, 61)]
    figure = metrics.mtbf(moments)
    # Gaps 10, 20, 1, 30 days: median 15, mean 15.25.
    assert (figure.incident_count, figure.interval_count, figure.median_days, figure.mean_days) == (5, 4, 15, 15.25)


def test_trend_calls_failures_further_apart_better():
    now = T0 + timedelta(days=180)
    # Previous 90 days: an incident every 5 days; these 90 days: every 20 days.
    moments = [T0 + timedelta(days=d) for d in range(0, 90, 5)] + [T0 + timedelta(days=d) for d in range(95, 180, 20)]
    current, previous, direction = metrics.mtbf_with_trend(moments, now=now, days=90)
    assert (current.median_days, previous.median_days, direction) == (20, 5, "better")


def test_trend_is_unknown_when_either_window_lacks_data():
    moments = [T0 + timedelta(days=d) for d in (100, 120, 140, 160, 170)]
    _, previous, direction = metrics.mtbf_with_trend(moments, now=T0 + timedelta(days=180), days=90)
    assert (previous.enough_data, direction) == (False, None)


@given(st.lists(st.floats(min_value=0, max_value=5000, allow_nan=False), max_size=50))
def test_histogram_counts_every_duration_once(values):
    counts = metrics.histogram(values)
    assert sum(counts) == len(values)
    assert len(counts) == len(metrics.histogram_labels())


@given(st.lists(st.floats(min_value=0, max_value=5000, allow_nan=False), max_size=50))
def test_histogram_matches_a_naive_count(values):
    bounds = metrics.HISTOGRAM_BOUNDS_MINUTES
    naive = [0] * (len(bounds) + 1)
    for value in values:
        naive[next((i for i, bound in enumerate(bounds) if value <= bound), len(bounds))] += 1
    assert metrics.histogram(values) == naive


@given(st.lists(st.floats(min_value=0, max_value=5000, allow_nan=False), max_size=50))
def test_distribution_agrees_with_the_separate_figures(values):
    figure = metrics.distribution(iter(values))
    assert (figure.count, figure.median, figure.p90, figure.histogram) == (
        len(values),
        statistics.median(values) if values else None,
        naive_percentile(values, 90) if values else None,
        metrics.histogram(values),
    )
    assert figure.mean == (pytest.approx(statistics.fmean(values)) if values else None)


def test_histogram_puts_bounds_in_the_lower_bucket():
    assert metrics.histogram([5, 5.5, 2000]) == [1, 1, 0, 0, 0, 0, 0, 0, 1]


def test_quarter_of():
    assert [metrics.quarter_of(datetime(2026, m, 1)) for m in (1, 3, 4, 12)] == ["2026Q1"] * 2 + ["2026Q2", "2026Q4"]
