"""`{% load panels %}`: render the panels higher apps registered for a slot (see core/panels.py)."""

from django import template
from django.template.loader import get_template
from django.templatetags.static import static
from django.utils.html import format_html_join

from core.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panels(context, slot, obj):
    """Every panel registered for `slot`, rendered for `obj` and the current request, in order."""
    request = context.get("request")
    # Rendered with the request, so the context processors give each panel `request`, `user` and `csrf_token`.
    rendered = (
        get_template(panel.template_name).render(panel.context_for(request, obj), request) for panel in panels_for(slot)
    )
    return format_html_join("", "{}", ((html,) for html in rendered))


@register.simple_tag
def panel_stylesheets(*slots):
    """`<link>`s for the stylesheets the panels of `slots` need, each once."""
    names = dict.fromkeys(name for slot in slots for panel in panels_for(slot) for name in panel.stylesheets)
    return format_html_join("", '<link rel="stylesheet" href="{}">', ((static(name),) for name in names))
