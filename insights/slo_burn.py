"""Compute an SLO's budget and burn into SLOStatus, and open an incident while it burns fast.

A fast burn (a paging alert of the SRE workbook: 14.4 times over 1 h and 5 min, or 6 times over 6 h and
30 min) goes through the alert intake like any monitoring system's alert: its group is the SLO,
so there is one open incident per SLO while it burns, and a burn after that incident is
resolved opens a new one.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import Team
from incidents.choices import AlertStatus, IntakeKind, Severity
from incidents.intake.notifications import Notification, ReceivedAlert, receive_notification
from incidents.models import IntakeSource
from insights.models import SLOStatus
from services.models import SLO

SOURCE_NAME = "slo-burn-{team}"


def window_label(delta):
    seconds = int(delta.total_seconds())
    if seconds % 86400 == 0:
        return f"{seconds // 86400}d"
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    return f"{seconds // 60}m"


def intake_source_for(team: Team):
    """The intake source SLO burns of a team's services arrive through (made on first use)."""
    source = IntakeSource.objects.filter(name=SOURCE_NAME.format(team=team.slug)).first()
    if source is None:
        source, _ = IntakeSource.objects.create_with_token(
            name=SOURCE_NAME.format(team=team.slug), kind=IntakeKind.GENERIC, team=team, default_severity=Severity.SEV2
        )
    return source


def open_burn_incident(slo, budget, *, now):
    """Send the fast burn to the intake as a firing alert of the SLO's group; return the incident."""
    alert = budget.fast_burn
    title = f"{slo.service.name}: {slo.user_journey} is burning its error budget ({alert.long_rate:.1f}× over {window_label(alert.rule.long_window)})"
    notification = Notification(
        group_key=f"slo:{slo.pk}",
        status=AlertStatus.FIRING,
        title=title,
        description=(
            f"SLO {slo} ({slo.objective_percent}% over {slo.window_days} days): burn rate {alert.long_rate:.1f} over "
            f"{window_label(alert.rule.long_window)} and {alert.short_rate:.1f} over {window_label(alert.rule.short_window)}; "
            f"a {alert.kind}."
        ),
        alerts=[
            ReceivedAlert(
                fingerprint=f"slo-{slo.pk}-{alert.rule.name}",
                status=AlertStatus.FIRING,
                name=f"SLO burn {alert.rule.name}",
                labels={"slo": slo.name, "burn": alert.kind},
                # No start time: a burn that goes on is the same alert, not a new timeline event per report.
                starts_at=None,
                severity=Severity.SEV2,
                services=[slo.service.slug],
            )
        ],
        context_labels={"slo": slo.name},
    )
    return receive_notification(source=intake_source_for(slo.service.team), notification=notification, now=now).incident


@transaction.atomic
def refresh_slo_status(*, slo_id, now=None):
    """Recompute one SLO's status row; on a fast burn, open (or add to) its incident. Return the row, or None."""
    now = now or timezone.now()
    slo = SLO.objects.select_related("service__team").filter(pk=slo_id).first()
    if slo is None:
        return None
    budget = slo.budget(now=now)
    status = SLOStatus.objects.select_for_update().filter(slo=slo).first() or SLOStatus(slo=slo)
    status.good, status.total, status.report_count = budget.good, budget.total, budget.report_count
    status.budget_remaining, status.burn_rate = budget.remaining, budget.burn_rate
    status.rates = {window_label(window): rate for window, rate in budget.rates.items()}
    status.alerts = [
        {
            "rule": a.rule.name,
            "severity": a.rule.severity,
            "long_window": window_label(a.rule.long_window),
            "short_window": window_label(a.rule.short_window),
            "long_rate": round(a.long_rate, 2),
            "short_rate": round(a.short_rate, 2),
            "kind": a.kind,
        }
        for a in budget.alerts
    ]
    status.burn_kind = budget.alerts[0].kind if budget.alerts else ""
    if budget.fast_burn is not None:
        status.incident = open_burn_incident(slo, budget, now=now)
    status.computed_at = now
    status.save()
    return status
