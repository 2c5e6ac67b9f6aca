"""MyLabel settings: one module, driven by environment variables (DESIGN.md §4).

With no environment at all the site runs *embedded*: SQLite, local-memory cache, in-memory channel
layer, tasks run in-process, media on the local file system, e-mail on the console. Production sets
``DJANGO_DEBUG=false`` plus the URLs of the real services; a production start without a secret key
or allowed hosts fails loudly instead of running with a development default.
"""

import os
from importlib.util import find_spec
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-mylabel-development-only-key")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    # A development default must never reach production: refuse to start instead.
    if not env.str("SECRET_KEY", default=""):
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG=false.")
    if not env.list("ALLOWED_HOSTS", default=[]):
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set when DJANGO_DEBUG=false (comma-separated host names)."
        )
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# pytest exports PYTEST_VERSION; the debug toolbar refuses to run under tests, so leave it out.
RUNNING_TESTS = "PYTEST_VERSION" in os.environ
DEBUG_TOOLBAR = DEBUG and not RUNNING_TESTS and find_spec("debug_toolbar") is not None

# --- Applications -------------------------------------------------------------------------------

INSTALLED_APPS = [
    # daphne first: its runserver serves HTTP and WebSocket through config.asgi.
    "daphne",
    "mylabel.core.apps.MyLabelAdminConfig",  # django.contrib.admin, with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Its widget templates, for FORM_RENDERER below (ours in mylabel/templates come first).
    "django.forms",
    "channels",
    "django_htmx",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "django_countries",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "mylabel.core",
    "mylabel.components",
    "mylabel.accounts",
    "mylabel.portfolio",
    "mylabel.artists",
    "mylabel.associates",
    "mylabel.payments",
    "mylabel.bookings",
    "mylabel.reviews",
    "mylabel.messaging",
    "mylabel.notifications",
    "mylabel.onboarding",
    "mylabel.api",
    "mylabel.spotify",
    "mylabel.recommendations",
    "mylabel.roster",
    "mylabel.analytics",
    "mylabel.monitoring",
    "mylabel.demo",
]

MIDDLEWARE = [
    # Monitoring first, so its timing covers all the others and every log record of the request
    # carries the request id (mylabel/monitoring/middleware.py).
    "mylabel.monitoring.middleware.RequestMonitoringMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, so preflight requests get CORS headers on its redirects too.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: under ASGI, Django runs every middleware above the last sync-only one in sync mode
    # and those below it in async mode, where Django's own (MiddlewareMixin) ones each hop to a
    # thread and back for their request and response steps. With the sync-only ones last, a
    # request makes the three hops a sync view needs and no more.
    "mylabel.accounts.middleware.UserPreferencesMiddleware",
]

# --- C: a database outage answers 503, not 500 (mylabel/core/outage.py) ---
# Just before the first middleware that reads the user (and so the session) from the database.
MIDDLEWARE.insert(
    MIDDLEWARE.index("mylabel.accounts.middleware.UserPreferencesMiddleware"),
    "mylabel.core.outage.DatabaseOutageMiddleware",
)
# --- end C ---

if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1", "::1"]
    # A newcomer's first look should be at the product: the toolbar starts as a small tab.
    DEBUG_TOOLBAR_CONFIG = {"SHOW_COLLAPSED": True}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mylabel" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mylabel.notifications.context_processors.unread_notifications",
            ],
        },
    },
]
# Form widgets render through TEMPLATES, so mylabel/templates/django/forms/ can override Django's
# own widget templates (the select's, see there).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Data stores --------------------------------------------------------------------------------

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool replaces persistent connections (CONN_MAX_AGE must stay 0 with it).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
        "timeout": 10,
    }
    # --- C: fail fast while PostgreSQL is down, recover within seconds when it is back ---
    # A request waits at most DATABASE_POOL_TIMEOUT seconds for a connection, then gets the
    # friendly 503 (mylabel/core/outage.py) instead of hanging. Each pooled connection is checked
    # as it is handed out; the first broken one (after a restart) drains the idle pool
    # (mylabel/core/db_pool.py), so no request is failed by a connection the restart killed.
    # psycopg_pool retries a failed connect with a doubling delay for reconnect_timeout seconds
    # (300 by default: minutes of delay after a long outage); 2 s keeps the gap between attempts
    # near 1 s, after which the next waiting request starts a fresh attempt. connect_timeout
    # bounds a connect to an unreachable host (libpq's minimum is 2 s).
    from mylabel.core.db_pool import check_connection

    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 2)
    DATABASES["default"]["OPTIONS"]["pool"].update(
        check=check_connection,
        timeout=env.float("DATABASE_POOL_TIMEOUT", default=2.0),
        reconnect_timeout=2.0,
    )
    # --- end C ---
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves pages and sockets from several threads at once. WAL lets them
    # read beside the one writer; IMMEDIATE takes the write lock when a transaction begins, so a
    # second writer waits up to `timeout` seconds for its turn instead of failing at once with
    # "database is locked" when its read would have to become a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# Channel layer sizes (mylabel.core.channel_layers logs what does not fit). capacity: messages
