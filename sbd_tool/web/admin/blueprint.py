"""The admin blueprint (``admin``, under ``/admin``) and the labels of the roles."""

from __future__ import annotations

from flask import Blueprint

from sbd_tool.web.marks import N_

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
ROLE_LABELS = {
    "officer": N_("調達担当職員"),
    "adviser": N_("CIO補佐官等"),
    "trainer": N_("研修講師"),
    "admin": N_("管理者"),
}
