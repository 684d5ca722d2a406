"""Building a causal-factor chart in a real browser: one step per factor and link, the keyboard alone,
refusals as form errors, a node of the drawing as a way in, and the phone's factor list."""

import itertools

import pytest

from conftest import BASE_DIR, screenshot
from postmortems.models import CausalLink, Review
from postmortems.tests.factories import CausalFactorFactory, CausalLinkFactory, IncidentFactory, root_cause_class

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_SVG = "[data-causal-chart][data-rendered=true] .chart-canvas svg"
WIDTHS = [1280, 390]

# A chain from what people saw back to why: each line is (description, root cause?).
CHAIN = [
    "Checkout requests time out",
    "Database connection pool exhausted",
    "Campaign traffic three times the usual peak",
    "Campaign launched without telling the on-call team",
]
ROOT = "Capacity plan ignores the marketing calendar"


@pytest.fixture
def draft(team, lead):
    incident = IncidentFactory(team=team, title="Ledger writes timed out")
    return Review.objects.create(incident=incident, owner=lead, primary_class=root_cause_class("capacity-load"))


def _panel_screenshot(page, name):
    """The chart panel alone, for people to look at (the full page is in `screenshot`)."""
    (BASE_DIR / "test-artifacts").mkdir(exist_ok=True)
    page.locator("#chart-panel").screenshot(path=str(BASE_DIR / "test-artifacts" / f"{name}-panel.png"))


class CountedKeyboard:
    """The keyboard, counting what a person does: each key pressed and each field typed into is one interaction."""

    def __init__(self, page):
        self.page, self.interactions = page, 0

    def press(self, key):
        self.page.keyboard.press(key)
        self.interactions += 1

    def type(self, text):
        self.page.keyboard.type(text)
        self.interactions += 1


def _focused(page):
    return page.evaluate(
        "() => { const el = document.activeElement; "
        "return el ? (el.getAttribute('aria-label') || el.name || el.textContent || '').trim() : ''; }"
    )


def _wait_for_focus(page, script):
    page.wait_for_function(f"() => {{ const el = document.activeElement; return !!el && ({script}); }}")


def _wait_for_cause_button(page, description):
    _wait_for_focus(page, f"el.getAttribute('aria-label') === {('Add a cause of ' + description)!r}")


def _wait_for_relate_field(page):
    _wait_for_focus(page, "el.name === 'description' && !!el.closest('#relate-form')")


