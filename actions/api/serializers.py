from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Team
from actions.choices import Status, Verification
from actions.models import ActionItem, RemedialFinding
from core.api import ValidatedModelSerializer, person_field
from incidents.models import Incident, parse_reference
from postmortems.models import CausalFactor, Review
from services.models import Service


@extend_schema_field(OpenApiTypes.STR)
class ReviewReferenceField(serializers.RelatedField):
    """A review named by its incident's reference (`INC-42`); only reviews the user may see."""

    default_error_messages = {"does_not_exist": "No review of incident {value} that you can see."}

    def get_queryset(self):
        request = self.context.get("request")
        user = request.user if request else None
        if user is None:
            return Review.objects.none()
        return Review.objects.select_related("incident").filter(incident__in=Incident.objects.visible_to(user))

    def to_representation(self, review):
        return review.incident.reference

    def to_internal_value(self, data):
        number = parse_reference(data)
        review = self.get_queryset().filter(incident_id=number).first() if number is not None else None
        if review is None:
            self.fail("does_not_exist", value=data)
        return review


class RemedialFindingSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.all(), allow_null=True, required=False
    )
    recorded_by = person_field(read_only=True, allow_null=True)

    class Meta:
        model = RemedialFinding
        fields = ["id", "service", "text", "recorded_by", "created_at"]
        read_only_fields = ["created_at"]


class ActionItemSerializer(ValidatedModelSerializer):
    review = ReviewReferenceField()
    owner = person_field(allow_null=True, required=False)
    team = serializers.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    services = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.all(), many=True, required=False
    )
    factors = serializers.PrimaryKeyRelatedField(queryset=CausalFactor.objects.none(), many=True, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    verification = serializers.ChoiceField(choices=Verification.choices, required=False, allow_blank=True)
    proposed_verification = serializers.CharField(read_only=True, help_text="What the recurrence check proposes.")
    recurrence_incident = serializers.SerializerMethodField()
    verified_by = person_field(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    finding_count = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "review",
            *ActionItem.EDITABLE_FIELDS,
            "status",
            "wont_do_reason",
            "opened_at",
            "done_at",
            "closed_at",
            "is_overdue",
            "verification",
            "proposed_verification",
            "verification_note",
            "recurrence_incident",
            "verified_by",
            "verified_at",
            "finding_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "opened_at",
            "done_at",
            "closed_at",
            "proposed_verification",
            "verified_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"due_date": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Factors the requester may see, and of the action's own review once there is one: the
        # browsable API lists these as options, and a hidden factor answers like a missing one.
        request = self.context.get("request")
        factors = CausalFactor.objects.none()
        if request is not None:
            factors = CausalFactor.objects.filter(review__in=Review.objects.visible_to(request.user))
            if isinstance(self.instance, ActionItem):
                factors = factors.filter(review_id=self.instance.review_id)
        self.fields["factors"].child_relation.queryset = factors

    def get_recurrence_incident(self, action) -> str | None:
        """The recurrence's reference, or "restricted" when the caller may not see it (see recurrence_shown_to)."""
        if not action.recurrence_incident_id:
            return None
        shown = action.recurrence_shown_to(self.context["request"].user)
        return shown.reference if shown is not None else "restricted"

    def get_is_overdue(self, action) -> bool:
        return action.is_overdue()

    def get_finding_count(self, action) -> int:
        return len(action.findings.all())

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None:
            if attrs.get("status", Status.OPEN) != Status.OPEN:
                raise serializers.ValidationError({"status": "A new action starts open."})
            if attrs.get("verification"):
                raise serializers.ValidationError({"verification": "A new action has nothing to verify yet."})
        return attrs
