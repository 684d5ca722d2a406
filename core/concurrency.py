"""Edits that never silently overwrite each other: a version column, a conditional claim, and the form's opening values.

A save names the version it started from and first claims the row with
`UPDATE … SET version = N + 1 WHERE pk = … AND version = N`: of two concurrent saves exactly one
changes the row; the other changes nothing and is told what others changed since it opened.
A page form carries, besides the version, the values it opened with (one hidden field), so "what
changed since" needs no history of the record and can tell their fields from yours.
"""

import json
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction


class VersionedModel(models.Model):
    """A record people edit concurrently: each save through `claim_version` moves `version` on by one."""

    # Optimistic concurrency: a save must name the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


@dataclass
class FieldChange:
    """One field someone else changed since a given version: its label, the value before, the value now."""

    field: str
    label: str
    before: object
    after: object


class StaleEdit(Exception):
    """A save started from an old version and saved nothing; `current` is the record now, `changes` what others did."""

    def __init__(self, *, current, changes=(), editors=()):
        self.current = current
        self.changes = list(changes)
        self.editors = list(editors)
        self.noun = str(current._meta.verbose_name)
        names = ", ".join(self.editors) or "Someone else"
        super().__init__(
            f"{names} saved this {current._meta.verbose_name} after you opened it; nothing of yours was saved."
        )


def claim_version(instance, version):
    """Move instance's row from `version` to the next one (instance too); raise StaleEdit if it is not at `version`.

    Call it inside the transaction that then saves the edit.
    """
    model = type(instance)
    claimed = model._default_manager.filter(pk=instance.pk, version=version).update(version=version + 1)
    if claimed != 1:
        raise StaleEdit(current=model._default_manager.get(pk=instance.pk))
    instance.version = version + 1


def etag(instance):
    """The ETag of a versioned record: it changes whenever the record's version does."""
    return f'"{instance._meta.model_name}-{instance.pk}-v{instance.version}"'


class VersionedFormMixin(forms.Form):
    """A ModelForm of a versioned record that carries the version and the values it opened with.

    Render `form.hidden_fields`; after a StaleEdit, `changes_by_others(current)` says what to show and
    `rebased_on(current)` gives the form to show it in (whose save then replaces theirs). Keyword
    arguments other than the instance (`user=`, `review=`) are kept for those copies.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __new__(cls, *args, **kwargs):
        form = super().__new__(cls)
        # Subclasses take arguments of their own (user=, review=): the copies of this form need them too.
        form.extra_kwargs = {name: value for name, value in kwargs.items() if name not in ("instance", "data")}
        return form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["opened"] = self.snapshot()

    def edited_fields(self):
        return [name for name in self.fields if name not in ("version", "opened")]

    def snapshot(self):
        """The values this form shows, as JSON of what each field would post."""
        values = {name: self[name].field.prepare_value(self[name].initial) for name in self.edited_fields()}
        return json.dumps(values, cls=DjangoJSONEncoder)

    def started_from(self):
        """The version the person opened (the record's current one if the form did not say)."""
        try:
            return int(self.data.get(self.add_prefix("version")))
        except (TypeError, ValueError):
            return self.instance.version

    def is_stale(self):
        """Return True if the record was saved since the person opened this form: check it before validating,
        which judges the input against the record as it is now."""
        return self.is_bound and self.started_from() != self.instance.version

    def _opened(self):
        """{field: value when opened}, in the form fields' Python terms (model choices as posted ids)."""
        try:
            raw = json.loads(self.data.get(self.add_prefix("opened")) or "{}")
        except ValueError:
            return {}
        if not isinstance(raw, dict):
            return {}
        values = {}
        for name in self.edited_fields():
            if name not in raw:
                continue
            field = self.fields[name]
            try:
                values[name] = raw[name] if hasattr(field, "queryset") else field.to_python(raw[name])
            except ValidationError:
                continue
        return values

    def changes_by_others(self, current):
        """[FieldChange]: the fields whose value in `current` differs from what the person opened."""
        now = type(self)(instance=current, **self.extra_kwargs)
        changes = []
        for name, before in self._opened().items():
            field = self.fields[name]
            after = now[name].initial
            if field.has_changed(before, field.prepare_value(after)):
                changes.append(
                    FieldChange(name, str(self[name].label), readable(field, before), readable(field, after))
                )
        return changes

    def edited_by_me(self):
        """The fields the person changed from what they opened (every field if the form did not say)."""
        opened = self._opened()
        return [
            name
            for name in self.edited_fields()
            if name not in opened or self.fields[name].has_changed(opened[name], self[name].data)
        ]

    def changes_to_merge(self, current):
        """{field: value} of the person's edits, or None if one clashes with what others changed since they opened.

        None too when the form does not say what it opened with: then nobody can tell whose change is whose.
        """
        if not self._opened():
            return None
        theirs = {change.field for change in self.changes_by_others(current)}
        now = type(self)(instance=current, **self.extra_kwargs)
        mine = self.edited_by_me()
        if any(name in theirs and self.fields[name].has_changed(now[name].initial, self[name].data) for name in mine):
            return None
        return {name: self.cleaned_data[name] for name in mine}

    def rebased_on(self, current):
        """The form opened at `current`, holding their values where the person changed nothing and theirs elsewhere.

        Saving it keeps every change of theirs the person did not overwrite on purpose.
        """
        now = type(self)(instance=current, **self.extra_kwargs)
        data = self.data.copy()
        mine = self.edited_by_me()
        for name in self.edited_fields():
            if name not in mine:
                _post(data, now[name])
        data[self.add_prefix("version")] = current.version
        data[self.add_prefix("opened")] = now.snapshot()
        form = type(self)(data, instance=current, **self.extra_kwargs)
        form.is_valid()
        return form


def _post(data, bound):
    """Put into `data` (a QueryDict) what a browser posts for an unbound field as shown."""
    value = bound.value()
    data.pop(bound.html_name, None)
    if bound.widget_type == "checkbox":
        if value:
            data[bound.html_name] = "on"
        return
    formatted = bound.field.widget.format_value(value)
    if isinstance(formatted, list):
        data.setlist(bound.html_name, formatted)
    else:
        data[bound.html_name] = "" if formatted is None else formatted


def readable(field, value):
    """A value as a person reads it: choice labels, object names, lists joined."""
    if value in (None, "", [], ()):
        return ""
    if hasattr(field, "queryset"):
        values = list(value) if isinstance(value, (list, tuple, models.QuerySet)) else [value]
        ids = [item.pk if isinstance(item, models.Model) else item for item in values]
        objects = field.queryset.model._default_manager.filter(pk__in=[i for i in ids if i not in ("", None)])
        return ", ".join(str(obj) for obj in objects)
    choices = dict(getattr(field, "choices", None) or [])
    if choices:
        return str(choices.get(value, value))
    return value


def save_versioned(form, save=None):
    """Save a VersionedFormMixin form (with `save`, or `form.save`) if its record is still at the version it opened.

    Call it when the form is valid or stale (`form.is_stale() or form.is_valid()`).

    Otherwise save nothing and raise StaleEdit carrying `changes` (what others changed) and `form`
    (the person's input, rebased on the record as it is now).
    """
    try:
        with transaction.atomic():
            claim_version(form.instance, form.started_from())
            return (save or form.save)()
    except StaleEdit as stale:
        stale.changes = form.changes_by_others(stale.current)
        stale.form = form.rebased_on(stale.current)
        raise
