"""Alert intake endpoints (authenticated by an intake source's token) and intake-source management."""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.throttling import FailedTokenThrottle, IntakeRateThrottle
from incidents.choices import IntakeKind
from incidents.intake.api.serializers import (
    AlertmanagerPayloadSerializer,
    GenericAlertSerializer,
    IntakeResultSerializer,
    IntakeSourceSerializer,
)
from incidents.intake.notifications import (
    notification_from_alertmanager,
    notification_from_generic,
    receive_notification,
)
from incidents.models import IntakeSource


class IntakeTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` (what Alertmanager's http_config.authorization sends) or `Token <token>`.

    Authenticates an IntakeSource, not a person: request.auth is the source.
    """

    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise AuthenticationFailed("Send the intake token as `Authorization: Bearer <token>`.")
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise AuthenticationFailed("The intake token is not valid text.") from None
        guesses = FailedTokenThrottle()
        guesses.refuse_if_guessing(request)
        source = IntakeSource.objects.authenticate(key)
        if source is None:
            guesses.record_failure(request)
            raise AuthenticationFailed("Unknown or inactive intake token.")
        return AnonymousUser(), source

    def authenticate_header(self, request):
        return 'Bearer realm="hindsight-intake"'


class IntakeTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntakeTokenAuthentication
    name = "intakeToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An intake source's token (not a person's API token). "
            "`Authorization: Token <key>` is accepted too.",
        }


class HasIntakeSource(permissions.BasePermission):
    message = "Authenticate with an intake source's token."

    def has_permission(self, request, view):
        return isinstance(request.auth, IntakeSource)


INTAKE_RESPONSES = {
    201: OpenApiResponse(IntakeResultSerializer, description="The notification opened an incident."),
    200: OpenApiResponse(
        IntakeResultSerializer,
        description="Added to the group's open incident (or nothing to do: resolved with no incident open).",
    ),
    400: OpenApiResponse(description="Malformed payload: field errors; nothing was written."),
    401: OpenApiResponse(description="Missing, unknown or inactive intake token."),
    403: OpenApiResponse(description="The token belongs to a source of the other kind."),
    503: OpenApiResponse(description="The database is unavailable; nothing was written. Retry later."),
}

ALERTMANAGER_EXAMPLE = {
    "version": "4",
    "groupKey": '{}/{severity="critical"}:{alertname="CheckoutErrorRate", service="checkout-api"}',
    "truncatedAlerts": 0,
    "status": "firing",
    "receiver": "hindsight",
    "groupLabels": {"alertname": "CheckoutErrorRate", "service": "checkout-api"},
    "commonLabels": {
        "alertname": "CheckoutErrorRate",
        "service": "checkout-api",
        "severity": "critical",
        "region": "eu-west-1",
    },
    "commonAnnotations": {
        "summary": "Checkout API 5xx rate above 5%",
        "description": "More than 5% of checkout requests failed over the last 5 minutes.",
    },
    "externalURL": "https://alertmanager.example.com",
    "alerts": [
        {
            "status": "firing",
            "labels": {
                "alertname": "CheckoutErrorRate",
                "service": "checkout-api",
                "severity": "critical",
                "region": "eu-west-1",
                "pod": "checkout-api-7d9f8-x2kq4",
            },
            "annotations": {"summary": "Checkout API 5xx rate above 5%"},
            "startsAt": "2026-03-14T09:41:30Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "https://prometheus.example.com/graph?g0.expr=...",
            "fingerprint": "a3f1c2d4e5b60789",
        }
    ],
}

GENERIC_EXAMPLE = {
    "dedup_key": "payments-latency-eu",
    "status": "firing",
    "title": "Card authorisation latency p99 above 2 s",
    "severity": "sev2",
    "services": ["payments-api", "card-vault"],
    "description": "Synthetic checks from eu-west-1 see p99 authorisation latency of 2.4 s.",
    "occurred_at": "2026-03-14T09:40:00Z",
    "labels": {"region": "eu-west-1", "customer_tier": "all"},
}


class _IntakeView(APIView):
    authentication_classes = [IntakeTokenAuthentication]
    permission_classes = [HasIntakeSource]
    throttle_classes = [IntakeRateThrottle]
    kind = None
    serializer_class = None

    def read(self, payload, source):
        raise NotImplementedError

    @extend_schema(tags=["intake"], responses=INTAKE_RESPONSES)
    def post(self, request):
        source = request.auth
        if source.kind != self.kind:
            raise PermissionDenied(
                f"The token belongs to {source.get_kind_display()} source {source.name}; "
                f"post to its own endpoint, /api/intake/{source.kind}/."
            )
        serializer = self.serializer_class(data=request.data, context={"source": source})
        serializer.is_valid(raise_exception=True)
        result = receive_notification(source=source, notification=self.read(serializer.validated_data, source))
        if result.incident is None:
            detail = "No open incident for this group; nothing to record."
        elif result.created:
            detail = f"Opened {result.incident.reference}."
        else:
            detail = f"Added {result.events_added} timeline events to {result.incident.reference}."
        body = {
            "incident": result.incident.reference if result.incident else None,
            "created": result.created,
            "events_added": result.events_added,
            "detail": detail,
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


@extend_schema(
    request=AlertmanagerPayloadSerializer,
    examples=[OpenApiExample("A firing group", value=ALERTMANAGER_EXAMPLE, request_only=True)],
)
class AlertmanagerIntakeView(_IntakeView):
    """Receive Prometheus Alertmanager webhook notifications (payload version 4).

    Configure a webhook receiver with `url: <hindsight>/api/intake/alertmanager/` and
    `http_config: {authorization: {type: Bearer, credentials: <intake token>}}`.
    One open incident per (source, groupKey): the first firing notification opens it,
    repeats add timeline events for new or changed alerts, a resolved notification
    records mitigated_at. After the incident is resolved, the next firing opens a new one.
    """

    kind = IntakeKind.ALERTMANAGER
    serializer_class = AlertmanagerPayloadSerializer

    def read(self, payload, source):
        return notification_from_alertmanager(payload, source=source)


@extend_schema(
    request=GenericAlertSerializer,
    examples=[
        OpenApiExample("Firing", value=GENERIC_EXAMPLE, request_only=True),
        OpenApiExample(
            "Resolved",
            value={"dedup_key": "payments-latency-eu", "status": "resolved", "occurred_at": "2026-03-14T10:05:00Z"},
            request_only=True,
        ),
    ],
)
class GenericIntakeView(_IntakeView):
    """Receive an alert as small JSON from any system.

    Notifications with the same `dedup_key` join one open incident; `status: resolved`
    records mitigated_at. `severity` is sev1 to sev4 or a value of the source's mapping.
    """

    kind = IntakeKind.GENERIC
    serializer_class = GenericAlertSerializer

    def read(self, payload, source):
        return notification_from_generic(payload, source=source)


class IsSiteAdmin(permissions.BasePermission):
    message = "Only site administrators manage intake sources."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_superuser)


@extend_schema(tags=["intake"])
class IntakeSourceViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Intake sources (site admins only). The token is in the answer to the create request, and only there."""

    queryset = IntakeSource.objects.select_related("team")
    serializer_class = IntakeSourceSerializer
    permission_classes = [IsSiteAdmin]
    lookup_field = "name"
    filterset_fields = {"kind": ["exact"], "team__slug": ["exact"], "active": ["exact"]}

    def perform_create(self, serializer):
        source, key = IntakeSource.objects.create_with_token(**serializer.validated_data)
        source.issued_token = key
        serializer.instance = source
