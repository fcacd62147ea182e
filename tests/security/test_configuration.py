"""Bad configuration: one clear line and an exit status, never a traceback; the secret key file
is private from the moment it exists; HSTS, trusted proxies and token-free access logs."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from sbd_tool.storage import settings
from sbd_tool.web.logredact import RedactingFilter, RedactingGunicornLogger, redact
from tests.accounts import add_user
from tests.conftest import ROOT
from tests.web.conftest import make_app

CLI = [sys.executable, "-c", "from sbd_tool.main import main; main()"]


def _serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("SBD_") and k != "DATABASE_URL"}
    return subprocess.run(
        [*CLI, "serve", "--port", "1", *args],
        env={**full, "SBD_SECRET_KEY": "x" * 32, **env},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"SBD_IDLE_MINUTES": "thirty"}, "SBD_IDLE_MINUTES"),
        ({"SBD_SESSION_HOURS": "-1"}, "SBD_SESSION_HOURS"),
        ({"DATABASE_URL": "this is not a url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://u@localhost/db"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"}, "データベースに接続できません"),
    ],
)
def test_bad_settings_stop_with_one_line(env: dict[str, str], says: str) -> None:
    done = _serve(env)
    assert done.returncode == 2
    assert says in done.stderr and "Traceback" not in done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip()]) == 1, done.stderr


def test_not_migrated_is_said_once_with_several_workers(tmp_path: Path) -> None:
    done = _serve({"DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}, "--workers", "3")
    assert done.returncode == 2
    assert done.stderr.count("エラー") == 1 and "db upgrade" in done.stderr and "Traceback" not in done.stderr


def test_the_secret_key_file_is_private_from_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SBD_SECRET_KEY", raising=False)
    old = os.umask(0)  # the most permissive umask: the file must still be 0600
    try:
        key = settings.secret_key(tmp_path / "instance")
    finally:
        os.umask(old)
    path = tmp_path / "instance" / "secret_key"
    assert len(key) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"], "no temporary file left behind"
    assert settings.secret_key(tmp_path / "instance") == key


def test_a_world_readable_secret_key_is_tightened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SBD_SECRET_KEY", raising=False)
    path = tmp_path / "secret_key"
    path.write_text("k" * 64, encoding="utf-8")
    path.chmod(0o644)
    assert settings.secret_key(tmp_path) == "k" * 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_hsts_when_cookies_are_secure(database_url: str) -> None:
    app = make_app(database_url, WTF_CSRF_ENABLED=False, TESTING=True, SESSION_COOKIE_SECURE=True)
    assert app.test_client().get("/login").headers.get("Strict-Transport-Security") == "max-age=31536000"
    app.extensions["sbd"]["engine"].dispose()
    plain = make_app(database_url, WTF_CSRF_ENABLED=False, TESTING=True)
    assert "Strict-Transport-Security" not in plain.test_client().get("/login").headers
    assert "Strict-Transport-Security" in plain.test_client().get("/login", base_url="https://localhost").headers
    plain.extensions["sbd"]["engine"].dispose()


def test_the_address_limit_sees_the_client_behind_a_trusted_proxy(database_url: str) -> None:
    app = make_app(database_url, WTF_CSRF_ENABLED=False, TESTING=True, TRUSTED_PROXIES=1)
    add_user(app, "officer")
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for i in range(20):  # twenty guesses from one client behind the proxy
        client.post("/login", data={"username": f"g{i}", "password": "x"}, environ_base=proxy,
                    headers={"X-Forwarded-For": "198.51.100.7"})  # fmt: skip
    blocked = client.post("/login", data={"username": "officer", "password": "correct horse battery"},
                          environ_base=proxy, headers={"X-Forwarded-For": "198.51.100.7"})  # fmt: skip
    assert blocked.status_code == 429
    other = app.test_client()
    login_ok = other.post("/login", data={"username": "officer", "password": "correct horse battery"},
                          environ_base=proxy, headers={"X-Forwarded-For": "198.51.100.8"})  # fmt: skip
    assert login_ok.status_code == 302, "another client behind the same proxy is not blocked"
    app.extensions["sbd"]["engine"].dispose()


def test_proxy_headers_are_ignored_unless_trusted(app: Flask) -> None:
    add_user(app, "officer")
    client = app.test_client()
    for i in range(20):
        client.post("/login", data={"username": f"g{i}", "password": "x"}, headers={"X-Forwarded-For": f"192.0.2.{i}"})
    assert client.post("/login", data={"username": "officer", "password": "correct horse battery"}).status_code == 429


def test_access_logs_never_carry_a_bidder_token() -> None:
    assert (
        redact("GET /bid/eyJsIjo.secret-part/compliance.xlsx HTTP/1.1")
        == "GET /bid/[redacted]/compliance.xlsx HTTP/1.1"
    )
    record = logging.LogRecord(
        "werkzeug", logging.INFO, "", 0, '%s - "%s" %s', ("1.2.3.4", "GET /bid/abc.def HTTP/1.1", "200"), None
    )
    RedactingFilter().filter(record)
    assert "abc.def" not in record.getMessage()
    from types import SimpleNamespace

    from gunicorn.config import Config

    logger = RedactingGunicornLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/bid/abc.def", "PATH_INFO": "/bid/abc.def", "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_REFERER": "https://x/bid/abc.def"}  # fmt: skip
    atoms = logger.atoms(SimpleNamespace(status="200 OK", sent=10, headers=[]), SimpleNamespace(headers=[]), environ,
                         SimpleNamespace(seconds=0, microseconds=1))  # fmt: skip
    assert "abc.def" not in f"{atoms['r']} {atoms['U']} {atoms['f']}"


def test_csrf_tokens_expire_with_the_session(database_url: str) -> None:
    app = make_app(database_url, TESTING=True, SESSION_LIFETIME_HOURS=2)
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 7200
    app.extensions["sbd"]["engine"].dispose()
