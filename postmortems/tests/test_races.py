"""Two people starting the same review at once (or one double click) get one review (PostgreSQL, threads)."""

import pytest
from django.test import Client

from conftest import race
from postmortems.models import Review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_double_start_review_gives_one_review_and_no_error(incident, responder, lead):
    def start(user):
        client = Client()
        client.force_login(user)
        return client.post(f"/reviews/{incident.reference}/start/").status_code

    statuses = race(lambda: start(responder), lambda: start(lead))

    assert statuses == [302, 302]
    assert Review.objects.filter(incident=incident).count() == 1


def test_a_double_start_in_the_api_gives_one_review_and_a_clear_refusal(api, incident, responder):
    def start():
        return api(responder).post("/api/reviews/", {"incident": incident.reference}, format="json").status_code

    assert sorted(race(start, start)) == [201, 400]
    assert Review.objects.filter(incident=incident).count() == 1
