"""/healthz (liveness) and /readyz (readiness) — issue 2 §7."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from mylabel.core import health

# A port nothing listens on: connecting fails at once, like a server that is down.
CLOSED_REDIS_URL = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_head_requests(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_is_ok_when_every_dependency_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok"},
    }


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_fails(client, monkeypatch):
    def refuse(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["database"]
    assert body["checks"]["database"] == "OperationalError"


@pytest.mark.django_db
def test_readyz_names_the_cache_when_its_writes_are_lost(client, settings):
    # The production cache swallows connection errors, so an outage looks like lost writes.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CLOSED_REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    assert response.json()["checks"]["cache"] == "write not readable"


@pytest.mark.django_db
def test_readyz_names_the_channel_layer_when_it_fails(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CLOSED_REDIS_URL]},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["channel_layer"]


def test_cache_check_reports_an_exception_instead_of_raising(monkeypatch):
    class BrokenCache:
        def set(self, *args, **kwargs):
            raise ConnectionError("cache is gone")

    monkeypatch.setattr(health, "cache", BrokenCache())
    assert health.check_cache() == "ConnectionError"


def test_channel_layer_check_reports_a_missing_layer(settings):
    settings.CHANNEL_LAYERS = {}
    assert health.check_channel_layer() == "not configured"
