"""The review panel on an incident's page.

The incident page loads this library, so incidents (a lower app) links to its
review without importing postmortems.
"""

from django import template

from postmortems.models import Review

register = template.Library()


@register.inclusion_tag("postmortems/inc/_incident_review.html", takes_context=True)
def incident_review(context, incident):
    """The incident's review state with a link to it, or a button to start one for those who may write it."""
    user = context["request"].user
    review = Review.objects.filter(incident=incident).only("pk", "incident_id", "status", "published_at").first()
    return {
        "incident": incident,
        "review": review,
        "can_start": review is None and Review(incident=incident).can_be_edited_by(user),
        "csrf_token": context.get("csrf_token"),
    }