# waiting per channel; in channels-redis the group messages of one process share a channel, so
# it bounds how far a whole server process may fall behind (1,000 ≈ 100 s of a busy
# conversation's messages, typing and receipts at 10/s). expiry: a message not read within
# 60 s belongs to a dead process; live pages read in milliseconds and catch up from the database
# on reconnect. group_expiry: membership of a socket that never left (its process died) lapses
# after a day, bounding memory under connection churn; live sockets re-join on every connect.
CHANNEL_LAYER_LIMITS = {
    "capacity": env.int("CHANNEL_LAYER_CAPACITY", default=1000),
    "expiry": 60,
    "group_expiry": 86400,
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mylabel",
            "OPTIONS": {
                # A cache outage must degrade to misses, never to errors on every page.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "mylabel.core.channel_layers.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                # Several deployments (or parallel test workers) may share one Redis.
                "prefix": env.str("CHANNEL_LAYER_PREFIX", default="mylabel"),
                **CHANNEL_LAYER_LIMITS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "mylabel.core.channel_layers.InMemoryChannelLayer",
            "CONFIG": CHANNEL_LAYER_LIMITS,
        }
    }

# How long a directory's rendered results region is kept (mylabel/core/directory.py); every
# write a card shows forgets them at once, this bounds writes that bypass that. 0: no caching.
DIRECTORY_RESULTS_CACHE_SECONDS = env.int("DIRECTORY_RESULTS_CACHE_SECONDS", default=300)
# How long a public page is kept whole for visitors who are not signed in
# (mylabel/core/page_cache.py); every write such a page shows forgets them at once, this bounds
# writes that bypass that. 0: no caching.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)

TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
if TASKS_BACKEND not in {"immediate", "database"}:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'.")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}
# A booking request the professional has not answered within this many hours expires
# (bookings.tasks.expire_stale_requests); never later than the booking's start.
BOOKING_REQUEST_TTL_HOURS = env.int("BOOKING_REQUEST_TTL_HOURS", default=48)
# Each side of a completed booking may review the other for this many days; blind reviews are
# published when the window closes (reviews.tasks.publish_reviews).
REVIEW_WINDOW_DAYS = env.int("REVIEW_WINDOW_DAYS", default=14)
# The reviewee may reply once, within this many days of the review's publication.
REVIEW_REPLY_DAYS = env.int("REVIEW_REPLY_DAYS", default=30)

# --- Spotify ------------------------------------------------------------------------------------

# Client-credentials app from developer.spotify.com. Without both, the Spotify section of artist
# profiles hides itself and nothing is fetched (links are still saved as links).
SPOTIFY_CLIENT_ID = env.str("SPOTIFY_CLIENT_ID", default="")
SPOTIFY_CLIENT_SECRET = env.str("SPOTIFY_CLIENT_SECRET", default="")
# Top tracks differ by country; the label's audience is Italian.
SPOTIFY_MARKET = env.str("SPOTIFY_MARKET", default="IT")
# A linked artist's followers and top tracks are fetched again after this many hours
# (manage.py refresh_spotify from cron).
SPOTIFY_REFRESH_HOURS = env.int("SPOTIFY_REFRESH_HOURS", default=24)

