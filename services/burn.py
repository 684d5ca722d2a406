"""Error-budget arithmetic for SLOs, as pure functions: burn rates and the SRE workbook's burn alerts.

The Site Reliability Workbook, chapter 5 ("Alerting on SLOs"), is the reference for every
number here; the tests check its worked examples.
"""

import math
from dataclasses import dataclass
from datetime import timedelta


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
