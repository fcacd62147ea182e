"""The app-wide hooks of signing in: the session cookie is ``Secure`` over HTTPS, and before
every view the signed-in user is loaded, a forced password change applied, and the view's access
rule checked."""

from __future__ import annotations

from flask import Flask, g, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.web import access, sessions
from sbd_tool.web.store import db


class HttpsAwareSessions(SecureCookieSessionInterface):
    """The session cookie is ``Secure`` when the request arrived over HTTPS (or when configured)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def _authorise() -> BaseResponse | None:
    """Before every view: who is signed in, a forced password change, then the view's access rule."""
    if request.endpoint == "static":
        return None
    sessions.load_user(db())
    who = g.user
    if who is not None and who.must_change_password and request.endpoint not in ("auth.password", "auth.logout"):
        return redirect(url_for("auth.password"))
    return access.check_request(db())


def init_app(app: Flask) -> None:
    app.session_interface = HttpsAwareSessions()
    app.before_request(_authorise)
