"""No request answers a server error (issue 10, "Bad input"), shown by crawling the demo site.

Each persona (a visitor, the four demo accounts, and a superuser in Django's admin) follows the
site's own links from the pages it starts on, as far as two pages of each URL pattern (one in
the admin). On every page it reads what the page itself offers to send, and sends it spoiled
with hostile values:

- each query parameter of the page's links and GET forms (filters, pages, dates, sorts), one at
  a time, the others kept, as a page and as htmx asks for it;
- each POST form (profile sections, booking actions, composers, settings), every field at once.

Whatever a view reads from the query string or a form, these reach it, including parameters a
later change adds: the crawl finds them on the page. The answer may be a page, an error message,
a 4xx or a redirect; never a 5xx. The property-based tests (test_input_properties.py) check
that refused input changes nothing; this one covers the breadth.

The seed is made once per module in a transaction rolled back at the end (tests/demo); the
crawl's writes stay inside it.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.http import HttpResponse, HttpResponseBase
from django.test import Client
from django.urls import Resolver404, resolve

from mylabel.accounts.models import User
from tests.demo.conftest import seeded_in_transaction

pytestmark = pytest.mark.django_db

HOSTILE = ["", "\x00", "-1", "99999999999999999999", "2026-02-30", "x" * 300, "<b>'\""]
# Never sent: the forms that would end the crawl (log-out, deleting the account or a record,
# changing the password or e-mail) or start another one's (log-in, sign-up).
NEVER = r"logout|delete|password|/email/|/accounts/(login|signup)/"
# The site's pages; the API is fuzzed against its schema (tests/api), sockets and files are not
# pages, and Django's admin has a crawl of its own.
SITE = re.compile(rf"^/(admin|api|ws|static|media)/|{NEVER}")
SITE_START = ["/", "/associates/", "/artists/", "/bookings/", "/messages/", "/notifications/"]
# Django's admin: its pages only, every model's, as a superuser (made for the test) sees them.
# Its lists take many parameters (filters, sort, search, facets, drill-down), so one page of
# each pattern and the values that broke something: a NUL, a number past 64 bits, the last year
# of the calendar, long text.
ADMIN = re.compile(rf"^/(?!admin/)|{NEVER}")
ADMIN_HOSTILE = ["\x00", "99999999999999999999", "9999", "x" * 300]
SUPERUSER = "root@example.com"
# Who crawls, from where, within what, with which values, how many pages of a URL pattern, and
# how many patterns it must reach at least (so a broken log-in or start page, leaving the crawl
# at the door, fails rather than passes).
CRAWLS = [
    pytest.param(None, SITE_START, SITE, HOSTILE, 2, 6, id="visitor"),
    pytest.param("artist@example.com", SITE_START, SITE, HOSTILE, 2, 12, id="artist"),
    pytest.param("associate@example.com", SITE_START, SITE, HOSTILE, 2, 12, id="associate"),
    pytest.param("both@example.com", SITE_START, SITE, HOSTILE, 2, 12, id="both"),
    pytest.param("admin@example.com", SITE_START, SITE, HOSTILE, 2, 12, id="label admin"),
    pytest.param(SUPERUSER, ["/admin/"], ADMIN, ADMIN_HOSTILE, 1, 40, id="superuser in the admin"),
]


@pytest.fixture(scope="module")
def _demo(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), seeded_in_transaction(run_on_commit=False):
        yield


@pytest.mark.usefixtures("_demo")
@pytest.mark.parametrize(("email", "start", "skip", "values", "pages", "at_least"), CRAWLS)
def test_no_page_answers_a_server_error_to_what_it_offers_spoiled(
    email: str | None,
    start: list[str],
    skip: re.Pattern[str],
    values: list[str],
    pages: int,
    at_least: int,
) -> None:
    client = Client(raise_request_exception=False)
    if email == SUPERUSER:
        User.objects.create_superuser(SUPERUSER)
    if email:
        client.force_login(User.objects.get(email=email))
    crawl = Crawl(client, skip, values, pages)
    crawl.run(start)

    assert crawl.server_errors == []
    assert len(crawl.patterns) >= at_least, sorted(crawl.patterns)
    assert crawl.spoiled >= 100


class Crawl:
    def __init__(
        self, client: Client, skip: re.Pattern[str], values: list[str], pages: int
    ) -> None:
        self.client = client
        self.skip = skip
        self.values = values
        self.pages_per_pattern = pages
        self.patterns: dict[str, int] = defaultdict(int)
        self.server_errors: list[str] = []
        self.spoiled = 0
        # A link or form repeated on many pages (the menu, pagination, the language switch)
        # is spoiled once: what was sent is named by its target and its fields.
        self.tried: set[tuple[str, ...]] = set()

    def run(self, start: list[str]) -> None:
        queue = list(start)
        seen: set[str] = set()
        while queue:
            path = queue.pop(0)
            pattern = self.pattern(path)
            if path in seen or pattern is None or self.patterns[pattern] >= self.pages_per_pattern:
                continue
            seen.add(path)
            self.patterns[pattern] += 1
            response = self.send("get", path)
            if (
                not isinstance(response, HttpResponse)  # a file or a stream: nothing to follow
                or response.status_code != 200
                or "text/html" not in response["Content-Type"]
            ):
                continue
            page = Page(path, response.content.decode(), self.skip)
            queue += [link for link in page.links if link not in seen]
            self.spoil_queries(page)
            self.spoil_forms(page)

    def pattern(self, path: str) -> str | None:
        """The URL pattern ``path`` resolves to, or None for one not to crawl."""
        if self.skip.search(path):
            return None
        try:
            return resolve(urlsplit(path).path).route
        except Resolver404:
            return None

    def spoil_queries(self, page: "Page") -> None:
        for target, params in page.queries.items():
            for name in sorted({name for query in params for name in query}):
                if not self.first_time(target, name):
                    continue
                base = next(query for query in params if name in query)
                for value in self.values:
                    query = urlencode({**base, name: value})
                    self.send("get", f"{target}?{query}")
                    self.send("get", f"{target}?{query}", htmx=True)
                    self.spoiled += 2

    def spoil_forms(self, page: "Page") -> None:
        for form in page.post_forms:
            if not self.first_time(form.action, *sorted(form.fields)):
                continue
            for value in self.values:
                data = {
                    name: sent if name == "csrfmiddlewaretoken" else value
                    for name, sent in form.fields.items()
                }
                self.send("post", form.action, data, htmx=form.htmx)
                self.spoiled += 1

    def first_time(self, *what: str) -> bool:
        if what in self.tried:
            return False
        self.tried.add(what)
        return True

    def send(
        self, method: str, path: str, data: dict[str, str] | None = None, *, htmx: bool = False
    ) -> HttpResponseBase:
        headers = {"HX-Request": "true"} if htmx else {}
        if method == "get":
            response = self.client.get(path, headers=headers)
        else:
            response = self.client.post(path, data or {}, headers=headers)
        if response.status_code >= 500:
            self.server_errors.append(f"{response.status_code} {method.upper()} {path[:200]}")
        return response


class Form:
    def __init__(self, action: str, *, htmx: bool) -> None:
        self.action = action
        self.htmx = htmx
        self.fields: dict[str, str] = {}


class Page(HTMLParser):
    """What a page offers: its same-site links, the query strings its links and GET forms send
    (by target path), and its POST forms."""

    def __init__(self, path: str, html: str, skip: re.Pattern[str]) -> None:
        super().__init__()
        self.path = path
        self.skip = skip
        self.links: list[str] = []
        self.queries: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.post_forms: list[Form] = []
        self._get_form: tuple[str, dict[str, str]] | None = None
        self._post_form: Form | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attributes}
        for address in (attrs.get("href") if tag == "a" else None, attrs.get("hx-get")):
            local = self._local(address)
            if local:
                self.links.append(local)
                target, _, query = local.partition("?")
                if query:
                    self.queries[target].append(dict(parse_qsl(query, keep_blank_values=True)))
        if tag == "form":
            action = self._local(attrs.get("action") or self.path) or ""
            if self.skip.search(action):
                return
            if attrs.get("method", "get").lower() == "post":
                self._post_form = Form(action, htmx="hx-post" in attrs)
                self.post_forms.append(self._post_form)
            else:
                self._get_form = (action.partition("?")[0], {})
        name = attrs.get("name")
        if name and tag in ("input", "select", "textarea", "button"):
            if self._post_form is not None:
                self._post_form.fields.setdefault(name, attrs.get("value", ""))
            if self._get_form is not None:
                self._get_form[1].setdefault(name, attrs.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag != "form":
            return
        if self._get_form is not None and self._get_form[1]:
            target, fields = self._get_form
            self.queries[target].append(fields)
        self._get_form = None
        self._post_form = None

    def _local(self, address: str | None) -> str | None:
        """``address`` as a path on this site (fragment dropped), or None."""
        if not address or address.startswith(("#", "mailto:", "tel:", "javascript:")):
            return None
        parts = urlsplit(urljoin(f"http://testserver{self.path}", address))
        if parts.netloc != "testserver":
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")
