from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action as viewset_action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import TargetTeamMixin, TeamWritePermission, can_write_anywhere
from actions.api.serializers import ActionItemSerializer, RemedialFindingSerializer
from actions.choices import Category
from actions.filtersets import ActionItemFilterSet
from actions.importing import MAX_RECORDS_PER_REQUEST, ImportDocumentSerializer, ImportRefused, import_reviews
from actions.models import ActionItem
from core.api import ConditionalUpdateMixin, created_or_repeated
from core.parsers import JSONParser


class ActionItemViewSet(TargetTeamMixin, ConditionalUpdateMixin, viewsets.ModelViewSet):
    """Actions from reviews. `review` is an incident reference (INC-42), `team`/`services` slugs, `owner` a username,
    `factors` ids of the review's causal factors.

    Change `status` with PATCH: `done` needs nothing else, `wont_do` needs `wont_do_reason`. A lead of the action's
    team confirms effectiveness by PATCHing `verification` to effective, ineffective or not_verifiable.
    GET of one action returns an `ETag`; PATCH must send it back in `If-Match` (428 without it, 412 if
    someone saved since).
    """

    queryset = ActionItem.objects.all()  # narrowed to what the user may see in get_queryset
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet
    permission_classes = [TeamWritePermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            ActionItem.objects.visible_to(self.request.user)
            .select_related("owner", "team", "review__incident", "recurrence_incident", "verified_by")
            .prefetch_related("services", "factors", "findings", "recurrence_incident__allowed_teams")
            .order_by("due_date", "pk")
        )

    def perform_create(self, serializer):
        self.require_target_team(serializer.validated_data)
        serializer.validated_data.pop("status", None)
        serializer.validated_data.pop("verification", None)
        serializer.save()

    @transaction.atomic
    def perform_update(self, serializer):
        action = serializer.instance
        data = serializer.validated_data
        new_status = data.pop("status", None)
        reason = data.pop("wont_do_reason", "")
        verification = data.pop("verification", None)
        note = data.pop("verification_note", "")
        self.require_target_team(data)
        if verification and verification != action.verification and not action.can_verify(self.request.user):
            raise PermissionDenied("Only a lead of the action's team may confirm whether it was effective.")
        if data:
            serializer.save()
        if new_status and new_status != action.status:
            action.transition(new_status, by=self.request.user, reason=reason)
        elif reason:
            raise ValidationError({"wont_do_reason": "Give a reason only when setting status to wont_do."})
        if verification and verification != action.verification:
            action.confirm_verification(verification, by=self.request.user, note=note)

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        # Answer with the row as the rules left it (transitions stamp dates the serializer did not see).
        instance = self.get_queryset().get(pk=self.get_object().pk)
        response.data = self.get_serializer(instance).data
        return response

    @extend_schema(methods=["GET"], responses=RemedialFindingSerializer(many=True))
    @extend_schema(methods=["POST"], request=RemedialFindingSerializer, responses={201: RemedialFindingSerializer})
    @viewset_action(detail=True, methods=["get", "post"], serializer_class=RemedialFindingSerializer)
    def findings(self, request, pk=None, format=None):
        """What a remedial action's sweep found: GET lists (paginated), POST records one (service slug, text)."""
        action = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(action.findings.select_related("service", "recorded_by").order_by("id"))
            return self.get_paginated_response(RemedialFindingSerializer(page, many=True).data)
        if action.category != Category.REMEDIAL:
            raise ValidationError({"action": "Only remedial actions record findings."})
        serializer = RemedialFindingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(action=action, recorded_by=request.user)
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class ReviewImportResultSerializer(serializers.Serializer):
    """What an import did."""

    created = serializers.IntegerField(help_text="Records imported now.")
    skipped = serializers.IntegerField(
        help_text="Records imported before (same source and external_id), left as they are."
    )
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Rows written, by kind.")
    records = serializers.ListField(
        child=serializers.DictField(),
        help_text="Per record, in order: index, source, external_id, result (created or skipped) and the incident's "
        "reference (null for a skipped incident you cannot see).",
    )


class ReviewImportRefusedSerializer(serializers.Serializer):
    """Nothing was imported, and why."""

    detail = serializers.CharField(required=False)
    records = serializers.JSONField(
        required=False,
        help_text='Errors shaped like the document, by record index (from 0): {"3": {"review": {"factors": {"1": '
        '{"kind": ["…"]}}}}}.',
    )
    problems = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="The same, one line each, naming the record, its source and external_id, and the field.",
    )


class ReviewImportPermission(permissions.BasePermission):
    message = "You need a lead role in a team (or to be a site admin) to import reviews."

    def has_permission(self, request, view):
        return can_write_anywhere(request.user, Role.LEAD)


class ReviewImportView(APIView):
    """Import past post-incident reviews: each record an incident (with its timeline), its review (sections,
    root-cause classes by slug or name, causal factors named by a `key`, links between those keys, and
    `published_at` for a published one) and its actions, all or nothing.

    Every record is checked first: one invalid record refuses the whole request (400) with errors shaped like the
    document and one line per problem naming the record and its external_id; nothing is written. Importing needs
    a lead role in the incident's team (403 otherwise, nothing written). A record whose incident's
    (source, external_id) was imported before is skipped as it is, so sending the same document again creates
    nothing. At most 500 records per request.
    """

    parser_classes = [JSONParser]
    permission_classes = [ReviewImportPermission]

    @extend_schema(
        request=ImportDocumentSerializer,
        responses={
            **created_or_repeated(
                ReviewImportResultSerializer, repeat="Every record was imported before: nothing new."
            ),
            400: ReviewImportRefusedSerializer,
            403: ReviewImportRefusedSerializer,
        },
    )
    def post(self, request, format=None):
        records = request.data.get("records") if isinstance(request.data, dict) else None
        if isinstance(records, list) and len(records) > MAX_RECORDS_PER_REQUEST:
            message = f"At most {MAX_RECORDS_PER_REQUEST} records per request; send the rest in another."
            return Response(
                {"detail": f"Nothing was imported: {message}", "records": [message], "problems": [message]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            result = import_reviews(request.data, by=request.user)
        except ImportRefused as refused:
            noun = "record" if len(refused.errors.get("records", {})) == 1 else "records"
            detail = (
                "Nothing was imported: you may not import these records."
                if refused.forbidden
                else f"Nothing was imported: {len(refused.errors.get('records', {})) or 'the'} {noun} "
                f"{'is' if noun == 'record' else 'are'} invalid."
            )
            return Response(
                {"detail": detail, **refused.errors, "problems": refused.problems},
                status=status.HTTP_403_FORBIDDEN if refused.forbidden else status.HTTP_400_BAD_REQUEST,
            )
        body = {
            "created": result.created,
            "skipped": result.skipped,
            "counts": result.counts,
            "records": result.outcomes,
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
