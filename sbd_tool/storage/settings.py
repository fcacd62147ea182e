"""The web app's settings: one table, read from the environment once, checked before anything starts.

| variable | default | meaning |
|---|---|---|
| ``DATABASE_URL`` | SQLite file ``instance/sbd-tool.sqlite3`` | ``postgresql://user@host/db`` or ``sqlite:///path`` |
| ``SBD_SECRET_KEY`` | a random key in ``instance/secret_key`` (0600) | signs session cookies and share links |
| ``SBD_IDLE_MINUTES`` | 30 | a session ends after this many idle minutes |
| ``SBD_SESSION_HOURS`` | 12 | a session ends this long after sign-in, however active |
| ``SBD_SECURE_COOKIES`` | 0 | 1: cookies are always ``Secure`` and HSTS is sent (behind an HTTPS proxy) |
| ``SBD_TRUSTED_PROXIES`` | 0 | reverse proxies in front of the app whose ``X-Forwarded-For/Proto`` are trusted |
| ``SBD_SHARE_DAYS_AFTER_REVIEW`` | 30 | an adviser keeps read access this many days after deciding a review |
| ``SBD_CONTENT_DIR`` | the shipped content | a folder with ``questionnaires/`` and ``requirement_sets/`` |
| ``SBD_SMTP_HOST`` | unset: no e-mail is sent | the mail server for notification e-mails (the inbox works without) |
| ``SBD_SMTP_PORT`` | 25 (587 with STARTTLS) | its port |
| ``SBD_SMTP_FROM`` | (required with a host) | the sender address of notification e-mails |
| ``SBD_SMTP_USER`` / ``SBD_SMTP_PASSWORD`` | unset | sign in to the mail server (both or neither) |
| ``SBD_SMTP_STARTTLS`` | 0 | 1: switch to TLS (STARTTLS) before signing in and sending |
| ``SBD_BASE_URL`` | the request's own address | the site's address in e-mail links (``https://sbd.example.go.jp``) |

Set ``SBD_BASE_URL`` wherever e-mail is on: without it a link is built from the address the
request was sent to (its Host header), which a proxy may not check.

A bad value stops the start with one line in Japanese and English (``ConfigError``), never a
traceback; ``sbd-tool serve`` prints it once and exits with status 2.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from sbd_tool.storage.db import database_url


class ConfigError(RuntimeError):
    """A setting or the environment the app needs is wrong; the message says which, in words."""


def _number(name: str, default: float, *, minimum: float, maximum: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(
            f"環境変数 {name} の値「{raw[:40]}」は数値ではありません。 / {name} must be a number, not {raw[:40]!r}."
        ) from None
    if not minimum <= value <= maximum:
        raise ConfigError(
            f"環境変数 {name} は {minimum:g}〜{maximum:g} の範囲で指定してください（指定値: {raw[:40]}）。"
            f" / {name} must be between {minimum:g} and {maximum:g}."
        )
    return value


def _database_url() -> str:
    url = database_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            "環境変数 DATABASE_URL の形式が正しくありません（例: postgresql://user@host/db）。"
            " / DATABASE_URL is malformed (e.g. postgresql://user@host/db)."
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"DATABASE_URL のデータベース「{backend}」には対応していません（SQLite 又は PostgreSQL）。"
            " / DATABASE_URL must name SQLite or PostgreSQL."
        )
    return url


def from_environment() -> dict[str, Any]:
    """The settings from the environment (see the table above), checked."""
    return {
        "DATABASE_URL": _database_url(),
        "IDLE_TIMEOUT_MINUTES": int(_number("SBD_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60)),
        "SESSION_LIFETIME_HOURS": _number("SBD_SESSION_HOURS", 12, minimum=0.1, maximum=24 * 7),
        "SESSION_COOKIE_SECURE": os.environ.get("SBD_SECURE_COOKIES") == "1",
        "TRUSTED_PROXIES": int(_number("SBD_TRUSTED_PROXIES", 0, minimum=0, maximum=5)),
        "SHARE_DAYS_AFTER_REVIEW": _number("SBD_SHARE_DAYS_AFTER_REVIEW", 30, minimum=0, maximum=365),
        **_mail(),
    }


def _mail() -> dict[str, Any]:
    """The SMTP settings (see the table): all None/empty when ``SBD_SMTP_HOST`` is unset."""
    host = os.environ.get("SBD_SMTP_HOST", "").strip()
    starttls = os.environ.get("SBD_SMTP_STARTTLS", "").strip() == "1"
    sender = os.environ.get("SBD_SMTP_FROM", "").strip()
    login = os.environ.get("SBD_SMTP_USER", "").strip()
    password = os.environ.get("SBD_SMTP_PASSWORD", "")
    base = os.environ.get("SBD_BASE_URL", "").strip().rstrip("/")
    if base and not base.startswith(("https://", "http://")):
        raise ConfigError(
            "環境変数 SBD_BASE_URL は https:// 又は http:// で始まるアドレスで指定してください。"
            " / SBD_BASE_URL must start with https:// or http://."
        )
    if host and ("@" not in sender or any(c in sender for c in "\r\n")):
        raise ConfigError(
            "SBD_SMTP_HOST を指定する場合は、送信元アドレスを SBD_SMTP_FROM に指定してください。"
            " / SBD_SMTP_FROM (the sender address) is required with SBD_SMTP_HOST."
        )
    if bool(login) != bool(password):
        raise ConfigError(
            "SBD_SMTP_USER と SBD_SMTP_PASSWORD は両方指定するか、両方とも指定しないでください。"
            " / Set both SBD_SMTP_USER and SBD_SMTP_PASSWORD, or neither."
        )
    port = int(_number("SBD_SMTP_PORT", 587 if starttls else 25, minimum=1, maximum=65535))
    return {
        "SMTP_HOST": host or None,
        "SMTP_PORT": port,
        "SMTP_FROM": sender,
        "SMTP_USER": login or None,
        "SMTP_PASSWORD": password or None,
        "SMTP_STARTTLS": starttls,
        "BASE_URL": base or None,
    }


def secret_key(instance: Path) -> str:
    """``SBD_SECRET_KEY``, else a random key kept in the instance folder (shared by workers).

    The file is created 0600 in one step (never readable by others, even briefly); an existing
    file readable by others is tightened to 0600 if we own it, else refused.
    """
    if os.environ.get("SBD_SECRET_KEY"):
        return os.environ["SBD_SECRET_KEY"]
    path = instance / "secret_key"
    try:
        instance.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _create_private(path, secrets.token_hex(32))
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            try:
                path.chmod(0o600)
            except PermissionError:
                raise ConfigError(
                    f"{path} を他の利用者が読める状態です（権限 {mode:o}）。chmod 600 で修正してください。"
                    f" / {path} is readable by others (mode {mode:o}); run chmod 600 on it."
                ) from None
        return path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ConfigError(
            f"インスタンスフォルダ {instance} に書き込めません（{error.strerror}）。書込み権限を確認するか、"
            f"SBD_SECRET_KEY を設定してください。 / Cannot write the instance folder {instance}: {error.strerror}."
        ) from None


def _create_private(path: Path, text: str) -> None:
    """Write ``text`` to a new file that is 0600 from the moment it exists; a racing writer wins cleanly."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, text.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)  # fails if another worker created it first: theirs is kept
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
