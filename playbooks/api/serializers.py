from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Team
from core.api import person_field
from incidents.models import Incident, parse_reference
from playbooks.choices import Outcome, StaleReason
from playbooks.models import WRITTEN_FIELDS, Playbook, PlaybookUse
from postmortems.models import RootCauseClass
from services.models import Service

PHRASES = serializers.ListField(child=serializers.CharField(max_length=200), max_length=50, required=False)


class PlaybookSerializer(serializers.ModelSerializer):
    symptoms = serializers.ListField(child=serializers.CharField(max_length=200), max_length=50, required=False)
    alert_names = serializers.ListField(child=serializers.CharField(max_length=200), max_length=50, required=False)
    services = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.all(), many=True, required=False
    )
    classes = serializers.SlugRelatedField(
        slug_field="slug", queryset=RootCauseClass.objects.all(), many=True, required=False
    )
    team = serializers.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    stale = serializers.SerializerMethodField(
        help_text="Why the playbook is flagged to its team; empty when it is not."
    )
    source_incidents = serializers.SerializerMethodField(help_text="Incidents it came from (those you may see).")
    source_reviews = serializers.SerializerMethodField(help_text="Reviews it came from, by incident reference.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Playbook
        fields = [
            *WRITTEN_FIELDS,
            "review_due_on",
            "stale",
            "source_incidents",
            "source_reviews",
            "version",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["review_due_on", "version", "created_at", "updated_at"]

    def _visible_ids(self):
        request = self.context["request"]
        cache = self.context.setdefault("_visible_incident_ids", {})
        if "ids" not in cache:
            cache["ids"] = set(Incident.objects.visible_to(request.user).values_list("pk", flat=True))
        return cache["ids"]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=StaleReason.choices)))
    def get_stale(self, playbook):
        return [str(reason) for reason in playbook.stale_reasons()]

    def get_source_incidents(self, playbook) -> list[str]:
        visible = self._visible_ids()
        return [incident.reference for incident in playbook.source_incidents.all() if incident.pk in visible]

    def get_source_reviews(self, playbook) -> list[str]:
        visible = self._visible_ids()
        return [review.reference for review in playbook.source_reviews.all() if review.incident_id in visible]

    def get_url(self, playbook) -> str:
        return self.context["request"].build_absolute_uri(playbook.get_absolute_url())

    def validate(self, attrs):
        """Run the model's own rules on the would-be playbook, so the API and the pages cannot disagree."""
        fields = {key: value for key, value in attrs.items() if key not in {"services", "classes"}}
        instance = Playbook(**{**self._current_fields(), **fields})
        try:
            instance.full_clean(exclude=["slug", "team"] if self.instance else ["team"], validate_unique=False)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs

    def _current_fields(self):
        if self.instance is None:
            return {}
        return {
            field.name: getattr(self.instance, field.name)
            for field in Playbook._meta.concrete_fields
            if field.name != "id"
        }


class PlaybookUseSerializer(serializers.ModelSerializer):
    incident = serializers.CharField(help_text="The incident's reference, e.g. INC-42.")
    by = person_field(read_only=True, allow_null=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices)

    class Meta:
        model = PlaybookUse
        fields = ["incident", "outcome", "note", "by", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, use):
        data = super().to_representation(use)
        data["incident"] = use.incident.reference
        return data

    def validate_incident(self, value):
        request = self.context["request"]
        number = parse_reference(value)
        incident = Incident.objects.visible_to(request.user).filter(pk=number).first() if number is not None else None
        if incident is None:
            raise serializers.ValidationError(f"No incident {value} that you can see.")
        return incident


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField(source="doc_type")
    id = serializers.IntegerField(source="object_id", help_text="The object's id within its type.")
    reference = serializers.CharField(help_text="How people name it: INC-42, or a playbook's slug.")
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: the text escaped, matches in <mark>.")
    services = serializers.ListField(child=serializers.CharField())
    occurred_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField()
    rank = serializers.FloatField()


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField(
        help_text="Matches you may see, of every type: exact unless `capped`, then at least this many."
    )
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Matches by type, counted up to `count_limit`: a count of count_limit + 1 means more than that.",
    )
    count_limit = serializers.IntegerField(help_text="How far each type's matches are counted.")
    capped = serializers.BooleanField(help_text="Whether some type has more matches than `count_limit`.")
    corrections = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Misspelled words and what they were read as.",
    )
    results = SearchHitSerializer(many=True)
