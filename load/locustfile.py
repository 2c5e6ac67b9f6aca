# ruff: noqa: S311 - random picks what a simulated user does next; nothing here is a secret.
"""Locust users for ``make load`` / ``make soak`` (run by load/run.py from .venv-load).

The mix of issue 10: anonymous visitors browsing and searching, artists booking, people chatting,
API clients, and (soak only) WebSocket clients; ``BareView`` alone measures the floor of the stack
(``/healthz``: a plain JsonResponse view through the whole middleware stack).

Requests are named by route (``page: /associates/[slug]/``), so locust aggregates them per
endpoint; the prefix says what kind of answer it is ("page", "fragment" for an htmx partial,
"action" for a form post, "api", "auth", "ws"), which the verdict uses: the p95 goal is for pages
and fragments. Accounts, slugs and filter values come from the JSON file that load/prepare.py
writes (LOAD_DATA). Each signed-in user takes the next account of the pool, so no two users
share one and the per-user limits see many users, as in real traffic.

The site runs in production mode behind no TLS proxy here: its cookies are ``Secure``, which a
client only returns over HTTPS; the cookie policy below returns them over plain HTTP on
loopback, as a browser would behind the TLS-terminating load balancer.
"""

import contextlib
import itertools
import json
import os
import random
import re
import time
from datetime import UTC, datetime, timedelta
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urlencode

# Both from .venv-load only (requirements/load.txt); mypy, in .venv, treats them as Any.
import websocket
from locust import FastHttpUser, between, constant, constant_throughput, events, task

