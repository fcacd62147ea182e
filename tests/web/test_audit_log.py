"""The audit log: keyset pages that cost the same however deep, and a CSV export that is streamed
and neutralised (issue 16). Functional checks only; the costs are in benchmarks/scale.py."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sbd_tool.storage.models import AuditEvent
from sbd_tool.web.admin import audit_log
from sbd_tool.web.admin.audit_log import csv_cell
from tests.accounts import add_user, login


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    add_user(app, "root", role="admin", org=None)
    client = app.test_client()
    login(client, "root")
    return client


def add_events(app: Flask, count: int, **values: object) -> list[int]:
    with app.extensions["sbd"]["sessions"]() as session:
        events = [
            AuditEvent(
                username=str(values.get("username", f"user{n % 3}")),
                action=str(values.get("action", "export")),
                project_id=n % 7 + 1,
                detail={"n": n},
                address="192.0.2.1",
            )  # fmt: skip
            for n in range(count)
        ]
        session.add_all(events)
        session.commit()
        return [e.id for e in events]


def numbers(page: str) -> list[int]:
    """The ``n`` of each event row shown (from its detail), in order."""
    return [int(n) for n in re.findall(r"<td>n=(\d+)</td>", page)]


def test_pages_follow_ids_both_ways(app: Flask, admin: FlaskClient) -> None:
    ids = add_events(app, 250)
    first = admin.get("/admin/audit").data.decode()
    assert numbers(first) == list(range(249, 149, -1))
    older = re.search(r'href="(/admin/audit\?before=\d+)" rel="next"', first)
    assert older and 'rel="prev"' not in first
    second = admin.get(older.group(1)).data.decode()
    assert numbers(second) == list(range(149, 49, -1))
    third_link = re.search(r'href="(/admin/audit\?before=\d+)" rel="next"', second)
    assert third_link
    third = admin.get(third_link.group(1)).data.decode()
    assert numbers(third) == list(range(49, -1, -1)) and 'rel="next"' not in third
    back = re.search(r'href="(/admin/audit\?after=\d+)" rel="prev"', third)
    assert back
    assert numbers(admin.get(back.group(1).replace("&amp;", "&")).data.decode()) == list(range(149, 49, -1))
    assert numbers(admin.get(f"/admin/audit?after={ids[0] - 1}").data.decode()) == list(range(99, -1, -1))
    assert numbers(admin.get("/admin/audit?before=x").data.decode()) == list(range(249, 149, -1))


def test_filters_are_kept_across_pages(app: Flask, admin: FlaskClient) -> None:
    add_events(app, 330)
    page = admin.get("/admin/audit?user=user1&action=export").data.decode()
    shown = numbers(page)
    assert len(shown) == 100 and all(n % 3 == 1 for n in shown)
    older = re.search(r'href="(/admin/audit\?[^"]+)" rel="next"', page)
    assert older
    link = older.group(1).replace("&amp;", "&")
    assert "user=user1" in link and "action=export" in link and "before=" in link
    rest = numbers(admin.get(link).data.decode())
    assert len(rest) == 10 and all(n % 3 == 1 for n in rest) and set(rest).isdisjoint(shown)
    by_project = numbers(admin.get("/admin/audit?project=3").data.decode())
    assert by_project and all(n % 7 + 1 == 3 for n in by_project)
    assert 'href="/admin/audit.csv?' in page and "user=user1" in page


def test_csv_is_streamed_in_batches(app: Flask, admin: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_log, "BATCH", 40)
    add_events(app, 100)
    response = admin.get("/admin/audit.csv", buffered=False)
    assert response.is_streamed and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename=sbd-audit.csv"
    chunks = list(response.response)
    response.close()
    assert len(chunks) >= 4  # the header at once, then each batch as it is read
    assert chunks[0].startswith("\ufeff".encode()) and chunks[0].count(b"\n") == 1
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert rows[0] == audit_log.HEADER
    assert rows[1][3] == "admin_audit_export"  # logged before the rows are read, so it is the newest
    assert [r[6] for r in rows[1:] if r[3] == "export"] == [f"n={n}" for n in range(99, -1, -1)]
    filtered = admin.get("/admin/audit.csv?user=user2").data.decode("utf-8-sig")
    assert {r[2] for r in list(csv.reader(io.StringIO(filtered)))[1:]} == {"user2"}
    export = admin.get("/admin/audit?action=admin_audit_export").data.decode()
    assert "filters={&#39;user&#39;: &#39;user2&#39;}" in export  # the export is itself logged, with its filters


@pytest.mark.parametrize(
    "value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "＝HYPERLINK()", "＋１", "－１", "＠A1"]
)
def test_formula_cells_are_neutralised(value: str) -> None:
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["案件", "a=b", "1-2", "", None, 42])
def test_other_cells_are_kept(value: object) -> None:
    assert csv_cell(value) == ("" if value is None else str(value))


def test_csv_neutralises_what_users_typed(app: Flask, admin: FlaskClient) -> None:
    for name in ("=cmd|' /C calc'!A0", "＝ＨＹＰＥＲＬＩＮＫ", "-2+3", "@user"):
        add_events(app, 1, username=name)
    rows = list(csv.reader(io.StringIO(admin.get("/admin/audit.csv").data.decode("utf-8-sig"))))
    names = {r[2] for r in rows[1:]}
    assert {"'=cmd|' /C calc'!A0", "'＝ＨＹＰＥＲＬＩＮＫ", "'-2+3", "'@user"} <= names
