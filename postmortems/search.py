"""Reviews as search documents: every section and the chart's factor descriptions (see core.search).

A review is as visible as its incident, so it is reindexed when its incident changes too.
"""

from functools import partial
from operator import attrgetter

from django.db.models import Prefetch

from core import search
from core.outbox import on_commit_collect
from core.signals import on_relation_changes, on_row_changes
from incidents.models import Incident
from incidents.search import incident_document_fields
from postmortems.models import SECTION_FIELDS, CausalFactor, Review

DOC_TYPE = "review"


def review_documents(ids):
    """The search documents of the reviews with these ids (those that still exist, of incidents not deleted)."""
    reviews = (
        Review.objects.filter(pk__in=ids, incident__archived_at__isnull=True)
        .select_related("incident", "primary_class")
        .prefetch_related(
            "secondary_classes",
            "incident__services",
            "incident__allowed_teams",
            Prefetch("factors", queryset=CausalFactor.objects.only("review_id", "description")),
        )
    )
    for review in reviews:
        incident = review.incident
        classes = [review.primary_class, *review.secondary_classes.all()]
        sections = [getattr(review, name) for name in SECTION_FIELDS if name != "summary"]
        yield search.Document(
            doc_type=DOC_TYPE,
            object_id=review.pk,
            url=review.get_absolute_url(),
            reference=review.reference,
            title=f"Review: {incident.title}",
            keywords="\n".join(cls.name for cls in classes if cls is not None),
            summary=review.summary,
            body="\n".join([*sections, *(factor.description for factor in review.factors.all())]),
            **incident_document_fields(incident),
        )


_queue = partial(search.queue_reindex, DOC_TYPE)


def _queue_review_of(incident_id):
    """Reindex the incident's review, if it has one, after commit (found then, not now, with every changed
    incident's in one query)."""
    on_commit_collect("reviews-of-incidents", [incident_id], _reindex_reviews_of)


def _reindex_reviews_of(incident_ids):
    search.queue_reindex(DOC_TYPE, *Review.objects.filter(incident_id__in=incident_ids).values_list("pk", flat=True))


def connect():
    search.register_feed(
        DOC_TYPE,
        label="Reviews",
        documents=review_documents,
        rows=Review.objects.all(),
    )
    on_row_changes(Review, _queue, dispatch_uid="postmortems.search_review")
    on_row_changes(CausalFactor, _queue, key=attrgetter("review_id"), dispatch_uid="postmortems.search_factor")
    # A deleted incident takes its review with it (the review's own delete reindexes it).
    on_row_changes(Incident, _queue_review_of, deletes=False, dispatch_uid="postmortems.search_incident")
    on_relation_changes(
        (Incident.services.through, Incident.allowed_teams.through), _queue_review_of, dispatch_uid="postmortems.search"
    )
