"""Reviews feed the search index: every section and factor description, as visible as their incident."""

import pytest

from core import search
from postmortems.tests.factories import CausalFactorFactory, IncidentFactory, ReviewFactory


def _found(text, viewer):
    return [(hit.doc_type, hit.object_id) for hit in search.search(text, viewer=viewer, types=["review"]).hits]


@pytest.fixture
def review(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = ReviewFactory(incident=IncidentFactory(team=team, title="Checkout errors"), lessons="Pin the chart")
        CausalFactorFactory(review=review, description="Connection pool limit removed by a config push")
    return review


def test_it_indexes_sections_and_factor_descriptions(review):
    everyone = search.Viewer(everything=True)
    assert _found("pin chart", everyone) == [("review", review.pk)]
    assert _found("connection pool limit", everyone) == [("review", review.pk)]


def test_it_hides_a_review_when_its_incident_becomes_restricted(review, other_team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review.incident.restricted = True
        review.incident.save()
    outsider_view = search.Viewer(team_ids=frozenset({other_team.pk}))
    results = search.search("connection pool", viewer=outsider_view)
    assert results.hits == []
    assert results.counts == {}
