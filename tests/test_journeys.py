"""Three people's journeys through Hindsight in a real browser, at 1280 px and at 390 px, through the pages only.

1. An engineer files a review from scratch: from opening the incident to exporting the published review.
2. A lead tracks actions to closure: dashboard, team filter, overdue list, page 2, one marked done,
   its effectiveness, and the CSV of what the screen showed.
3. On-call at 390 px, keyboard only: from a SEV1 an alert opened to the service's recent deployments,
   the past incidents on that service and the playbook the incident page suggests.

Each step asserts what the person sees, and axe-core (vendored in static/vendor/axe-core, never linked
from a page) checks every page the journeys visit: no serious or critical violation.
"""

import csv
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from actions.tests.factories import ActionItemFactory, IncidentFactory, ReviewFactory, RootCauseClassFactory
from conftest import BASE_DIR, assert_accessible, screenshot, wait_until
from incidents.choices import IntakeKind
from incidents.conftest import make_incident
from incidents.models import Incident, IntakeSource
from playbooks.tests.conftest import make_playbook
from postmortems.models import Review
from services.models import Deployment, Service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.long]

WIDTHS = [1280, 390]
CHART_SVG = "[data-causal-chart][data-rendered=true] .chart-canvas svg"


def local_input(moment):
    """The value a datetime-local input shows for an aware moment, in the site's time zone."""
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def open_menu_entry(page, name):
    """Follow an entry of the main menu, opening the phone menu first when the page is that narrow."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def see(page, heading):
    """Wait for the page's h1 to read `heading` (a string it contains, or a pattern), then check it with axe-core."""
    pattern = heading if isinstance(heading, re.Pattern) else re.compile(re.escape(heading))
    page.get_by_role("heading", level=1, name=pattern).wait_for()
    assert_accessible(page)


def test_no_page_links_the_accessibility_checker():
    """axe-core is vendored for these tests only: no template or stylesheet names it."""
    sources = [*(BASE_DIR / "templates").rglob("*.html"), *(BASE_DIR / "static" / "hindsight").iterdir()]
    assert [str(path) for path in sources if re.search(r"axe[-.]", path.read_text())] == []


# --- 1. An engineer files a review from scratch --------------------------------------------------------


@pytest.fixture
def payments_api(team):
    return Service.objects.create(name="Payments API", slug="payments-api", team=team, tier=1)


FACTORS = [
    # (description, root cause, symptom)
    ("Checkout requests time out", False, True),
    ("Ledger connection pool exhausted", False, False),
    ("Payment workers retry without backoff", False, False),
    ("Pool size never revisited after the ledger migration", True, False),
    ("No load test exercises the retry path", True, False),
]
# Each factor after the first is added as a cause of an earlier one: (cause, effect) by index into FACTORS.
LINKS = [(1, 0), (2, 1), (3, 1), (4, 2)]
# (category, title, the root cause it addresses: an index into FACTORS, or None)
ACTIONS = [
    ("immediate_fix", "Raise the ledger pool to 60 connections", None),
    ("corrective", "Size the ledger pool from measured peak load", 3),
    ("remedial", "Replay the 212 failed card authorisations", None),
    ("preventive", "Load-test the retry path in every release", 4),
]


class CountedPage:
    """Clicks, fills and ticks on a page, counted: what building the chart costs a person."""

    def __init__(self, page):
        self.page, self.interactions = page, 0

    def click(self, locator):
        locator.click()
        self.interactions += 1

    def fill(self, locator, text):
        locator.fill(text)
        self.interactions += 1

    def check(self, locator):
        locator.check()
        self.interactions += 1


def add_first_factor(person, description, *, root, symptom):
    form = person.page.locator("#factor-form")
    person.fill(form.get_by_label("Description"), description)
    if root:
        person.check(form.get_by_label("Root cause"))
    if symptom:
        person.check(form.get_by_label("Symptom"))
    person.click(form.get_by_role("button", name="Add factor"))
    person.page.locator(".factor-list .factor-description", has_text=description).wait_for()


