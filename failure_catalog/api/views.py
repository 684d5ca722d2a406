from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import TeamWritePermission, can_write_anywhere
from core.api import created_or_repeated
from core.parsers import JSONParser, read_bounded  # bounded size and depth (DRF's JSONParser is not)
from failure_catalog.api.serializers import (
    CoverageSerializer,
    ExperimentSerializer,
    FailureModeAnalysisSerializer,
    FaultTypeSerializer,
    GateDecisionSerializer,
    GateQuerySerializer,
    ImportRequestSerializer,
    ImportResultSerializer,
    RequirementSerializer,
)
from failure_catalog.choices import RequirementOrigin, Source
from failure_catalog.coverage import coverage_for
from failure_catalog.filtersets import (
    CoverageFilterSet,
    ExperimentFilterSet,
    FailureModeAnalysisFilterSet,
    FaultTypeFilterSet,
    GateDecisionFilterSet,
    RequirementFilterSet,
)
from failure_catalog.gate import check_gate
from failure_catalog.importing import Overrides, parse_document, record_imports
from failure_catalog.models import (
    Experiment,
    ExperimentIncident,
    FailureModeAnalysis,
    FaultType,
    GateDecision,
    ResilienceRequirement,
)
from failure_catalog.permissions import require_service_role
from incidents.models import Incident
from services.models import Service


def experiments_for(user):
    """Experiments with their links to incidents the user may see (restricted ones stay hidden)."""
    links = ExperimentIncident.objects.filter(incident__in=Incident.objects.visible_to(user).values("pk"))
    return (
        Experiment.objects.select_related("service", "fault_type", "recorded_by")
        .defer("raw_document")
        .prefetch_related(Prefetch("incident_links", queryset=links, to_attr="visible_incident_links"))
    )


class FaultTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The fault types services are verified against, by slug (edited in the admin)."""

    queryset = FaultType.objects.prefetch_related("root_cause_classes")
    serializer_class = FaultTypeSerializer
    filterset_class = FaultTypeFilterSet
    lookup_field = "slug"


class ServiceRecordViewSet(viewsets.ModelViewSet):
    """A record of one service's part of the catalog: its team's responders (and up) write it, as on the pages
    (`require_service_role`), and they change it with PATCH."""

    permission_classes = [TeamWritePermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def team_of(self, record):
        return record.service.team_id

    def perform_update(self, serializer):
        if "service" in serializer.validated_data:
            require_service_role(self.request.user, serializer.validated_data["service"])
        serializer.save()


class ExperimentViewSet(ServiceRecordViewSet):
    """Experiments, each with its `outcome` (held, deviated, aborted, errored). `service` and `fault_type` are slugs."""

    queryset = Experiment.objects.all()  # narrowed in get_queryset
    serializer_class = ExperimentSerializer
    filterset_class = ExperimentFilterSet

    def get_queryset(self):
        return experiments_for(self.request.user)

    def perform_create(self, serializer):
        require_service_role(self.request.user, serializer.validated_data["service"])
        serializer.save(recorded_by=self.request.user, source=Source.MANUAL)


class RawDocumentParser(BaseParser):
    """A YAML, XML or plain-text document as the request body, handed over as bytes."""

    media_type = "application/yaml"

    def parse(self, stream, media_type=None, parser_context=None):
        return read_bounded(stream)


class XmlDocumentParser(RawDocumentParser):
    media_type = "application/xml"


class TextDocumentParser(RawDocumentParser):
    media_type = "text/plain"


OVERRIDE_PARAMETERS = [
    OpenApiParameter(name, str, description=f"{name.replace('_', ' ').capitalize()}: wins over the document.")
    for name in ("service", "fault_type", "version", "environment")
]


class ExperimentImportView(APIView):
    """Import a document of one tool: the same document twice gives the same experiments (200 then, 201 if new)."""

    source = None
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, RawDocumentParser, XmlDocumentParser, TextDocumentParser]

    def post(self, request):
        if not can_write_anywhere(request.user, Role.RESPONDER):
            raise PermissionDenied("You need a responder (or higher) role in a team to import experiments.")
        document, overrides = self.document_and_overrides(request)
        try:
            imported = parse_document(self.source, document, overrides)
        except ValidationError as error:
            raise BadRequest(error.message_dict) from error
        for service in {item.lookups["service"] for item in imported}:
            require_service_role(request.user, service)
        results = record_imports(self.source, imported, by=request.user)
        created = sum(1 for _, new in results if new)
        ids = [experiment.pk for experiment, _ in results]
        experiments = sorted(experiments_for(request.user).filter(pk__in=ids), key=lambda e: ids.index(e.pk))
        body = {"created": created, "existing": len(results) - created, "experiments": experiments}
        return Response(
            ImportResultSerializer(body, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def document_and_overrides(self, request):
        fields = {
            name: request.query_params.get(name, "") for name in ("service", "fault_type", "version", "environment")
        }
        data = request.data
        if isinstance(data, dict) and ("document" in data or "journal" in data):
            wrapper = ImportRequestSerializer(data=data)
            wrapper.is_valid(raise_exception=True)
            document = wrapper.validated_data.get("document", wrapper.validated_data.get("journal"))
            for name in fields:
                if wrapper.validated_data.get(name):
                    fields[name] = wrapper.validated_data[name]
        else:
            document = data
        if document in (None, "", b"", {}):
            raise BadRequest({"document": ["Send the document as the body, or as `document` in a JSON object."]})
        if not isinstance(document, (str, bytes, dict, list)):
            document = str(document)
        return document, Overrides(**{name: str(value).strip() for name, value in fields.items()})


IMPORT_REQUEST = {
    "application/json": ImportRequestSerializer,
    "application/yaml": OpenApiTypes.STR,
    "application/xml": OpenApiTypes.STR,
    "text/plain": OpenApiTypes.STR,
}
IMPORT_RESPONSES = {
    **created_or_repeated(ImportResultSerializer, repeat="Everything in it was imported before."),
    400: OpenApiResponse(description="Not the document it claims to be, or an unknown service or fault type."),
    403: OpenApiResponse(description="No responder role in the service's team."),
}


def import_view(source, summary):
    """The import endpoint of one source, with its own operation in the schema."""

    @extend_schema(
        request=IMPORT_REQUEST,
        responses=IMPORT_RESPONSES,
        parameters=OVERRIDE_PARAMETERS,
        operation_id=f"import_{source}",
    )
    def post(self, request):
        return ExperimentImportView.post(self, request)

    return type(
        f"{source.title()}ImportView", (ExperimentImportView,), {"source": source, "__doc__": summary, "post": post}
    )


ChaosToolkitImportView = import_view(
    Source.CHAOSTOOLKIT,
    "Import a Chaos Toolkit journal (journal.json written by `chaos run`). Tags `service:<slug>` and `fault:<slug>` "
    "name the service and fault type unless the request does.",
)
LitmusImportView = import_view(
    Source.LITMUS,
    "Import LitmusChaos ChaosResults (YAML or JSON, as `kubectl get chaosresult -o yaml` prints them). Verdict Pass → held, "
    "Fail → deviated, Stopped → aborted; Awaited is refused.",
)
JUnitImportView = import_view(
    Source.JUNIT,
    "Import a JUnit XML report: test cases naming a fault type (property `fault_type` or a `[fault:<slug>]` marker) "
    "and a service (property `service` or the request) are evidence: pass → held, failure or error → deviated.",
)


class RequirementViewSet(ServiceRecordViewSet):
    """Resilience requirements: a service (slug) must be verified under a fault type (slug). Created here with origin
    `person`; tier-policy requirements follow the policy and cannot be changed here."""

    queryset = ResilienceRequirement.objects.all()  # narrowed in get_queryset
    serializer_class = RequirementSerializer
    filterset_class = RequirementFilterSet

    def get_queryset(self):
        return (
            ResilienceRequirement.objects.visible_to(self.request.user)
            .for_display()
            .order_by("service__name", "fault_type__name", "id")
        )

    def refuse_tier_policy(self, requirement):
        if requirement.origin == RequirementOrigin.TIER_POLICY:
            raise BadRequest({"origin": ["A tier policy's requirement changes with the policy (in the admin)."]})

    def perform_create(self, serializer):
        require_service_role(self.request.user, serializer.validated_data["service"])
        serializer.save(origin=RequirementOrigin.PERSON, created_by=self.request.user)

    def perform_update(self, serializer):
        self.refuse_tier_policy(serializer.instance)
        super().perform_update(serializer)

    def perform_destroy(self, instance):
        self.refuse_tier_policy(instance)
        instance.delete()


class CoverageView(generics.ListAPIView):
    """Coverage per service: each fault type's cell (verified, stale, failing, missing, not_required) and the score."""

    serializer_class = CoverageSerializer
    filterset_class = CoverageFilterSet
    queryset = Service.objects.select_related("team").order_by("name")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        coverage = coverage_for(page, fault_types=list(FaultType.objects.order_by("category", "name")))
        return self.get_paginated_response(self.get_serializer(coverage, many=True).data)


class FailureModeAnalysisViewSet(viewsets.ReadOnlyModelViewSet):
    """Failure-mode analyses (FMEA) with their rows, highest risk priority number first."""

    queryset = FailureModeAnalysis.objects.select_related("service").prefetch_related(
        "rows__dependency", "rows__fault_type"
    )
    serializer_class = FailureModeAnalysisSerializer
    filterset_class = FailureModeAnalysisFilterSet


class GateView(APIView):
    """May this service ship this version to this environment? The pipeline's question, answered and recorded.

    `decision` is allow, warn or block; each reason has a `code`, a `message`, a `link` and the `effect` the
    service's tier policy gives it.
    """

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[GateQuerySerializer],
        responses={
            200: GateDecisionSerializer,
            400: OpenApiResponse(description="A missing parameter, or no service with that slug."),
            403: OpenApiResponse(description="Not a member of any team."),
        },
    )
    def get(self, request):
        if not can_write_anywhere(request.user, Role.VIEWER):
            raise PermissionDenied("Only members of a team may ask the gate.")
        query = GateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        service = Service.objects.filter(slug=query.validated_data["service"]).first()
        if service is None:
            raise BadRequest({"service": [f"No service with slug {query.validated_data['service']}."]})
        decision = check_gate(
            service,
            version=query.validated_data["version"],
            environment=query.validated_data["environment"],
            user=request.user,
        )
        return Response(GateDecisionSerializer(decision).data)


class GateDecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Every decision the gate recorded, newest first."""

    queryset = GateDecision.objects.for_display()
    serializer_class = GateDecisionSerializer
    filterset_class = GateDecisionFilterSet
