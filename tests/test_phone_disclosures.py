"""Below 760 px the menu and "More filters" fold away behind real buttons a keyboard and a screen reader can use."""

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser


def test_it_opens_and_closes_the_phone_menu_from_the_keyboard(page_as, viewer):
    page = page_as(viewer, width=390)
    page.goto("/incidents/")
    menu = page.get_by_role("button", name="Menu")
    assert (menu.get_attribute("aria-expanded"), page.get_by_role("link", name="Reviews").is_visible()) == (
        "false",
        False,
    )
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "mainnav"
    page.keyboard.press("Enter")
    assert (menu.get_attribute("aria-expanded"), page.get_by_role("link", name="Reviews").is_visible()) == (
        "true",
        True,
    )
    screenshot(page, "phone-menu-open-390")
    page.keyboard.press("Escape")
    assert (menu.get_attribute("aria-expanded"), page.get_by_role("link", name="Reviews").is_visible()) == (
        "false",
        False,
    )
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "mainnav"


def test_it_shows_the_whole_menu_without_a_button_at_desktop_width(page_as, viewer):
    page = page_as(viewer, width=1280)
    page.goto("/incidents/")
    assert (
        page.get_by_role("button", name="Menu").is_visible(),
        page.get_by_role("link", name="Reviews").is_visible(),
    ) == (
        False,
        True,
    )


def test_it_unfolds_more_filters_with_the_keyboard(page_as, viewer):
    page = page_as(viewer, width=390)
    page.goto("/incidents/")
    more = page.get_by_role("button", name="More filters")
    team = page.get_by_label("Team")
    assert (more.get_attribute("aria-expanded"), team.is_visible()) == ("false", False)
    more.focus()
    page.keyboard.press("Space")
    assert (more.get_attribute("aria-expanded"), team.is_visible()) == ("true", True)
    screenshot(page, "incident-filters-open-390")
