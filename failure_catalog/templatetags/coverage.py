"""`{% coverage_cell cell %}`: one cell of the coverage matrix, built in Python because a matrix page draws hundreds."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def coverage_cell(cell):
    """A cell's state as a badge, titled with its evidence, linking to the latest experiment when there is one."""
    title = f"{cell.fault_type.name}: {cell.label}"
    if cell.latest_at:
        title += f" — last evidence {cell.latest_at:%-d %b %Y}"
        if cell.latest_version:
            title += f" on {cell.latest_version}"
    if cell.max_age_days:
        title += f"; max age {cell.max_age_days} days"
    if cell.latest_id:
        url = reverse("failure_catalog:experiment_detail", args=[cell.latest_id])
        return format_html(
            '<span class="cell cell-{}" title="{}"><a href="{}">{}</a></span>', cell.state, title, url, cell.label
        )
    return format_html('<span class="cell cell-{}" title="{}">{}</span>', cell.state, title, cell.label)
