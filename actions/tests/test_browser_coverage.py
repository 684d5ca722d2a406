"""The coverage table in a real browser: one click per root cause and category, a title, Enter — and the
warning about root causes with no corrective or preventive action goes away."""

import pytest

from actions.tests.factories import CausalFactorFactory, IncidentFactory, ReviewFactory
from conftest import BASE_DIR, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = BASE_DIR / "test-artifacts"


@pytest.fixture
def review_with_two_root_causes(team, lead):
    review = ReviewFactory(incident=IncidentFactory(team=team, severity="sev2"), owner=lead)
    CausalFactorFactory(review=review, description="Config pushed without a canary")
    CausalFactorFactory(review=review, description="Schema not validated in CI")
    return review


def _add_for_cause(page, name, title):
    page.get_by_role("link", name=name).press("Enter")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.name === 'title'"
        " && !!document.activeElement.closest('#action-add')"
    )
    page.keyboard.type(title)
    page.keyboard.press("Enter")
    page.get_by_role("link", name=title).wait_for()


@pytest.mark.parametrize("width", [1280, 390])
def test_it_adds_an_action_per_root_cause_from_the_table_and_the_warning_goes(
    page_as, lead, review_with_two_root_causes, width
):
    review = review_with_two_root_causes
    ARTIFACTS.mkdir(exist_ok=True)
    page = page_as(lead, width=width, height=900)
    page.goto(review.get_absolute_url())
    warning = page.locator(".coverage-warning")
    assert "2 root causes have no corrective or preventive action" in warning.inner_text()
    warning.get_by_role("link", name="the table below").click()
    page.wait_for_url("**#coverage-table")

    _add_for_cause(page, "Add a corrective action for Config pushed without a canary", "Canary every config push")
    assert "1 root cause has no corrective or preventive action" in page.locator(".coverage-warning").inner_text()
    # Playwright hides the caret for a screenshot by giving inputs a style attribute, which a later htmx swap
    # copies over (a CSP report no person's browser makes): this one, mid-way, leaves the caret alone.
    page.screenshot(path=str(ARTIFACTS / f"coverage-one-cause-covered-{width}.png"), full_page=True, caret="initial")

    _add_for_cause(page, "Add a preventive action for Schema not validated in CI", "Validate config schema in CI")
    assert page.locator(".coverage-warning").count() == 0
    actions = {action.title: [f.description for f in action.factors.all()] for action in review.actions.all()}
    assert actions == {
        "Canary every config push": ["Config pushed without a canary"],
        "Validate config schema in CI": ["Schema not validated in CI"],
    }
    assert set(review.actions.values_list("category", flat=True)) == {"corrective", "preventive"}
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"coverage-all-covered-{width}")
    page.locator("#review-coverage").screenshot(path=str(ARTIFACTS / f"coverage-panel-{width}.png"))
