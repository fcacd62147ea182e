"""Lists whose cost must not grow with the data: the projects list and a project's history.

Both read only the columns they show (never a project's or a revision's answers), one page at a
time (``PER_PAGE`` rows), with the filters in SQL: the projects list by name and by review state
(the state of the project's latest review), the same visibility rule as ``store.visible_projects``.
Progress is the stored ``Project.steps_done``; rows saved before it existed are graded as shown.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import request, url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sbd_tool.storage.models import Project, Review, Revision, User
from sbd_tool.web import releases
from sbd_tool.web.marks import N_
from sbd_tool.web.progress import steps_done
from sbd_tool.web.store import db, visible_to

PER_PAGE = 50
MAX_QUERY = 200  # characters of the name search (names are at most 200)
# The review-state filter: the status of a project's latest review.
REVIEW_STATES = {"pending": N_("依頼中"), "returned": N_("差戻し"), "approved": N_("承認済み")}

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, its number (from 1) and how many pages there are."""

    items: Sequence[T]
    number: int
    pages: int
    total: int
    param: str  # the query parameter that carries the page number

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers to link: first, last and two either side of this one (None = gap)."""
        wanted = {1, self.pages, *range(self.number - 2, self.number + 3)}
        shown = sorted(n for n in wanted if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def page_url(param: str, number: int) -> str:
    """This page's address with another page number, keeping every other query parameter."""
    args = request.args.to_dict()
    args.pop(param, None)
    if number > 1:
        args[param] = str(number)
    values: dict[str, Any] = {**(request.view_args or {}), **args}
    return url_for(str(request.endpoint), **values)


def page_number(args: Mapping[str, Any], param: str) -> int:
    text = str(args.get(param) or "")
    return max(1, min(int(text), 1_000_000)) if text.isdigit() else 1


def _paged(
    session: Session, query: Select[*tuple[Any, ...]], count: Select[Any], args: Mapping[str, Any], param: str
) -> Page[Any]:
    total = int(session.scalar(count) or 0)
    pages = max(1, math.ceil(total / PER_PAGE))
    number = min(page_number(args, param), pages)
    rows = list(session.execute(query.offset((number - 1) * PER_PAGE).limit(PER_PAGE)))
    return Page(rows, number, pages, total, param)


# ---------------------------------------------------------------- projects


@dataclass(frozen=True)
class ProjectRow:
    id: int
    name: str
    updated_at: dt.datetime
    model_answer: bool
    done: int  # steps done, of seven
    review_state: str | None  # status of the latest review (pending, returned, approved, superseded)


def search_text(args: Mapping[str, Any]) -> str:
    return str(args.get("q") or "").strip()[:MAX_QUERY]


def review_filter(args: Mapping[str, Any]) -> str:
    state = str(args.get("state") or "")
    return state if state in REVIEW_STATES else ""


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def project_page(who: User, kind: str, args: Mapping[str, Any], param: str = "page") -> Page[ProjectRow]:
    """One page of the projects of ``kind`` the user may see, newest change first, searched and
    filtered as ``args`` say (``q``: part of the name; ``state``: a key of ``REVIEW_STATES``)."""
    latest_review = (
        select(Review.status)
        .where(Review.project_id == Project.id)
        .order_by(Review.id.desc())
        .limit(1)
        .correlate(Project)
        .scalar_subquery()
    )
    where = [Project.deleted_at.is_(None), visible_to(who), Project.kind == kind]
    text = search_text(args)
    if text:
        where.append(Project.name.ilike(_like(text), escape="\\"))
    state = review_filter(args)
    if state:
        where.append(latest_review == state)
    columns = (Project.id, Project.name, Project.updated_at, Project.model_answer, Project.steps_done)
    query = select(*columns, latest_review.label("review_state")).where(*where)
    query = query.order_by(Project.updated_at.desc(), Project.id.desc())
    count = select(func.count()).select_from(Project).where(*where)
    session = db()
    found = _paged(session, query, count, args, param)
    graded = _grade_unsaved(session, [r.id for r in found.items if r.steps_done is None])
    rows = [
        ProjectRow(r.id, r.name, r.updated_at, r.model_answer, graded.get(r.id, r.steps_done or 0), r.review_state)
        for r in found.items
    ]
    return Page(rows, found.number, found.pages, found.total, param)


def _grade_unsaved(session: Session, ids: list[int]) -> dict[int, int]:
    """Progress of rows stored before ``steps_done`` existed (or written outside the app):
    graded from their answers, only for the rows on this page."""
    if not ids:
        return {}
    query = select(Project.id, Project.answers, Project.visited, Project.content_version).where(Project.id.in_(ids))
    graded = {}
    for row in session.execute(query):
        catalogue = releases.by_version(session, row.content_version) or releases.active(session)
        graded[row.id] = steps_done(catalogue, row.answers or {}, row.visited or {})
    return graded


def open_url(who: User, project_id: int) -> str:
    """Where a project's name and 「開く」 lead on the list: a page this user may open. Advisers
    read and decide on the review page (the wizard's steps are for those who edit)."""
    if who.role == "adviser":
        return url_for("review.review", project_id=project_id)
    return url_for("wizard.step", project_id=project_id, step="purpose")


def project_names(ids: list[int]) -> dict[int, str]:
    """Names of some projects (for the adviser's list of review requests), nothing else."""
    if not ids:
        return {}
    return {row.id: row.name for row in db().execute(select(Project.id, Project.name).where(Project.id.in_(ids)))}


# ---------------------------------------------------------------- history


@dataclass(frozen=True)
class RevisionRow:
    number: int
    created_at: dt.datetime
    step: str | None
    author_name: str | None


def revision_page(project: Project, args: Mapping[str, Any], param: str = "page") -> Page[RevisionRow]:
    """One page of a project's revisions, newest first, without their answers."""
    query = (
        select(Revision.number, Revision.created_at, Revision.step, User.display_name)
        .outerjoin(User, User.id == Revision.author_id)
        .where(Revision.project_id == project.id)
        .order_by(Revision.number.desc())
    )
    count = select(func.count()).select_from(Revision).where(Revision.project_id == project.id)
    found = _paged(db(), query, count, args, param)
    rows = [RevisionRow(r.number, r.created_at, r.step, r.display_name) for r in found.items]
    return Page(rows, found.number, found.pages, found.total, param)
