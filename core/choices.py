"""Choices written once: each value names its member and, in sentence case, its label."""

from django.db import models


def text_choices(name, values, *, labels=None, module):
    """Return a TextChoices enum named `name`, one member per space-separated value.

    A member's name is its value upper-cased (`near_miss` → `NEAR_MISS`) and its label the value in
    sentence case ("Near miss"), unless `labels` ({value: label}) words it otherwise. `values` may
    also be that dict alone, when every label is worded.
    """
    if isinstance(values, dict):
        values, labels = " ".join(values), values
    labels = labels or {}
    members = [
        (value.upper(), (value, labels.get(value, value.replace("_", " ").capitalize()))) for value in values.split()
    ]
    unknown = set(labels) - set(values.split())
    if unknown:
        raise ValueError(f"Labels for values {name} does not have: {sorted(unknown)}")
    return models.TextChoices(name, members, module=module, qualname=name)
