import pytest

from postmortems.tests.factories import CausalFactorFactory, IncidentFactory

pytestmark = pytest.mark.django_db

PAGES = ["", "edit/", "history/", "export.md", "export.json"]


@pytest.mark.parametrize("suffix", PAGES)
def test_it_hides_restricted_review_pages_from_other_teams(client, restricted_review, lead, suffix):
    client.force_login(lead)
    assert client.get(f"/reviews/{restricted_review.reference}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", PAGES)
def test_it_hides_restricted_review_pages_from_outsiders(client, restricted_review, outsider, suffix):
    client.force_login(outsider)
    assert client.get(f"/reviews/{restricted_review.reference}/{suffix}").status_code == 404


def test_it_shows_restricted_reviews_to_the_allowed_team(client, restricted_review, other_team):
    from django.contrib.auth import get_user_model

    from accounts.models import Membership, Role

    insider = get_user_model().objects.create_user("ines", password="pw-ines")
    Membership.objects.create(user=insider, team=other_team, role=Role.VIEWER)
    client.force_login(insider)
    assert client.get(f"/reviews/{restricted_review.reference}/").status_code == 200
    assert client.get(f"/reviews/{restricted_review.reference}/export.md").status_code == 200


def test_it_leaves_restricted_reviews_out_of_the_list_and_its_count(client, restricted_review, review, lead):
    client.force_login(lead)
    page = client.get("/reviews/").content.decode()
    assert restricted_review.incident.title not in page
    assert "1 review<" in page


def test_it_leaves_restricted_incidents_out_of_the_overdue_panel(client, other_team, lead):
    from datetime import timedelta

    from django.utils import timezone

    hidden = IncidentFactory(
        team=other_team, restricted=True, title="Hidden breach", resolved_at=timezone.now() - timedelta(days=60)
    )
    visible = IncidentFactory(title="Visible outage", resolved_at=timezone.now() - timedelta(days=60))
    client.force_login(lead)
    page = client.get("/reviews/").content.decode()
    assert visible.title in page
    assert hidden.title not in page


def test_it_hides_restricted_reviews_from_the_api(api, restricted_review, review, lead):
    client = api(lead)
    listed = client.get("/api/reviews/").data
    assert listed["count"] == 1
    assert [r["incident"] for r in listed["results"]] == [review.reference]
    assert client.get(f"/api/reviews/{restricted_review.reference}/").status_code == 404
    assert client.get(f"/api/reviews/{restricted_review.reference}/factors/").status_code == 404
    assert client.get(f"/api/reviews/{restricted_review.reference}/links/").status_code == 404


def test_it_refuses_chart_writes_on_a_restricted_review_with_404(api, client, restricted_review, lead):
    factor = CausalFactorFactory(review=restricted_review)
    response = api(lead).post(
        f"/api/reviews/{restricted_review.reference}/factors/", {"description": "x"}, format="json"
    )
    assert response.status_code == 404
    client.force_login(lead)
    assert client.post(f"/reviews/{restricted_review.reference}/factors/{factor.pk}/delete/").status_code == 404
    assert client.post(f"/reviews/{restricted_review.reference}/start/").status_code == 404