def add_cause(person, effect, description, *, root):
    """Add a new factor as a cause of `effect`, linked to it, in one step."""
    person.click(person.page.get_by_role("button", name=f"Add a cause of {effect}"))
    form = person.page.locator("#relate-form")
    person.fill(form.get_by_label("What led to it"), description)
    if root:
        person.check(form.get_by_label("Root cause"))
    person.click(form.get_by_role("button", name="Add the cause"))
    person.page.locator(".factor-list .factor-description", has_text=description).wait_for()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_engineer_files_a_review_from_scratch(page_as, lead, team, payments_api, width):
    page = page_as(lead, width=width)
    started = timezone.now().replace(second=0, microsecond=0) - timedelta(days=2, hours=3)

    # Open the incident.
    page.goto("/")
    open_menu_entry(page, "Incidents")
    see(page, "Incidents")
    page.get_by_role("link", name="Open an incident").click()
    see(page, "Open an incident")
    page.get_by_label("Title").fill("Card authorisations timing out")
    page.get_by_label("Severity").select_option("sev2")
    page.get_by_label("Team").select_option(label="Payments")
    page.get_by_label("Services").select_option(label="Payments API")
    page.get_by_label("Started at").fill(local_input(started))
    page.get_by_label("Detected at").fill(local_input(started + timedelta(minutes=4)))
    page.get_by_role("button", name="Open incident").click()
    see(page, "Card authorisations timing out")
    incident = Incident.objects.get()
    assert page.locator(".incident-badges").inner_text().split()[:2] == [incident.reference, "SEV2"]
    screenshot(page, f"journey1-incident-{width}")

    # Add timeline entries, at the times they happened.
    timeline = page.locator("#timeline-add")
    for minutes, text in ((6, "Paged the payments on-call"), (31, "Failed over to the **secondary** acquirer")):
        timeline.get_by_label("When").fill(local_input(started + timedelta(minutes=minutes)))
        timeline.get_by_label("What happened").fill(text)
        timeline.get_by_role("button", name="Add event").click()
        page.locator("#timeline li", has_text=text.replace("**", "")).wait_for()
        wait_until(page, "document.activeElement.closest('#timeline-add') !== null")  # settled: ready for the next
    assert page.locator("#timeline strong", has_text="secondary").count() == 1
    assert_accessible(page)

    # Resolve it with times in the past.
    page.get_by_text("Resolve…").click()
    asked = page.locator("details[open]")
    asked.get_by_label("Mitigated at").fill(local_input(started + timedelta(minutes=40)))
    asked.get_by_label("Resolved at").fill(local_input(started + timedelta(hours=1, minutes=10)))
    assert_accessible(page)
    asked.get_by_role("button", name="Resolve", exact=True).click()
    page.locator(".status-resolved").first.wait_for()
    durations = page.get_by_label("Durations").inner_text()
    assert ("40 min" in durations, "1 h 10 min" in durations) == (True, True)
    assert_accessible(page)
    screenshot(page, f"journey1-resolved-{width}")

    # Start the review and fill its sections.
    page.locator("#review").get_by_role("button", name="Start review").click()
    see(page, "Card authorisations timing out")
    assert page.locator(".review-status").first.inner_text() == "Draft"
    page.get_by_role("link", name="Edit document").click()
    see(page, "Edit")
    page.get_by_label("Owner").select_option(label=lead.username)
    page.get_by_label("Primary class").select_option(label="Capacity / load")
    page.get_by_label("Summary").fill("Card authorisations timed out for 70 minutes at peak.")
    page.get_by_label("Impact").fill("212 card authorisations failed; no double charges.")
    page.get_by_label("Narrative").fill("A retry storm from the payment workers exhausted the ledger pool.")
    page.get_by_label("What went well").fill("Failing over to the secondary acquirer took four minutes.")
    screenshot(page, f"journey1-review-edit-{width}")
    page.get_by_role("button", name="Save").click()
    see(page, "Card authorisations timing out")
    assert page.locator("#section-impact").inner_text().endswith("212 card authorisations failed; no double charges.")
    assert page.locator(".review-meta .class-chip").inner_text() == "Capacity / load"

    # Build the causal-factor chart: the symptom, then each cause of what is already there, linked as it is added.
    person = CountedPage(page)
    add_first_factor(person, FACTORS[0][0], root=FACTORS[0][1], symptom=FACTORS[0][2])
    for cause, effect in LINKS:
        description, root, _ = FACTORS[cause]
        add_cause(person, FACTORS[effect][0], description, root=root)
    assert person.interactions == 17  # 3 for the first factor, 3 for each cause and 1 more for each root cause
    page.wait_for_selector(f"{CHART_SVG} path.flowchart-link >> nth=3", state="attached")
    chart = page.locator(CHART_SVG).text_content()
    assert [description in chart for description, *_ in FACTORS] == [True] * 5
    assert page.locator(".link-list summary").inner_text().startswith("Links (4,")
    pool = page.locator(".factor-row").filter(has=page.get_by_text(FACTORS[1][0], exact=True))
    relations = pool.locator(".factor-relations dd").all_inner_texts()
    assert [[f in text for f, *_ in FACTORS] for text in relations] == [
        [False, False, True, True, False],  # caused by
        [True, False, False, False, False],  # led to
    ]
    assert "Ready to publish" in page.locator("#publish-readiness").inner_text()
    assert_accessible(page)
    screenshot(page, f"journey1-chart-{width}")

    # One action of each category.
    coverage = page.locator("#review-coverage")
    assert coverage.locator(".coverage-warning").inner_text().startswith("2 root causes have no corrective")
    for category, title, addresses in ACTIONS:
        coverage.locator("summary", has_text="Add action").click()
        form = page.locator("#action-add")
        form.locator("select[name=category]").select_option(category)
        form.get_by_label("Title").fill(title)
        if addresses is not None:
            form.get_by_label(FACTORS[addresses][0]).check()
        form.get_by_role("button", name="Add action").click()
        page.locator("#review-coverage .coverage-actions li", has_text=title).wait_for()
    assert page.locator("#review-coverage .coverage-actions li").count() == 4
    assert page.locator("#review-coverage .coverage-warning").count() == 0
    assert_accessible(page)
    screenshot(page, f"journey1-actions-{width}")

    # Publish, then export Markdown.
    page.get_by_role("button", name="Publish").click()
    page.locator(".review-status.status-published").first.wait_for()
    assert page.locator(".message-success").inner_text().count("published") == 1
    assert_accessible(page)
    screenshot(page, f"journey1-published-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export .md").click()
    assert download.value.suggested_filename == f"{Review.objects.get().reference}-review.md"
    markdown = Path(download.value.path()).read_text()
    review = Review.objects.get()
    assert review.status == "published"
    assert markdown.count("```mermaid") == 1
    assert [title in markdown for _, title, _ in ACTIONS] == [True] * 4
    assert "212 card authorisations failed; no double charges." in markdown


