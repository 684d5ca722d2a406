from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ValidatedModelSerializer, person_field
from incidents.models import Incident, TimelineEvent
from postmortems.charts import chart_warnings, mermaid_chart
from postmortems.models import CausalFactor, CausalLink, Review, RootCauseClass
from services.models import Deployment, Service


@extend_schema_field(OpenApiTypes.STR)
class IncidentReferenceField(serializers.RelatedField):
    """An incident named by its `INC-42` reference, among the incidents the caller may see."""

    default_error_messages = {"does_not_exist": "No incident {value} that you can see."}

    def to_internal_value(self, data):
        incident = self.get_queryset().by_reference(data).first()
        if incident is None:
            self.fail("does_not_exist", value=data)
        return incident

    def to_representation(self, incident):
        return incident.reference


class RootCauseClassSerializer(ValidatedModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="slug", queryset=RootCauseClass.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = RootCauseClass
        fields = ["slug", "name", "description", "parent"]


class ReviewSerializer(ValidatedModelSerializer):
    incident = IncidentReferenceField(queryset=Incident.objects.none())
    owner = person_field(required=False, allow_null=True)
    facilitator = person_field(required=False, allow_null=True)
    authors = person_field(many=True, required=False)
    primary_class = serializers.SlugRelatedField(
        slug_field="slug", queryset=RootCauseClass.objects.all(), required=False, allow_null=True
    )
    secondary_classes = serializers.SlugRelatedField(
        slug_field="slug", queryset=RootCauseClass.objects.all(), many=True, required=False
    )
    published_by = person_field(read_only=True, allow_null=True)

    class Meta:
        model = Review
        fields = [
            "incident",
            "status",
            "version",
            *Review.EDITABLE_FIELDS,
            "published_at",
            "published_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "version", "published_at", "published_by", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["incident"].queryset = Incident.objects.visible_to(request.user)
        if self.instance is not None and not isinstance(self.instance, (list, tuple)) and hasattr(self.instance, "pk"):
            self.fields["incident"].read_only = True


class PublishSerializer(serializers.Serializer):
    published_at = serializers.DateTimeField(
        required=False,
        help_text="When the review was published, for one published before it came to Hindsight; now by default.",
    )


class ReviewDetailSerializer(ReviewSerializer):
    mermaid = serializers.SerializerMethodField()
    chart_warnings = serializers.SerializerMethodField()
    publish_problems = serializers.SerializerMethodField()

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "mermaid", "chart_warnings", "publish_problems"]

    def _chart(self, review):
        if not hasattr(review, "_chart_parts"):
            review._chart_parts = (list(review.factors.all()), list(review.links.all()))
        return review._chart_parts

    def get_mermaid(self, review) -> str:
        return mermaid_chart(*self._chart(review))

    def get_chart_warnings(self, review) -> list[str]:
        return chart_warnings(*self._chart(review))

    def get_publish_problems(self, review) -> list[str]:
        return review.publish_problems(factors=self._chart(review)[0])


class CausalFactorSerializer(ValidatedModelSerializer):
    timeline_event = serializers.PrimaryKeyRelatedField(
        queryset=TimelineEvent.objects.none(), required=False, allow_null=True
    )
    deployment = serializers.PrimaryKeyRelatedField(queryset=Deployment.objects.all(), required=False, allow_null=True)
    service = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = CausalFactor
        fields = [
            "id",
            *CausalFactor.EDITABLE_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"description": {"max_length": 500}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the review's own incident's events: the browsable API lists these as options, and an
        # event of another (perhaps restricted) incident answers exactly like one that does not exist.
        review = self.context.get("review")
        self.fields["timeline_event"].queryset = (
            TimelineEvent.objects.filter(incident_id=review.incident_id) if review else TimelineEvent.objects.none()
        )

    def instance_defaults(self):
        return {"review": self.context["review"]}


class CausalLinkSerializer(serializers.ModelSerializer):
    cause = serializers.PrimaryKeyRelatedField(queryset=CausalFactor.objects.none())
    effect = serializers.PrimaryKeyRelatedField(queryset=CausalFactor.objects.none())

    class Meta:
        model = CausalLink
        fields = ["id", "cause", "effect"]
        validators = []  # refusals are worded by the model (postmortems.editing.add_link)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the review's own factors: another review's factor answers like one that does not exist.
        review = self.context.get("review")
        factors = CausalFactor.objects.filter(review=review) if review else CausalFactor.objects.none()
        self.fields["cause"].queryset = self.fields["effect"].queryset = factors
