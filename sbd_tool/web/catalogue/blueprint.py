"""The catalogue blueprint (``catalogue``): the admin's release pages and a project's update page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("catalogue", __name__, template_folder="templates")
