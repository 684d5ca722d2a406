"""The incident page shows its review (or offers to start one); the review page links back."""

import re

import pytest

from postmortems.models import Review
from postmortems.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_review_state_and_link_on_the_incident_page(client, viewer, incident):
    review = ReviewFactory(incident=incident, status="in_review")
    client.force_login(viewer)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert 'class="review-status status-in_review">In review<' in page
    assert f'href="/reviews/{review.reference}/"' in page


def test_it_offers_a_responder_to_start_the_review(client, responder, incident):
    client.force_login(responder)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert re.search(rf'<form method="post" action="/reviews/{incident.reference}/start/">', page)


def test_it_starts_the_review_from_the_incident_page_button(client, responder, incident):
    client.force_login(responder)
    response = client.post(f"/reviews/{incident.reference}/start/")
    assert (response.status_code, response["Location"]) == (302, f"/reviews/{incident.reference}/")
    assert Review.objects.get(incident=incident).owner == responder


def test_it_offers_a_viewer_no_start_button(client, viewer, incident):
    client.force_login(viewer)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "/start/" not in page
    assert "No review yet." in page


def test_it_offers_the_outsider_no_start_button(client, outsider, incident):
    client.force_login(outsider)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "/start/" not in page


def test_it_links_the_review_page_back_to_its_incident(client, viewer, review):
    client.force_login(viewer)
    page = client.get(review.get_absolute_url()).content.decode()
    assert f'href="/incidents/{review.incident.reference}/"' in page
