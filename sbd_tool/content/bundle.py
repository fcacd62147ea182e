"""The catalogue as a bundle an office can maintain: export it, import it (validated), install it.

A bundle is a zip of exactly the files ``load_catalogue`` and the rule tests read, and that
``content_version`` hashes: ``questionnaires/*.yaml`` and ``requirement_sets/*.yaml``. The Word
template (``docx_templates/``) is not content: the loader never reads it.

Importing treats the zip as untrusted: its size, its number of entries, every entry's name and
kind, the declared and the actually expanded sizes are checked before anything is parsed; then
every file is composed under the limits of the answers import (``safe_yaml.check_untrusted``:
no anchors or aliases, no tags, nesting depth, size, and the number of values of the whole
bundle), so the loader never walks an alias graph or an enormous document; only then are the
files are validated by ``sbd_tool.storage.releases`` exactly as ``sbd-tool check-content`` does, so the
problems name the same file, line and entry. Installing into folders swaps whole folders by
renames, so a failed install leaves the content as it was.

This module holds what both sides share (the folders, the limits, the error, which names a
bundle may hold) and the export; ``bundle_read`` reads an imported zip, ``bundle_install``
installs it.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path

from sbd_tool.content.loader import QUESTIONNAIRES, REQUIREMENT_SETS, ContentError
from sbd_tool.problems import Problem

FOLDERS = (QUESTIONNAIRES, REQUIREMENT_SETS)
MAX_BYTES = 5_000_000  # the zip itself, and everything in it once expanded
MAX_FILES = 200
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: same content, same bytes
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.yaml$")
_WHERE_FOLDERS = "questionnaires/ 又は requirement_sets/"


class BundleError(ContentError):
    """The bundle cannot be used; ``problems`` says why (zip problems, then content problems)."""


def bundle_error(message: str, where: str = "") -> BundleError:
    """A ``BundleError`` with one problem."""
    return BundleError([Problem(where, message)])


# ---------------------------------------------------------------- names


def path_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file of a bundle (None when it can): the one test shared by
    import and install, so nothing outside the two folders can ever be written."""
    if "\\" in name or any(ord(ch) < 0x20 for ch in name):
        return f"zip 内のパス {name!r} に使えない文字（\\ や制御文字）が含まれています"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return f"zip 内のパス '{name}' が絶対パスです"
    parts = name.split("/")
    if ".." in parts:
        return f"zip 内のパス '{name}' に「..」が含まれています"
    if len(parts) != 2 or parts[0] not in FOLDERS:
        return f"zip に {_WHERE_FOLDERS} の直下以外のファイル '{name}' が含まれています"
    if not parts[1].endswith(".yaml"):
        return f"'{name}' は .yaml ファイルではありません（取り込めるのは {_WHERE_FOLDERS} の .yaml だけです）"
    if not _NAME.match(parts[1]):
        return f"ファイル名 '{name}' には英数字と「_」「-」「.」だけを使い、英数字で始めてください"
    return None


def entry_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a zip entry cannot be taken (None when it can): links, stray folders, bad names,
    encryption, unknown compression."""
    name = info.filename
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"'{name}' はシンボリックリンクです（取り込めません）"
    if info.is_dir():
        if name.rstrip("/") in FOLDERS:
            return None
        return f"zip に {_WHERE_FOLDERS} 以外のフォルダ '{name}' が含まれています"
    problem = path_problem(name)
    if problem:
        return problem
    if info.flag_bits & 0x1:
        return f"'{name}' は暗号化されています（暗号化しない zip にしてください）"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return f"'{name}' の圧縮方式には対応していません（無圧縮又は Deflate にしてください）"
    return None


# ---------------------------------------------------------------- export


def bundle_files(content_dir: Path) -> dict[str, bytes]:
    """The files a bundle of ``content_dir`` holds, by bundle name, sorted."""
    problems: list[Problem] = []
    files: dict[str, bytes] = {}
    for folder in FOLDERS:
        directory = content_dir / folder
        if not directory.is_dir():
            problems.append(Problem(folder, "フォルダがありません"))
            continue
        for path in sorted(directory.glob("*.yaml")):
            name = f"{folder}/{path.name}"
            problem = path_problem(name)
            if problem:
                problems.append(Problem(name, problem))
            elif not path.is_file():
                problems.append(Problem(name, "通常のファイルではありません"))
            else:
                files[name] = path.read_bytes()
    if problems:
        raise BundleError(problems)
    return files


def export_bundle(content_dir: Path) -> bytes:
    """A zip of the content under ``content_dir``; the same files always give the same bytes."""
    return zip_files(bundle_files(content_dir))


def zip_files(files: Mapping[str, bytes]) -> bytes:
    """Bundle files as a zip; the same files always give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permission bits below mean the same everywhere
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
