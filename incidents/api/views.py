from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.permissions import can_write_anywhere
from core.api import ConditionalUpdateMixin, Conflict, created_or_repeated
from incidents.api.serializers import IncidentSerializer, TimelineEventSerializer
from incidents.choices import Status
from incidents.filtersets import IncidentFilterSet
from incidents.models import Incident, TimelineEvent, may_edit

REFERENCE_PARAMETER = OpenApiParameter(
    "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="The incident reference, e.g. INC-42."
)
EDIT_REFUSED = "You need a responder (or higher) role in the incident's team or the team of an affected service."
DELETE_REFUSED = "You need a lead role in the incident's team to delete it."
HIDDEN_TWIN = (
    "An incident you cannot see (restricted, or deleted) already has this source and external_id; nothing was created."
)


class IncidentPermission(permissions.BasePermission):
    """Anyone signed in reads what they may see; writes need `Incident.can_edit` (responders of its teams)."""

    message = EDIT_REFUSED

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in permissions.SAFE_METHODS or can_write_anywhere(request.user)

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.can_edit(request.user)


def require_may_edit(user, data, instance=None):
    """Refuse (403) a create or update that would leave an incident the user could not edit."""

    def value(name, default):
        if name in data:
            return data[name]
        return getattr(instance, name) if instance is not None else default

    def many(name):
        if name in data:
            return data[name]
        return list(getattr(instance, name).all()) if instance is not None else []

    if not may_edit(
        user,
        team=value("team", None),
        services=many("services"),
        restricted=value("restricted", False),
        allowed_teams=many("allowed_teams"),
    ):
        raise PermissionDenied(EDIT_REFUSED + " A restricted incident must stay visible to one of your teams.")


@extend_schema_view(
    retrieve=extend_schema(parameters=[REFERENCE_PARAMETER]),
    update=extend_schema(parameters=[REFERENCE_PARAMETER]),
    partial_update=extend_schema(parameters=[REFERENCE_PARAMETER]),
    destroy=extend_schema(parameters=[REFERENCE_PARAMETER]),
)
class IncidentViewSet(ConditionalUpdateMixin, viewsets.ModelViewSet):
    """Incidents, addressed by reference (`INC-42`). Restricted incidents you may not see are 404.

    A `status` change must follow the lifecycle (investigating → identified → monitoring → resolved →
    closed, with going back allowed while live); it is recorded on the timeline. GET of one incident
    returns an `ETag`; PUT and PATCH must send it back in `If-Match` (428 without it, 412 if someone
    saved since).

    POST is idempotent on (source, external_id): creating an incident that was created before answers
    200 with that incident as it is now, unchanged (people may have edited it since; change it with
    PATCH and If-Match). If that incident is one you cannot see, the answer is 409 and says no more.
    """

    queryset = Incident.objects.all()  # names the model for the router and schema; see get_queryset
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    permission_classes = [IncidentPermission]
    lookup_field = "reference"
    lookup_value_regex = r"[A-Za-z]+-\d+|\d+"

    def get_queryset(self):
        return (
            Incident.objects.visible_to(self.request.user)
            .select_related("team", "commander", "reporter")
            .prefetch_related("services", "allowed_teams", "tags__service")
            .order_by("-started_at", "-id")
        )

    def get_object(self):
        incident = get_object_or_404(self.get_queryset().by_reference(self.kwargs["reference"]))
        self.check_object_permissions(self.request, incident)
        return incident

    @extend_schema(
        responses={
            **created_or_repeated(
                IncidentSerializer,
                repeat="An incident with this (source, external_id) was created before: that one, unchanged.",
            ),
            409: OpenApiResponse(description="An incident you cannot see already has this (source, external_id)."),
        }
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_may_edit(request.user, data)
        if not data.get("external_id"):
            return self._created(serializer)
        key = {"source": data["source"], "external_id": data["external_id"]}
        existing = Incident.objects.filter(**key).first()
        if existing is None:
            try:
                with transaction.atomic():
                    return self._created(serializer)
            except IntegrityError:
                # A concurrent create of the same incident won the race: ours is the repeat.
                existing = Incident.objects.filter(**key).first()
                if existing is None:
                    raise
        shown = self.get_queryset().filter(pk=existing.pk).first()
        if shown is None:
            raise Conflict(HIDDEN_TWIN)
        return Response(self.get_serializer(shown).data, status=status.HTTP_200_OK)

    def _created(self, serializer):
        self.perform_create(serializer)
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def perform_create(self, serializer):
        serializer.save(reporter=serializer.validated_data.get("reporter") or self.request.user)

    def perform_destroy(self, incident):
        """Deleting archives: the incident is hidden everywhere and a lead of its team can restore it."""
        if not incident.can_delete(self.request.user):
            raise PermissionDenied(DELETE_REFUSED)
        incident.archive(by=self.request.user)

    @extend_schema(request=None, responses={200: IncidentSerializer}, parameters=[REFERENCE_PARAMETER])
    @action(detail=True, methods=["post"])
    def restore(self, request, reference=None, format=None):
        """Restore a deleted incident (a lead of its team); 404 unless it is deleted and yours to restore."""
        incident = get_object_or_404(Incident.objects.deleted_restorable_by(request.user).by_reference(reference))
        incident.restore(by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=incident.pk)).data)

    def perform_update(self, serializer):
        incident = serializer.instance
        require_may_edit(self.request.user, serializer.validated_data, incident)
        status = serializer.validated_data.pop("status", incident.status)
        with transaction.atomic():  # a refused status change leaves the other fields unchanged too
            incident = serializer.save()
            if status != incident.status:
                at = serializer.validated_data.get("resolved_at") if status == Status.RESOLVED else None
                incident.change_status(status, by=self.request.user, at=at)


class TimelineEventViewSet(viewsets.ModelViewSet):
    """The timeline of one incident (`/api/incidents/INC-42/timeline/`); events are addressed by id."""

    serializer_class = TimelineEventSerializer
    permission_classes = [IncidentPermission]
    filterset_class = None
    filter_backends = []

    def incident(self):
        if not hasattr(self, "_incident"):
            queryset = Incident.objects.visible_to(self.request.user).prefetch_related("services", "allowed_teams")
            self._incident = get_object_or_404(queryset.by_reference(self.kwargs["reference"]))
        return self._incident

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TimelineEvent.objects.none()
        return self.incident().timeline.select_related("author")

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method not in permissions.SAFE_METHODS and not self.incident().can_edit(request.user):
            # Writes to the timeline need the same right as editing the incident itself.
            self.permission_denied(request, message=EDIT_REFUSED)

    def check_object_permissions(self, request, obj):
        """Already checked against the incident in `check_permissions`."""

    def perform_create(self, serializer):
        serializer.save(incident=self.incident(), author=self.request.user)


extend_schema_view(
    list=extend_schema(parameters=[REFERENCE_PARAMETER]),
    create=extend_schema(parameters=[REFERENCE_PARAMETER]),
    retrieve=extend_schema(parameters=[REFERENCE_PARAMETER]),
    update=extend_schema(parameters=[REFERENCE_PARAMETER]),
    partial_update=extend_schema(parameters=[REFERENCE_PARAMETER]),
    destroy=extend_schema(parameters=[REFERENCE_PARAMETER]),
)(TimelineEventViewSet)
