"""The audit log for administrators: viewable with filters, exportable as CSV.

Moved out of ``admin.py`` (issue 16) so the audit views can change without touching the
account views; the URLs are unchanged (``/admin/audit``, ``/admin/audit.csv``).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, render_template, request
from sqlalchemy import select

from sbd_tool.storage.models import AuditEvent
from sbd_tool.web import audit
from sbd_tool.web.access import rule
from sbd_tool.web.downloads import attachment
from sbd_tool.web.store import db

bp = Blueprint("audit_log", __name__, url_prefix="/admin")
PAGE = 100


def _audit_query(args: Any) -> Any:
    query = select(AuditEvent)
    if args.get("action"):
        query = query.where(AuditEvent.action == args["action"])
    if args.get("user"):
        query = query.where(AuditEvent.username == args["user"])
    if (args.get("project") or "").isdigit():
        query = query.where(AuditEvent.project_id == int(args["project"]))
    return query.order_by(AuditEvent.id.desc())


@bp.get("/audit")
@rule("admin")
def audit_log() -> str:
    page = max(int(request.args["page"]) if request.args.get("page", "").isdigit() else 1, 1)
    events = list(db().scalars(_audit_query(request.args).offset((page - 1) * PAGE).limit(PAGE + 1)))
    return render_template(
        "admin/audit.html",
        events=events[:PAGE],
        more=len(events) > PAGE,
        page=page,
        actions=audit.ACTIONS,
        args=request.args,
    )


def _csv_cell(value: Any) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/audit.csv")
@rule("admin")
def audit_csv() -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "日時(UTC)", "利用者", "操作", "操作名", "案件", "詳細", "接続元"])
    for e in db().scalars(_audit_query(request.args)):
        detail = ", ".join(f"{k}={v}" for k, v in (e.detail or {}).items())
        row = [e.id, e.at.isoformat(), e.username, e.action, audit.ACTIONS.get(e.action, e.action),
               e.project_id or "", detail, e.address]  # fmt: skip
        writer.writerow([_csv_cell(v) for v in row])
    audit.record(db(), "admin_audit_export")
    db().commit()
    return attachment("\ufeff" + out.getvalue(), "sbd-audit.csv")  # BOM: Excel opens UTF-8 CSV correctly
