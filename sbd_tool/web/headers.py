"""Response headers every page gets: no sniffing, no framing, a strict CSP, HSTS on HTTPS, and
no shared caching of a signed-in user's pages."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from werkzeug.wrappers import Response as BaseResponse

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def security_headers(response: BaseResponse) -> BaseResponse:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", CSP)
    if current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if g.get("user") is not None:  # pages with a user's data are not kept by shared caches
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(security_headers)