DATA: dict[str, Any] = json.loads(open(os.environ["LOAD_DATA"]).read())  # noqa: SIM115
ACCOUNTS = itertools.cycle(DATA["accounts"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOT = re.compile(r'name="start" id="slot-\d+" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(service|date)" value="([^"]+)"')
CONVERSATION = re.compile(r"/messages/(\d+)/")
SEARCHES = [
    "mixing", "prod", "mastering engineer", "soul", "vocal coach", "milan producer",
    "marco rossi", "jazz", "photo", "atmos", "drums", "berlin", "session", "songwriter",
]  # fmt: skip
# Think time between a user's requests. 0 (the default) is a closed loop: each user sends its
# next request as soon as the previous one answers, so 20 users keep 20 requests in flight and the
# run measures what the server sustains, for the bare view and the mix alike.
THINK = float(os.environ.get("LOAD_THINK_SECONDS", "0"))
WAIT = between(THINK / 2, THINK * 1.5) if THINK else constant(0)
# An API client keeps under its per-user throttle (API_THROTTLE_USER, 200 a minute), as a real
# client told the limit does: without think time it would be refused 429s it asked for.
API_REQUESTS_PER_SECOND = 3.0
REQUEST_EVERY = 20.0  # seconds between one user's booking requests
SEND_EVERY = 15.0  # seconds between one user's chat messages (240 an hour, under 300)


class SiteUser(FastHttpUser):
    abstract = True
    host = os.environ.get("LOAD_HOST", "http://127.0.0.1:8000")
    wait_time = WAIT

    def on_start(self) -> None:
        self.client.cookiejar.set_policy(
            DefaultCookiePolicy(secure_protocols=("https", "wss", "http", "ws"))
        )

    def page(self, path: str, name: str, *, htmx: bool = False, kind: str = "page") -> str:
        headers = {"HX-Request": "true"} if htmx else {}
        with self.client.get(
            path, name=f"{kind}: {name}", headers=headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
                return ""
            return response.text or ""

    def post(
        self, path: str, name: str, data: dict[str, str], *, ok: tuple[int, ...], htmx: bool = False
    ) -> Any:
        headers = {"HX-Request": "true"} if htmx else {}
        with self.client.post(
            path,
            name=name,
            data=data,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code not in ok:
                response.failure(f"{response.status_code} for POST {path}")
            return response

    def csrf(self, html: str) -> str:
        match = CSRF.search(html)
        return match.group(1) if match else ""

    def log_in(self) -> None:
        """allauth's form: GET for the CSRF token, POST the e-mail and password (302 on success;
        the password hash makes this deliberately slow, once per user)."""
        self.email = next(ACCOUNTS)
        html = self.page("/accounts/login/", "/accounts/login/")
        response = self.post(
            "/accounts/login/",
            "auth: POST /accounts/login/",
            {
                "csrfmiddlewaretoken": self.csrf(html),
                "login": self.email,
                "password": DATA["password"],
            },
            ok=(302,),
        )
        self.signed_in = response.status_code == 302
        self.token = self.csrf(html)


class BareView(SiteUser):
    """The floor of the stack: uvicorn, the whole middleware stack, a JsonResponse."""

    @task
    def healthz(self) -> None:
        self.page("/healthz", "/healthz", kind="bare")


class CachedPage(SiteUser):
    """Not in the mix: the cheapest page the site serves, the home page from the whole-page
    cache (no query, no template), for ``load/phases.py`` to show how close any page can come
    to the bare view."""

    @task
    def home(self) -> None:
        self.page("/", "/", kind="cached")


class Visitor(SiteUser):
    """Anonymous browsing: home, the directories with filters and search, htmx fragments,
    profiles."""

    weight = 8

    @task(2)
    def home(self) -> None:
        self.page("/", "/")

    @task(3)
    def directory(self) -> None:
        query: dict[str, str] = {}
        if random.random() < 0.5:
            query["genre"] = random.choice(DATA["genres"])
        if random.random() < 0.4:
            query["profession"] = random.choice(DATA["professions"])
        if random.random() < 0.3 and DATA["cities"]:
            query["city"] = random.choice(DATA["cities"])
        if random.random() < 0.3:
            query["page"] = str(random.randint(2, 5))
        self.page(f"/associates/?{urlencode(query)}", "/associates/?filters")

    @task(3)
    def search(self) -> None:
        query = {"q": random.choice(SEARCHES)}
        if random.random() < 0.3:
            query["sort"] = random.choice(["newest", "name"])
        self.page(f"/associates/?{urlencode(query)}", "/associates/?q=")

    @task(3)
    def search_as_you_type(self) -> None:
        """What htmx asks for while someone types in the search box: the results partial."""
        word = random.choice(SEARCHES)
        query = urlencode({"q": word[: random.randint(3, len(word))]})
        self.page(
            f"/associates/?{query}", "/associates/?q= (HX-Request)", htmx=True, kind="fragment"
        )

    @task(1)
    def artists(self) -> None:
        query = {"genre": random.choice(DATA["genres"])} if random.random() < 0.5 else {}
        self.page(f"/artists/?{urlencode(query)}", "/artists/")

    @task(3)
    def associate_profile(self) -> None:
        self.page(f"/associates/{random.choice(DATA['associates'])}/", "/associates/[slug]/")

    @task(2)
    def artist_profile(self) -> None:
        self.page(f"/artists/{random.choice(DATA['artists'])}/", "/artists/[slug]/")


class Booker(SiteUser):
    """A signed-in artist: the booking page, the free times of a day (htmx), a request, the
    list. A request for a time someone else has just taken, or one more than the service
    allows, is answered with the form and its error: a valid outcome, not an error."""

    weight = 4

    def on_start(self) -> None:
        super().on_start()
        self.log_in()

    last_request = 0.0

    @task(3)
    def book(self) -> None:
        """The page and a day's free times each time; the request itself at most every
        REQUEST_EVERY seconds per user (nobody sends one a second)."""
        slug = random.choice(DATA["bookable"])
        path = f"/associates/{slug}/book/"
        html = self.page(path, "/associates/[slug]/book/")
        fields = dict(HIDDEN.findall(html))
        if "service" not in fields:
            return
        day = datetime.now(UTC).date() + timedelta(days=random.randint(1, 20))
        query = urlencode({"service": fields["service"], "date": day.isoformat()})
        slots = self.page(
            f"{path}?{query}",
            "/associates/[slug]/book/?date= (HX-Request)",
            htmx=True,
            kind="fragment",
        )
        starts = SLOT.findall(slots)
        if not starts or time.monotonic() - self.last_request < REQUEST_EVERY:
            return
        self.last_request = time.monotonic()
        with self.client.post(
            path,
            name="action: POST /associates/[slug]/book/",
            data={
                "csrfmiddlewaretoken": self.csrf(html),
                "service": fields["service"],
                "date": day.isoformat(),
                "start": random.choice(starts),
                "message": "Load test: a session to finish two songs.",
            },
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # 302: sent; 200 or 409: refused with the form's reason (taken meanwhile, limit).
            if response.status_code in (302, 200, 409):
                response.success()
            else:
                response.failure(f"{response.status_code} for POST {path}")

    @task(2)
    def bookings(self) -> None:
        self.page("/bookings/", "/bookings/")


class Chatter(SiteUser):
    """A signed-in artist writing to a professional: the inbox, the conversation, a message
    sent through the composer's htmx POST."""

    weight = 3

    def on_start(self) -> None:
        super().on_start()
        self.log_in()
        self.conversation = self.start_conversation()

    def start_conversation(self) -> str:
        slug = random.choice(DATA["bookable"])
        html = self.page(f"/associates/{slug}/", "/associates/[slug]/")
        response = self.post(
            f"/messages/with/professional/{slug}/",
            "action: POST /messages/with/professional/[slug]/",
            {"csrfmiddlewaretoken": self.csrf(html)},
            ok=(302,),
        )
        match = CONVERSATION.search(response.headers.get("Location", "") or "")
        return match.group(0) if match else ""

    @task(2)
    def inbox(self) -> None:
        self.page("/messages/", "/messages/")

    @task(3)
    def read(self) -> None:
        if self.conversation:
            self.html = self.page(self.conversation, "/messages/[pk]/")

    last_sent = 0.0

    @task(2)
    def send(self) -> None:
        """At most one message every SEND_EVERY seconds per user: a person typing, and under
        MESSAGE_RATE_LIMITS (300 an hour), whose refusal htmx would get as a 200 composer."""
        if not self.conversation or time.monotonic() - self.last_sent < SEND_EVERY:
            self.read()
            return
        self.last_sent = time.monotonic()
        html = getattr(self, "html", "") or self.page(self.conversation, "/messages/[pk]/")
        self.post(
            self.conversation,
            "action: POST /messages/[pk]/ (HX-Request)",
            {
                "csrfmiddlewaretoken": self.csrf(html),
                "body": f"Load test message {time.time():.3f}",
            },
            ok=(200,),
            htmx=True,
        )


class ApiClient(SiteUser):
    """A token client: one token (POST /api/v1/auth/token/), then the directory and its
    bookings."""

    weight = 3
    wait_time = WAIT if THINK else constant_throughput(API_REQUESTS_PER_SECOND)

    def on_start(self) -> None:
        super().on_start()
        email = next(ACCOUNTS)
        with self.client.post(
            "/api/v1/auth/token/",
            name="auth: POST /api/v1/auth/token/",
            json={"email": email, "password": DATA["password"], "name": "load test"},
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                self.headers = {}
                return
            self.headers = {"Authorization": f"Token {response.json()['token']}"}

    def api(self, path: str, name: str) -> None:
        with self.client.get(
            path, name=f"api: {name}", headers=self.headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")

    @task(3)
    def associates(self) -> None:
        query = {"q": random.choice(SEARCHES)} if random.random() < 0.5 else {}
        self.api(f"/api/v1/associates/?{urlencode(query)}", "/api/v1/associates/")

    @task(1)
    def associate(self) -> None:
        self.api(
            f"/api/v1/associates/{random.choice(DATA['associates'])}/", "/api/v1/associates/[slug]/"
        )

    @task(2)
    def bookings(self) -> None:
        self.api("/api/v1/bookings/", "/api/v1/bookings/")


class SocketClient(SiteUser):
    """Soak only: a signed-in page's sockets. Connects to the notifications socket and to a
    conversation's, stays a while (a typing frame, sometimes a message sent over the socket,
    reading what arrives), disconnects, and again."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        self.log_in()
        self.conversation = Chatter.start_conversation(self)

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.client.cookiejar)

    def connect(self, path: str, name: str) -> Any:
        url = self.host.replace("http://", "ws://") + path
        started = time.perf_counter()
        try:
            socket = websocket.create_connection(
                url, timeout=10, origin=self.host, cookie=self.cookie_header()
            )
        except Exception as error:  # noqa: BLE001 - every failure is a failed connection
            self.report(name, started, error)
            return None
        self.report(name, started, None)
        return socket

    def report(self, name: str, started: float, error: Exception | None) -> None:
        events.request.fire(
            request_type="WS",
            name=f"ws: {name}",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )

    @task
    def session(self) -> None:
        if not self.conversation:
            return
        notifications = self.connect("/ws/notifications/", "/ws/notifications/")
        pk = self.conversation.strip("/").rsplit("/", 1)[-1]
        chat = self.connect(f"/ws/conversations/{pk}/", "/ws/conversations/[pk]/")
        try:
            if chat is not None:
                chat.send(json.dumps({"action": "typing"}))
                if random.random() < 0.3:
                    chat.send(
                        json.dumps({"action": "send", "body": f"Socket message {time.time():.3f}"})
                    )
            deadline = time.monotonic() + random.uniform(5, 20)
            while time.monotonic() < deadline:
                for socket in (chat, notifications):
                    if socket is None:
                        continue
                    socket.settimeout(0.5)
                    with contextlib.suppress(websocket.WebSocketTimeoutException):
                        socket.recv()
        except websocket.WebSocketException as error:
            self.report("closed by the server", time.perf_counter(), error)
        finally:
            for socket in (chat, notifications):
                if socket is not None:
                    socket.close()