@pytest.mark.parametrize("width", WIDTHS)
def test_it_builds_five_factors_and_four_links_with_the_keyboard_alone(page_as, lead, draft, width):
    page = page_as(lead, width=width, height=900)
    page.goto(f"/reviews/{draft.reference}/")
    keys = CountedKeyboard(page)
    # Reach the first form from the top of the page with Tab, counting every press.
    while _focused(page) != "description" and keys.interactions < 80:
        keys.press("Tab")
    reaching = keys.interactions
    assert reaching < 80, "Tab never reached the first factor's description"

    keys.type(CHAIN[0])  # the first factor of an empty chart is a symptom unless unticked
    keys.press("Enter")
    _wait_for_cause_button(page, CHAIN[0])
    for cause in CHAIN[1:]:
        keys.press("Enter")  # on "Add a cause of <the factor just added>", which has the focus
        _wait_for_relate_field(page)
        keys.type(cause)
        keys.press("Enter")
        _wait_for_cause_button(page, cause)
    keys.press("Enter")
    _wait_for_relate_field(page)
    keys.type(ROOT)
    keys.press("Tab")  # to "Root cause"
    keys.press("Space")
    keys.press("Enter")
    _wait_for_cause_button(page, ROOT)
    page.wait_for_selector(CHART_SVG, state="attached")

    factors = {factor.description: factor for factor in draft.factors.all()}
    assert set(factors) == {*CHAIN, ROOT}
    assert factors[CHAIN[0]].is_symptom
    assert factors[ROOT].is_root_cause
    assert not factors[CHAIN[1]].is_root_cause
    chain = [*CHAIN, ROOT]
    links = {(link.cause.description, link.effect.description) for link in CausalLink.objects.select_related()}
    assert links == {(cause, effect) for effect, cause in itertools.pairwise(chain)}
    in_chart = keys.interactions - reaching
    print(
        f"\n{width}px: {reaching} Tab presses to reach the chart, then {in_chart} interactions for 5 factors, 4 links"
    )
    assert in_chart <= 17
    assert "Ready to publish" in page.locator("#publish-readiness").inner_text()
    screenshot(page, f"chart-built-by-keyboard-{width}")
    _panel_screenshot(page, f"chart-built-by-keyboard-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_it_shows_a_cycle_as_an_error_in_the_form(page_as, lead, draft, width):
    a = CausalFactorFactory(review=draft, description="Retries multiply load")
    b = CausalFactorFactory(review=draft, description="Latency rises", is_symptom=True)
    CausalLinkFactory(review=draft, cause=a, effect=b)
    page = page_as(lead, width=width, height=900)
    page.goto(f"/reviews/{draft.reference}/")
    page.get_by_role("button", name="Add a cause of Retries multiply load").click()
    _wait_for_relate_field(page)
    form = page.locator("#relate-form")
    form.get_by_label("Or link a factor already in the chart").select_option(str(b.pk))
    form.get_by_role("button", name="Add the cause").click()
    error = page.locator("#relate-form .form-error")
    error.wait_for()
    assert "would make a cycle" in error.inner_text()
    _wait_for_focus(page, "el.classList.contains('form-error')")
    assert CausalLink.objects.count() == 1
    screenshot(page, f"chart-cycle-refused-{width}")
    _panel_screenshot(page, f"chart-cycle-refused-{width}")

    page.keyboard.press("Escape")  # gives up: the form closes, the keyboard is back on the button
    _wait_for_focus(page, "el.getAttribute('aria-label') === 'Add a cause of Retries multiply load'")
    assert page.locator("#relate-form").count() == 0


def test_it_opens_the_one_step_form_from_a_node_of_the_drawing(page_as, lead, draft):
    root = CausalFactorFactory(review=draft, description="Pool of 20 per pod", is_root_cause=True)
    CausalLinkFactory(review=draft, cause=root, effect=CausalFactorFactory(review=draft, description="Timeouts"))
    page = page_as(lead)
    page.goto(f"/reviews/{draft.reference}/")
    page.locator(f"{CHART_SVG} g.node.is-clickable", has_text="Pool of 20 per pod").click()
    menu = page.locator(".node-menu")
    menu.get_by_role("button", name="Add an effect of Pool of 20 per pod").click()
    _wait_for_relate_field(page)
    page.keyboard.type("Checkout fails")
    page.keyboard.press("Enter")
    _wait_for_focus(page, "el.getAttribute('aria-label') === 'Add an effect of Checkout fails'")
    assert CausalLink.objects.filter(cause=root, effect__description="Checkout fails").exists()


def test_it_reads_as_a_factor_list_on_a_phone_and_pans_the_chart(page_as, lead, draft):
    campaign = CausalFactorFactory(review=draft, description="Campaign launched unannounced", is_root_cause=True)
    pool = CausalFactorFactory(review=draft, description="Connection pool exhausted")
    timeouts = CausalFactorFactory(review=draft, description="Checkout requests time out", is_symptom=True)
    retries = CausalFactorFactory(review=draft, description="Clients retry without backoff")
    CausalLinkFactory(review=draft, cause=campaign, effect=pool)
    CausalLinkFactory(review=draft, cause=pool, effect=timeouts)
    CausalLinkFactory(review=draft, cause=retries, effect=pool)
    page = page_as(lead, width=390, height=844)
    page.goto(f"/reviews/{draft.reference}/")
    page.wait_for_selector("[data-causal-chart][data-rendered=true]", state="attached")
    assert not page.locator("#causal-chart").is_visible()  # the unreadable drawing waits behind a button
    row = page.locator(f"#factor-{pool.pk}")
    assert row.locator(".factor-relations").inner_text().count("#") == 3  # two causes, one effect
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('.factor-description, .factor-relations a')]"
        ".map(el => parseFloat(getComputedStyle(el).fontSize))"
    )
    assert min(sizes) >= 14
    row.get_by_role("link", name=f"#{timeouts.pk} Checkout requests time out").click()
    page.wait_for_url(f"**#factor-{timeouts.pk}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "chart-phone-list-390")
    _panel_screenshot(page, "chart-phone-list-390")

    page.get_by_role("button", name="Show the chart").click()
    page.wait_for_selector(CHART_SVG)
    # Mermaid lays text out at 14 px; the drawing is shown at (at least) the size it was laid out at, and pans.
    scale = page.evaluate(
        f"() => {{ const svg = document.querySelector('{CHART_SVG}'); "
        "return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; }"
    )
    assert scale >= 0.99
    assert page.evaluate(
        "() => { const figure = document.querySelector('#causal-chart'); return figure.scrollWidth > figure.clientWidth; }"
    ), "a chart wider than the phone pans sideways inside its frame"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "chart-phone-drawing-390")
    _panel_screenshot(page, "chart-phone-drawing-390")
