"""`{% render_panels slot obj %}` and `{% panel_stylesheets slot … %}`: the page side of core.panels."""

from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from core.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panels(context, slot, obj):
    """Render every panel registered for slot about obj, in order; a panel whose context is None is left out."""
    request = context["request"]
    parts = []
    for panel in panels_for(slot):
        extra = panel.context(request, obj) if panel.context else {}
        if extra is None:
            continue
        parts.append(render_to_string(panel.template_name, {"object": obj, **extra}, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered, autoescaped template


@register.simple_tag
def panel_stylesheets(*slots):
    """The <link> tags for the stylesheets of the panels in these slots, each once."""
    paths = dict.fromkeys(panel.stylesheet for slot in slots for panel in panels_for(slot) if panel.stylesheet)
    if not paths:
        return ""
    return format_html_join("", '<link rel="stylesheet" href="{}">', ((static(path),) for path in paths))
