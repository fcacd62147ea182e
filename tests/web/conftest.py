"""Web fixtures: the app under the Flask test client, on each database of ``database_url``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sbd_tool.content import load_catalogue
from sbd_tool.web import create_app
from tests.accounts import TEST_HASH_METHOD, add_user, login
from tests.conftest import CONTENT

SHIPPED = load_catalogue(CONTENT)


def make_app(database_url: str, **config: Any) -> Flask:
    """The app on ``database_url``, handed the shipped catalogue already loaded (unless a test
    names its own content folder)."""
    settings = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test",
        "CONTENT_DIR": CONTENT,
        "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
        **config,
    }
    return create_app(settings, catalogue=SHIPPED if settings["CONTENT_DIR"] == CONTENT else None)


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
