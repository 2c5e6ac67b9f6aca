"""Fixtures for the directory tests. ``@pytest.mark.postgres`` tests here are skipped unless the
database really is PostgreSQL (CI runs the suite on both SQLite and PostgreSQL)."""

from pathlib import Path

import pytest
from django.db import connection

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor == "postgresql":
        return
    for item in items:
        if HERE in Path(item.path).parents and "postgres" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://…)"))
