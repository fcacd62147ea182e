"""Which catalogue (content version) each request uses.

Every content version a project may be evaluated with is a ``CatalogueRelease`` row, so any
worker can load it; loaded catalogues are kept per process by version. A project is evaluated
with the version it records until its officer adopts a newer one; pages without a project, and
new projects, use the active release.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask, current_app
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


ACTIVE_TTL = 5.0  # seconds a worker trusts its idea of the active version (activation is rare)


def forget_active() -> None:
    """After an activation in this process; other workers notice within ACTIVE_TTL."""
    current_app.extensions["sbd"].pop("active", None)


def active_version(session: Session) -> str | None:
    """The content version new projects start with, kept per worker for a few seconds so that a
    page costs no query for it."""
    cached = current_app.extensions["sbd"].get("active")
    now = time.monotonic()
    if cached is None or now - cached[0] > ACTIVE_TTL:
        query = select(CatalogueRelease.content_version).where(CatalogueRelease.active.is_(True))
        cached = (now, session.scalar(query))
        current_app.extensions["sbd"]["active"] = cached
    version: str | None = cached[1]
    return version


def active_release(session: Session) -> CatalogueRelease | None:
    """The active release's row (for the admin pages)."""
    return session.scalar(select(CatalogueRelease).where(CatalogueRelease.active.is_(True)))


def active(session: Session) -> Catalogue:
    return by_version(session, active_version(session)) or next(iter(_cache().values()))


def for_project(session: Session, project: Project) -> Catalogue:
    """The catalogue a project is evaluated with: its own version, else (unknown or not recorded) the active one."""
    return by_version(session, project.content_version) or active(session)


def update_status(session: Session, project: Project) -> dict[str, Any] | None:
    """For the banner: a newer active release than the project's, or the project's version missing."""
    version = active_version(session)
    if version is None or project.content_version == version:
        return None
    return {
        "project_id": project.id,
        "mine": project.content_version,
        "active": version,
        "missing": by_version(session, project.content_version) is None,
    }
