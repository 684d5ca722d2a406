"""Forms for incident pages: they validate and convert; the rules live in the models."""

import re

from django import forms
from django.contrib.auth import get_user_model

from accounts.models import Team
from core.concurrency import VersionedFormMixin
from core.forms import ValidatedModelForm
from incidents.choices import Status, TagKind
from incidents.models import LIFECYCLE_FIELDS, Incident, IncidentTag, TimelineEvent, may_edit
from services.models import Service

LABEL_LINE = re.compile(r"^(?P<key>[\w.\-/]+)\s*=\s*(?P<value>.*\S)\s*$")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class LabelsField(forms.CharField):
    """Labels edited as `key=value` lines; cleaned into a dict."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "region=eu-west\ncustomer_tier=enterprise"})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{key}={text}" for key, text in value.items())
        return value

    def to_python(self, value):
        labels, errors = {}, []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = LABEL_LINE.match(line.strip())
            if match is None:
                errors.append(f"Line {number}: write key=value (letters, digits, _ . - / in the key).")
            elif match["key"] in labels:
                errors.append(f"Line {number}: the key {match['key']} appears twice.")
            else:
                labels[match["key"]] = match["value"]
        if errors:
            raise forms.ValidationError(errors)
        return labels


class IncidentForm(VersionedFormMixin, ValidatedModelForm):
    """Create or edit an incident. The status moves by the lifecycle buttons once it exists."""

    labels = LabelsField(required=False, help_text="One key=value per line: customer tier, region, tenant…")

    class Meta:
        model = Incident
        fields = [
            "title",
            "kind",
            "severity",
            "status",
            "summary",
            "team",
            "services",
            "commander",
            "detection_source",
            *LIFECYCLE_FIELDS,
            "labels",
            "exclude_from_metrics",
            "restricted",
            "allowed_teams",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "services": forms.SelectMultiple(attrs={"size": 8}),
            "allowed_teams": forms.CheckboxSelectMultiple,
            **{name: datetime_input() for name in LIFECYCLE_FIELDS},
        }
        help_texts = {
            "services": "The services that were affected. Ctrl/⌘-click to choose several.",
            "allowed_teams": "Only these teams (and site admins) can see a restricted incident.",
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["services"].queryset = Service.objects.order_by("name")
        self.fields["team"].queryset = Team.objects.order_by("name")
        self.fields["allowed_teams"].queryset = Team.objects.order_by("name")
        self.fields["commander"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["commander"].label_from_instance = lambda user: user.get_full_name() or user.username
        for name in LIFECYCLE_FIELDS:
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        if self.instance.pk:
            # An existing incident changes status through the lifecycle, which keeps the timeline honest.
            del self.fields["status"]
        else:
            self.fields["status"].help_text = "Logging an incident after the fact? Choose resolved and give the times."

    def clean(self):
        cleaned = super().clean()
        # Which teams may see a restricted incident at all is the model's rule (Incident.clean_many_to_many).
        if not may_edit(
            self.user,
            team=cleaned.get("team"),
            services=cleaned.get("services") or [],
            restricted=cleaned.get("restricted", False),
            allowed_teams=cleaned.get("allowed_teams") or [],
        ):
            if cleaned.get("restricted"):
                self.add_error("allowed_teams", "Include one of your own teams, or you could not see it any more.")
            else:
                self.add_error(
                    "team",
                    "You need a responder role in the responding team or in the team of an affected service.",
                )
        return cleaned


class TimelineEventForm(forms.ModelForm):
    """Add or edit one timeline event."""

    class Meta:
        model = TimelineEvent
        fields = ["occurred_at", "kind", "text"]
        widgets = {"occurred_at": datetime_input(), "text": forms.Textarea(attrs={"rows": 3})}
        labels = {"occurred_at": "When", "text": "What happened"}
        help_texts = {"text": "Markdown."}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class StatusChangeForm(forms.Form):
    """A status change and, when it sets them, the times it happened (now unless told)."""

    status = forms.ChoiceField(choices=Status.choices)
    at = forms.DateTimeField(required=False, widget=datetime_input(), input_formats=[DATETIME_FORMAT])
    mitigated_at = forms.DateTimeField(required=False, widget=datetime_input(), input_formats=[DATETIME_FORMAT])


class IncidentTagForm(forms.ModelForm):
    """Add one tag to an incident: a component, configuration version or deploy version, optionally of a service."""

    class Meta:
        model = IncidentTag
        fields = ["kind", "value", "service"]
        labels = {"kind": "Kind", "value": "Value", "service": "Service (optional)"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = TagKind.choices  # no blank choice: every tag has a kind
        self.fields["service"].queryset = Service.objects.order_by("name")
        self.fields["service"].empty_label = "—"
        self.fields["value"].widget.attrs["placeholder"] = "e.g. checkout-api v2.14.0"
