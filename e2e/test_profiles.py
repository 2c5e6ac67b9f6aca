"""Profile journeys in a real browser: a new artist builds their page without leaving it, and a
visitor narrows the professionals directory with filters the address bar remembers."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from e2e.helpers import PASSWORD, Member, check_page, unique_email
from mylabel.associates.models import Profession
from mylabel.associates.services import create_associate_profile
from mylabel.core.models import Genre

YOUTUBE_LINK = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
YOUTUBE_PLAYER = re.compile(r"^https://www\.youtube-nocookie\.com/embed/")
STUB_PLAYER = "<!doctype html><html lang=en><title>Player</title></html>"

# A property on ``window`` lives exactly as long as the document: if it is still there after a
# click, htmx swapped a fragment in and the browser did not load a new page.
_MARK_DOCUMENT = "() => { window.e2eSameDocument = true; }"
_IS_SAME_DOCUMENT = "() => window.e2eSameDocument === true"

# Toasts added by htmx fade out after six seconds, and check_page waits for every finite
# animation so that axe never measures a colour mid-fade. Once a journey has read a toast it
# fast-forwards the fade instead of sitting through it.
_FINISH_TOAST_FADES = """
() => document.querySelectorAll(".toast--transient")
  .forEach((toast) => toast.getAnimations().forEach((animation) => animation.finish()))
