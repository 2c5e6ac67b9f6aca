"""Keyboard only (issue 11, point 3): an artist books a session from the professional's profile
and then writes to them, with Tab, Shift+Tab, Enter, Space and typing, never a click. Each
control is reached by tabbing, and wherever focus lands on the way it must be visible (an
outline or a box shadow on the focused element or the label that wraps it)."""

import re
from collections.abc import Callable
from datetime import datetime

from playwright.sync_api import Locator, Page, expect

from e2e.asgi_server import AsgiLiveServer
from e2e.pages import sign_in
from e2e.people import lisbon_artist, mixing_engineer, open_for_bookings
from mylabel.bookings.models import Booking, Status
from mylabel.messaging.models import Message

SERVICE = "Mixing session"
REQUEST = "Two songs, stems ready."
HELLO = "Hi Lena, typed without a mouse."
MAX_TABS = 80

_IS_FOCUSED = "(el) => el === document.activeElement"
# A focus indicator the user can see: an outline or a box shadow, on the element or on the label
# that wraps it (the slot and choice "chips" show the focus of their radio on the label).
_FOCUS_SHOWN = """
() => {
  const shows = (el) => {
    if (!el) return false;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== "none";
  };
  const el = document.activeElement;
  return el !== document.body && (shows(el) || shows(el.closest("label")));
}
"""
_DESCRIBE_FOCUS = """
() => {
  const el = document.activeElement;
  const text = (el.textContent || "").trim().slice(0, 40);
  return `${el.tagName.toLowerCase()} ${el.getAttribute("name") || ""} "${text}"`
    + ` outline: ${getComputedStyle(el).outline}`;
}
"""


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus, checking that every stop shows its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        assert page.evaluate(_FOCUS_SHOWN), (
            f"no visible focus on {page.evaluate(_DESCRIBE_FOCUS)} at {page.url}"
        )
        if target.evaluate(_IS_FOCUSED):
            return
    raise AssertionError(f"{target} never got the focus in {MAX_TABS} tabs on {page.url}")


def test_booking_and_chat_with_the_keyboard_only(
    page: Page, asgi_live_server: AsgiLiveServer, url: Callable[[str], str]
) -> None:
    associate, _pro = mixing_engineer()
    open_for_bookings(associate, service=SERVICE, description="Up to three songs.")
    artist, _member = lisbon_artist("Nina Vega", "Nina Vega & The Tides")
    sign_in(page.context, artist.user, asgi_live_server.url)

    # --- The booking request ------------------------------------------------------------------
    page.goto(url(associate.get_absolute_url()))
    tab_to(page, page.get_by_role("link", name=f"Book “{SERVICE}”"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Book Lena Brandt")

    first_time = page.locator("#slot-list").get_by_role("radio").first
    tab_to(page, first_time)
    page.keyboard.press("Space")
    expect(first_time).to_be_checked()
    chosen = first_time.get_attribute("value")

    tab_to(page, page.get_by_label("Message to the professional"))
    page.keyboard.type(REQUEST)
    tab_to(page, page.get_by_role("button", name="Send booking request"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/bookings/\d+/$"))
    expect(page.get_by_role("heading", level=2, name="Status: Requested")).to_be_visible()
    booking = Booking.objects.get()
    assert booking.status == Status.REQUESTED
    assert booking.message == REQUEST
    assert booking.start == datetime.fromisoformat(chosen or "")

    # --- A message to the professional -------------------------------------------------------
    page.goto(url(associate.get_absolute_url()))
    tab_to(page, page.get_by_role("button", name="Message Lena Brandt"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/messages/\d+/$"))
    composer = page.get_by_label("Message", exact=True)
    tab_to(page, composer)
    page.keyboard.type(HELLO)
    tab_to(page, page.get_by_role("button", name="Send", exact=True))
    page.keyboard.press("Enter")

    expect(page.get_by_role("region", name="Messages")).to_contain_text(HELLO)
    expect(composer).to_have_value("")
    assert Message.objects.filter(body=HELLO, sender=artist.user).exists()
