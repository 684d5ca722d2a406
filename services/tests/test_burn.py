"""SLO burn arithmetic against the SRE workbook's worked examples (chapter 5)."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services import burn

T0 = datetime(2026, 1, 1, tzinfo=UTC)

THIRTY_DAYS = timedelta(days=30)


def test_burn_rate_one_uses_the_budget_exactly():
    # 99.9 % SLO, 0.1 % errors: burn rate 1.
    assert burn.burn_rate(999_000, 1_000_000, 99.9) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("rate", "exhausted_in"),
    # Workbook table 5-4: time to exhaust a 30-day budget at a burn rate.
    [(1, timedelta(days=30)), (2, timedelta(days=15)), (10, timedelta(days=3)), (1000, timedelta(minutes=43.2))],
)
def test_time_to_exhaustion_matches_the_workbook(rate, exhausted_in):
    assert burn.time_to_exhaustion(rate, window=THIRTY_DAYS) == exhausted_in


@pytest.mark.parametrize(
    ("rule", "consumed"),
    # Workbook table 5-8: 2 % of the budget in 1 h, 5 % in 6 h, 10 % in 3 days.
    [("fast", 0.02), ("medium", 0.05), ("slow", 0.10)],
)
def test_alert_thresholds_spend_the_workbooks_share_of_the_budget(rule, consumed):
    rule = next(r for r in burn.BURN_ALERT_RULES if r.name == rule)
    spent = burn.budget_consumed(rule.threshold, over=rule.long_window, window=THIRTY_DAYS)
    assert spent == pytest.approx(consumed)


def test_workbook_example_100_percent_errors_burn_1000_times():
    # "a 100% outage … burn rate of 1,000 … exhausts the budget in 43 minutes" for 99.9 %.
    assert burn.burn_rate(0, 500, 99.9) == pytest.approx(1000)


def test_fast_alert_needs_both_windows():
    hour, five = timedelta(hours=1), timedelta(minutes=5)
    assert burn.burn_alerts({hour: 20, five: 3}) == []
    (alert,) = [a for a in burn.burn_alerts({hour: 20, five: 30}) if a.rule.name == "fast"]
    assert alert.rule.severity == "page"


def test_a_recovered_burn_stops_alerting():
    # The long window still remembers the burn, the short one has recovered: no alert (the point of two windows).
    rates = dict.fromkeys(burn.ALERT_WINDOWS, 0.0) | {timedelta(hours=1): 15.0, timedelta(hours=6): 7.0}
    assert burn.burn_alerts(rates) == []


def test_a_short_window_far_above_the_long_one_is_a_spike():
    assert burn.classify_burn(30, 14.4) == "spike"
    assert burn.classify_burn(1.2, 1.1) == "creep"


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_budget_remaining_is_one_minus_the_burn(bad, extra):
    total = bad + extra
    remaining = burn.budget_remaining(total - bad, total, 99.0)
    assert remaining == pytest.approx(1 - (bad / total) / 0.01)


def test_rates_by_window_counts_reports_ending_inside_each_window():
    now = T0 + timedelta(days=10)
    reports = [
        (now - timedelta(minutes=10), now - timedelta(minutes=5), 90, 100),  # inside every window
        (now - timedelta(hours=2), now - timedelta(hours=1, minutes=30), 100, 100),  # 6 h and longer
    ]
    rates = burn.rates_by_window(reports, now=now, objective_percent=99.0)
    assert rates[timedelta(minutes=5)] is None
    assert rates[timedelta(hours=1)] == pytest.approx(10.0)
    assert rates[timedelta(hours=6)] == pytest.approx(5.0)
