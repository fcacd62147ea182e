"""The shares blueprint (``shares``): an officer's bidder links and the pages a link opens."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("shares", __name__, template_folder="templates")
