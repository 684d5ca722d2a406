"""Every list's links in a real browser: "Next →" reaches page 2, and a chip in a row adds its filter to the others.

Each list starts filtered (the filter a chip must keep), holds one page and a bit, and has rows of two teams.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.tests.factories import ActionItemFactory
from conftest import screenshot
from postmortems.tests.factories import IncidentFactory, ReviewFactory
from services.models import Deployment, Service

pytestmark = pytest.mark.browser


@pytest.fixture
def services(team, other_team):
    """Payments API (team Payments) and Search API (team Search), both tier 1."""
    return (
        Service.objects.create(name="Payments API", slug="payments-api", team=team, tier=1),
        Service.objects.create(name="Search API", slug="search-api", team=other_team, tier=1),
    )


def follow_next_then_chip(page, *, url, page_two_rows, chip, expected):
    """Open the filtered list, go to page 2, click `chip` in a row there; return what the result count says."""
    page.goto(url)
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(lambda address: "page=2" in address)
    assert page.locator(".pagination").inner_text().count("Page 2 of 2") == 1
    assert page.locator("table tbody tr").count() == page_two_rows
    first_filter = url.split("?", 1)[1]
    assert first_filter in page.url
    page.locator("table tbody tr").get_by_role("link", name=chip, exact=True).first.click()
    page.wait_for_url(lambda address: "page=" not in address and address.count("=") == 2)
    assert first_filter in page.url
    assert page.locator(".result-count").inner_text() == expected
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_incident_list_and_filters_by_a_service_chip(page_as, viewer, team, other_team, services, width):
    payments, search = services
    now = timezone.now()
    for n in range(20):
        IncidentFactory(team=team, severity="sev2", started_at=now - timedelta(hours=n + 1)).services.set([payments])
    for n in range(6):  # the oldest: page 2 shows one of them
        IncidentFactory(team=other_team, severity="sev2", started_at=now - timedelta(days=n + 5)).services.set([search])
    IncidentFactory(team=other_team, severity="sev1").services.set([search])  # not sev2: the chip must keep that filter
    page = page_as(viewer, width=width)
    follow_next_then_chip(
        page, url="/incidents/?severity=sev2", page_two_rows=1, chip="Search API", expected="6 incidents"
    )
    assert "service=search-api" in page.url
    screenshot(page, f"list-links-incidents-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_review_list_and_filters_by_a_team_chip(page_as, viewer, team, other_team, width):
    for n in range(51):
        ReviewFactory(incident=IncidentFactory(team=team if n % 2 else other_team))
    ReviewFactory(incident=IncidentFactory(team=team), status="published", published_at=timezone.now())
    page = page_as(viewer, width=width)
    page.goto("/reviews/?status=draft")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(lambda address: "page=2" in address)
    chip = page.locator("table tbody tr td[data-label=Team] a").first.inner_text()
    expected = {"Payments": "25 reviews", "Search": "26 reviews"}[chip]
    follow_next_then_chip(page, url="/reviews/?status=draft", page_two_rows=1, chip=chip, expected=expected)


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_action_list_and_filters_by_a_team_chip(page_as, viewer, team, other_team, width):
    review = ReviewFactory(incident=IncidentFactory(team=team))
    for n in range(51):
        ActionItemFactory(review=review, team=team if n < 40 else other_team, category="corrective")
    ActionItemFactory(review=review, team=other_team, category="preventive")
    page = page_as(viewer, width=width)
    page.goto("/actions/?category=corrective")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(lambda address: "page=2" in address)
    chip = page.locator("table tbody tr td[data-label=Team] a").first.inner_text()
    expected = {"Payments": "40 actions", "Search": "11 actions"}[chip]
    follow_next_then_chip(page, url="/actions/?category=corrective", page_two_rows=1, chip=chip, expected=expected)


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_service_list_and_filters_by_a_team_chip(page_as, viewer, team, other_team, width):
    for n in range(51):
        Service.objects.create(name=f"Service {n:02}", slug=f"service-{n:02}", team=team if n < 45 else other_team)
    Service.objects.create(name="Tier one", slug="tier-one", team=other_team, tier=1)
    page = page_as(viewer, width=width)
    follow_next_then_chip(page, url="/services/?tier=2", page_two_rows=1, chip="Search", expected="6 services")
    assert "team=search" in page.url


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_deployment_list(page_as, viewer, services, width):
    payments, _ = services
    now = timezone.now()
    for n in range(51):
        Deployment.objects.create(service=payments, version=f"v1.{n}.0", started_at=now - timedelta(hours=n))
    Deployment.objects.create(service=payments, version="v0.9.0", environment="staging", started_at=now)
    page = page_as(viewer, width=width)
    page.goto("/deployments/?environment=production")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(lambda address: "page=2" in address and "environment=production" in address)
    assert page.locator(".pagination").inner_text().count("Page 2 of 2") == 1
    assert page.locator("table tbody tr code").all_inner_texts() == ["v1.50.0"]  # the oldest
