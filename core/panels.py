"""Panels a higher app adds to a lower app's page, so the lower app imports nothing above it.

A page of a lower app names a *slot* and renders whatever is registered for it; a higher app
registers its panel in its `AppConfig.ready()` (NetBox's template extensions are the model):

    register_panel("incident_detail_side", "postmortems/inc/_incident_review.html",
                   context=incident_review_context, order=10)

and the incident page renders `{% load panels %}{% render_panels "incident_detail_side" incident %}`.
`context(request, obj)` returns the panel template's context (it runs once per page view, so it must
run a bounded number of queries). A panel that needs its own stylesheet names it, and the page puts
`{% panel_stylesheets "slot" %}` in its head so the stylesheet loads only where the panel shows.
"""

from dataclasses import dataclass, field

# The slots pages offer. A new page adds its slot here, so a typo in a registration fails at start-up.
SLOTS = {
    "incident_detail_side": "an incident's page, beside its facts",
    "incident_detail_main": "an incident's page, below its timeline and suspects",
    "review_detail_main": "a review's page, below its causal-factor chart",
    "review_detail_side": "a review's page, beside the document",
    "service_detail_main": "a service's page, below its deployments",
}

_registry = {}


@dataclass(frozen=True)
class Panel:
    """One registered panel: which template renders it, with which context, in which order."""

    slot: str
    template_name: str
    context: object = None
    order: int = 100
    stylesheets: tuple = field(default=())

    def context_for(self, request, obj):
        """The panel template's context for `obj` as seen by `request.user`."""
        return self.context(request, obj) if self.context else {"object": obj}


def register_panel(slot, template_name, *, context=None, order=100, stylesheets=()):
    """Add a panel to `slot` (registering the same template twice replaces the first registration)."""
    if slot not in SLOTS:
        raise ValueError(f"Unknown panel slot {slot!r}; the slots are: {', '.join(sorted(SLOTS))}.")
    panels = [panel for panel in _registry.get(slot, []) if panel.template_name != template_name]
    panels.append(Panel(slot, template_name, context, order, tuple(stylesheets)))
    _registry[slot] = sorted(panels, key=lambda panel: (panel.order, panel.template_name))


def panels_for(slot):
    """The panels registered for `slot`, in display order."""
    return list(_registry.get(slot, ()))