# --- 2. A lead tracks actions to closure ---------------------------------------------------------------


@pytest.fixture
def backlog(team, other_team, payments_api):
    """52 overdue corrective or preventive actions of Payments (a page and two rows), 3 of Search, 4 not yet due.

    The Payments review's class (capacity) struck the Payments API twice in the 60 days before, so the
    effectiveness check of any of its actions has a "before" to show.
    """
    today = timezone.localdate()
    capacity = RootCauseClassFactory(slug="capacity-load", name="Capacity / load")
    for days in (20, 50):
        past = IncidentFactory(team=team, started_at=timezone.now() - timedelta(days=days), services=[payments_api])
        ReviewFactory(incident=past, primary_class=capacity)
    payments = ReviewFactory(
        incident=IncidentFactory(team=team, title="Ledger writes timed out", services=[payments_api]),
        primary_class=capacity,
    )
    search = ReviewFactory(incident=IncidentFactory(team=other_team, title="Index lag"))
    for n in range(52):
        ActionItemFactory(
            review=payments,
            team=team,
            category="corrective" if n % 2 else "preventive",
            title=f"Payments action {n:02}",
            due_date=today - timedelta(days=60 - n),
            services=[payments_api],
        )
    for n in range(3):
        ActionItemFactory(
            review=search, team=other_team, title=f"Search action {n}", due_date=today - timedelta(days=3)
        )
    for n in range(4):
        ActionItemFactory(review=payments, team=team, title=f"Later action {n}", due_date=today + timedelta(days=30))


def filter_by_team(page, name):
    page.locator("form.filters").get_by_label("Team").select_option(label=name)
    page.locator("form.filters").get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"[?&]team="))


