"""Suspect deployments of an incident: list them, confirm or dismiss one."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.correlation import suspects as correlation
from incidents.correlation.api.serializers import SuspectDeploymentSerializer
from incidents.models import Incident, SuspectDeployment


def visible_incident(request, reference):
    """The incident named by `INC-42`, or 404 if it does not exist or the user may not see it."""
    return get_object_or_404(Incident.objects.visible_to(request.user).by_reference(reference))


@extend_schema(tags=["incidents"])
class SuspectDeploymentListView(generics.ListAPIView):
    """Deployments suspected of causing the incident, most likely first; filter with `state`."""

    serializer_class = SuspectDeploymentSerializer
    filterset_fields = {"state": ["exact"]}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SuspectDeployment.objects.none()
        incident = visible_incident(self.request, self.kwargs["reference"])
        return incident.suspect_deployments.for_display().select_related("incident")


class _SuspectDecisionView(APIView):
    decide = None

    @extend_schema(
        tags=["incidents"],
        request=None,
        responses={
            200: SuspectDeploymentSerializer,
            403: OpenApiResponse(description="Only responders and leads of the incident's team may decide."),
            404: OpenApiResponse(description="No such incident or suspect, or the incident is restricted."),
        },
    )
    def post(self, request, reference, pk):
        incident = visible_incident(request, reference)
        suspect = get_object_or_404(incident.suspect_deployments.select_related("deployment__service"), pk=pk)
        if not incident.can_edit(request.user):
            raise PermissionDenied("Only responders and leads of the incident's team may confirm or dismiss suspects.")
        try:
            self.decide(suspect=suspect, by=request.user)
        except SuspectDeployment.DoesNotExist:
            raise NotFound("A re-correlation dropped this suggestion meanwhile.") from None
        suspect = SuspectDeployment.objects.for_display().select_related("incident").get(pk=suspect.pk)
        return Response(SuspectDeploymentSerializer(suspect).data)


class SuspectDeploymentConfirmView(_SuspectDecisionView):
    """Confirm a suspect: its deployment becomes the incident's linked deploy version."""

    decide = staticmethod(correlation.confirm_suspect)


class SuspectDeploymentDismissView(_SuspectDecisionView):
    """Dismiss a suspect; a deploy-version tag its confirmation added is removed. Re-runs keep it dismissed."""

    decide = staticmethod(correlation.dismiss_suspect)
