"""Demo alert intake: the production Alertmanager as an intake source, and one incident it opened.

The source's token is issued and thrown away (only its hash is stored): to point a
real Alertmanager at the demo, issue a new token in the admin. Idempotent: rows are
found by natural key (source name; source + group key) and only created when missing.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Team
from incidents.choices import IntakeKind
from incidents.intake.notifications import notification_from_alertmanager, receive_notification
from incidents.models import Incident, IntakeSource
from services.choices import DeploymentStatus
from services.models import Deployment, Service

SOURCES = {
    # name: (kind, team slug)
    "alertmanager-prod": (IntakeKind.ALERTMANAGER, "platform"),
    "synthetics": (IntakeKind.GENERIC, "checkout"),
}

CHECKOUT_GROUP = '{}/{severity="critical"}:{alertname="CheckoutHighErrorRate", service="checkout-api"}'


def seed_intake(*, now=None):
    """Create the demo intake sources and the incident Alertmanager opened for checkout errors."""
    now = now or timezone.now()
    sources = {}
    for name, (kind, team_slug) in SOURCES.items():
        source = IntakeSource.objects.filter(name=name).first()
        if source is None:
            source, _token = IntakeSource.objects.create_with_token(
                name=name, kind=kind, team=Team.objects.get(slug=team_slug)
            )
        sources[name] = source
    source = sources["alertmanager-prod"]
    if not Incident.objects.filter(intake_source=source, group_key=CHECKOUT_GROUP).exists():
        started = (now - timedelta(hours=2)).replace(second=0, microsecond=0)
        # The deploy that went wrong: rolled back after the errors began.
        Deployment.objects.get_or_create(
            source="argo-cd",
            external_id="checkout-api-demo-error-rate",
            defaults={
                "service": Service.objects.get(slug="checkout-api"),
                "version": "v1.21.0",
                "commit_sha": "9f2c4e1a7b3d5f608e1c2a4b6d8f0a1c3e5b7d9f",
                "started_at": started - timedelta(minutes=25),
                "finished_at": started + timedelta(minutes=30),
                "status": DeploymentStatus.ROLLED_BACK,
            },
        )
        _alertmanager_checkout_errors(source, started=started)
    return sources


def _alertmanager_checkout_errors(source, *, started):
    def alert(pod, fingerprint, minutes, rate):
        return {
            "status": "firing",
            "labels": {
                "alertname": "CheckoutHighErrorRate",
                "service": "checkout-api",
                "severity": "critical",
                "namespace": "checkout",
                "region": "eu-west-1",
                "pod": pod,
            },
            "annotations": {
                "summary": "Checkout API 5xx rate above 5%",
                "description": f"{rate}% of checkout requests failed over the last 5 minutes.",
            },
            "startsAt": started + timedelta(minutes=minutes),
            "endsAt": None,
            "generatorURL": "https://prometheus.example.com/graph?g0.expr=checkout_5xx_ratio",
            "fingerprint": fingerprint,
        }

    payload = {
        "groupKey": CHECKOUT_GROUP,
        "status": "firing",
        "commonLabels": {"alertname": "CheckoutHighErrorRate", "service": "checkout-api", "region": "eu-west-1"},
        "commonAnnotations": {"summary": "Checkout API 5xx rate above 5%"},
        "externalURL": "https://alertmanager.example.com",
        "alerts": [alert("checkout-api-7d9f8c6b5-x2kq4", "4c8d1f7a2b9e3c05", 0, 7.3)],
    }
    detected = started + timedelta(minutes=3)
    receive_notification(
        source=source, notification=notification_from_alertmanager(payload, source=source), now=detected
    )
    payload["alerts"].append(alert("checkout-api-7d9f8c6b5-q8rzt", "9a0e6b3c1d2f4e87", 2, 9.1))
    receive_notification(
        source=source,
        notification=notification_from_alertmanager(payload, source=source),
        now=detected + timedelta(minutes=1),
    )
