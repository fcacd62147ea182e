"""Web fixtures: the app under the Flask test client, on each database of ``database_url``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sbd_tool.web import create_app
from tests.accounts import TEST_HASH_METHOD, add_user, login
from tests.conftest import CONTENT


def make_app(database_url: str, **config: Any) -> Flask:
    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test",
            "CONTENT_DIR": CONTENT,
            "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
            **config,
        }
    )


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url, WTF_CSRF_ENABLED=False, TESTING=True)
    yield app
    app.extensions["sbd"]["engine"].dispose()


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An officer of テスト省, signed in."""
    add_user(app, "officer")
    client = app.test_client()
    login(client, "officer")
    return client
