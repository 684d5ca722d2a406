"""The filters every list's FilterSet is built from: its search box, a yes/no choice, a record chosen by slug."""

import django_filters
from django import forms

YES_NO = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])


def search_filter(placeholder):
    """The list's search box (`q`); the FilterSet answers it in its `filter_text` method."""
    return django_filters.CharFilter(
        method="filter_text",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}),
    )


def slug_filter(queryset, noun, *, label=None, **options):
    """A choice of one record by its slug, "Any <noun>" until one is chosen; `options` as for ModelChoiceFilter."""
    return django_filters.ModelChoiceFilter(
        queryset=queryset, to_field_name="slug", label=label or noun.capitalize(), empty_label=f"Any {noun}", **options
    )
