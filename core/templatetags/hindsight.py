"""Template helpers available in every template (registered as a builtin)."""

from django import template
from django.utils import timezone

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user-written Markdown as sanitized HTML."""
    return render_markdown(text)


@register.filter
def duration(delta):
    """A timedelta in words an on-call engineer reads at a glance: '2 d 3 h', '1 h 5 min', '42 s'."""
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days} d {hours} h" if hours else f"{sign}{days} d"
    if hours:
        return f"{sign}{hours} h {minutes} min" if minutes else f"{sign}{hours} h"
    if minutes:
        return f"{sign}{minutes} min"
    return f"{sign}{secs} s"


@register.filter
def since(moment):
    """Time elapsed since a moment, in the same words as `duration`."""
    if moment is None:
        return "—"
    return duration(timezone.now() - moment)


@register.filter
def described(field):
    """Render a form field's widget pointing `aria-describedby` at its help and errors (`<id>_helptext`).

    Django points it at the help text only when there is some; errors need it too, and the element
    with that id must exist (render the help and the errors inside one element with that id).
    """
    if not (field.help_text or field.errors) or not field.auto_id:
        return field.as_widget()
    return field.as_widget(attrs={"aria-describedby": f"{field.auto_id}_helptext"})
