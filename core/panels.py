"""Panels: how a higher app shows a section on a lower app's page without the lower app importing it.

The lower app's template names a *slot*; a higher app registers panels for that slot in its
`AppConfig.ready()`; the page renders whatever is registered, in order. NetBox's template
extensions are the model. So `incidents/` can show a review's state, playbook suggestions or
experiment evidence while knowing nothing of `postmortems/`, `playbooks/` or `failure_catalog/`.

    # playbooks/apps.py
    def ready(self):
        from core.panels import register_panel
        from playbooks.panels import suggestions_context
        register_panel("incident_detail_side", "playbooks/inc/_suggestions.html",
                       context=suggestions_context, order=20, stylesheet="hindsight/playbooks.css")

    {# templates/incidents/incident_detail.html #}
    {% load panels %}
    {% block head %}{% panel_stylesheets "incident_detail_main" "incident_detail_side" %}{% endblock %}
    ...{% render_panels "incident_detail_side" incident %}

`context(request, obj)` returns the panel template's context (the object is always there as
`object`), or None to leave the panel out for this request (no permission, nothing to show).
It runs inside the page's request, so it counts against the page's query budget.
"""

from collections.abc import Callable
from dataclasses import dataclass

# Each slot a page offers, with the object its panels receive.
SLOTS = {
    "incident_detail_main": "the incident page's main column, below the timeline (an Incident)",
    "incident_detail_side": "the incident page's side column, above the facts (an Incident)",
    "review_detail_main": "the review page's main column, below the causal chart (a Review)",
    "review_detail_side": "the review page's side column (a Review)",
    "service_detail_main": "the service page's main column, below its incidents (a Service)",
    "service_detail_side": "the service page's side column (a Service)",
}


@dataclass(frozen=True)
class Panel:
    """One section a higher app contributes to a slot."""

    slot: str
    template_name: str
    context: Callable | None = None
    order: int = 100
    stylesheet: str | None = None


_registry: dict[str, dict[str, Panel]] = {slot: {} for slot in SLOTS}


def register_panel(slot, template_name, *, context=None, order=100, stylesheet=None):
    """Register a panel for a slot; registering the same template again replaces it (ready() may run twice)."""
    if slot not in SLOTS:
        raise ValueError(f"Unknown panel slot {slot!r}; the slots are {', '.join(SLOTS)}.")
    panel = Panel(slot, template_name, context, order, stylesheet)
    _registry[slot][template_name] = panel
    return panel


def panels_for(slot):
    """The panels registered for a slot, lowest order first (ties by template name, so the order is stable)."""
    return sorted(_registry[slot].values(), key=lambda panel: (panel.order, panel.template_name))
