from django import forms

from failure_catalog.choices import Environment, Source
from failure_catalog.models import Experiment, FailureModeAnalysis, FailureModeRow, FaultType, ResilienceRequirement
from services.models import Service

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def slug_choice(queryset, **kwargs):
    return forms.ModelChoiceField(queryset=queryset, to_field_name="slug", **kwargs)


class ExperimentForm(forms.ModelForm):
    """An experiment recorded by hand."""

    service = slug_choice(Service.objects.all())
    fault_type = slug_choice(FaultType.objects.all())

    class Meta:
        model = Experiment
        fields = [
            "title",
            "service",
            "fault_type",
            "environment",
            "version",
            "outcome",
            "started_at",
            "ended_at",
            "hypothesis",
            "method",
            "blast_radius",
            "abort_conditions",
            "observations",
        ]
        widgets = {
            "started_at": DATETIME,
            "ended_at": DATETIME,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("hypothesis", "method", "blast_radius", "abort_conditions", "observations")
            },
        }


class ImportForm(forms.Form):
    """A document from Chaos Toolkit, LitmusChaos or a JUnit report, uploaded or pasted."""

    source = forms.ChoiceField(
        choices=[(value, label) for value, label in Source.choices if value != Source.MANUAL], label="Document"
    )
    file = forms.FileField(required=False, help_text="journal.json, a ChaosResult (YAML or JSON) or JUnit XML.")
    text = forms.CharField(required=False, label="…or paste it", widget=forms.Textarea(attrs={"rows": 6}))
    service = forms.CharField(required=False, help_text="Service slug; wins over the document's tags or labels.")
    fault_type = forms.CharField(required=False, help_text="Fault type slug; wins over the document's tags.")
    version = forms.CharField(required=False, max_length=100)
    environment = forms.ChoiceField(choices=Environment.choices, initial=Environment.STAGING)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            data["document"] = upload.read()
        elif data.get("text", "").strip():
            data["document"] = data["text"]
        else:
            raise forms.ValidationError("Upload the document or paste it.")
        return data


class RequirementForm(forms.ModelForm):
    """A requirement a person states."""

    service = slug_choice(Service.objects.all())
    fault_type = slug_choice(FaultType.objects.all())

    class Meta:
        model = ResilienceRequirement
        fields = ["service", "fault_type", "expected_behaviour", "max_evidence_age_days", "evidence_on_version"]
        widgets = {"expected_behaviour": forms.Textarea(attrs={"rows": 2})}


class ReviewRequirementForm(forms.Form):
    """A review's root-cause factor made into a requirement for the chosen services."""

    factor = forms.ModelChoiceField(queryset=None, label="Root-cause factor", empty_label=None)
    fault_type = slug_choice(FaultType.objects.all())
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.all(), to_field_name="slug", widget=forms.SelectMultiple(attrs={"size": 5})
    )
    expected_behaviour = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. “keeps serving from the database while the shared cache is cold”.",
    )
    max_evidence_age_days = forms.IntegerField(min_value=1, max_value=3650, initial=90)
    evidence_on_version = forms.BooleanField(required=False)

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factor"].queryset = review.factors.filter(is_root_cause=True)
        self.fields["services"].initial = [service.slug for service in review.incident.services.all()]


class AnalysisForm(forms.ModelForm):
    service = slug_choice(Service.objects.all())

    class Meta:
        model = FailureModeAnalysis
        fields = ["service", "title", "analysed_at", "notes"]
        widgets = {"analysed_at": DATETIME, "notes": forms.Textarea(attrs={"rows": 3})}


class FailureModeRowForm(forms.ModelForm):
    dependency = forms.ModelChoiceField(
        queryset=Service.objects.all(), to_field_name="slug", required=False, empty_label="The service itself"
    )
    fault_type = slug_choice(FaultType.objects.all())

    class Meta:
        model = FailureModeRow
        fields = FailureModeRow.EDITABLE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("effect", "detection", "mitigation")}
        labels = {"recovery_time_objective_minutes": "RTO (minutes)"}
