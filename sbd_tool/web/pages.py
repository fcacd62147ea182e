"""What every page's template gets: the signed-in user, the project's banners (review state, a
newer catalogue), the steps, and the filters and helpers the templates call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, g

from sbd_tool.dates import japan_time
from sbd_tool.engine import explain
from sbd_tool.web import releases, render
from sbd_tool.web.admin.blueprint import ROLE_LABELS
from sbd_tool.web.banners import review_summary
from sbd_tool.web.store import catalogue, db


def datetime_ja(moment: dt.datetime | None) -> str:
    """A stored (UTC) time as Japan time, e.g. ``2026-11-27 20:05``."""
    return "" if moment is None else japan_time(moment).strftime("%Y-%m-%d %H:%M")


def _review_status() -> dict[str, Any] | None:
    """Review state of the project the request is about (for the banner on its pages)."""
    project = g.get("project")
    if project is None or g.get("user") is None:
        return None
    latest, approved, comments = review_summary(project)  # one query (issue 16)
    if approved is None and latest is None and not comments:
        return None
    return {
        "project_id": project.id,
        "version": project.version,
        "approved": approved,
        "latest": latest,
        "stale": approved is not None and approved.revision_number != project.version,
        "open_comments": comments,
    }


def _catalogue_update() -> dict[str, Any] | None:
    project = g.get("project")
    if project is None or g.get("user") is None:
        return None
    return releases.update_status(db(), project)


def page_context() -> dict[str, Any]:
    return {
        "current_user": g.get("user"),
        "role_labels": ROLE_LABELS,
        "review_status": _review_status(),
        "catalogue_update": _catalogue_update(),
        "steps": catalogue().steps.steps,
    }


def init_app(app: Flask) -> None:
    app.context_processor(page_context)
    app.jinja_env.filters["datetime_ja"] = datetime_ja
    app.jinja_env.globals.update(
        value_label=explain.value_label,
        condition_sentence=explain.condition_sentence,
        requirement_reasons=explain.requirement_reasons,
        derivation_note=explain.derivation_note,
        render=render.render_field,
        choice_list=render.choice_list,
    )