def stat(page, name):
    return page.locator(f"[data-stat={name}]").inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_lead_tracks_actions_to_closure(page_as, lead, team, backlog, width):
    page = page_as(lead, width=width)

    # The dashboard, then only the Payments team's actions.
    page.goto("/")
    open_menu_entry(page, "Actions")
    see(page, "Actions dashboard")
    assert (stat(page, "open"), stat(page, "overdue")) == ("59", "55")
    filter_by_team(page, "Payments")
    see(page, "Actions dashboard")
    assert (stat(page, "open"), stat(page, "overdue"), stat(page, "verification_pending")) == ("56", "52", "0")
    screenshot(page, f"journey2-dashboard-{width}")

    # The overdue list, and its page 2.
    page.locator("a.stat", has=page.locator("[data-stat=overdue]")).click()
    see(page, "Actions")
    assert page.locator(".result-count").inner_text() == "52 actions"
    rows = page.locator("table.action-table tbody tr")
    assert rows.count() == 50
    first_page = rows.locator("td[data-label=Action] a").all_inner_texts()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"page=2"))
    see(page, "Actions")
    assert page.locator(".pagination").inner_text().count("Page 2 of 2") == 1
    second_page = rows.locator("td[data-label=Action] a").all_inner_texts()
    assert len(second_page) == 2
    assert sorted(first_page + second_page) == [f"Payments action {n:02}" for n in range(52)]
    assert set(rows.locator("td[data-label=Team]").all_inner_texts()) == {"Payments"}
    screenshot(page, f"journey2-overdue-page2-{width}")

    # Mark one done; its effectiveness check starts watching.
    done_title = second_page[0]
    page.get_by_role("link", name=done_title).click()
    see(page, done_title)
    page.get_by_role("button", name="Mark done").click()
    page.locator(".message-success").wait_for()
    see(page, done_title)
    facts = page.locator("dl.facts").first.inner_text()
    assert (f"Done\n{timezone.localdate():%-d %b %Y} late" in facts, "overdue" in facts) == (True, False)
    effectiveness = page.locator(".verification-panel")
    assert effectiveness.locator(".badge").inner_text() == "Pending"
    assert "Watching until" in effectiveness.inner_text()
    before = effectiveness.locator("tbody tr").first.locator("td").all_inner_texts()
    assert before[:2] == ["Before done", "3"]  # capacity incidents on the Payments API: this one and two before
    screenshot(page, f"journey2-effectiveness-{width}")

    # Back on the dashboard: one fewer overdue, one being watched.
    open_menu_entry(page, "Actions")
    see(page, "Actions dashboard")
    filter_by_team(page, "Payments")
    assert (stat(page, "overdue"), stat(page, "verification_pending")) == ("51", "1")
    page.locator("a.stat", has=page.locator("[data-stat=verification_pending]")).click()
    see(page, "Actions")
    assert page.locator("table.action-table tbody tr td[data-label=Action] a").all_inner_texts() == [done_title]

    # The overdue list as CSV: the rows the screen counts, without the one done.
    open_menu_entry(page, "Actions")
    filter_by_team(page, "Payments")
    page.locator("a.stat", has=page.locator("[data-stat=overdue]")).click()
    see(page, "Actions")
    assert page.locator(".result-count").inner_text() == "51 actions"
    shown = page.locator("table.action-table tbody tr td[data-label=Action] a").all_inner_texts()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    with open(download.value.path(), newline="") as file:
        exported = list(csv.DictReader(file))
    assert len(exported) == 51
    titles = {row["title"] for row in exported}
    assert (set(shown) <= titles, done_title in titles) == (True, False)
    assert {(row["team"], row["overdue"]) for row in exported} == {("Payments", "yes")}


# --- 3. On-call at 390 px, keyboard only ---------------------------------------------------------------

ALERT_NAME = "CheckoutHighErrorRate"


@pytest.fixture
def checkout(team):
    """Checkout API with three deployments today, two resolved incidents last month and a playbook for its alert."""
    service = Service.objects.create(name="Checkout API", slug="checkout-api", team=team, tier=1)
    now = timezone.now()
    for hours, version in ((30, "v2.13.0"), (6, "v2.14.0"), (1, "v2.14.1")):
        Deployment.objects.create(service=service, version=version, started_at=now - timedelta(hours=hours))
    for days, title in ((40, "Checkout API 5xx after a config push"), (25, "Checkout API latency above 2 s")):
        started = now - timedelta(days=days)
        past = make_incident(team=team, services=[service], title=title, started_at=started, detected_at=started)
        resolved = now - timedelta(days=days) + timedelta(hours=1)
        past.change_status("resolved", at=resolved, mitigated_at=resolved, by=None)
    make_playbook(
        team=team,
        services=[service],
        kind="playbook",
        title="Checkout errors after a deploy",
        slug="checkout-errors-after-deploy",
        summary="Compare the error rate with the last deploy before rolling back.",
        alert_names=[ALERT_NAME],
    )
    return service


