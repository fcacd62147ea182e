"""The review blueprint (``review``, under ``/projects/<id>``) and the labels of a review's states."""

from __future__ import annotations

from flask import Blueprint

from sbd_tool.web.marks import N_

bp = Blueprint("review", __name__, url_prefix="/projects/<int:project_id>", template_folder="templates")
STATUS_LABELS = {
    "pending": N_("レビュー中"),
    "approved": N_("承認済み"),
    "returned": N_("差戻し"),
    "superseded": N_("再依頼により終了"),
}
