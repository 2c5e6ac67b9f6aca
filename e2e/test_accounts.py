"""Account journeys in a real browser: sign-up to log-out, and a failed log-in."""

import re
from collections.abc import Callable

from django.core import mail
from playwright.sync_api import Page, expect

from e2e.helpers import (
    DESKTOP,
    PASSWORD,
    PHONE,
    Member,
    check_page,
    open_menu,
    resize,
    unique_email,
)

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def test_new_member_signs_up_verifies_logs_in_renames_and_logs_out(
    page: Page, url: Callable[[str], str], mailoutbox: list[mail.EmailMessage]
) -> None:
    email = unique_email("marco")
    nav = page.get_by_role("navigation", name="Main")
    resize(page, PHONE)

    page.goto(url("/"))
    check_page(page, "01-home")
    open_menu(page)
    nav.get_by_role("link", name="Join MyLabel").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    check_page(page, "02-signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name").fill("Marco Rossi")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    check_page(page, "03-verification-sent")

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [email]
    link = CONFIRMATION_LINK.search(str(mailoutbox[0].body))
    assert link, mailoutbox[0].body
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    check_page(page, "04-confirm-email")
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    check_page(page, "05-login-after-confirmation")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # Where a member lands after logging in (home, onboarding) is other journeys' business.
    expect(page.get_by_role("status")).to_contain_text("Successfully signed in as Marco Rossi")
    page.goto(url("/account/settings/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Account settings")
    check_page(page, "06-settings")
    expect(page.get_by_label("Display name")).to_have_value("Marco Rossi")
    page.get_by_label("Display name").fill("Marco & The Night Shift")
    page.get_by_role("button", name="Save settings").click()

    expect(page.get_by_role("status").filter(has_text="Your settings are saved.")).to_be_visible()
    check_page(page, "07-settings-saved")
    resize(page, DESKTOP)
    expect(nav.get_by_role("link", name="Marco & The Night Shift")).to_be_visible()

    # On a phone the navigation folds into the "Menu" disclosure.
    resize(page, PHONE)
    expect(nav).to_be_hidden()
    open_menu(page)
    expect(nav.get_by_role("link", name="Marco & The Night Shift")).to_be_visible()
    check_page(page, "08-phone-menu-open")
    nav.get_by_role("button", name="Log out").click()

    expect(page).to_have_url(url("/"))
    open_menu(page)
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_have_count(0)
    check_page(page, "09-logged-out")


def test_wrong_password_shows_an_error(
    page: Page, url: Callable[[str], str], verified_member: Member
) -> None:
    page.goto(url("/accounts/login/"))
    check_page(page, "10-login")
    page.get_by_label("Email").fill(verified_member.email)
    page.get_by_label("Password", exact=True).fill("not-my-password")
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("alert")).to_contain_text("not correct")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_label("Email")).to_have_value(verified_member.email)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    check_page(page, "11-login-failed")
