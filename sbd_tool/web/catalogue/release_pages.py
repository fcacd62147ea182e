"""The admin's pages of catalogue releases: the active catalogue and the releases, importing a
release (checked before it is stored), one release's page, activating and exporting one."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.compare.drift import drift
from sbd_tool.compare.drift_report import cloud_sentences, requirement_sentence
from sbd_tool.content.bundle import BundleError, zip_files
from sbd_tool.document.blocks import CLOUD_CHAPTER
from sbd_tool.storage import releases as store
from sbd_tool.storage.models import CatalogueRelease, Project
from sbd_tool.storage.releases import CheckedRelease, check_bundle
from sbd_tool.web import audit, releases
from sbd_tool.web.access import rule, user
from sbd_tool.web.catalogue.blueprint import bp
from sbd_tool.web.catalogue.forms import MAX_ZIP, ImportForm
from sbd_tool.web.downloads import attachment
from sbd_tool.web.store import catalogue_for, db


def _release(release_id: int) -> CatalogueRelease:
    found = db().get(CatalogueRelease, release_id)
    if found is None:
        abort(404)
    return found


def _pinned_counts() -> dict[str | None, int]:
    query = select(Project.content_version, func.count()).where(Project.deleted_at.is_(None))
    return {version: int(count) for version, count in db().execute(query.group_by(Project.content_version))}


@bp.route("/admin/catalogue", methods=["GET", "POST"])
@rule("admin")
def index() -> BaseResponse | tuple[str, int] | str:
    """The active catalogue (what it contains, where it comes from), the releases, and import."""
    form = ImportForm()
    problems: list[str] = []
    if request.method == "POST":
        if form.validate():
            data = form.file.data.read(MAX_ZIP + 1)
            try:
                bundle = check_bundle(data)
            except BundleError as exc:
                problems = [str(p) for p in exc.problems]
            else:
                return _store(bundle, form.note.data or "")
        status = 400
    else:
        status = 200
    active = releases.active_release(db())
    cat = releases.active(db())
    all_releases = list(db().scalars(select(CatalogueRelease).order_by(CatalogueRelease.imported_at.desc())))
    page = render_template(
        "catalogue/index.html",
        form=form,
        problems=problems,
        active=active,
        cat=cat,
        releases=all_releases,
        pinned=_pinned_counts(),
    )
    return page, status


def _store(checked: CheckedRelease, note: str) -> BaseResponse:
    release, created = store.save(db(), checked, source="import", note=note, user_id=user().id)
    if not created:
        flash(
            gettext("この内容（版 %(version)s）は既に取り込まれています。", version=checked.content_version), "success"
        )
        return redirect(url_for(".release", release_id=release.id))
    audit.record(db(), "catalogue_import", version=release.content_version)
    db().commit()
    flash(
        gettext(
            "版 %(version)s を取り込みました（まだ使われていません）。影響を確認してから有効にしてください。",
            version=release.content_version,
        ),
        "success",
    )
    return redirect(url_for(".release", release_id=release.id))


@bp.get("/admin/catalogue/<int:release_id>")
@rule("admin")
def release(release_id: int) -> str:
    """One release: its content, and what it would change for the projects (without their names)."""
    found = _release(release_id)
    new = releases.by_version(db(), found.content_version)
    if new is None:
        abort(409)
    impact: dict[str, dict[str, int]] = {}  # requirement line → count of projects
    affected = total = 0
    for project in db().scalars(select(Project).where(Project.deleted_at.is_(None))):
        old = catalogue_for(project)
        if old.content_version == new.content_version:
            continue
        total += 1
        result = drift(old, new, project.answers)
        if result.changed:
            affected += 1
        lines = [(r.id, requirement_sentence(old, new, r)) for r in result.requirements if r.changed]
        lines += [(CLOUD_CHAPTER, line) for line in cloud_sentences(result)]  # reworded cloud clauses
        for head, line in lines:
            change = line.split(": ", 1)[-1]
            impact.setdefault(head, {})
            impact[head][change] = impact[head].get(change, 0) + 1
    return render_template(
        "catalogue/release.html",
        release=found,
        cat=new,
        impact=impact,
        affected=affected,
        total=total,
        active=releases.active_release(db()),
    )


@bp.post("/admin/catalogue/<int:release_id>/activate")
@rule("admin")
def activate(release_id: int) -> BaseResponse:
    found = _release(release_id)
    store.activate(db(), found)
    audit.record(db(), "catalogue_activate", version=found.content_version)
    db().commit()
    releases.forget_active()
    flash(
        gettext(
            "版 %(version)s を有効にしました。新しい案件はこの版で始まります。"
            "既存の案件は、各担当者が変更点を確認してから切り替えます。",
            version=found.content_version,
        ),
        "success",
    )
    return redirect(url_for(".release", release_id=found.id))


@bp.get("/admin/catalogue/<int:release_id>.zip")
@rule("admin")
def export(release_id: int) -> Response:
    found = _release(release_id)
    data = zip_files(store.stored_files(found))
    audit.record(db(), "catalogue_export", version=found.content_version)
    db().commit()
    safe = "".join(c if c.isalnum() or c in ".-+" else "_" for c in found.content_version)
    return attachment(data, f"sbd-content-{safe}.zip")
