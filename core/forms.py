"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError

from core.models import update_fields_for


class ValidatedModelForm(forms.ModelForm):
    """A ModelForm that also holds the model's many-to-many rules, and saves only what it changed.

    A ModelForm already runs `full_clean()` on the instance it builds; rules about many-to-many
    values cannot live in `clean()` (they are saved after the instance), so the model states them in
    `clean_many_to_many(values)`, and this form and `core.api.ValidatedModelSerializer` both call it.
    Saving an existing instance writes only the fields the user changed (`update_fields`), so an
    edit never undoes a status change or a background check that landed while the form was open.
    """

    def save(self, commit=True):
        if not commit or self.instance._state.adding:
            return super().save(commit=commit)
        if self.errors:
            return super().save(commit=commit)  # raises, naming the errors
        self.instance.save(update_fields=update_fields_for(self.instance, self.changed_data))
        self._save_m2m()
        return self.instance

    def _post_clean(self):
        super()._post_clean()
        if not hasattr(self.instance, "clean_many_to_many"):
            return
        values = {}
        for field in self.instance._meta.many_to_many:
            if field.name in self.fields:
                values[field.name] = list(self.cleaned_data.get(field.name) or ())
            elif self.instance.pk is not None:
                values[field.name] = list(getattr(self.instance, field.name).all())
            else:
                values[field.name] = []
        try:
            self.instance.clean_many_to_many(values)
        except ValidationError as error:
            self._update_errors(error)
