"""The settings module read from environment variables (issue 2 §3).

Settings are read once per process, so each case imports them in a fresh interpreter with a
controlled environment: nothing leaks in from the shell that runs the suite.
"""

import json
from pathlib import Path

import pytest
from django.core.cache.backends.base import BaseCache
from django_redis.cache import RedisCache

from tests.processes import production_env, run_python

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()

# Django 6.1's MAILERS, or the EMAIL_* settings it replaces.
if getattr(settings, "MAILERS", None):
    mailer = settings.MAILERS["default"]
    options = mailer.get("OPTIONS", {})
    mail = {"backend": mailer["BACKEND"], "host": options.get("host"),
            "port": options.get("port"), "use_tls": options.get("use_tls")}
else:
    mail = {"backend": settings.EMAIL_BACKEND, "host": settings.EMAIL_HOST,
            "port": settings.EMAIL_PORT, "use_tls": settings.EMAIL_USE_TLS}

print(json.dumps({
    "DEBUG": settings.DEBUG,
    "DATABASE": settings.DATABASES["default"],
    "CACHES": settings.CACHES,
    "CHANNEL_LAYERS": settings.CHANNEL_LAYERS,
    "MAIL": mail,
    "TASKS": settings.TASKS,
    "STORAGES": settings.STORAGES,
    "INSTALLED_APPS": settings.INSTALLED_APPS,
    "MIDDLEWARE": settings.MIDDLEWARE,
    "LOGGING": settings.LOGGING,
    "SENTRY_ACTIVE": __import__("sentry_sdk").get_client().is_active(),
}, default=str))
"""


def settings_with(tmp_path: Path, **env: str) -> dict:
    result = run_python(["-c", PRINT_SETTINGS], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = run_python(
        ["-c", "import django; django.setup()"], tmp_path, **production_env(SECRET_KEY="")
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    result = run_python(
        ["-c", "import django; django.setup()"], tmp_path, **production_env(ALLOWED_HOSTS="")
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_deploy_check_reports_no_issues_in_production_mode(tmp_path):
    result = run_python(
        ["manage.py", "check", "--deploy"],
        tmp_path,
        **production_env(EMAIL_URL="smtp+tls://mailer:secret@smtp.example.com:587"),
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_no_environment_means_the_embedded_defaults(tmp_path):
    values = settings_with(tmp_path)
    assert values["DEBUG"] is True
    assert values["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert (
        values["CHANNEL_LAYERS"]["default"]["BACKEND"]
        == "mylabel.core.channel_layers.InMemoryChannelLayer"
    )
    assert values["TASKS"]["default"]["BACKEND"].endswith("ImmediateBackend")
    assert values["MAIL"]["backend"] == "django.core.mail.backends.console.EmailBackend"
    assert values["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert values["SENTRY_ACTIVE"] is False


def test_debug_mode_outside_tests_adds_the_debug_toolbar_and_serves_media(tmp_path):
    probe = """
import json, django
django.setup()
from django.conf import settings
from django.urls import resolve, reverse
print(json.dumps({
    "apps": settings.INSTALLED_APPS,
    "first_middleware": settings.MIDDLEWARE[0],
    "toolbar_url": reverse("djdt:render_panel"),
    "media_view": resolve("/media/avatars/1/a.jpg").func.__name__,
}))
"""
    result = run_python(["-c", probe], tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert "debug_toolbar" in values["apps"]
    assert values["first_middleware"] == "debug_toolbar.middleware.DebugToolbarMiddleware"
    assert values["toolbar_url"].startswith("/__debug__/")
    assert values["media_view"] == "serve"


def test_production_mode_leaves_the_debug_toolbar_out(tmp_path):
    values = settings_with(tmp_path, **production_env())
    assert values["DEBUG"] is False
    assert "debug_toolbar" not in values["INSTALLED_APPS"]
    assert not any("debug_toolbar" in entry for entry in values["MIDDLEWARE"])


def test_logs_go_to_the_console_and_a_rotating_file(tmp_path):
    handlers = settings_with(tmp_path)["LOGGING"]["handlers"]
    assert handlers["console"]["class"] == "logging.StreamHandler"
    assert "Rotating" in handlers["file"]["class"]
    assert handlers["file"]["filename"] == str(tmp_path / "log" / "mylabel.log")
    assert handlers["file"]["backupCount"] >= 1


def test_sentry_dsn_turns_error_reporting_on(tmp_path):
    values = settings_with(tmp_path, SENTRY_DSN="https://public@o0.ingest.sentry.io/1")
    assert values["SENTRY_ACTIVE"] is True


def test_database_url_selects_postgresql_with_a_connection_pool(tmp_path):
    values = settings_with(
        tmp_path, DATABASE_URL="postgres://mylabel:secret@db.internal:5432/mylabel"
    )
    database = values["DATABASE"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "db.internal"
    assert database["NAME"] == "mylabel"
    assert database["OPTIONS"]["pool"]["max_size"] >= database["OPTIONS"]["pool"]["min_size"]
    # psycopg's pool refuses persistent connections.
    assert database["CONN_MAX_AGE"] == 0


def test_redis_url_selects_a_forgiving_redis_cache_and_the_redis_channel_layer(tmp_path):
    values = settings_with(tmp_path, REDIS_URL="redis://cache.internal:6379/2")
    cache = values["CACHES"]["default"]
    # django-redis, keeping rate-limit counters in memory while Redis is down (core/ratelimit).
    assert cache["BACKEND"] == "mylabel.core.ratelimit.RedisCacheWithLocalCounters"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    layer = values["CHANNEL_LAYERS"]["default"]
    assert layer["BACKEND"] == "mylabel.core.channel_layers.RedisChannelLayer"
    assert layer["CONFIG"]["capacity"] == 1000
    assert layer["CONFIG"]["hosts"] == ["redis://cache.internal:6379/2"]


def test_database_tasks_backend_selects_the_worker_queue(tmp_path):
    values = settings_with(tmp_path, TASKS_BACKEND="database")
    assert values["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_unknown_tasks_backend_refuses_to_start(tmp_path):
    result = run_python(["-c", "import django; django.setup()"], tmp_path, TASKS_BACKEND="bogus")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be 'immediate' or 'database'" in result.stderr


def test_email_url_selects_smtp(tmp_path):
    values = settings_with(tmp_path, EMAIL_URL="smtp+tls://mailer:secret@smtp.example.com:587")
    assert values["MAIL"] == {
        "backend": "django.core.mail.backends.smtp.EmailBackend",
        "host": "smtp.example.com",
        "port": 587,
        "use_tls": True,
    }


def test_cloudinary_url_selects_cloudinary_media_storage(tmp_path):
    values = settings_with(tmp_path, CLOUDINARY_URL="cloudinary://key:secret@mylabel")
    assert values["STORAGES"]["default"]["BACKEND"] == "mylabel.core.storage.CloudinaryStorage"


def test_production_serves_hashed_compressed_static_files(tmp_path):
    values = settings_with(tmp_path, **production_env())
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_redis_cache_degrades_to_a_miss_when_redis_is_down():
    # Port 1 is closed: every command fails to connect, which is what an outage looks like.
    down: BaseCache = RedisCache(
        "redis://127.0.0.1:1/0",
        {
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            }
        },
    )
    down.set("greeting", "hello")
    assert down.get("greeting") is None
    assert down.get("greeting", "fallback") == "fallback"


@pytest.mark.redis
def test_redis_cache_round_trips_when_redis_is_up():
    from django.core.cache import cache

    cache.set("greeting", "hello", timeout=5)
    assert cache.get("greeting") == "hello"
