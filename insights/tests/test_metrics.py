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


def test_histogram_puts_bounds_in_the_lower_bucket():
    assert metrics.histogram([5, 5.5, 2000]) == [1, 1, 0, 0, 0, 0, 0, 0, 1]


def test_quarter_of():
    assert [metrics.quarter_of(datetime(2026, m, 1)) for m in (1, 3, 4, 12)] == ["2026Q1"] * 2 + ["2026Q2", "2026Q4"]


# --- SLO burn: the SRE workbook, chapter 5 ------------------------------------------------------------

THIRTY_DAYS = timedelta(days=30)


def test_burn_rate_one_uses_the_budget_exactly():
    # 99.9 % SLO, 0.1 % errors: burn rate 1.
    assert metrics.burn_rate(999_000, 1_000_000, 99.9) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("rate", "exhausted_in"),
    # Workbook table 5-4: time to exhaust a 30-day budget at a burn rate.
    [(1, timedelta(days=30)), (2, timedelta(days=15)), (10, timedelta(days=3)), (1000, timedelta(minutes=43.2))],
)
def test_time_to_exhaustion_matches_the_workbook(rate, exhausted_in):
    assert metrics.time_to_exhaustion(rate, window=THIRTY_DAYS) == exhausted_in


@pytest.mark.parametrize(
    ("rule", "consumed"),
    # Workbook table 5-8: 2 % of the budget in 1 h, 5 % in 6 h, 10 % in 3 days.
    [("fast", 0.02), ("medium", 0.05), ("slow", 0.10)],
)
def test_alert_thresholds_spend_the_workbooks_share_of_the_budget(rule, consumed):
    rule = next(r for r in metrics.BURN_ALERT_RULES if r.name == rule)
    spent = metrics.budget_consumed(rule.threshold, over=rule.long_window, window=THIRTY_DAYS)
    assert spent == pytest.approx(consumed)


def test_workbook_example_100_percent_errors_burn_1000_times():
    # "a 100% outage … burn rate of 1,000 … exhausts the budget in 43 minutes" for 99.9 %.
    assert metrics.burn_rate(0, 500, 99.9) == pytest.approx(1000)


def test_fast_alert_needs_both_windows():
    hour, five = timedelta(hours=1), timedelta(minutes=5)
    assert metrics.burn_alerts({hour: 20, five: 3}) == []
    (alert,) = [a for a in metrics.burn_alerts({hour: 20, five: 30}) if a.rule.name == "fast"]
    assert alert.rule.severity == "page"


def test_a_recovered_burn_stops_alerting():
    # The long window still remembers the burn, the short one has recovered: no alert (the point of two windows).
    rates = dict.fromkeys(metrics.ALERT_WINDOWS, 0.0) | {timedelta(hours=1): 15.0, timedelta(hours=6): 7.0}
    assert metrics.burn_alerts(rates) == []


def test_a_short_window_far_above_the_long_one_is_a_spike():
    assert metrics.classify_burn(30, 14.4) == "spike"
    assert metrics.classify_burn(1.2, 1.1) == "creep"


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_budget_remaining_is_one_minus_the_burn(bad, extra):
    total = bad + extra
    remaining = metrics.budget_remaining(total - bad, total, 99.0)
    assert remaining == pytest.approx(1 - (bad / total) / 0.01)


def test_rates_by_window_counts_reports_ending_inside_each_window():
    now = T0 + timedelta(days=10)
    reports = [
        (now - timedelta(minutes=10), now - timedelta(minutes=5), 90, 100),  # inside every window
        (now - timedelta(hours=2), now - timedelta(hours=1, minutes=30), 100, 100),  # 6 h and longer
    ]
    rates = metrics.rates_by_window(reports, now=now, objective_percent=99.0)
    assert rates[timedelta(minutes=5)] is None
    assert rates[timedelta(hours=1)] == pytest.approx(10.0)
    assert rates[timedelta(hours=6)] == pytest.approx(5.0)
