from django import forms

from accounts.models import Role, Team
from accounts.permissions import teams_with_role
from playbooks.models import STALE_EDIT, WRITTEN_FIELDS, Playbook, PlaybookUse
from postmortems.models import RootCauseClass
from services.models import Service


class LinesField(forms.CharField):
    """A list of short phrases edited as one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PlaybookForm(forms.ModelForm):
    """A playbook's fields; `version` is the one the editor started from (a stale save is refused)."""

    symptoms = LinesField(required=False, help_text="One per line, as a responder would see them.")
    alert_names = LinesField(required=False, help_text="Alertmanager alertname values, one per line.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Playbook
        fields = WRITTEN_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "suspects": forms.Textarea(attrs={"rows": 4}),
            "validation": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 14, "class": "mono"}),
            "warnings": forms.Textarea(attrs={"rows": 3}),
            "services": forms.SelectMultiple(attrs={"size": 5}),
            "classes": forms.SelectMultiple(attrs={"size": 5}),
            "last_reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.all()
        if not user.is_superuser:
            teams = teams.filter(pk__in=teams_with_role(user, Role.RESPONDER))
        self.fields["team"].queryset = teams
        self.fields["services"].queryset = Service.objects.order_by("name")
        self.fields["classes"].queryset = RootCauseClass.objects.order_by("name")
        self.fields["classes"].label = "Root-cause classes"
        self.fields["services"].required = self.fields["classes"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        if self.instance.pk and version is not None and version != self.instance.version:
            raise forms.ValidationError(STALE_EDIT)
        return cleaned


class PlaybookUseForm(forms.ModelForm):
    class Meta:
        model = PlaybookUse
        fields = ["outcome", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "placeholder": "What worked, what was missing…"})}
