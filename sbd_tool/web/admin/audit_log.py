"""The audit log for administrators: viewable with filters a page at a time, exportable as CSV.

Kept apart from the account views (issue 16) so the audit views can change without touching the
account views; the URLs are unchanged (``/admin/audit``, ``/admin/audit.csv``).

The log only grows, so neither view may cost more as it does:

- The page is keyset-paginated: ``before=<id>`` shows the ``PAGE`` newest events older than
  that id, ``after=<id>`` the ``PAGE`` oldest newer than it. Every filter is an equality that an
  index ``(column, id)`` serves (migration 0007), so a page is an index range scan wherever it is.
- The CSV is streamed: rows are read from a server-side cursor in batches (``yield_per``) and
  written out batch by batch, so the worker's memory stays flat and the first bytes leave at once.
  Cells that a spreadsheet would run as a formula are neutralised (``csv_cell``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from flask import Blueprint, Response, render_template, request, stream_with_context
from sqlalchemy import Select, select

from sbd_tool.storage.models import AuditEvent
from sbd_tool.web import audit
from sbd_tool.web.access import rule
from sbd_tool.web.downloads import MEDIA_TYPES
from sbd_tool.web.store import db

bp = Blueprint("audit_log", __name__, url_prefix="/admin", template_folder="templates")
PAGE = 100
BATCH = 1000  # rows per fetch and per chunk of the CSV
FILTERS = ("action", "user", "project")
HEADER = ["id", "日時(UTC)", "利用者", "操作", "操作名", "案件", "詳細", "接続元"]


def _filters(args: Mapping[str, Any]) -> dict[str, str]:
    """The filters given (and valid): what the page's links and the CSV link carry on."""
    found = {key: str(args.get(key) or "").strip() for key in FILTERS}
    if not found["project"].isdigit():
        found["project"] = ""
    return {key: value for key, value in found.items() if value}


def _filtered(query: Select[Any], filters: Mapping[str, str]) -> Select[Any]:
    if "action" in filters:
        query = query.where(AuditEvent.action == filters["action"])
    if "user" in filters:
        query = query.where(AuditEvent.username == filters["user"])
    if "project" in filters:
        query = query.where(AuditEvent.project_id == int(filters["project"]))
    return query


def _position(args: Mapping[str, Any], key: str) -> int | None:
    text = str(args.get(key) or "")
    return int(text) if text.isdigit() and len(text) < 19 else None


@bp.get("/audit")
@rule("admin")
def audit_log() -> str:
    filters = _filters(request.args)
    before, after = _position(request.args, "before"), _position(request.args, "after")
    query = _filtered(select(AuditEvent), filters)
    if after is not None:  # going back towards the newest: read upwards, show newest first
        rows = list(db().scalars(query.where(AuditEvent.id > after).order_by(AuditEvent.id).limit(PAGE + 1)))
        newer = len(rows) > PAGE
        events = list(reversed(rows[:PAGE]))
        older = True
    else:
        if before is not None:
            query = query.where(AuditEvent.id < before)
        rows = list(db().scalars(query.order_by(AuditEvent.id.desc()).limit(PAGE + 1)))
        events = rows[:PAGE]
        older = len(rows) > PAGE
        newer = before is not None
    return render_template(
        "admin/audit.html",
        events=events,
        newer_than=events[0].id if newer and events else None,
        older_than=events[-1].id if older and events else None,
        paged=before is not None or after is not None,
        filters=filters,
        actions=audit.ACTIONS,
        args=request.args,
    )


# Characters that make a spreadsheet read a cell as a formula (or hide what follows): the ASCII
# ones, their full-width forms (Japanese input methods produce them, and spreadsheets accept
# them as the ASCII ones), and a leading tab, carriage return or line feed.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")


def csv_cell(value: Any) -> str:
    """A cell that a spreadsheet will not run as a formula: such a cell starts with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _detail(detail: Any) -> str:
    return ", ".join(f"{k}={v}" for k, v in (detail or {}).items())


def csv_chunks(query: Select[Any]) -> Iterator[bytes]:
    """The CSV as UTF-8 chunks: the header at once, then one chunk per ``BATCH`` rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    yield ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV correctly
    names = audit.ACTIONS
    result = db().execute(query.execution_options(yield_per=BATCH, stream_results=True))
    for batch in result.partitions():
        out.seek(0)
        out.truncate()
        for e in batch:
            row = (e.id, e.at.isoformat(), e.username, e.action, names.get(e.action, e.action),
                   e.project_id or "", _detail(e.detail), e.address)  # fmt: skip
            writer.writerow([csv_cell(v) for v in row])
        yield out.getvalue().encode("utf-8")


@bp.get("/audit.csv")
@rule("admin")
def audit_csv() -> Response:
    """Every event the filters select, newest first, streamed (see the module's docstring)."""
    filters = _filters(request.args)
    columns = (AuditEvent.id, AuditEvent.at, AuditEvent.username, AuditEvent.action, AuditEvent.project_id,
               AuditEvent.detail, AuditEvent.address)  # fmt: skip
    query = _filtered(select(*columns), filters).order_by(AuditEvent.id.desc())
    detail: dict[str, Any] = {"filters": filters} if filters else {}
    audit.record(db(), "admin_audit_export", **detail)
    db().commit()
    return Response(
        stream_with_context(csv_chunks(query)),
        mimetype=MEDIA_TYPES["csv"],
        headers={"Content-Disposition": "attachment; filename=sbd-audit.csv", "X-Accel-Buffering": "no"},
    )
