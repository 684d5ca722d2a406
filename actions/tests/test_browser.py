from datetime import timedelta

import pytest
from django.utils import timezone

from actions.models import ActionItem
from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue_preventive(make_action, other_team):
    today = timezone.localdate()
    target = make_action(
        category="preventive", title="Schema-validate every config push", due_date=today - timedelta(days=6)
    )
    make_action(category="corrective", title="Second reviewer for config", due_date=today - timedelta(days=3))
    make_action(
        category="preventive", title="Search team redesign", due_date=today - timedelta(days=2), team=other_team
    )
    make_action(category="preventive", title="Not due yet", due_date=today + timedelta(days=20))
    return target


@pytest.mark.parametrize("width", [1280, 390])
def test_it_lets_a_lead_find_an_overdue_preventive_action_and_mark_it_done(
    page_as, lead, team, overdue_preventive, width
):
    page = page_as(lead, width=width)
    page.goto(f"/actions/dashboard/?team={team.slug}&category=preventive")
    page.wait_for_function("document.querySelector('#backlog-chart').width > 0")
    assert page.inner_text("[data-stat=overdue]") == "1"
    screenshot(page, f"actions-dashboard-{width}")
    page.click("a.stat:has([data-stat=overdue])")
    page.wait_for_url("**/actions/?*overdue=true*")
    rows = page.locator("table.action-table tbody tr")
    assert rows.count() == 1
    screenshot(page, f"actions-list-overdue-{width}")
    page.click("text=Schema-validate every config push")
    page.click("button[data-transition=done]")
    page.wait_for_selector(".message-success")
    screenshot(page, f"actions-detail-done-{width}")
    overdue_preventive.refresh_from_db()
    assert overdue_preventive.status == "done"
    assert ActionItem.objects.overdue().filter(team=team, category="preventive").count() == 0
