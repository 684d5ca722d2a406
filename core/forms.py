"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


class ValidatedModelForm(forms.ModelForm):
    """A ModelForm that also holds the model's many-to-many rules (`Model.clean_many_to_many`).

    A ModelForm already runs `full_clean()` on the instance it builds; rules about many-to-many
    values cannot live in `clean()` (they are saved after the instance), so the model states them in
    `clean_many_to_many(values)`, and this form and `core.api.ValidatedModelSerializer` both call it.
    """

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
