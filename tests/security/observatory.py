"""Mozilla's HTTP Observatory score, computed from one site's responses (issue 10 point 2).

A transcription of the published rules of the MDN HTTP Observatory (algorithm v2, the code of
https://github.com/mdn/mdn-http-observatory: ``src/analyzer/tests/*.js`` decide each test's
result, ``src/grader/charts.js`` SCORE_TABLE gives each result's modifier,
``src/scanner/index.js`` adds them up; the rules are also described at
https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring):

* Every site starts at 100 and each of the ten tests adds its result's modifier. Bonuses
  (positive modifiers) count only when the score with the penalties alone is at least 90.
  100 or more is an A+.
* CSP: none -25; ``'unsafe-inline'``/``data:`` or a broad source (``*``, ``https:``…) in
  script-src, or a broad object-src, -20 (``'unsafe-inline'`` is ignored next to a nonce or a
  hash); ``http:`` sources for active content -20; ``'unsafe-eval'`` -10; ``http:`` images or
  media -10; unsafe style-src only 0; otherwise +5, or +10 with ``default-src 'none'``.
* Cookies: a session cookie (name containing "sess" or "login") without Secure -40 (-10 under
  HSTS), without HttpOnly -30; an anti-CSRF cookie (name containing "csrf") without SameSite -20;
  any cookie without Secure -20 (-5 under HSTS); all Secure, sessions HttpOnly and every cookie
  SameSite +5; without SameSite everywhere 0; no cookies 0.
* CORS: ``Access-Control-Allow-Origin`` reflecting any origin with credentials -50; else 0.
* Redirection: HTTP to HTTPS on the same host 0; to another host first -5; to HTTP first -10;
  not to HTTPS in the end, or no redirection, -20.
* Referrer-Policy: ``no-referrer``, ``same-origin``, ``strict-origin`` or
  ``strict-origin-when-cross-origin`` +5; unsafe or invalid -5; none 0.
* HSTS: none or invalid -20; max-age under six months (15768000) -10; otherwise 0 (+5 only for
  sites on the browsers' preload list, which a test cannot claim).
* Subresource Integrity: no scripts, or only same-origin scripts without it, 0; external
  scripts over HTTPS without it -5; over HTTP -50; all scripts with it +5.
* X-Content-Type-Options: ``nosniff`` 0; missing or invalid -5.
* X-Frame-Options: CSP ``frame-ancestors`` +5; ``DENY``/``SAMEORIGIN`` 0; missing -20.
* Cross-Origin-Resource-Policy: ``same-origin``/``same-site`` +10; ``cross-origin`` or none 0;
  invalid -5.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DANGEROUSLY_BROAD = {
    *("ftp:", "http:", "https:", "*"),
    *("http://*", "http://*.*", "https://*", "https://*.*"),
}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
NONCES_HASHES = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
PRIVATE_REFERRER = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
UNSAFE_REFERRER = {"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}
SIX_MONTHS = 15768000
CSP_PASSING = {
    "csp-implemented-with-no-unsafe",
    "csp-implemented-with-no-unsafe-default-src-none",
    "csp-implemented-with-unsafe-inline-in-style-src-only",
    "csp-implemented-with-insecure-scheme-in-passive-content-only",
}
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90


@dataclass(frozen=True)
class Cookie:
    name: str
    secure: bool
    httponly: bool
    samesite: str  # "" when absent
    path: str = "/"
    domain: str = ""


@dataclass
class Response:
    """What the Observatory looks at: the final HTTPS response of the site's front page (its
    headers, lower-case names, and its HTML), the cookies set on the way, the first answer to
    plain HTTP, and the Origin it sent (to see whether CORS reflects it)."""

    url: str
    headers: dict[str, str]
    html: str
    cookies: list[Cookie]
    http_status: int
    http_location: str
    origin_sent: str = "https://observatory.example"


@dataclass(frozen=True)
class Result:
    test: str
    result: str
    modifier: int
    passed: bool


@dataclass
class Scan:
    results: dict[str, Result] = field(default_factory=dict)
    score: int = 0

    @property
    def grade(self) -> str:
        return "A+" if self.score >= 100 else "below A+"


def parse_csp(header: str) -> dict[str, set[str]]:
    """Directives of one policy; a repeated directive is ignored, as browsers do."""
    policy: dict[str, set[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        policy.setdefault(
            name, {token if token.startswith("'nonce-") else token.lower() for token in tokens[1:]}
        )
    return policy


def csp_test(response: Response) -> Result:
    header = response.headers.get("content-security-policy", "")
    if not header:
        return Result("content-security-policy", "csp-not-implemented", -25, False)
    csp = parse_csp(header)
    everything = {"*"}
    script_src = set(csp.get("script-src") or csp.get("default-src") or everything)
    style_src = set(csp.get("style-src") or csp.get("default-src") or everything)
    object_src = set(csp.get("object-src") or csp.get("default-src") or everything)
    for sources in (script_src, style_src):
        if any(s.startswith(NONCES_HASHES) for s in sources):
            sources.discard("'unsafe-inline'")
    if any(s.startswith(NONCES_HASHES) for s in script_src) and "'strict-dynamic'" in script_src:
        script_src = {
            s
            for s in script_src
            if s not in {"'self'", "'unsafe-inline'"}
            and not any(s.startswith(b) for b in DANGEROUSLY_BROAD)
        }
    passive = {"img-src", "media-src"}
    active_sources = [
        s for name, sources in csp.items() if name not in passive | {"script-src"} for s in sources
    ] + list(script_src)
    passive_sources = [
        s for name in passive for s in (csp.get(name) or csp.get("default-src") or set())
    ]
    https = response.url.startswith("https:")
    if script_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE) or object_src & DANGEROUSLY_BROAD:
        outcome: tuple[str, int] = ("csp-implemented-with-unsafe-inline", -20)
    elif https and any(s.startswith(("http:", "ftp:")) for s in active_sources):
        outcome = ("csp-implemented-with-insecure-scheme", -20)
    elif "'unsafe-eval'" in script_src | style_src:
        outcome = ("csp-implemented-with-unsafe-eval", -10)
    elif https and any(s.startswith(("http:", "ftp:")) for s in passive_sources):
        outcome = ("csp-implemented-with-insecure-scheme-in-passive-content-only", -10)
    elif style_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE):
        outcome = ("csp-implemented-with-unsafe-inline-in-style-src-only", 0)
    elif csp.get("default-src") == {"'none'"}:
        outcome = ("csp-implemented-with-no-unsafe-default-src-none", 10)
    else:
        outcome = ("csp-implemented-with-no-unsafe", 5)
    return Result("content-security-policy", *outcome, outcome[0] in CSP_PASSING)


def hsts_test(response: Response) -> Result:
    header = response.headers.get("strict-transport-security", "")
    if not header:
        return Result("strict-transport-security", "hsts-not-implemented", -20, False)
    match = re.search(r"max-age\s*=\s*\"?(\d+)", header, re.IGNORECASE)
    if not match:
        return Result("strict-transport-security", "hsts-header-invalid", -20, False)
    if int(match.group(1)) < SIX_MONTHS:
        return Result(
            "strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10, False
        )
    return Result(
        "strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0, True
    )


def hsts_directives(header: str) -> tuple[int, bool, bool]:
    """(max-age, includeSubDomains, preload) of an HSTS header."""
    parts = [part.strip().lower() for part in header.split(";")]
    max_age = next(
        (int(p.split("=", 1)[1].strip('"')) for p in parts if p.startswith("max-age=")), 0
    )
    return max_age, "includesubdomains" in parts, "preload" in parts


# Ordered from worst to best, as onlyIfWorse in the Observatory's cookies test.
COOKIE_RESULTS = {
    "cookies-session-without-secure-flag": -40,
    "cookies-session-without-httponly-flag": -30,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
}
COOKIE_GOODNESS = [
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]


def cookies_test(response: Response) -> Result:
    if not response.cookies:
        return Result("cookies", "cookies-not-found", 0, True)
    hsts = hsts_test(response).passed
    worst: str | None = None

    def only_if_worse(result: str) -> None:
        nonlocal worst
        if worst is None or COOKIE_GOODNESS.index(result) > COOKIE_GOODNESS.index(worst):
            worst = result

    missing_samesite = False
    for cookie in response.cookies:
        session = any(part in cookie.name.lower() for part in ("login", "sess"))
        anticsrf = "csrf" in cookie.name.lower()
        samesite = cookie.samesite.lower()
        if samesite and samesite not in {"lax", "strict", "none"}:
            only_if_worse("cookies-samesite-flag-invalid")
        if not cookie.secure and samesite == "none":
            only_if_worse("cookies-samesite-flag-invalid")
        if not cookie.secure:
            only_if_worse(
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts
                else "cookies-without-secure-flag"
            )
        if anticsrf and not samesite:
            only_if_worse("cookies-anticsrf-without-samesite-flag")
        if session and not cookie.secure:
            only_if_worse(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts
                else "cookies-session-without-secure-flag"
            )
        if session and not cookie.httponly:
            only_if_worse("cookies-session-without-httponly-flag")
        missing_samesite = missing_samesite or not samesite
    if worst is not None:
        return Result("cookies", worst, COOKIE_RESULTS[worst], False)
    if missing_samesite:
        return Result("cookies", "cookies-secure-with-httponly-sessions", 0, True)
    return Result("cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5, True)


def cors_test(response: Response) -> Result:
    allowed = response.headers.get("access-control-allow-origin", "").strip()
    credentials = response.headers.get("access-control-allow-credentials", "").lower() == "true"
    if not allowed:
        return Result(
            "cross-origin-resource-sharing",
            "cross-origin-resource-sharing-not-implemented",
            0,
            True,
        )
    if allowed == "*":
        return Result(
            "cross-origin-resource-sharing",
            "cross-origin-resource-sharing-implemented-with-public-access",
            0,
            True,
        )
    if allowed == response.origin_sent and credentials:
        return Result(
            "cross-origin-resource-sharing",
            "cross-origin-resource-sharing-implemented-with-universal-access",
            -50,
            False,
        )
    return Result(
        "cross-origin-resource-sharing",
        "cross-origin-resource-sharing-implemented-with-restricted-access",
        0,
        True,
    )


def redirection_test(response: Response) -> Result:
    host = urlsplit(response.url).hostname
    if response.http_status not in {301, 302, 303, 307, 308}:
        return Result("redirection", "redirection-missing", -20, False)
    first = urlsplit(response.http_location)
    if first.scheme != "https":
        return Result("redirection", "redirection-not-to-https-on-initial-redirection", -10, False)
    if first.hostname != host:
        return Result("redirection", "redirection-off-host-from-http", -5, False)
    return Result("redirection", "redirection-to-https", 0, True)


def referrer_policy_test(response: Response) -> Result:
    header = response.headers.get("referrer-policy", "")
    if not header:
        return Result("referrer-policy", "referrer-policy-not-implemented", 0, True)
    # The last policy a browser knows wins.
    known = [
        token
        for token in (part.strip().lower() for part in header.split(","))
        if token in PRIVATE_REFERRER | UNSAFE_REFERRER | {"no-referrer-when-downgrade"}
    ]
    if not known:
        return Result("referrer-policy", "referrer-policy-header-invalid", -5, False)
    if known[-1] in PRIVATE_REFERRER:
        return Result("referrer-policy", "referrer-policy-private", 5, True)
    return Result("referrer-policy", "referrer-policy-unsafe", -5, False)


def sri_test(response: Response) -> Result:
    scripts = re.findall(r"<script\b([^>]*)>", response.html, re.IGNORECASE)
    sources = [
        (match.group(1), "integrity=" in attributes.lower())
        for attributes in scripts
        if (match := re.search(r"\bsrc\s*=\s*[\"']([^\"']+)", attributes))
    ]
    if not sources:
        return Result("subresource-integrity", "sri-not-implemented-but-no-scripts-loaded", 0, True)
    host = urlsplit(response.url).hostname
    external = [
        (src, integrity) for src, integrity in sources if urlsplit(src).hostname not in {None, host}
    ]
    if any(src.startswith(("http:", "//")) for src, _ in external):
        return Result(
            "subresource-integrity",
            "sri-not-implemented-and-external-scripts-not-loaded-securely",
            -50,
            False,
        )
    if sources and all(integrity for _, integrity in sources):
        return Result(
            "subresource-integrity", "sri-implemented-and-all-scripts-loaded-securely", 5, True
        )
    if external and not all(integrity for _, integrity in external):
        return Result(
            "subresource-integrity",
            "sri-not-implemented-but-external-scripts-loaded-securely",
            -5,
            False,
        )
    return Result(
        "subresource-integrity",
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
        0,
        True,
    )


def x_content_type_options_test(response: Response) -> Result:
    header = response.headers.get("x-content-type-options", "")
    if not header:
        return Result("x-content-type-options", "x-content-type-options-not-implemented", -5, False)
    if header.strip().lower() != "nosniff":
        return Result("x-content-type-options", "x-content-type-options-header-invalid", -5, False)
    return Result("x-content-type-options", "x-content-type-options-nosniff", 0, True)


def x_frame_options_test(response: Response) -> Result:
    if "frame-ancestors" in parse_csp(response.headers.get("content-security-policy", "")):
        return Result("x-frame-options", "x-frame-options-implemented-via-csp", 5, True)
    header = response.headers.get("x-frame-options", "").strip().lower()
    if header in {"deny", "sameorigin"}:
        return Result("x-frame-options", "x-frame-options-sameorigin-or-deny", 0, True)
    if header.startswith("allow-from"):
        return Result("x-frame-options", "x-frame-options-allow-from-origin", 0, True)
    if header:
        return Result("x-frame-options", "x-frame-options-header-invalid", -20, False)
    return Result("x-frame-options", "x-frame-options-not-implemented", -20, False)


def corp_test(response: Response) -> Result:
    header = response.headers.get("cross-origin-resource-policy", "").strip().lower()
    name = "cross-origin-resource-policy"
    if not header:
        return Result(name, "cross-origin-resource-policy-not-implemented", 0, True)
    if header in {"same-origin", "same-site"}:
        return Result(name, f"cross-origin-resource-policy-implemented-with-{header}", 10, True)
    if header == "cross-origin":
        return Result(name, "cross-origin-resource-policy-implemented-with-cross-origin", 0, True)
    return Result(name, "cross-origin-resource-policy-header-invalid", -5, False)


TESTS = (
    csp_test,
    cookies_test,
    cors_test,
    redirection_test,
    referrer_policy_test,
    hsts_test,
    sri_test,
    x_content_type_options_test,
    x_frame_options_test,
    corp_test,
)


def scan(response: Response) -> Scan:
    results = {result.test: result for result in (test(response) for test in TESTS)}
    with_bonus = 100 + sum(result.modifier for result in results.values())
    penalties_only = 100 + sum(min(result.modifier, 0) for result in results.values())
    score = with_bonus if penalties_only >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else penalties_only
    return Scan(results=results, score=max(score, 0))
