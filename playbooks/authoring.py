"""Playbooks written from reviews, and the feedback of the incidents they were used in."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from playbooks.choices import Kind
from playbooks.models import Playbook, PlaybookUse


def draft_from_review(review):
    """The initial fields of a playbook written from a published review.

    Symptoms come from the chart's symptom factors, suspects from its root-cause factors, services
    and class from the incident and the review.
    """
    incident = review.incident
    factors = list(review.factors.all())
    suspects = [f"- {factor.description}" for factor in factors if factor.is_root_cause]
    title = incident.title[:200]
    return {
        "kind": Kind.PLAYBOOK,
        "title": title,
        "slug": unique_slug(title),
        "summary": review.summary[:1000],
        "symptoms": [factor.description[:200] for factor in factors if factor.is_symptom],
        "suspects": "\n".join(suspects),
        "services": list(incident.services.all()),
        "classes": [review.primary_class] if review.primary_class_id else [],
        "team": incident.team,
    }


def unique_slug(title):
    """A slug for `title` no playbook has yet (`-2`, `-3`… appended when needed)."""
    base = slugify(title)[:90] or "playbook"
    taken = set(Playbook.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def add_source_review(playbook, *, review, by):
    """Record that the playbook learned from this published review (and its incident); a history record says who."""
    if not review.is_published():
        raise ValidationError("Only a published review can be a playbook's source.")
    playbook.source_reviews.add(review)
    playbook.source_incidents.add(review.incident_id)


@transaction.atomic
def record_use(*, playbook, incident, outcome, note="", by):
    """Record that the playbook was used in the incident and how it went (a later answer replaces an earlier one)."""
    use, _ = PlaybookUse.objects.update_or_create(
        playbook=playbook, incident=incident, defaults={"outcome": outcome, "note": note, "by": by}
    )
    return use
