from django import forms
from django.contrib.auth import get_user_model

from core.concurrency import VersionedFormMixin
from core.forms import ValidatedModelForm
from postmortems.choices import FactorCategory, FactorKind, ReviewStatus
from postmortems.models import SECTION_FIELDS, CausalFactor, Review, RootCauseClass
from services.models import Deployment, Service

SECTION_HELP = {
    "summary": "Two or three sentences a busy reader can stop after.",
    "impact": "Who and what was affected, for how long, in words and numbers.",
    "narrative": "What happened, in order, as the people involved saw it at the time.",
    "detection": "How we found out, and how long that took.",
    "response": "Who did what to understand and contain it.",
    "recovery": "How service was restored, and what made it slow or fast.",
    "went_well": "",
    "went_wrong": "",
    "got_lucky": "Things that helped by chance, and will not next time.",
    "surprises": "What we believed that turned out not to be true.",
    "lessons": "",
}


def _person_label(user):
    return user.get_full_name() or user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return _person_label(user)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return _person_label(user)


class ReviewForm(VersionedFormMixin, ValidatedModelForm):
    """Every section and the people and classes of a review; carries the version and the values it was opened with."""

    owner = PersonChoiceField(queryset=get_user_model().objects.order_by("username"), required=False)
    facilitator = PersonChoiceField(queryset=get_user_model().objects.order_by("username"), required=False)
    authors = PeopleChoiceField(
        queryset=get_user_model().objects.order_by("username"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    secondary_classes = forms.ModelMultipleChoiceField(
        queryset=RootCauseClass.objects.select_related("parent"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Review
        fields = Review.EDITABLE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in SECTION_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_class"].queryset = RootCauseClass.objects.select_related("parent")
        for name in SECTION_FIELDS:
            self.fields[name].help_text = SECTION_HELP.get(name, "") + " Markdown."

    def changes(self):
        """The edited values as {field: value}, for postmortems.editing.update_review."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReopenForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False, help_text="Why it needs another look.")
    status = forms.ChoiceField(
        choices=[(ReviewStatus.IN_REVIEW, "In review"), (ReviewStatus.DRAFT, "Draft")], initial=ReviewStatus.IN_REVIEW
    )


class CausalFactorForm(forms.ModelForm):
    """A factor of the chart, with optional evidence from the incident (timeline event, deployment, service)."""

    class Meta:
        model = CausalFactor
        fields = CausalFactor.EDITABLE_FIELDS
        # One line: Enter adds the factor, as in the one-step cause/effect form.
        widgets = {"description": forms.TextInput(attrs={"maxlength": 500})}

    def __init__(self, *args, review, timeline, suspects, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].max_length = 500
        event = self.fields["timeline_event"]
        event.queryset = review.incident.timeline.all()
        event.choices = [("", "—")] + [(e.pk, f"{e.occurred_at:%H:%M} {e.text[:60]}") for e in timeline]
        deployment = self.fields["deployment"]
        deployment.queryset = Deployment.objects.filter(pk__in=[s.deployment_id for s in suspects])
        deployment.choices = [("", "—")] + [(s.deployment.pk, str(s.deployment)) for s in suspects]
        self.fields["service"].queryset = Service.objects.all()
        self.fields["service"].choices = [("", "—")] + [(s.pk, s.name) for s in services]


class RelatedFactorForm(forms.Form):
    """A cause or an effect of one factor, in one step: a new factor (its text, kind, category, role) or an
    existing one. The link's rules (no self-link, no duplicate, no cycle) stay on CausalLink."""

    direction = forms.ChoiceField(choices=[("cause", "cause"), ("effect", "effect")], widget=forms.HiddenInput)
    description = forms.CharField(
        label="New factor", max_length=500, required=False, widget=forms.TextInput(attrs={"maxlength": 500})
    )
    kind = forms.ChoiceField(choices=FactorKind.choices, initial=FactorKind.EVENT)
    category = forms.ChoiceField(choices=FactorCategory.choices, initial=FactorCategory.TECHNICAL)
    is_root_cause = forms.BooleanField(label="Root cause", required=False)
    is_symptom = forms.BooleanField(label="Symptom", required=False)
    existing = forms.ModelChoiceField(
        queryset=CausalFactor.objects.none(), required=False, label="or link an existing factor", empty_label="—"
    )

    def __init__(self, *args, review, factor, factors, **kwargs):
        super().__init__(*args, **kwargs)
        self.factor = factor
        existing = self.fields["existing"]
        existing.queryset = CausalFactor.objects.filter(review=review).exclude(pk=factor.pk)
        existing.choices = [("", "—")] + [(f.pk, f"#{f.pk} {f.description[:60]}") for f in factors if f.pk != factor.pk]

    @property
    def direction_value(self):
        value = self["direction"].value()
        return value if value in ("cause", "effect") else "cause"

    def clean(self):
        cleaned = super().clean()
        described, existing = cleaned.get("description", "").strip(), cleaned.get("existing")
        if described and existing:
            raise forms.ValidationError("Describe a new factor or choose an existing one, not both.")
        if not described and not existing and "description" not in self.errors and "existing" not in self.errors:
            self.add_error("description", "Describe the new factor, or choose an existing one below.")
        return cleaned

    def relation(self):
        """The keyword arguments of postmortems.editing.add_related_factor."""
        data = self.cleaned_data
        if data["existing"] is not None:
            return {"direction": data["direction"], "existing": data["existing"]}
        fields = ("description", "kind", "category", "is_root_cause", "is_symptom")
        return {"direction": data["direction"], **{name: data[name] for name in fields}}
