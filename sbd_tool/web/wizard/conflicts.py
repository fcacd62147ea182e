"""Two tabs saved the same project: what differs, field by field, between the user's input and the
version saved meanwhile (who changed what since the version the user started from), and the
choice made on the conflict page (keep mine, take theirs, merge per field). Shared by the step
pages (``saving``) and step 6's clause page (``clauses``); each page says how its form is stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, request
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.compare.revision_diff import diff_revisions
from sbd_tool.compare.revision_merge import merge_documents
from sbd_tool.storage.models import Project
from sbd_tool.web.access import user
from sbd_tool.web.store import db, delete_draft, get_revision_or_none

# The answers with what the user typed stored into them (the page's own storing, on any version).
Store = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class ConflictField:
    """One field of the page whose saved value differs from what the user typed."""

    where: str  # revision_diff's key: project.name, tasks.T2.name, answers.network, tailoring.AT-1.…
    label: str
    theirs: str  # the saved value, readable
    mine: str  # the user's input, readable
    changed_by: str  # "mine", "theirs" or "both": who changed it since the version the user started from
    pick: str  # the preselected choice: "mine" where the user changed it, else "theirs"


def conflict_view(cat: Any, project: Project, started: str, store: Store | None) -> dict[str, Any]:
    """What the conflict page shows: the version saved meanwhile, its author, and each field where
    the user's input (stored by ``store`` into the saved answers) differs from it, attributed
    against the version the user started from (``started``, the form's version). ``store`` None:
    the input cannot be stored (it has errors), so nothing can be compared."""
    saved = get_revision_or_none(project, project.version)
    view: dict[str, Any] = {
        "version": project.version,
        "author": saved.author.display_name if saved is not None and saved.author else "",
        "fields": [],
        "invalid": store is None,
    }
    if store is None:
        return view  # what cannot be stored cannot be compared; the errors show on the fields
    changes = diff_revisions(cat, project.answers, store(project.answers)).fields
    base = get_revision_or_none(project, int(started)) if started.isdigit() else None
    mine_changed: set[str] = set()
    theirs_changed: set[str] = set()
    if base is not None:
        mine_changed = {c.where for c in diff_revisions(cat, base.answers, store(base.answers)).fields}
        theirs_changed = {c.where for c in diff_revisions(cat, base.answers, project.answers).fields}
    for c in changes:
        by = "both" if {c.where} <= mine_changed & theirs_changed else "mine" if c.where in mine_changed else "theirs"
        if base is None:
            by = ""
        pick = "theirs" if by == "theirs" else "mine"
        view["fields"].append(ConflictField(c.where, c.label, c.before, c.after, by, pick))
    return view


def conflict_choice(project: Project, action: str) -> str | None:
    """The choice made on the conflict page (``mine``, ``theirs`` or ``merge``); None when the page
    was about an older version than the saved one (saved again meanwhile: show the new differences)."""
    if request.form.get("conflict_base", "") != str(project.version):
        return None
    return action.removeprefix("conflict:")


def take_theirs(project: Project, draft_key: str, url: str) -> BaseResponse:
    """The saved version is taken: the user's input (and draft) is dropped, the page reloads."""
    delete_draft(project, draft_key, user())
    db().commit()
    flash(gettext("保存済みの内容を表示しています（この画面の入力は破棄しました）。"), "success")
    return redirect(url)


def merged_answers(cat: Any, project: Project, mine: dict[str, Any]) -> dict[str, Any]:
    """The saved answers with each differing field taken from ``mine`` (the user's input) unless
    the page's ``pick:<where>`` radio chose the saved value (a field without a pick keeps the input)."""
    changes = diff_revisions(cat, project.answers, mine).fields
    take = [c.where for c in changes if request.form.get(f"pick:{c.where}", "mine") != "theirs"]
    return merge_documents(project.answers, mine, take)


def kept_mine_note() -> str:
    return gettext("あなたの入力で上書きして保存しました（新しい版）。")


def merged_note() -> str:
    return gettext("選んだとおりに統合して保存しました（新しい版）。")
