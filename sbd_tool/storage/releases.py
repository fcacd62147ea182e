"""Catalogue releases: the one store that reads, validates, saves and activates content versions.

Every content version a project may be evaluated with is a ``CatalogueRelease`` row holding its
files whole. The web's admin pages, ``sbd-tool content import`` and ``sbd-tool db upgrade`` (which
records the shipped content) all go through the functions here, so the web and the command line
can never disagree about which catalogue is active.

Checking is the same for a zip, a stored release and a folder: the content loader over the file
mapping, then the rule tests (``questionnaires/rule_tests.yaml``), so problems name the same file,
line and entry as ``sbd-tool check-content``. Saving and activating only flush: the caller owns
the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sbd_tool.content.bundle import MAX_BYTES, MAX_FILES, BundleError, bundle_files, path_problem
from sbd_tool.content.bundle_read import read_bundle
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.loader import ContentError, load_files
from sbd_tool.engine.rule_tests import run_rule_tests
from sbd_tool.problems import Problem
from sbd_tool.storage.models import CatalogueRelease

BUILTIN_NOTE = "sbd-tool に同梱の対策要件集"


@dataclass(frozen=True)
class CheckedRelease:
    """Content that passed every check: its catalogue, its files, and how many rule tests held."""

    catalogue: Catalogue
    files: dict[str, bytes]  # "questionnaires/rules.yaml" → the file's bytes, sorted by name
    rule_tests_checked: int

    @property
    def content_version(self) -> str:
        return self.catalogue.content_version


def check_files(files: Mapping[str, bytes]) -> CheckedRelease:
    """Validate content files exactly as ``check-content`` validates a folder; raise ``BundleError``."""
    problems = [Problem("", p) for name in files if (p := path_problem(name))]
    if problems:
        raise BundleError(problems)
    try:
        catalogue = load_files(files)
    except ContentError as exc:
        raise BundleError(exc.problems) from None
    checked, problems = run_rule_tests(catalogue, files)
    if problems:
        raise BundleError(problems)
    return CheckedRelease(catalogue, dict(sorted(files.items())), checked)


def check_bundle(data: bytes, *, max_bytes: int = MAX_BYTES, max_files: int = MAX_FILES) -> CheckedRelease:
    """Read an (untrusted) zip safely and validate its content; raise ``BundleError`` with every problem."""
    return check_files(read_bundle(data, max_bytes=max_bytes, max_files=max_files))


def check_folder(root: Path) -> CheckedRelease:
    """Validate the content folders under ``root`` (``check-content``, ``content export``, the shipped content)."""
    return check_files(bundle_files(root))


def stored_files(release: CatalogueRelease) -> dict[str, bytes]:
    return {name: str(text).encode("utf-8") for name, text in release.files.items()}


def load(release: CatalogueRelease) -> Catalogue:
    """The catalogue of a stored release (validated when it was saved; cached per process by its bytes)."""
    return load_files(stored_files(release))


def find(session: Session, version: str) -> CatalogueRelease | None:
    return session.scalar(select(CatalogueRelease).where(CatalogueRelease.content_version == version))


def active_release(session: Session) -> CatalogueRelease | None:
    return session.scalar(select(CatalogueRelease).where(CatalogueRelease.active.is_(True)))


def active_version(session: Session) -> str | None:
    version: str | None = session.scalar(
        select(CatalogueRelease.content_version).where(CatalogueRelease.active.is_(True))
    )
    return version


def save(
    session: Session, checked: CheckedRelease, *, source: str, note: str = "", user_id: int | None = None
) -> tuple[CatalogueRelease, bool]:
    """Store a checked release (inactive); ``(release, False)`` when that version is already stored."""
    existing = find(session, checked.content_version)
    if existing is not None:
        return existing, False
    release = CatalogueRelease(
        content_version=checked.content_version,
        files={name: data.decode("utf-8") for name, data in checked.files.items()},
        source=source,
        note=note,
        imported_by=user_id,
        active=False,
    )
    session.add(release)
    session.flush()
    return release, True


def activate(session: Session, release: CatalogueRelease) -> None:
    """Make ``release`` the version new projects start with (exactly one release is active)."""
    session.execute(update(CatalogueRelease).where(CatalogueRelease.id != release.id).values(active=False))
    release.active = True
    session.flush()


def register_builtin(session: Session, checked: CheckedRelease) -> tuple[CatalogueRelease, bool]:
    """Record the shipped content as a release (once per version) and say whether it became active.

    It becomes active when nothing is active yet, or, when first recorded, if the active release is an
    older builtin one (a code update); an office's own imported release, or an older version an admin
    chose again, stays active until an admin chooses otherwise."""
    release, created = save(session, checked, source="builtin", note=BUILTIN_NOTE)
    current = active_release(session)
    if current is None or (created and current.source == "builtin"):
        activate(session, release)
        return release, True
    return release, False
