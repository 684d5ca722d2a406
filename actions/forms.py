from django import forms
from django.contrib.auth import get_user_model

from accounts.models import Role, Team
from accounts.permissions import teams_with_role
from actions.choices import CATEGORY_EXPLANATIONS, CONFIRMED_VERIFICATIONS, Category, Verification
from actions.models import ActionItem, RemedialFinding
from core.concurrency import VersionedFormMixin
from core.forms import ValidatedModelForm
from services.models import Service


class ActionItemForm(VersionedFormMixin, ValidatedModelForm):
    """A new action on a review, or the fields of an existing one; the due date may be left empty to take the default.

    An existing action keeps its category (ActionItem.clean), so the edit form does not offer it.
    """

    external_url = forms.URLField(label="External tracker URL", required=False, assume_scheme="https", max_length=500)

    class Meta:
        model = ActionItem
        fields = ActionItem.EDITABLE_FIELDS
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "services": forms.SelectMultiple(attrs={"size": 4}),
            "factors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, review, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = self.instance.review = review
        self.fields["category"].choices = [
            (value, f"{label} — {CATEGORY_EXPLANATIONS[Category(value)]}") for value, label in Category.choices
        ]
        self.fields["due_date"].required = False
        self.fields["due_date"].help_text = "Leave empty for the default from the category and the incident's severity."
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        teams = Team.objects.all()
        if not user.is_superuser:
            teams = teams.filter(pk__in=teams_with_role(user, Role.RESPONDER))
        self.fields["team"].queryset = teams
        if review.incident.team_id and teams.filter(pk=review.incident.team_id).exists():
            self.fields["team"].initial = review.incident.team_id
        self.fields["services"].queryset = Service.objects.order_by("name")
        self.fields["factors"].queryset = review.factors.order_by("-is_root_cause", "id")
        self.fields["factors"].label = "Causal factors it addresses"
        factors = self.fields["factors"]
        factors.help_text = "Tick the root causes it addresses: only those count it in the coverage table."
        self.fields["owner"].empty_label = "Nobody yet"
        if self.instance.pk:
            del self.fields["category"]
            self.fields["due_date"].help_text = "Leave empty to reset it to the default."


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem._meta.get_field("status").choices)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VerificationForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(value, Verification(value).label) for value in CONFIRMED_VERIFICATIONS], widget=forms.RadioSelect
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RemedialFindingForm(forms.ModelForm):
    class Meta:
        model = RemedialFinding
        fields = ["service", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": "What the sweep found"}
