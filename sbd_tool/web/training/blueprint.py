"""The training blueprint (named ``courses``, under ``/courses``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("courses", __name__, url_prefix="/courses", template_folder="templates")
