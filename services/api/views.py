from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as viewset_action
from rest_framework.exceptions import ParseError, PermissionDenied, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from accounts.permissions import TargetTeamMixin, TeamWritePermission, has_team_role, require_team_role
from core.api import created_or_repeated
from core.parsers import JSONParser
from services import slos as slo_workflows
from services.api.serializers import (
    DependencySerializer,
    DeploymentSerializer,
    OpenSLOImportSerializer,
    ServiceSerializer,
    SLIReportSerializer,
    SLOSerializer,
)
from services.filtersets import DeploymentFilterSet, ServiceFilterSet
from services.models import SLO, Dependency, Deployment, Service, SLIReport


class ServiceViewSet(TargetTeamMixin, viewsets.ModelViewSet):
    """The service catalog. Addressed by slug; `team` is a team slug."""

    queryset = Service.objects.select_related("team").prefetch_related("dependencies__depends_on")
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilterSet
    lookup_field = "slug"
    permission_classes = [TeamWritePermission]


class DependencyViewSet(TargetTeamMixin, viewsets.ModelViewSet):
    """Edges of the service graph: `service` depends on `depends_on` (both slugs)."""

    queryset = Dependency.objects.select_related("service__team", "depends_on")
    serializer_class = DependencySerializer
    permission_classes = [TeamWritePermission]
    filterset_fields = {"service__slug": ["exact"], "depends_on__slug": ["exact"], "kind": ["exact"]}
    target_team_field = "service"


class DeploymentViewSet(TargetTeamMixin, viewsets.ModelViewSet):
    """Deployments as pipelines report them.

    POST is idempotent on (source, external_id): posting the same event again
    updates that one row and answers 200 instead of 201.
    """

    queryset = Deployment.objects.select_related("service__team")
    serializer_class = DeploymentSerializer
    filterset_class = DeploymentFilterSet
    permission_classes = [TeamWritePermission]
    target_team_field = "service"

    @extend_schema(
        responses=created_or_repeated(
            DeploymentSerializer, repeat="The same (source, external_id) was posted before; that row, updated."
        )
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self.require_target_team(data)
        if not data.get("external_id"):
            deployment = serializer.save()
            return Response(self.get_serializer(deployment).data, status=status.HTTP_201_CREATED)
        key = {"source": data["source"], "external_id": data["external_id"]}
        existing = Deployment.objects.filter(**key).select_related("service__team").first()
        if existing is None:
            try:
                with transaction.atomic():
                    deployment = serializer.save()
                return Response(self.get_serializer(deployment).data, status=status.HTTP_201_CREATED)
            except IntegrityError:
                # A concurrent post of the same event won the race: treat ours as the repeat.
                existing = Deployment.objects.select_related("service__team").get(**key)
        require_team_role(request.user, existing.service.team)
        serializer = self.get_serializer(existing, data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data, status=status.HTTP_200_OK)


class YAMLTextParser(BaseParser):
    """An OpenSLO file posted as it is (application/yaml)."""

    media_type = "application/yaml"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return {"document": stream.read().decode("utf-8")}
        except UnicodeDecodeError:
            raise ParseError("The YAML must be UTF-8.") from None


class SLOViewSet(TargetTeamMixin, viewsets.ModelViewSet):
    """Service level objectives. `service` is a service slug; (service, name) is unique.

    POST `import/` takes OpenSLO v1 YAML (as `application/yaml`, or JSON `{"document": "…"}`): every document of
    kind SLO is created or updated, all or nothing; a malformed file gets a 400 naming the document and field.
    """

    queryset = SLO.objects.for_display()
    serializer_class = SLOSerializer
    permission_classes = [TeamWritePermission]
    filterset_fields = {"service__slug": ["exact"]}
    target_team_field = "service"

    @extend_schema(
        request={"application/yaml": OpenApiTypes.STR, "application/json": OpenSLOImportSerializer},
        responses={200: SLOSerializer(many=True)},
    )
    @viewset_action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[YAMLTextParser, JSONParser],
        serializer_class=OpenSLOImportSerializer,
    )
    def import_openslo(self, request):
        """Create or update SLOs from an OpenSLO v1 file; all or nothing."""
        payload = OpenSLOImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            slos = slo_workflows.import_openslo(
                payload.validated_data["document"], may_write=lambda service: has_team_role(request.user, service.team)
            )
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise ValidationError({"document": exc.messages}) from None
        return Response(SLOSerializer(slos, many=True).data)


class SLIReportViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """SLI reports: good and total events of an SLO (by id) over a period.

    POST is idempotent on (slo, period_start, period_end): the same period again updates that row and answers 200.
    """

    queryset = SLIReport.objects.select_related("slo__service").order_by("-period_end", "-id")
    serializer_class = SLIReportSerializer
    permission_classes = [TeamWritePermission]
    filterset_fields = {"slo": ["exact"]}

    @extend_schema(
        responses=created_or_repeated(SLIReportSerializer, repeat="That period was reported before; that row, updated.")
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_team_role(request.user, data["slo"].service.team)
        report, created = slo_workflows.record_sli_report(**data)
        return Response(
            self.get_serializer(report).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
