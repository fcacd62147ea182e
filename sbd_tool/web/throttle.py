"""Sign-in throttling, counted atomically in the database (shared by every worker).

An attempt is *reserved* before the password is checked, in a short transaction of its own
that locks the counter rows (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers
and the ``INSERT … ON CONFLICT DO NOTHING`` that opens the transaction takes its write lock).
So parallel guesses can never check more passwords than the limit, and no transaction is held
open while the (deliberately slow) hash runs.

Three counters per attempt:

- ``pair:<name>|<address>``: 5 attempts per 15 minutes for one account from one address; past
  it, that address waits 1, 2, 4, 8, then 15 minutes (growing delay). Another address is not
  affected, so nobody can lock an administrator out from their own machine.
- ``addr:<address>``: 20 attempts per 15 minutes from one address, whatever the account.
- ``user:<name>``: 50 attempts per 15 minutes for one account from all addresses together (a
  distributed guess); past it, the account waits 15 minutes unless an administrator lifts the
  lock (利用者の編集 → サインイン制限を解除, or ``sbd-tool unlock-user NAME``).

A successful sign-in clears the account's counters for that address and the account-wide one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sbd_tool.storage.models import LoginThrottle, utcnow

WINDOW = dt.timedelta(minutes=15)
MAX_DELAY = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Limit:
    attempts: int
    growing: bool  # True: each lock doubles the delay (from one minute); False: MAX_DELAY at once


LIMITS = {"pair": Limit(5, growing=True), "addr": Limit(20, growing=False), "user": Limit(50, growing=False)}


def keys(name: str, address: str) -> list[str]:
    """The counter keys of one attempt, sorted (rows are always locked in the same order)."""
    folded = name.strip().lower()[:120]
    return sorted([f"pair:{folded}|{address[:64]}", f"addr:{address[:64]}", f"user:{folded}"])


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite hands back naive UTC
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _lock_rows(session: Session, names: list[str]) -> list[LoginThrottle]:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    for key in names:
        statement = insert(LoginThrottle).values(key=key, attempts=0, window_start=now, lockouts=0)
        session.execute(statement.on_conflict_do_nothing(index_elements=["key"]))
    query = select(LoginThrottle).where(LoginThrottle.key.in_(names)).order_by(LoginThrottle.key)
    return list(session.scalars(query.with_for_update()))


def reserve(session: Session, names: list[str]) -> dt.timedelta | None:
    """Count one attempt on every key, or refuse: None when allowed, else how long to wait.

    Commits (or rolls back) its own transaction; call it with a session that holds nothing else.
    """
    try:
        rows = _lock_rows(session, names)
        now = utcnow()
        waits = []
        for row in rows:
            limit = LIMITS[row.key.split(":", 1)[0]]
            locked_until = _aware(row.locked_until)
            if locked_until is not None and locked_until > now:
                waits.append(locked_until - now)
                continue
            if _aware(row.window_start) < now - WINDOW:  # type: ignore[operator]
                row.attempts, row.window_start = 0, now
            if row.attempts >= limit.attempts:  # others' attempts are in flight
                waits.append(dt.timedelta(minutes=1))
        if waits:
            session.rollback()
            return max(waits)
        for row in rows:
            row.attempts += 1
        session.commit()
        return None
    except BaseException:
        session.rollback()
        raise


def failed(session: Session, names: list[str]) -> None:
    """After a wrong password: lock every counter that has reached its limit (own transaction)."""
    rows = _lock_rows(session, names)
    now = utcnow()
    for row in rows:
        limit = LIMITS[row.key.split(":", 1)[0]]
        if row.attempts >= limit.attempts:
            delay = min(dt.timedelta(minutes=2**row.lockouts), MAX_DELAY) if limit.growing else MAX_DELAY
            row.locked_until, row.lockouts = now + delay, row.lockouts + 1
            row.attempts, row.window_start = 0, now
    session.commit()


def succeeded(session: Session, name: str, address: str) -> None:
    """After the right password: the account's counters start again (not the address's)."""
    names = [key for key in keys(name, address) if not key.startswith("addr:")]
    session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(names)))


def lift(session: Session, name: str) -> int:
    """An administrator lifts every lock on an account (all addresses); the number of counters cleared."""
    result = session.execute(delete(LoginThrottle).where(_account_keys(name)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def locked(session: Session, name: str) -> bool:
    """Whether any counter of the account is locked now (shown on the admin's user page)."""
    query = select(LoginThrottle.locked_until).where(_account_keys(name))
    now = utcnow()
    return any((_aware(moment) or now) > now for moment in session.scalars(query))


def _account_keys(name: str) -> ColumnElement[bool]:
    folded = name.strip().lower()[:120]
    pattern = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "|%"
    return (LoginThrottle.key == f"user:{folded}") | LoginThrottle.key.like(f"pair:{pattern}", escape="\\")
