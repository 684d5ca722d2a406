"""Pages and API lists run a fixed number of queries however many rows there are."""

import pytest

from incidents.models import Incident
from postmortems.models import CausalFactor, CausalLink, Review
from postmortems.tests.factories import TimelineEventFactory

pytestmark = pytest.mark.django_db

# 13 for the document and chart, 7 for the actions coverage panel, 7 for the guardrails panel,
# 2 for the playbooks panel (its playbooks; those it could refine, once published).
REVIEW_PAGE_QUERIES = 27 + 2
CHART_EDIT_QUERIES = (
    23 + 1
)  # the edit, then the whole chart panel re-read and re-rendered; +1 the factor's history record
HISTORY_PAGE_QUERIES = 13  # the review, its saves (users, m2m snapshots, names), chart records: the same at any size
LIST_PAGE_QUERIES = 10
API_LIST_QUERIES = 7


def _chart(review, *, factors, links):
    """A DAG: factor i links to a later factor, `links` edges in all."""
    rows = CausalFactor.objects.bulk_create(
        [
            CausalFactor(review=review, description=f"Factor {i}", is_root_cause=i < 3, is_symptom=i >= factors - 3)
            for i in range(factors)
        ]
    )
    pairs = [(i, j) for i in range(factors) for j in range(i + 1, factors)][:links]
    CausalLink.objects.bulk_create([CausalLink(review=review, cause=rows[i], effect=rows[j]) for i, j in pairs])
    for _ in range(5):
        TimelineEventFactory(incident=review.incident)


@pytest.mark.parametrize(("factors", "links"), [(3, 2), (30, 40)])
def test_it_renders_a_review_page_in_fixed_queries(review, responder, factors, links, page_within):
    _chart(review, factors=factors, links=links)
    response = page_within(responder, review.get_absolute_url(), queries=REVIEW_PAGE_QUERIES)
    assert response.content.decode().count('class="factor-row') == factors


@pytest.mark.parametrize(("factors", "links"), [(3, 2), (30, 40)])
def test_it_answers_a_chart_edit_in_fixed_queries(
    client, review, responder, django_assert_max_num_queries, factors, links
):
    _chart(review, factors=factors, links=links)
    client.force_login(responder)
    with django_assert_max_num_queries(CHART_EDIT_QUERIES):
        client.post(
            f"/reviews/{review.reference}/factors/",
            {"description": "new", "kind": "event", "category": "technical"},
            HTTP_HX_REQUEST="true",
        )
    assert CausalFactor.objects.filter(review=review).count() == factors + 1


@pytest.mark.parametrize(("factors", "links"), [(3, 2), (30, 40)])
def test_it_adds_a_cause_and_its_link_in_fixed_queries(
    client, review, responder, django_assert_max_num_queries, factors, links
):
    _chart(review, factors=factors, links=links)
    effect = review.factors.order_by("-id").first()
    client.force_login(responder)
    # The factor edit's budget, plus the link (its lock, both factors, the edges, its row, its history record,
    # one savepoint) and the factors the form offers to link instead.
    with django_assert_max_num_queries(CHART_EDIT_QUERIES + 8):
        client.post(
            f"/reviews/{review.reference}/factors/{effect.pk}/relate/",
            {"direction": "cause", "description": "new", "kind": "event", "category": "technical"},
            HTTP_HX_REQUEST="true",
        )
    assert CausalLink.objects.filter(effect=effect, cause__description="new").exists()


def _reviews(count, team):
    incidents = Incident.objects.bulk_create(
        [Incident(title=f"Incident {i}", team=team, severity="sev2") for i in range(count)]
    )
    Review.objects.bulk_create([Review(incident=incident, summary="s") for incident in incidents])


@pytest.mark.parametrize("count", [10, 500])
def test_it_lists_reviews_in_fixed_queries(team, responder, count, page_within):
    _reviews(count, team)
    response = page_within(responder, "/reviews/", queries=LIST_PAGE_QUERIES)
    assert f"{count} reviews" in response.content.decode()


@pytest.mark.parametrize("count", [10, 500])
def test_it_lists_reviews_in_the_api_in_fixed_queries(api, team, responder, django_assert_max_num_queries, count):
    _reviews(count, team)
    client = api(responder)
    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = client.get("/api/reviews/?page_size=200")
    assert response.data["count"] == count


@pytest.mark.parametrize("count", [10, 500])
def test_it_lists_overdue_incidents_in_fixed_queries(team, lead, count, page_within):
    from datetime import timedelta

    from django.utils import timezone

    old = timezone.now() - timedelta(days=90)
    Incident.objects.bulk_create(
        [Incident(title=f"Old {i}", team=team, severity="sev1", resolved_at=old, started_at=old) for i in range(count)]
    )
    page = page_within(lead, "/reviews/", queries=LIST_PAGE_QUERIES).content.decode()
    assert "Past the review deadline" in page
    assert f'<span class="count">{count:,}</span>' in page


@pytest.mark.parametrize("edits", [3, 40])
def test_it_renders_the_history_page_in_fixed_queries(review, responder, lead, edits, page_within):
    from postmortems import editing

    factors = [editing.add_factor(review, by=responder, description=f"Factor {i}") for i in range(edits)]
    for i in range(edits - 1):
        editing.add_link(review, cause=factors[i], effect=factors[i + 1], by=lead)
        editing.update_factor(factors[i], by=lead, is_root_cause=True)
    editing.update_review(review, version=review.version, changes={"summary": "Rewritten"}, by=lead)
    response = page_within(responder, f"/reviews/{review.reference}/history/", queries=HISTORY_PAGE_QUERIES)
    assert response.content.decode().count('class="card history-entry') == min(100, 3 * edits - 2 + 2)
