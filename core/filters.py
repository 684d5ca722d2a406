"""The filters every list's FilterSet is built from: its search box, a yes/no choice, a record chosen by slug."""

import django_filters
from django import forms
from django.utils.html import format_html, format_html_join

YES_NO = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])


def search_filter(placeholder):
    """The list's search box (`q`); the FilterSet answers it in its `filter_text` method."""
    return django_filters.CharFilter(
        method="filter_text",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}),
    )


class QuickSelect(forms.Select):
    """A <select> written in Python: the stock widget renders one template per option, and a list's service
    filter has hundreds (a third of the insights page's time). Same HTML; flat choices only, no optgroups."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        chosen = set(context["value"])
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in chosen else "", label) for key, label in self.choices),
        )
        # As django/forms/widgets/attrs.html writes them: in order, True as a bare name, False left out.
        attributes = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
                for key, value in context["attrs"].items()
                if value is not False
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)

    def optgroups(self, name, value, attrs=None):
        return []  # render() writes the options itself


def slug_filter(queryset, noun, *, label=None, **options):
    """A choice of one record by its slug, "Any <noun>" until one is chosen; `options` as for ModelChoiceFilter."""
    options.setdefault("widget", QuickSelect)
    return django_filters.ModelChoiceFilter(
        queryset=queryset, to_field_name="slug", label=label or noun.capitalize(), empty_label=f"Any {noun}", **options
    )