# --- Files --------------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "mylabel" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
CLOUDINARY_URL = env.str("CLOUDINARY_URL", default="")

STORAGES = {
    "default": {
        "BACKEND": (
            "mylabel.core.storage.CloudinaryStorage"
            if CLOUDINARY_URL
            else "django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {
        # Hashed names and Brotli/gzip copies need collectstatic, which production runs at build.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

MEGABYTE = 1024 * 1024
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=2 * MEGABYTE)
PORTFOLIO_MAX_BYTES = {
    "image": env.int("PORTFOLIO_IMAGE_MAX_BYTES", default=8 * MEGABYTE),
    "audio": env.int("PORTFOLIO_AUDIO_MAX_BYTES", default=30 * MEGABYTE),
    "video": env.int("PORTFOLIO_VIDEO_MAX_BYTES", default=100 * MEGABYTE),
}
# Message attachments (mylabel.messaging): per-file cap and files per message.
MESSAGE_ATTACHMENT_MAX_MB = env.int("MESSAGE_ATTACHMENT_MAX_MB", default=10)
MESSAGE_ATTACHMENTS_PER_MESSAGE = 5
# --- F: stop storing an upload past the largest cap (mylabel/core/uploads.py) ---
FILE_UPLOAD_HANDLERS = [
    "mylabel.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# --- end F ---
# Sending limits per user, as (messages, seconds) windows; all must hold.
MESSAGE_RATE_LIMITS = [(20, 10), (300, 3600)]
# Message e-mails (notifications.email_batching): a conversation's first unread message is mailed
# this many minutes later, together with those that followed, unless read by then (Zulip's rule).
MESSAGE_EMAIL_DELAY_MINUTES = env.int("MESSAGE_EMAIL_DELAY_MINUTES", default=10)
# Web Push (notifications.push): the VAPID key pair (base64url, `manage.py vapid_keys` makes one)
# and the contact the push services see (mailto: or https:). Without both keys push is hidden.
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="")
# Non-file form fields past this size are refused before any form sees them; files stream to
# temporary files past FILE_UPLOAD_MAX_MEMORY_SIZE and are capped per kind above.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * MEGABYTE
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * MEGABYTE

# --- Bookings: slots and calendar import (mylabel.bookings.slots, mylabel.associates.tasks) ---

# Slot starts are offered on this grid, aligned to midnight in the professional's time zone.
SLOT_STEP_MINUTES = 30
# External iCal URLs are fetched with these limits; private and loopback addresses are refused
# outside development (an iCal URL must not become a way to probe the internal network).
CALENDAR_FETCH_TIMEOUT_SECONDS = env.float("CALENDAR_FETCH_TIMEOUT_SECONDS", default=5.0)
CALENDAR_FETCH_MAX_BYTES = env.int("CALENDAR_FETCH_MAX_BYTES", default=2 * MEGABYTE)
CALENDAR_FETCH_ALLOW_PRIVATE = env.bool("CALENDAR_FETCH_ALLOW_PRIVATE", default=DEBUG)

# --- E-mail -------------------------------------------------------------------------------------

# EMAIL_URL in django-environ's form (smtp+tls://user:password@host:587, consolemail://, …),
# turned into Django 6.1's MAILERS; the EMAIL_* settings are deprecated.
_EMAIL = env.email_url_config(env.str("EMAIL_URL", default="consolemail://"))
_MAILER_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_FILE_PATH": "file_path",
}
MAILERS = {
    "default": {
        "BACKEND": _EMAIL["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _EMAIL[name] for name, option in _MAILER_OPTIONS.items() if _EMAIL.get(name)
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MyLabel <hello@mylabel.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links where no request is at hand: e-mails, calendar feeds and their UIDs.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

# --- Payments -----------------------------------------------------------------------------------

# Stripe when a secret key is set, otherwise the offline gateway (the associate marks bookings
# paid), so the whole flow runs on a machine with no keys. See mylabel/payments/gateways/.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
PAYMENT_CURRENCY = env.str("PAYMENT_CURRENCY", default="EUR")
# The platform's share of each payment, in percent; recorded on the payment (Decimal, to cents).
PLATFORM_FEE_PERCENT = env.str("PLATFORM_FEE_PERCENT", default="10")

# --- Accounts -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # ModelBackend with each member's permissions cached between requests (see the module).
    "mylabel.accounts.backends.CachedPermissionsBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# How long a member's cached permissions may outlive a change that bypasses the signals (0: off).
PERMISSIONS_CACHE_SECONDS = env.int("PERMISSIONS_CACHE_SECONDS", default=300)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "mylabel.accounts.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "mylabel.accounts.forms.SignupForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up with a taken address says so on the form (issue 2) rather than pretending to succeed;
# allauth's per-IP rate limits on sign-up and log-in bound how fast anyone can probe addresses.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MyLabel] "
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3

# --- Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("it", _("Italian"))]
LOCALE_PATHS = [BASE_DIR / "mylabel" / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# --- Security -----------------------------------------------------------------------------------

# No 'unsafe-inline' or 'unsafe-eval' anywhere: scripts and styles are files, inline <script> tags
# carry the per-request nonce, and htmx runs with allowEval=false (see base.html).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # i.scdn.co: Spotify artist pictures on linked artist profiles (mylabel.spotify).
    "img-src": [CSP.SELF, "data:", "https://res.cloudinary.com", "https://i.scdn.co"],
    "media-src": [CSP.SELF, "https://res.cloudinary.com"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    # Portfolio embeds: exactly the players of mylabel.portfolio.embeds.EMBED_FRAME_SOURCES.
    "frame-src": [
        "https://www.youtube-nocookie.com",
        "https://w.soundcloud.com",
        "https://open.spotify.com",
    ],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    # TLS ends at the load balancer, which forwards the original scheme in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load-balancer probes speak plain HTTP to the process.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- R: __Host- cookies, rate limits and their store (issue 10 points 2 and 3) ---
# Observatory's cookie rule and the __Host- prefix: only over HTTPS, path "/", no Domain, so a
# sibling subdomain cannot plant or overwrite them. Pages send the CSRF token from the page
# (hx-headers on <body>, the forms' hidden field), never read from the cookie, so the name is free.
if not DEBUG:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Log-in: at most 5 failures in 30 minutes per account (allauth's "key": the e-mail address) and
# per client address; the 6th try is refused even with the right password (a 429 page, see
# mylabel.accounts.security). The API token endpoint counts in the same buckets.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="5/30m/ip,5/30m/key"),
    "signup": env.str("SIGNUP_RATE_LIMIT", default="10/h/ip"),
    "reset_password": env.str("RESET_PASSWORD_RATE_LIMIT", default="10/h/ip,3/h/key"),
}
# The address allauth counts per IP: the same trust in X-Forwarded-For as the API throttles.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("API_NUM_PROXIES", default=0)
# Per-user limits of booking requests and reviews, as (how many, seconds) windows; all must hold
# (mylabel.core.ratelimit.check_rate; MESSAGE_RATE_LIMITS above for messages).
BOOKING_RATE_LIMITS = [(env.int("BOOKING_REQUESTS_PER_HOUR", default=10), 3600)]
REVIEW_RATE_LIMITS = [(env.int("REVIEWS_PER_HOUR", default=10), 3600)]
if REDIS_URL:
    # Rate-limit counters fall back to process memory while Redis is down (fail open, bounded).
    CACHES["default"]["BACKEND"] = "mylabel.core.ratelimit.RedisCacheWithLocalCounters"
# --- end R ---

# --- REST API (mylabel/api/) --------------------------------------------------------------------

# API tokens expire after this many days; the owner makes a new one in account settings.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=365)
REST_FRAMEWORK = {
    # Token first: an unauthenticated API request is answered 401 with WWW-Authenticate: Token.
    # Session authentication serves the site's own pages (it enforces CSRF).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mylabel.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "mylabel.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mylabel.api.exceptions.exception_handler",
    # Counted in the shared cache (Redis in production), so all server processes count together.
    "DEFAULT_THROTTLE_CLASSES": [
        "mylabel.api.throttling.PerIpThrottle",
        "mylabel.api.throttling.PerUserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="100/min"),
        "user": env.str("API_THROTTLE_USER", default="200/min"),
        # Token creation checks a password: as tight as a log-in form.
        "token": env.str("API_THROTTLE_TOKEN", default="10/min"),
    },
    # How many proxies in front of the app append to X-Forwarded-For (1 behind one load
    # balancer). 0: throttles count REMOTE_ADDR and ignore the header, which clients can forge.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MyLabel API",
    "DESCRIPTION": (
        "Everything a member can do on MyLabel, for scripts and apps. Create a token with "
        "`POST /api/v1/auth/token/` (or in account settings) and send it as "
        "`Authorization: Token <token>`. Errors always have the shape "
        '`{"detail": …, "code": …, "fields": {…}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mylabel.api.schema.add_error_responses",
    ],
    # Swagger UI from the sidecar package: same origin, so the CSP needs no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Bookings API: a booking and its payment both have a "status"; one enum name per model.
    "ENUM_NAME_OVERRIDES": {
        "BookingStatusEnum": "mylabel.bookings.models.Status",
        "PaymentStatusEnum": "mylabel.payments.models.Payment.Status",
        # Profiles and portfolio API: a release and a portfolio item both have a "kind".
        "ReleaseKindEnum": "mylabel.artists.models.Release.Kind",
        "PortfolioItemKindEnum": "mylabel.portfolio.models.PortfolioItem.Kind",
    },
}
# Browsers may call the API from these origins only (django-cors-headers); none by default.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
# REST API, notifications and messages (helper C): scripts in those origins may read these
# response headers too (not CORS-safelisted): the notification list's unread count, and when
# to send again after a 429.
CORS_EXPOSE_HEADERS = ["X-Unread-Count", "Retry-After"]

# --- Logging and errors -------------------------------------------------------------------------

LOG_DIR = Path(env.str("LOG_DIR", default=str(BASE_DIR / "var" / "log")))
LOG_DIR.mkdir(parents=True, exist_ok=True)
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record gets request_id, user_id and route (None outside a request).
    "filters": {
        "request_context": {"()": "mylabel.monitoring.request_context.RequestContextFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        # One JSON object per line, for the log collector.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s "
            "%(user_id)s %(route)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        # Readable lines while developing, JSON in production.
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if DEBUG else "json",
            "filters": ["request_context"],
        },
        "file": {
            # Several processes (ASGI workers, the task worker) write this file; this handler
            # locks it so rotation is safe across them, unlike logging's RotatingFileHandler.
            "class": "concurrent_log_handler.ConcurrentRotatingFileHandler",
            "filename": LOG_DIR / "mylabel.log",
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 5,
            "formatter": "json",
            "filters": ["request_context"],
            "delay": True,
        },
    },
    "root": {"handlers": ["console", "file"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default config gives "django" a console handler of its own; dropping it lets
        # records reach the root handlers once instead of twice.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        # "N of M channels over capacity in group G": kept whatever LOG_LEVEL says.
        "channels_redis": {"level": "INFO"},
        # Spotify: spotipy logs every expected 404/429 at ERROR (a Sentry event each);
        # mylabel.spotify.services logs the outcomes that matter itself.
        "spotipy": {"level": "CRITICAL"},
    },
}

# Sentry only with a DSN; release from SENTRY_RELEASE, else the checked-out commit; no personal
# data (mylabel/monitoring/sentry.py strips e-mails, cookies and credentials).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from mylabel.monitoring.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Monitoring (mylabel/monitoring/) -----------------------------------------------------------

# /metrics answers a bearer token or these client addresses/networks; with neither it is a 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
# Each process writes its per-minute request rollups (the KPI page's data) this often; None
# under tests, where no request may write outside the test's own queries.
METRICS_ROLLUP_FLUSH_SECONDS = (
    None if RUNNING_TESTS else env.int("METRICS_ROLLUP_FLUSH_SECONDS", default=60)
)
# Rollups older than this are pruned (the KPI page's longest window is 30 days).
METRICS_ROLLUP_RETENTION_DAYS = env.int("METRICS_ROLLUP_RETENTION_DAYS", default=31)
