import pytest

from conftest import screenshot, wait_until
from incidents.choices import Status, TagKind
from incidents.models import Incident, IncidentTag


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

    page.get_by_text("Resolve…").click()
    asked = page.locator("details[open]")
    asked.get_by_label("Resolved at").fill("2026-03-02T10:00")
    asked.get_by_label("Mitigated at").fill("2026-03-02T09:40")
    screenshot(page, f"incident-resolve-times-{width}")
    asked.get_by_role("button", name="Resolve", exact=True).click()
    page.wait_for_selector(".status-resolved")
    screenshot(page, f"incident-resolved-{width}")
    incident = Incident.objects.get()
    assert (incident.status, incident.timeline.count()) == (Status.RESOLVED, 2)
    assert (f"{incident.mitigated_at:%H:%M}", f"{incident.resolved_at:%H:%M}") == ("09:40", "10:00")
    assert page.locator(".durations").inner_text().count("1 h") == 1  # resolved 1 h after it started


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_it_removes_and_adds_tags_in_place(page_as, responder, incident, service, width):
    IncidentTag.objects.create(incident=incident, kind=TagKind.COMPONENT, value="legacy-db")
    page = page_as(responder, width=width)
    page.goto(incident.get_absolute_url())
    page.click("#tags .tag-remove")
    page.wait_for_selector("#tags p.muted:has-text('None.')")
    assert not incident.tags.exists()

    page.select_option("#tag-add select[name=kind]", "deploy_version")
    page.fill("#tag-add input[name=value]", "v2.14.0")
    page.select_option("#tag-add select[name=service]", label="Payments API")
    page.click("#tag-add button[type=submit]")
    page.wait_for_selector("#tags code:has-text('v2.14.0')")
    assert page.url.endswith(incident.get_absolute_url())  # inline: no page load
    assert list(incident.tags.values_list("value", "service__slug")) == [("v2.14.0", "payments-api")]
    # Last: a screenshot followed by more clicks makes Chromium report Playwright's own inline style.
    screenshot(page, f"incident-tags-{width}")


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_it_shows_the_other_persons_change_when_a_stale_edit_is_refused(page_as, responder, lead, incident, width):
    edit = f"/incidents/{incident.reference}/edit/"
    mine, theirs = page_as(responder, width=width), page_as(lead, width=width)
    mine.goto(edit)
    theirs.goto(edit)
    theirs.fill("input[name=title]", "Card payments failing in the EU")
    theirs.click("button:has-text('Save changes')")
    theirs.wait_for_selector("h1:has-text('Card payments failing in the EU')")

    mine.select_option("select[name=severity]", "sev1")
    mine.click("button:has-text('Save changes')")
    card = mine.locator(".stale-card")
    card.wait_for()
    assert "Card payments failing in the EU" in card.locator(".diff-new").all_inner_texts()
    assert mine.locator("select[name=severity]").input_value() == "sev1"  # what I chose is still there
    assert mine.locator("input[name=title]").input_value() == "Card payments failing in the EU"  # and theirs
    screenshot(mine, f"incident-edit-conflict-{width}")
    mine.console_errors.remove("Failed to load resource: the server responded with a status of 409 (Conflict)")
    incident.refresh_from_db()
    assert (incident.title, incident.severity) == ("Card payments failing in the EU", "sev3")


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_it_keeps_focus_in_an_inline_form_and_moves_it_to_an_error(page_as, responder, incident, width):
    page = page_as(responder, width=width)
    page.goto(incident.get_absolute_url())
    page.fill("#timeline-add textarea[name=text]", "Paged the database on-call")
    page.locator("#timeline-add textarea[name=text]").press("Tab")
    page.keyboard.press("Enter")  # the "Add event" button, from the keyboard
    page.wait_for_selector("#timeline li:has-text('Paged the database on-call')")
    wait_until(page, "document.activeElement.closest('#timeline-add') !== null")

    # A tag it already has is refused by the server: focus goes to the error.
    page.fill("#tag-add input[name=value]", "legacy-db")
    page.locator("#tag-add input[name=value]").press("Enter")
    page.wait_for_selector("#tags code:has-text('legacy-db')")
    wait_until(page, "document.activeElement.closest('#tag-add') !== null")  # settled: ready for the next tag
    page.fill("#tag-add input[name=value]", "legacy-db")
    page.locator("#tag-add input[name=value]").press("Enter")
    wait_until(page, "document.activeElement.matches('#tag-add .form-error')")  # htmx settles, then focuses
    assert "already has the tag" in page.evaluate("document.activeElement.textContent")
    page.console_errors.remove("Failed to load resource: the server responded with a status of 400 (Bad Request)")
    screenshot(page, f"incident-tag-error-{width}")
