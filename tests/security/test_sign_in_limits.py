"""Sign-in: no user-name enumeration by timing; attempts counted atomically; no lock-out of others."""

from __future__ import annotations

import sqlite3
import statistics
import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import select

from sbd_tool.storage.models import User
from sbd_tool.web.auth import passwords
from tests.accounts import PASSWORD, add_user, login
from tests.web.conftest import make_app

REAL_COST = "scrypt:16384:8:1"  # close to production's cost, so a skipped hash would show


@pytest.fixture
def costly_app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url, WTF_CSRF_ENABLED=False, TESTING=True, PASSWORD_HASH_METHOD=REAL_COST)
    yield app
    app.extensions["sbd"]["engine"].dispose()


def _medians_ms(client: FlaskClient, names: list[str], rounds: int = 20) -> list[float]:
    """Median time of a failed sign-in per name, the names interleaved so load drift hits all alike."""
    times: list[list[float]] = [[] for _ in names]
    for i in range(rounds):
        for n, username in enumerate(names):
            began = time.perf_counter()
            response = client.post(
                "/login",
                data={"username": username, "password": "wrong password!"},
                environ_base={"REMOTE_ADDR": f"10.9.{n}.{i}"},  # never throttled: one try per address
            )
            times[n].append(time.perf_counter() - began)
            assert response.status_code in (400, 403)
    return [statistics.median(sample) * 1000 for sample in times]


def test_failures_cost_the_same_whether_or_not_the_name_exists(costly_app: Flask) -> None:
    from werkzeug.security import generate_password_hash

    add_user(costly_app, "officer")
    add_user(costly_app, "gone")
    with costly_app.extensions["sbd"]["sessions"]() as session:  # real-cost hashes, as in production
        for who in session.scalars(select(User)):
            who.password_hash = generate_password_hash(PASSWORD, method=REAL_COST)
            who.active = who.username != "gone"
        session.commit()
    client = costly_app.test_client()
    _medians_ms(client, ["warm-up"], rounds=2)
    known, unknown, disabled = _medians_ms(client, ["officer", "nobody-by-this-name", "gone"])
    for other in (unknown, disabled):
        assert abs(other - known) <= 0.2 * known, f"known {known:.1f} ms, unknown {unknown:.1f}, off {disabled:.1f}"


def test_parallel_guesses_check_at_most_the_limit(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(app, "officer")
    checks: list[str] = []
    lock = threading.Lock()
    real = passwords.check_password_hash

    def counting(stored: str, password: str) -> bool:
        with lock:
            checks.append(password)
        time.sleep(0.05)  # widen the window between reserving and recording
        return real(stored, password)

    monkeypatch.setattr(passwords, "check_password_hash", counting)
    statuses: list[int] = []

    def guess(i: int) -> None:
        client = app.test_client()
        response = client.post("/login", data={"username": "officer", "password": f"guess {i}"})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(statuses) == 16
    assert 1 <= len(checks) <= 5, f"{len(checks)} passwords checked for 16 parallel guesses"
    assert statuses.count(429) == 16 - len(checks)


def test_no_transaction_is_open_while_the_hash_runs(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(app, "officer")
    seen: list[str] = []
    real = passwords.check_password_hash
    url = app.config["DATABASE_URL"]

    def probing(stored: str, password: str) -> bool:
        if g.db.in_transaction():
            seen.append("the request's session holds a transaction")
        if url.startswith("sqlite:///"):  # nobody holds SQLite's write lock: another writer gets it at once
            other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
            except sqlite3.OperationalError as error:
                seen.append(f"write lock held: {error}")
            finally:
                other.close()
        return real(stored, password)

    monkeypatch.setattr(passwords, "check_password_hash", probing)
    client = app.test_client()
    assert client.post("/login", data={"username": "officer", "password": "wrong"}).status_code == 400
    login(client, "officer")
    assert seen == []


def test_five_wrong_guesses_do_not_lock_the_owner_out_and_an_admin_can_lift_a_lock(app: Flask) -> None:
    add_user(app, "root", role="admin", org=None)
    attacker = app.test_client()
    away = {"REMOTE_ADDR": "203.0.113.5"}
    for _ in range(6):
        attacker.post("/login", data={"username": "root", "password": "guess"}, environ_base=away)
    right = attacker.post("/login", data={"username": "root", "password": PASSWORD}, environ_base=away)
    assert right.status_code == 429
    owner = app.test_client()
    login(owner, "root")  # from the owner's own address
    # A distributed guess (many addresses) locks the account as a whole; an admin lifts it.
    add_user(app, "officer")
    for i in range(50):
        spread = {"REMOTE_ADDR": f"198.51.100.{i}"}
        attacker.post("/login", data={"username": "officer", "password": "guess"}, environ_base=spread)
    victim = app.test_client()
    assert victim.post("/login", data={"username": "officer", "password": PASSWORD}).status_code == 429
    with app.extensions["sbd"]["sessions"]() as session:
        officer_id = session.scalar(select(User.id).where(User.username == "officer"))
    page = owner.get(f"/admin/users/{officer_id}").data.decode()
    assert "サインイン制限を解除する" in page
    assert owner.post(f"/admin/users/{officer_id}/unlock").status_code == 302
    login(victim, "officer")
