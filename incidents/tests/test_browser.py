import pytest

from conftest import screenshot
from incidents.choices import Status
from incidents.models import Incident


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_it_opens_an_incident_adds_to_its_timeline_and_resolves_it(page_as, responder, service, width):
    page = page_as(responder, width=width)
    page.goto("/incidents/new/")
    page.fill("input[name=title]", "Card authorisations timing out")
    page.select_option("select[name=severity]", "sev2")
    page.select_option("select[name=team]", label="Payments")
    page.select_option("select[name=services]", label="Payments API")
    page.fill("input[name=started_at]", "2026-03-02T09:00")
    page.fill("input[name=detected_at]", "2026-03-02T09:03")
    page.fill("textarea[name=labels]", "region=eu-west")
    page.click("button:has-text('Open incident')")
    page.wait_for_selector("h1:has-text('Card authorisations timing out')")

    page.fill("#timeline-add textarea[name=text]", "Failed over to the **secondary** acquirer")
    page.click("#timeline-add button[type=submit]")
    page.wait_for_selector("#timeline strong:has-text('secondary')")
    assert page.url.endswith(Incident.objects.get().get_absolute_url())  # inline: no page load
    screenshot(page, f"incident-timeline-{width}")

    page.click("button:has-text('Resolve')")
    page.wait_for_selector(".istatus-resolved")
    screenshot(page, f"incident-resolved-{width}")
    incident = Incident.objects.get()
    assert (incident.status, incident.timeline.count()) == (Status.RESOLVED, 2)
