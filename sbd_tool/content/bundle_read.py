"""Reading an imported catalogue zip as untrusted: its size, entries, names and kinds, the
declared and the expanded sizes are checked before anything is parsed, then every file is
composed under the limits of the answers import (``safe_yaml.check_untrusted``) and the values
of the whole bundle are counted against one limit."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Mapping

import yaml

from sbd_tool import safe_yaml, yaml_guards
from sbd_tool.content.bundle import MAX_BYTES, MAX_FILES, BundleError, bundle_error, entry_problem
from sbd_tool.content.yamlfile import yaml_error_problem
from sbd_tool.problems import Problem
from sbd_tool.yaml_guards import UnsafeYamlError

# Each file, and the bundle as a whole, under the answers import's limits (the shipped content
# is about 250 KB, 7,000 values and a dozen levels deep).
MAX_FILE_BYTES = yaml_guards.MAX_BYTES
MAX_DEPTH = yaml_guards.MAX_DEPTH
MAX_NODES = yaml_guards.MAX_NODES
_CHUNK = 64 * 1024


def read_bundle(data: bytes, *, max_bytes: int = MAX_BYTES, max_files: int = MAX_FILES) -> dict[str, bytes]:
    """The files in a zip, once it is known to be safe; raise ``BundleError`` otherwise.

    Nothing is parsed or written here: names, kinds and sizes are checked first (declared
    sizes before reading, actual sizes while reading), then each file must be UTF-8 YAML
    without aliases and not nested absurdly deep.
    """
    if len(data) > max_bytes:
        raise bundle_error(f"zip ファイルが大きすぎます（{len(data):,} バイト。上限は {max_bytes:,} バイト）")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise bundle_error(f"zip ファイルとして読めません（{exc}）") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > max_files:
            raise bundle_error(f"zip に含まれるファイルが多すぎます（{len(infos)} 個。上限は {max_files} 個）")
        problems: list[Problem] = []
        seen: set[str] = set()
        wanted: list[zipfile.ZipInfo] = []
        for info in infos:
            problem = entry_problem(info)
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
                        raise bundle_error(
                            f"展開すると上限（{max_bytes:,} バイト）を超えます（'{info.filename}' の途中）"
                        )
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
