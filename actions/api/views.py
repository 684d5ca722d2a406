from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action as viewset_action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.permissions import TargetTeamMixin, TeamWritePermission
from actions.api.serializers import ActionItemSerializer, RemedialFindingSerializer
from actions.choices import Category
from actions.filtersets import ActionItemFilterSet
from actions.models import ActionItem
from core.api import ConditionalUpdateMixin


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