"""


def mark_document(page: Page) -> None:
    page.evaluate(_MARK_DOCUMENT)


def assert_same_document(page: Page) -> None:
    assert page.evaluate(_IS_SAME_DOCUMENT), "the page was reloaded instead of swapped in place"


def read_toast(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()
    page.evaluate(_FINISH_TOAST_FADES)


def small_png(folder: Path) -> Path:
    path = folder / "studio-session.png"
    Image.new("RGB", (64, 48), (200, 60, 90)).save(path, format="PNG")
    return path


def stub_youtube(page: Page) -> None:
    """No network in tests: the embedded player gets a blank page of ours. The CSP's frame-src
    is still checked, before the request is made."""
    page.route(
        re.compile(r"^https://www\.youtube-nocookie\.com/"),
        lambda route: route.fulfill(content_type="text/html", body=STUB_PLAYER),
    )


def youtube_player(portfolio: Locator, title: str) -> Locator:
    # An iframe has no role of its own; its title is its accessible name.
    return portfolio.locator("iframe").and_(portfolio.get_by_title(title))


def log_in(page: Page, member: Member) -> None:
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password", exact=True).fill(member.password)
    page.get_by_role("button", name="Sign In").click()


def test_new_artist_onboards_edits_bio_inline_and_builds_a_portfolio(
    page: Page,
    visitor_page: Page,
    url: Callable[[str], str],
    verified_member: Member,
    tmp_path: Path,
) -> None:
    stub_youtube(page)
    stub_youtube(visitor_page)
    page.goto(url("/accounts/login/"))
    log_in(page, verified_member)

    # A member without a profile is asked what kind of member they are.
    expect(page).to_have_url(url("/welcome/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("How will you use MyLabel?")
    check_page(page, "20-welcome")
    page.get_by_role("link", name="Set up an artist profile").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your artist profile")
    check_page(page, "21-artist-essentials")
    page.get_by_label("Stage name").fill("Nina Vega & The Tides")
    page.get_by_role("textbox", name="City").fill("Lisbon")
    page.get_by_role("combobox", name="Country").select_option(label="Portugal")
    page.get_by_role("checkbox", name="Soul").check()
    page.get_by_role("button", name="Create my profile").click()

    expect(page).to_have_url(url("/artists/nina-vega-the-tides/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nina Vega & The Tides")
    expect(page.get_by_role("status")).to_contain_text("Your artist profile is live.")
    expect(page.get_by_role("list", name="Profile facts")).to_contain_text("Lisbon, Portugal")
    genres = page.get_by_role("region", name="Genres")
    expect(genres.get_by_role("listitem")).to_have_text(["Soul"])
    check_page(page, "22-new-artist-profile")

    # The About section turns into its form in place.
    about = page.get_by_role("region", name="About")
    mark_document(page)
    about.get_by_role("link", name="Edit about").click()
    bio = about.get_by_label("Bio")
    expect(bio).to_be_visible()
    expect(about.get_by_label("Stage name")).to_have_value("Nina Vega & The Tides")
    expect(page).to_have_url(url("/artists/nina-vega-the-tides/"))
    assert_same_document(page)
    check_page(page, "23-about-editing")

    bio.fill("Salt-water soul from the Alfama.\nNew EP, “Low Tide”, out in spring.")
    about.get_by_role("button", name="Save").click()

    expect(about.get_by_role("textbox")).to_have_count(0)
    expect(about).to_contain_text("Salt-water soul from the Alfama.")
    expect(about).to_contain_text("New EP, “Low Tide”, out in spring.")
    expect(about.get_by_role("link", name="Edit about")).to_be_visible()
    read_toast(page, "Your profile is saved.")
    assert_same_document(page)
    check_page(page, "24-about-saved")

    # The portfolio: an uploaded image and an embedded video.
    portfolio = page.get_by_role("region", name="Portfolio")
    portfolio.get_by_role("link", name="Edit portfolio").click()
    expect(portfolio.get_by_role("heading", name="Add to your portfolio")).to_be_visible()
    portfolio.get_by_role("radio", name="Image").check()
    portfolio.get_by_label("Title").fill("Studio session")
    portfolio.get_by_label("File").set_input_files(small_png(tmp_path))
    portfolio.get_by_role("button", name="Add to portfolio").click()

    studio_photo = portfolio.get_by_role("img", name="Studio session")
    expect(studio_photo).to_be_visible()
    # Loaded, not just present: the re-encoded upload is served and the CSP lets it in.
    expect(studio_photo).to_have_js_property("naturalWidth", 64)
    read_toast(page, "“Studio session” is in your portfolio.")

    portfolio.get_by_role("radio", name="Link").check()
    portfolio.get_by_label("Title").fill("Live at the Tejo")
    portfolio.get_by_label("Link", exact=True).fill(YOUTUBE_LINK)
    portfolio.get_by_role("button", name="Add to portfolio").click()

    read_toast(page, "“Live at the Tejo” is in your portfolio.")
    expect(portfolio.get_by_role("listitem")).to_have_count(2)
    expect(youtube_player(portfolio, "Live at the Tejo")).to_have_attribute("src", YOUTUBE_PLAYER)
    assert_same_document(page)
    check_page(page, "25-portfolio-editing")

    portfolio.get_by_role("link", name="Done").click()
    expect(portfolio.get_by_role("link", name="Edit portfolio")).to_be_visible()
    expect(portfolio.get_by_role("button")).to_have_count(0)
    assert_same_document(page)
    check_page(page, "26-portfolio-done")

    # Someone else, not logged in, sees the finished page and no way to edit it.
    visitor_page.goto(url("/artists/nina-vega-the-tides/"))
    expect(visitor_page.get_by_role("heading", level=1)).to_have_text("Nina Vega & The Tides")
    public_about = visitor_page.get_by_role("region", name="About")
    expect(public_about).to_contain_text("Salt-water soul from the Alfama.")
    public_portfolio = visitor_page.get_by_role("region", name="Portfolio")
    public_photo = public_portfolio.get_by_role("img", name="Studio session")
    expect(public_photo).to_have_js_property("naturalWidth", 64)
    public_player = youtube_player(public_portfolio, "Live at the Tejo")
    expect(public_player).to_have_attribute("src", YOUTUBE_PLAYER)
    expect(visitor_page.get_by_role("link", name=re.compile(r"^Edit"))).to_have_count(0)
    check_page(visitor_page, "27-artist-profile-public")


def add_professional(
    django_user_model: Any,
    name: str,
    *,
    headline: str,
    professions: list[str],
    genres: list[str],
    city: str,
) -> None:
    user = django_user_model.objects.create_user(
        unique_email(name.split()[0].lower()), PASSWORD, display_name=name
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    create_associate_profile(
        user=user,
        display_name=name,
        headline=headline,
        professions=Profession.objects.filter(name__in=professions),
        genres=Genre.objects.filter(name__in=genres),
        city=city,
        country="DE",
    )


@pytest.fixture
def professionals(django_user_model: Any) -> None:
    add_professional(
        django_user_model,
        "Lena Brandt",
        headline="Mixing engineer for soul and jazz records",
        professions=["Mixing engineer"],
        genres=["Soul", "Jazz"],
        city="Berlin",
    )
    add_professional(
        django_user_model,
        "Theo Marsh",
        headline="Upright bass for jazz sessions",
        professions=["Session musician"],
        genres=["Jazz"],
        city="Hamburg",
    )
    add_professional(
        django_user_model,
        "Kai Novak",
        headline="Techno producer and live sound designer",
        professions=["Producer"],
        genres=["Techno", "House"],
        city="Berlin",
    )


def result_names(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile(r"professionals?")).get_by_role(
        "heading", level=3
    )


@pytest.mark.usefixtures("professionals")
def test_visitor_filters_professionals_by_genre_and_the_url_follows(
    page: Page, url: Callable[[str], str]
) -> None:
    page.goto(url("/associates/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Find professionals")
    expect(page.get_by_role("heading", level=2, name="3 professionals")).to_be_visible()
    expect(result_names(page)).to_have_text(["Kai Novak", "Theo Marsh", "Lena Brandt"])
    check_page(page, "30-directory")

    genre = page.get_by_label("Genre", exact=True)
    mark_document(page)
    genre.select_option(label="Jazz")

    expect(page.get_by_role("heading", level=2, name="2 professionals")).to_be_visible()
    expect(result_names(page)).to_have_text(["Theo Marsh", "Lena Brandt"])
    expect(page).to_have_url(url("/associates/?genre=jazz"))
    expect(page.get_by_role("status").filter(has_text="2 professionals found")).to_be_attached()
    assert_same_document(page)

    # The address is the state: loading it again shows the same page.
    page.reload()
    expect(page.get_by_role("heading", level=2, name="2 professionals")).to_be_visible()
    expect(result_names(page)).to_have_text(["Theo Marsh", "Lena Brandt"])
    expect(genre).to_have_value("jazz")
    check_page(page, "31-directory-jazz")

    mark_document(page)
    search = page.get_by_role("searchbox", name="Search")
    search.fill("bass")

    expect(
        page.get_by_role("heading", level=2, name=re.compile(r"^1 professional"))
    ).to_contain_text("for “bass”")
    expect(result_names(page)).to_have_text(["Theo Marsh"])
    expect(page).to_have_url(url("/associates/?q=bass&genre=jazz"))
    expect(genre).to_have_value("jazz")
    assert_same_document(page)

    page.reload()
    expect(search).to_have_value("bass")
    expect(result_names(page)).to_have_text(["Theo Marsh"])
    check_page(page, "32-directory-jazz-bass")
