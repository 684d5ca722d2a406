"""The review panel on an incident's page, registered in PostmortemsConfig.ready() (see core/panels.py)."""

from postmortems.models import Review


def incident_review_context(request, incident):
    """The incident's review state with a link to it, or a button to start one for those who may write it."""
    review = Review.objects.filter(incident=incident).only("pk", "incident_id", "status", "published_at").first()
    return {
        "incident": incident,
        "review": review,
        "can_start": review is None and Review(incident=incident).can_be_edited_by(request.user),
    }
