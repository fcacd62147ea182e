"""The web fixtures (app, clients) for the security tests, on both databases."""

from tests.web.conftest import anonymous, app, client

__all__ = ["anonymous", "app", "client"]
