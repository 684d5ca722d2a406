"""Reviews as search documents: every section and the chart's factor descriptions (see core.search).

A review is as visible as its incident, so it is reindexed when its incident changes too.
"""

from django.db.models import Prefetch
from django.db.models.signals import m2m_changed, post_delete, post_save

from core import search
from core.outbox import on_commit_collect
from core.signals import m2m_changed_ids
from incidents.models import Incident
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
            services=[service.slug for service in incident.services.all()],
            restricted=incident.restricted,
            allowed_team_ids=[team.pk for team in incident.allowed_teams.all()],
            occurred_at=incident.started_at or incident.created_at,
        )


def _queue(review_ids):
    for review_id in review_ids:
        search.queue_reindex(DOC_TYPE, review_id)


def _review_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue([instance.pk])


def _factor_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue([instance.review_id])


def _queue_review_of(incident_id):
    """Reindex the incident's review, if it has one, after commit (found then, not now, with every changed
    incident's in one query)."""
    on_commit_collect("reviews-of-incidents", [incident_id], _reindex_reviews_of)


def _reindex_reviews_of(incident_ids):
    search.queue_reindex(DOC_TYPE, *Review.objects.filter(incident_id__in=incident_ids).values_list("pk", flat=True))


def _incident_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue_review_of(instance.pk)


def _incident_relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    for incident_id in m2m_changed_ids(instance, action, reverse, pk_set):
        _queue_review_of(incident_id)


def connect():
    search.register_feed(
        DOC_TYPE,
        label="Reviews",
        documents=review_documents,
        all_ids=lambda: Review.objects.order_by("pk").values_list("pk", flat=True),
    )
    post_save.connect(_review_changed, sender=Review, dispatch_uid="postmortems.search_review_saved")
    post_delete.connect(_review_changed, sender=Review, dispatch_uid="postmortems.search_review_deleted")
    post_save.connect(_factor_changed, sender=CausalFactor, dispatch_uid="postmortems.search_factor_saved")
    post_delete.connect(_factor_changed, sender=CausalFactor, dispatch_uid="postmortems.search_factor_deleted")
    post_save.connect(_incident_changed, sender=Incident, dispatch_uid="postmortems.search_incident_saved")
    for through in (Incident.services.through, Incident.allowed_teams.through):
        m2m_changed.connect(
            _incident_relations_changed, sender=through, dispatch_uid=f"postmortems.search_{through.__name__}"
        )
