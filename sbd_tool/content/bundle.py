"""The catalogue as a bundle an office can maintain: export it, import it (validated), install it.

A bundle is a zip of exactly the files ``load_catalogue`` and the rule tests read, and that
``content_version`` hashes: ``questionnaires/*.yaml`` and ``requirement_sets/*.yaml``. The Word
template (``docx_templates/``) is not content: the loader never reads it.

Importing treats the zip as untrusted: its size, its number of entries, every entry's name and
kind, the declared and the actually expanded sizes are checked before anything is parsed; then
every file is composed under the limits of the answers import (``safe_yaml.check_untrusted``:
no anchors or aliases, no tags, nesting depth, size, and the number of values of the whole
bundle), so the loader never walks an alias graph or an enormous document; only then are the
files are validated by ``sbd_tool.releases`` exactly as ``sbd-tool check-content`` does, so the
problems name the same file, line and entry. Installing into folders swaps whole folders by
renames, so a failed install leaves the content as it was.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path

import yaml

from sbd_tool import safe_yaml
from sbd_tool.content.loader import QUESTIONNAIRES, REQUIREMENT_SETS, ContentError
from sbd_tool.content.yamlfile import yaml_error_problem
from sbd_tool.problems import Problem
from sbd_tool.safe_yaml import UnsafeYamlError

FOLDERS = (QUESTIONNAIRES, REQUIREMENT_SETS)
MAX_BYTES = 5_000_000  # the zip itself, and everything in it once expanded
MAX_FILES = 200
# Each file, and the bundle as a whole, under the answers import's limits (the shipped content
# is about 250 KB, 7,000 values and a dozen levels deep).
MAX_FILE_BYTES = safe_yaml.MAX_BYTES
MAX_DEPTH = safe_yaml.MAX_DEPTH
MAX_NODES = safe_yaml.MAX_NODES
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: same content, same bytes
_CHUNK = 64 * 1024
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.yaml$")
_WHERE_FOLDERS = "questionnaires/ 又は requirement_sets/"


class BundleError(ContentError):
    """The bundle cannot be used; ``problems`` says why (zip problems, then content problems)."""


def _fail(message: str, where: str = "") -> BundleError:
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


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
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


# ---------------------------------------------------------------- import


def read_bundle(data: bytes, *, max_bytes: int = MAX_BYTES, max_files: int = MAX_FILES) -> dict[str, bytes]:
    """The files in a zip, once it is known to be safe; raise ``BundleError`` otherwise.

    Nothing is parsed or written here: names, kinds and sizes are checked first (declared
    sizes before reading, actual sizes while reading), then each file must be UTF-8 YAML
    without aliases and not nested absurdly deep.
    """
    if len(data) > max_bytes:
        raise _fail(f"zip ファイルが大きすぎます（{len(data):,} バイト。上限は {max_bytes:,} バイト）")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _fail(f"zip ファイルとして読めません（{exc}）") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > max_files:
            raise _fail(f"zip に含まれるファイルが多すぎます（{len(infos)} 個。上限は {max_files} 個）")
        problems: list[Problem] = []
        seen: set[str] = set()
        wanted: list[zipfile.ZipInfo] = []
        for info in infos:
            problem = _entry_problem(info)
            if problem:
                problems.append(Problem("", problem))
                continue
            if info.is_dir():
                continue
            key = info.filename.casefold()  # AT.yaml and at.yaml are one file on some systems
            if key in seen:
                problems.append(Problem("", f"'{info.filename}' が zip に2回以上含まれています"))
                continue
            seen.add(key)
            wanted.append(info)
        declared = sum(info.file_size for info in wanted)
        if declared > max_bytes:
            problems.append(
                Problem("", f"展開後の合計が大きすぎます（{declared:,} バイト。上限は {max_bytes:,} バイト）")
            )
        if problems:
            raise BundleError(problems)
        files = _expand(archive, wanted, max_bytes)
    problems = _text_problems(files)
    if problems:
        raise BundleError(problems)
    return dict(sorted(files.items()))


def _expand(archive: zipfile.ZipFile, wanted: list[zipfile.ZipInfo], max_bytes: int) -> dict[str, bytes]:
    """Read each entry, counting what comes out: a header may lie about the size."""
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    total = 0
    for info in wanted:
        chunks: list[bytes] = []
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > max_bytes:
                        raise _fail(f"展開すると上限（{max_bytes:,} バイト）を超えます（'{info.filename}' の途中）")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, RuntimeError) as exc:
            problems.append(Problem("", f"'{info.filename}' を展開できません（{exc}）"))
            continue
        files[info.filename] = b"".join(chunks)
    if problems:
        raise BundleError(problems)
    return files


def _text_problems(files: Mapping[str, bytes]) -> list[Problem]:
    """What the loader would choke on, hang on or crash on rather than report, checked before it
    runs: each file is composed under the guards of ``safe_yaml`` (UTF-8, size, no anchors,
    aliases or tags, depth), and the values of all files together are counted against one limit.
    Duplicate keys are left to the loader, which names every one (cheaply, once aliases are out)."""
    problems: list[Problem] = []
    budget = MAX_NODES
    for name, content in sorted(files.items()):
        try:
            budget -= _guarded_nodes(content, budget)
        except UnsafeYamlError as exc:
            problems.append(_located(name, exc))
            if exc.limit == "nodes":
                break  # the budget is spent: the files after this one are not counted
    return problems


def _guarded_nodes(content: bytes, budget: int) -> int:
    """The number of values in ``content``, composed under the guards with at most ``budget``.

    libyaml does this quickly. Where it stops on something it cannot read, the pure-Python
    parser, which the loader uses, decides under the same guards: either it refuses too and says
    why (a lone surrogate such as "\\ud800", an escape of no character such as "\\U00110000"),
    or it reads the file, and then the loader will read it the same way."""

    def check(python: bool) -> int:
        return safe_yaml.check_untrusted(
            content,
            max_bytes=MAX_FILE_BYTES,
            max_depth=MAX_DEPTH,
            max_nodes=budget,
            unique_keys=False,  # the loader names each duplicate key itself
            python=python,
        )

    try:
        return check(python=False)
    except UnsafeYamlError as exc:
        if not isinstance(exc.__cause__, yaml.YAMLError):
            raise  # a guard refused it
    return check(python=True)  # libyaml could not read it: the loader's own parser decides


def _located(name: str, exc: UnsafeYamlError) -> Problem:
    """A refusal as a problem of ``name``: 「file:line: reason」, a syntax error as the loader says it."""
    cause = exc.__cause__
    if isinstance(cause, yaml.MarkedYAMLError) and exc.limit is None and "nesting depth" not in str(cause.problem):
        return yaml_error_problem(name, cause)
    if exc.limit == "nodes":
        reason = f"対策要件集のファイル全体で値の数が多すぎます（上限 {MAX_NODES:,} 個）。不要な部分を削除してください"
        return Problem(f"{name}:{exc.line}" if exc.line else name, reason)
    return Problem(f"{name}:{exc.line}" if exc.line else name, exc.reason)


# ---------------------------------------------------------------- install


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
