import pytest
from django.core.exceptions import ValidationError

from postmortems import publishing
from postmortems.choices import ReviewStatus
from postmortems.models import Review
from postmortems.signals import review_published
from postmortems.tests.factories import CausalFactorFactory, publishable_review, root_cause_class

pytestmark = pytest.mark.django_db


def _publish(client, user, review):
    client.force_login(user)
    return client.post(f"/reviews/{review.reference}/publish/", follow=True)


def test_it_publishes_a_ready_review(client, team, lead, responder):
    review = publishable_review(team=team, owner=responder)
    _publish(client, lead, review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert review.published_by == lead
    assert review.published_at


def test_it_refuses_to_publish_without_an_owner(client, team, lead, responder):
    review = publishable_review(team=team, owner=None)
    response = _publish(client, lead, review)
    assert "Name an owner" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.DRAFT


def test_it_refuses_to_publish_without_a_primary_class(client, team, lead, responder):
    review = publishable_review(team=team, owner=responder)
    Review.objects.filter(pk=review.pk).update(primary_class=None)
    response = _publish(client, lead, review)
    assert "primary root-cause class" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.DRAFT


def test_it_refuses_to_publish_without_a_root_cause_factor(client, review, lead, responder):
    Review.objects.filter(pk=review.pk).update(primary_class=root_cause_class())
    CausalFactorFactory(review=review, is_symptom=True)
    response = _publish(client, lead, review)
    assert "Mark at least one causal factor as a root cause" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.DRAFT


def test_it_explains_the_publishing_rule_on_the_page(client, review, viewer):
    client.force_login(viewer)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Publishing needs an owner, a primary root-cause class, and at least one causal factor" in page


def test_it_sends_review_published_once_the_review_is_published(team, lead, responder):
    review = publishable_review(team=team, owner=responder)
    received = []

    def receiver(sender, review, **kwargs):
        received.append((review.pk, review.status))

    review_published.connect(receiver)
    try:
        with pytest.raises(ValidationError):
            publishing.publish_review(publishable_review(team=team, owner=None), by=lead)
        assert received == []
        publishing.publish_review(review, by=lead)
        assert received == [(review.pk, "published")]
    finally:
        review_published.disconnect(receiver)


def test_it_refuses_publishing_by_a_responder(client, team, responder):
    review = publishable_review(team=team, owner=responder)
    assert _publish(client, responder, review).status_code == 403


def test_it_refuses_publishing_by_an_outsider(client, team, responder, outsider):
    review = publishable_review(team=team, owner=responder)
    assert _publish(client, outsider, review).status_code == 403


def test_it_records_who_reopened_a_review_when_and_why(client, team, lead, responder):
    review = publishable_review(team=team, owner=responder)
    publishing.publish_review(review, by=lead)
    client.force_login(lead)
    client.post(
        f"/reviews/{review.reference}/reopen/", {"reason": "New evidence from the vendor", "status": "in_review"}
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_REVIEW
    assert review.reopened_by == lead
    assert review.reopened_at
    record = review.history.first()
    assert record.history_change_reason == "Reopened: New evidence from the vendor"
    assert record.history_user == lead
    history_page = client.get(f"/reviews/{review.reference}/history/").content.decode()
    assert "Reopened: New evidence from the vendor" in history_page
    assert "Published" in history_page


def test_it_refuses_to_reopen_a_draft(review, lead):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Only a published review"):
        publishing.reopen_review(review, by=lead)


def test_it_starts_a_review_from_an_incident(client, incident, responder):
    client.force_login(responder)
    response = client.post(f"/reviews/{incident.reference}/start/")
    review = Review.objects.get(incident=incident)
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()
    assert review.owner == responder


def test_it_refuses_starting_a_review_to_an_outsider(client, incident, outsider):
    client.force_login(outsider)
    assert client.post(f"/reviews/{incident.reference}/start/").status_code == 403
    assert not Review.objects.exists()
