"""Which catalogue (content version) each request uses (the store itself: ``sbd_tool.storage.releases``).

Every content version a project may be evaluated with is a ``CatalogueRelease`` row, so any
worker can load it; loaded catalogues are kept per process by version. A project is evaluated
with the version it records until its officer adopts a newer one; pages without a project, and
new projects, use the active release.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, current_app
from sqlalchemy.orm import Session

from sbd_tool.content import Catalogue, ContentError
from sbd_tool.storage import releases as store
from sbd_tool.storage.models import CatalogueRelease, Project

_lock = threading.Lock()


def start(app: Flask, catalogue: Catalogue) -> None:
    """Keep the shipped catalogue loaded. Recording it as a release is ``sbd-tool db upgrade``'s work
    (``sbd_tool.storage.releases.register_builtin``): starting the app writes nothing. Until it is recorded,
    it is what new projects start with when no release is active."""
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
    release = store.find(session, version)
    if release is None:
        return None
    try:
        catalogue = store.load(release)
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
        cached = (now, store.active_version(session))
        current_app.extensions["sbd"]["active"] = cached
    version: str | None = cached[1]
    return version


def active_release(session: Session) -> CatalogueRelease | None:
    """The active release's row (for the admin pages)."""
    return store.active_release(session)


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
