"""Passwords: hashing at the configured cost, what makes a new one unacceptable, and checking one
with exactly one hash check on every path (an unknown name checks a dummy hash of the same cost)."""

from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import gettext
from werkzeug.security import check_password_hash, generate_password_hash

from sbd_tool.web.marks import N_

MIN_PASSWORD = 12
_DUMMY_HASH: dict[str, str] = {}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def password_problem(password: str, username: str) -> str | None:
    """What is wrong with a new password, in words for the user; None when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return gettext("パスワードは%(count)s文字以上にしてください。", count=MIN_PASSWORD)
    if len(password) > 200:
        return N_("パスワードは200文字以内にしてください。")
    if password.strip().lower() == username.strip().lower():
        return N_("利用者名と同じパスワードは使えません。")
    if len(set(password)) < 4:
        return N_("同じ文字の繰り返しが多すぎます。推測されにくいパスワードにしてください。")
    return None


def _dummy_hash() -> str:
    """A real hash at the configured cost, made once per worker, checked for unknown names."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    return _DUMMY_HASH[method]


def password_matches(stored: str | None, password: str) -> bool:
    """One hash check on every path: a missing account checks a dummy hash of the same cost."""
    return check_password_hash(stored or _dummy_hash(), password) and stored is not None
