from django import template

register = template.Library()


@register.filter
def duration_minutes(minutes):
    """A duration in minutes in the unit a person reads it in: "45 min", "3.5 h", "2.1 d"; "—" when unknown."""
    if minutes is None:
        return "—"
    if minutes < 120:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} d"
