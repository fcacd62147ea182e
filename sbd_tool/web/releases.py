"""Which catalogue (content version) each request uses.

Every content version a project may be evaluated with is a ``CatalogueRelease`` row, so any
worker can load it; loaded catalogues are kept per process by version. A project is evaluated
with the version it records until its officer adopts a newer one; pages without a project, and
new projects, use the active release.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sbd_tool.content import Catalogue, ContentError
from sbd_tool.content.bundle import bundle_files, load_files
from sbd_tool.content.loader import default_content_root
from sbd_tool.storage.models import CatalogueRelease, Project

_lock = threading.Lock()


def register_builtin(app: Flask, catalogue: Catalogue) -> None:
    """Record the shipped content as a release (once per version). It becomes active when nothing
    is active yet, or when the active release is an older builtin one (a code update); an
    office's own imported release stays active until an admin chooses otherwise."""
    root = Path(app.config["CONTENT_DIR"] or default_content_root())
    files = {name: data.decode("utf-8") for name, data in bundle_files(root).items()}
    sessions = app.extensions["sbd"]["sessions"]
    with sessions() as session:
        query = select(CatalogueRelease).where(CatalogueRelease.content_version == catalogue.content_version)
        found = session.scalar(query)
        if found is None:
            active = session.scalar(select(CatalogueRelease).where(CatalogueRelease.active.is_(True)))
            take_over = active is None or active.source == "builtin"
            if take_over:
                session.execute(update(CatalogueRelease).values(active=False))
            session.add(CatalogueRelease(content_version=catalogue.content_version, files=files, source="builtin",
                                         note="sbd-tool に同梱の対策要件集", active=take_over))  # fmt: skip
            try:
                session.commit()
            except IntegrityError:  # another worker registered it first
                session.rollback()
        elif session.scalar(select(CatalogueRelease).where(CatalogueRelease.active.is_(True))) is None:
            found.active = True
            session.commit()
    app.extensions["sbd"]["catalogues"] = {catalogue.content_version: catalogue}


def _cache() -> dict[str, Catalogue]:
    cache: dict[str, Catalogue] = current_app.extensions["sbd"]["catalogues"]
    return cache


def by_version(session: Session, version: str | None) -> Catalogue | None:
    """The catalogue of a content version, loaded once per process; None if no release has it."""
    if not version:
        return None
    cache = _cache()
    if version in cache:
        return cache[version]
    release = session.scalar(select(CatalogueRelease).where(CatalogueRelease.content_version == version))
    if release is None:
        return None
    try:
        catalogue = load_files({name: str(text).encode("utf-8") for name, text in release.files.items()})
    except ContentError:
        current_app.logger.exception("stored catalogue release %s does not load", version)
        return None
    with _lock:
        cache[version] = catalogue
    return catalogue


def active_release(session: Session) -> CatalogueRelease:
    if "active_release" not in g:
        g.active_release = session.scalar(select(CatalogueRelease).where(CatalogueRelease.active.is_(True)))
    release: CatalogueRelease = g.active_release
    return release


def active(session: Session) -> Catalogue:
    release = active_release(session)
    found = by_version(session, release.content_version) if release is not None else None
    return found or next(iter(_cache().values()))


def for_project(session: Session, project: Project) -> Catalogue:
    """The catalogue a project is evaluated with: its own version, else (unknown or not recorded) the active one."""
    return by_version(session, project.content_version) or active(session)


def update_status(session: Session, project: Project) -> dict[str, Any] | None:
    """For the banner: a newer active release than the project's, or the project's version missing."""
    release = active_release(session)
    if release is None or project.content_version == release.content_version:
        return None
    return {
        "project_id": project.id,
        "mine": project.content_version,
        "active": release.content_version,
        "missing": by_version(session, project.content_version) is None,
    }
