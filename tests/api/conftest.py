"""API clients for the personas: ``api_as(user)`` sends a real token the way clients do."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from mylabel.accounts.models import User
from mylabel.api.services import create_api_token


@pytest.fixture
def api_client() -> APIClient:
    """Anonymous."""
    return APIClient()


@pytest.fixture
def api_as(db) -> Callable[[User], APIClient]:
    """A client authenticated with a fresh API token of ``user``."""

    def make(user: User) -> APIClient:
        _token, key = create_api_token(user=user, name="tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def artist_api(api_as, artist: User) -> APIClient:
    return api_as(artist)


@pytest.fixture
def associate_api(api_as, associate: User) -> APIClient:
    return api_as(associate)


@pytest.fixture
def stranger_api(api_as, outsider: User) -> APIClient:
    return api_as(outsider)


@pytest.fixture
def admin_api(api_as, label_admin: User) -> APIClient:
    return api_as(label_admin)
