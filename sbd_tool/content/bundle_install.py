"""Installing a checked bundle into content folders: the new folders are written beside the
old ones and swapped in by renames, so a failed install leaves the content as it was."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from sbd_tool.content.bundle import FOLDERS, BundleError, path_problem
from sbd_tool.problems import Problem


def _write_tree(root: Path, files: Mapping[str, bytes], *, sync: bool = False) -> None:
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name, content in sorted(files.items()):
        with open(root / name, "xb") as fh:
            fh.write(content)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())


def _keep_extras(current: Path, staged: Path) -> None:
    """Carry over what is not content (notes, a README): only the .yaml files are replaced."""
    for item in current.iterdir():
        if item.name.endswith(".yaml"):
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.copytree(item, staged / item.name, symlinks=True)
        else:
            shutil.copy2(item, staged / item.name, follow_symlinks=False)


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def install_bundle(files: Mapping[str, bytes], target_dir: Path) -> None:
    """Replace the content under ``target_dir`` with ``files`` (validated by ``releases.check_files``).

    The new folders are written completely beside the old ones, then each folder is swapped
    in by a rename; if anything fails, the renames already made are undone, so the content is
    either wholly the old or wholly the new. (Between the two renames a reader could see the
    new questionnaires with the old requirement set; readers load once, at start-up.)
    """
    problems = [Problem("", p) for name in files if (p := path_problem(name))]
    if problems:
        raise BundleError(problems)
    target_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sbd-content-", dir=target_dir))
    try:
        new, old = staging / "new", staging / "old"
        for folder in FOLDERS:
            (new / folder).mkdir(parents=True)
            current = target_dir / folder
            if current.is_dir():
                _keep_extras(current, new / folder)
        _write_tree(new, files, sync=True)
        old.mkdir()
        done: list[tuple[Path, Path]] = []
        try:
            for folder in FOLDERS:
                current = target_dir / folder
                if current.exists() or current.is_symlink():
                    os.rename(current, old / folder)
                    done.append((current, old / folder))
                os.rename(new / folder, current)
                done.append((new / folder, current))
        except BaseException:
            for source, moved_to in reversed(done):
                os.rename(moved_to, source)
            raise
        _sync_dir(target_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
