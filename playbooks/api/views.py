from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action as viewset_action
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import TargetTeamMixin, TeamWritePermission
from core import search
from core.schema import ValidationErrorSerializer
from incidents.models import Incident
from playbooks import authoring
from playbooks.api.serializers import PlaybookSerializer, PlaybookUseSerializer, SearchResultsSerializer
from playbooks.filtersets import PlaybookFilterSet
from playbooks.models import STALE_EDIT, Playbook
from playbooks.search_views import PAGE_SIZE, SearchForm


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, description="The `version` you read; 412 if someone saved since."
)


@extend_schema_view(update=extend_schema(parameters=[IF_MATCH]), partial_update=extend_schema(parameters=[IF_MATCH]))
class PlaybookViewSet(TargetTeamMixin, viewsets.ModelViewSet):
    """Playbooks and runbooks, addressed by slug. `team`, `services` and `classes` are slugs; `symptoms` and
    `alert_names` lists of short phrases. Writing needs a responder role in the owning team; `version` comes back
    with every answer; send it in `If-Match` and an update is refused (412) if someone saved in between."""

    queryset = Playbook.objects.all()
    serializer_class = PlaybookSerializer
    filterset_class = PlaybookFilterSet
    permission_classes = [TeamWritePermission]
    lookup_field = "slug"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Playbook.objects.with_use_counts()
            .select_related("team")
            .prefetch_related("services", "classes", "source_incidents", "source_reviews")
            .order_by("title", "pk")
        )

    @transaction.atomic
    def perform_update(self, serializer):
        self.require_target_team(serializer.validated_data)
        playbook = serializer.instance
        # If-Match names the version the client read; without it, the version this request read.
        expected = _version(self.request.headers.get("If-Match"), default=playbook.version)
        claimed = Playbook.objects.filter(pk=playbook.pk, version=expected).update(version=expected + 1)
        if claimed != 1:
            raise PreconditionFailed(STALE_EDIT)
        serializer.save(version=expected + 1)

    @extend_schema(methods=["GET"], responses=PlaybookUseSerializer(many=True))
    @extend_schema(methods=["POST"], request=PlaybookUseSerializer, responses={201: PlaybookUseSerializer})
    @viewset_action(detail=True, methods=["get", "post"], serializer_class=PlaybookUseSerializer, filterset_class=None)
    def uses(self, request, slug=None, format=None):
        """The incidents the playbook was used in and how it went (GET, those you may see); POST records one."""
        playbook = self.get_object()
        if request.method == "GET":
            visible = Incident.objects.visible_to(request.user).values("pk")
            uses = (
                playbook.uses.filter(incident__in=visible)
                .select_related("incident", "by")
                .order_by("-created_at", "-id")
            )
            page = self.paginate_queryset(uses)
            return self.get_paginated_response(
                PlaybookUseSerializer(page, many=True, context={"request": request}).data
            )
        serializer = PlaybookUseSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        incident = serializer.validated_data["incident"]
        if not incident.can_edit(request.user):
            raise PermissionDenied("You need a responder (or higher) role for this incident to record what helped.")
        use = authoring.record_use(
            playbook=playbook,
            incident=incident,
            outcome=serializer.validated_data["outcome"],
            note=serializer.validated_data.get("note", ""),
            by=request.user,
        )
        return Response(PlaybookUseSerializer(use, context={"request": request}).data, status=status.HTTP_201_CREATED)


def _version(header, *, default):
    text = (header or "").strip().strip('"').removeprefix("W/").strip('"')
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else default


class SearchView(APIView):
    """Search playbooks, runbooks, incidents and reviews: best first, with counts by type.

    Restricted incidents, and their reviews, are found, counted and snippeted only for those who may see them.
    Misspelled words are widened to the known words most like them (`corrections` says how).
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["search"],
        parameters=[
            OpenApiParameter("q", str, description='Words, "quoted phrases", `or`, -excluded words.'),
            OpenApiParameter("type", str, many=True, description="playbook, runbook, incident, review (repeatable)."),
            OpenApiParameter("service", str, description="A service slug."),
            OpenApiParameter("since", str, description="From this date (YYYY-MM-DD)."),
            OpenApiParameter("until", str, description="Until this date, inclusive (YYYY-MM-DD)."),
            OpenApiParameter("page", int, description=f"Page of {PAGE_SIZE} results."),
        ],
        responses={
            200: SearchResultsSerializer,
            400: OpenApiResponse(
                ValidationErrorSerializer, description="A filter that cannot be read, e.g. a bad date."
            ),
        },
    )
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        results = form.run(request.user)
        data = {
            "query": form.cleaned_data.get("q") or "",
            "total": results.total,
            "counts": results.counts,
            "count_limit": search.COUNT_LIMIT,
            "capped": results.capped,
            "corrections": results.corrections,
            "results": [
                {**hit.__dict__, "url": request.build_absolute_uri(hit.url), "snippet": str(hit.snippet)}
                for hit in results.hits
            ],
        }
        return Response(SearchResultsSerializer(data).data)