def alertmanager_fires(team, service):
    """Alertmanager's webhook, as it posts a critical alert on the service to the intake endpoint."""
    _, key = IntakeSource.objects.create_with_token(name="alertmanager", kind=IntakeKind.ALERTMANAGER, team=team)
    labels = {"alertname": ALERT_NAME, "service": service.slug, "severity": "critical"}
    alert = {
        "status": "firing",
        "labels": labels,
        "annotations": {"summary": "Checkout API 5xx rate above 5%"},
        "startsAt": (timezone.now() - timedelta(minutes=4)).isoformat(),
        "endsAt": "0001-01-01T00:00:00Z",
        "fingerprint": "4c8d1f7a2b9e3c05",
    }
    body = {
        "version": "4",
        "status": "firing",
        "receiver": "hindsight",
        "groupKey": '{}:{alertname="CheckoutHighErrorRate"}',
        "groupLabels": {"alertname": ALERT_NAME},
        "commonLabels": labels,
        "commonAnnotations": alert["annotations"],
        "alerts": [alert],
    }
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.post("/api/intake/alertmanager/", body, format="json")
    assert response.status_code in (200, 201, 202), response.content


class Keyboard:
    """Tab to a thing and press Enter, counting the keys pressed."""

    def __init__(self, page):
        self.page, self.presses = page, 0

    def tab_to(self, locator, *, most=60):
        for _ in range(most):
            self.page.keyboard.press("Tab")
            self.presses += 1
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"{most} presses of Tab never reached {locator}")

    def follow(self, locator):
        self.tab_to(locator)
        self.page.keyboard.press("Enter")
        self.presses += 1

    def press(self, key):
        self.page.keyboard.press(key)
        self.presses += 1


def test_on_call_reaches_deployments_past_incidents_and_the_playbook_with_the_keyboard(
    page_as, responder, team, checkout
):
    alertmanager_fires(team, checkout)
    page = page_as(responder, width=390, height=844)
    keys = Keyboard(page)

    page.goto("/")
    assert_accessible(page)
    card = page.locator(".open-incidents .incident-cards li").first
    assert "SEV1" in card.inner_text()
    keys.follow(card.get_by_role("link", name="Checkout API 5xx rate above 5%"))
    see(page, "Checkout API 5xx rate above 5%")
    incident = Incident.objects.get(severity="sev1")
    assert page.locator(".incident-badges").inner_text().split()[:3] == [incident.reference, "SEV1", "Investigating"]
    screenshot(page, "journey3-incident-390")

    # The service's recent deployments.
    keys.follow(page.locator(".incident-facts").get_by_role("link", name="Checkout API"))
    see(page, "Checkout API")
    deployments = page.locator("section", has=page.get_by_role("heading", name="Recent deployments"))
    assert deployments.locator("tbody code").all_inner_texts() == ["v2.14.1", "v2.14.0", "v2.13.0"]
    screenshot(page, "journey3-service-390")

    # The past incidents on that service, this one on top.
    keys.follow(page.get_by_role("link", name="Incidents on Checkout API"))
    see(page, "Incidents")
    assert page.locator(".result-count").inner_text() == "3 incidents"
    titles = page.locator("table tbody td[data-label=Incident] a")
    assert titles.all_inner_texts() == [
        "Checkout API 5xx rate above 5%",
        "Checkout API latency above 2 s",
        "Checkout API 5xx after a config push",
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "journey3-past-incidents-390")

    # Back to the incident, and the playbook its page suggests first: the one answering the alert.
    keys.follow(titles.first)
    see(page, "Checkout API 5xx rate above 5%")
    suggestions = page.locator(".playbook-suggestions .suggestion")
    assert suggestions.first.get_by_role("link").inner_text() == "Checkout errors after a deploy"
    keys.follow(suggestions.first.get_by_role("link", name="Checkout errors after a deploy"))
    see(page, "Checkout errors after a deploy")
    assert "Compare the error rate with the last deploy" in page.locator("main").inner_text()
    screenshot(page, "journey3-playbook-390")
    print(f"on-call journey: {keys.presses} key presses")
