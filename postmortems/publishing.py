"""The review's lifecycle: start it, send it for review, publish it, reopen it.

Every step saves through `save_recorded`, so each one bumps the version (open
edit forms learn they are stale) and leaves a history record naming who and why.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.models import Incident
from postmortems.choices import ReviewStatus
from postmortems.models import Review
from postmortems.signals import review_published


def save_recorded(review, *, by, reason):
    """Save review with its version bumped, recording `by` and `reason` in its history."""
    review.version += 1
    review._history_user = by
    review._change_reason = reason
    review.save()


@transaction.atomic
def start_review(*, incident, by):
    """Return the incident's review, creating a draft owned by `by` if it has none. Returns (review, created).

    Two people (or one double click) starting the same review get the same one: the check and the
    create happen under the incident's row lock."""
    Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk").first()
    review = Review.objects.filter(incident=incident).first()
    if review is not None:
        return review, False
    review = Review(incident=incident, owner=by, facilitator=None, summary=incident.summary)
    review._history_user = by
    review._change_reason = "Started"
    review.save()
    review.authors.add(by)
    return review, True


def _locked(review):
    return Review.objects.select_for_update().select_related("incident").get(pk=review.pk)


@transaction.atomic
def submit_for_review(review, *, by):
    """Move a draft to "in review"; refused unless it is a draft."""
    locked = _locked(review)
    if locked.status != ReviewStatus.DRAFT:
        raise ValidationError(f"Only a draft can be sent for review; this review is {locked.get_status_display()}.")
    locked.status = ReviewStatus.IN_REVIEW
    save_recorded(locked, by=by, reason="Sent for review")
    return locked


@transaction.atomic
def publish_review(review, *, by, at=None):
    """Publish the review (at `at`, now by default), or refuse with every reason it is not ready.

    Ready means: an owner, a primary root-cause class and at least one causal
    factor marked as a root cause. `at` is when it was published: now, unless the
    review was published before it came to Hindsight (see Review.clean for the
    times refused). Sends `review_published` (its receivers act on commit).
    """
    locked = _locked(review)
    if locked.status == ReviewStatus.PUBLISHED:
        raise ValidationError("This review is already published.")
    problems = locked.publish_problems()
    if problems:
        raise ValidationError(["This review cannot be published yet.", *problems])
    locked.status = ReviewStatus.PUBLISHED
    locked.published_at = at or timezone.now()
    locked.published_by = by
    locked.clean_publication()
    save_recorded(locked, by=by, reason="Published")
    review_published.send(sender=Review, review=locked)
    return locked


@transaction.atomic
def reopen_review(review, *, by, reason="", status=ReviewStatus.IN_REVIEW):
    """Take a published review back to "in review" (or draft), recording who reopened it, when and why."""
    if status not in (ReviewStatus.DRAFT, ReviewStatus.IN_REVIEW):
        raise ValidationError({"status": "A review can be reopened to draft or in review only."})
    locked = _locked(review)
    if locked.status != ReviewStatus.PUBLISHED:
        raise ValidationError("Only a published review can be reopened.")
    locked.status = status
    locked.published_at = None
    locked.reopened_at = timezone.now()
    locked.reopened_by = by
    reason = " ".join(str(reason).split())[:200]
    save_recorded(locked, by=by, reason=f"Reopened: {reason}" if reason else "Reopened")
    return locked
