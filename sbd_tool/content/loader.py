"""Load the content folders: parse, validate structure, then cross-references.

Invalid content never half-loads: every problem is collected and raised together.

Loading is paid once per content, not once per call: the files are read and hashed first (the
hash is also the content version), and a catalogue already validated from the same bytes is
returned from a small per-process cache. Each file is parsed once, by libyaml when present
(``yamlfile.Loader``); its nodes keep the line numbers that problems are reported with.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from sbd_tool.content import crossref
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.schema import (
    CatalogueMeta,
    CategoryFile,
    CloudFile,
    ConditionsFile,
    QuestionsFile,
    RulesFile,
    StepsFile,
)
from sbd_tool.content.yamlfile import YamlFile, yaml_error_problem
from sbd_tool.problems import Problem, ProblemsError

M = TypeVar("M", bound=BaseModel)

QUESTIONNAIRES = "questionnaires"
REQUIREMENT_SETS = "requirement_sets"
CLOUD_FILE = "cloud.yaml"


class ContentError(ProblemsError):
    """The content folders are invalid; ``problems`` says where and why."""


def default_content_root() -> Path:
    """``SBD_CONTENT_DIR`` if set, else the project folder holding the content folders."""
    env = os.environ.get("SBD_CONTENT_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2]


def read_content_files(root: Path) -> dict[str, bytes]:
    """Every content file's bytes under ``root``, by name (``questionnaires/rules.yaml``), sorted."""
    files: dict[str, bytes] = {}
    for folder in (QUESTIONNAIRES, REQUIREMENT_SETS):
        for path in sorted((root / folder).glob("*.yaml")):
            files[f"{folder}/{path.name}"] = path.read_bytes()
    return files


def _digest(files: Mapping[str, bytes]) -> str:
    """The hash of every content file (names and bytes): the content version's suffix."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0".encode())
        digest.update(files[name])
    return digest.hexdigest()


def content_version(root: Path, declared: str) -> str:
    """The declared version plus a hash of every content file, so outputs name exact content."""
    return f"{declared}+{_digest(read_content_files(root))[:12]}"


CACHE_SIZE = 8  # validated catalogues kept per process (the shipped one, stored releases, …)
_cache: OrderedDict[str, Catalogue] = OrderedDict()
_cache_lock = threading.Lock()


class _Reader:
    """Collects problems while reading files, so one run reports all of them."""

    def __init__(self, texts: Mapping[str, bytes]) -> None:
        self.texts = texts
        self.problems: list[Problem] = []
        self.files: dict[str, YamlFile] = {}

    def read(self, relative: str, model: type[M]) -> M | None:
        raw = self.texts.get(relative)
        if raw is None:
            self.problems.append(Problem(relative, "ファイルがありません"))
            return None
        try:
            file = YamlFile(Path(relative), relative, raw.decode("utf-8"))
        except UnicodeDecodeError:
            self.problems.append(Problem(relative, "UTF-8 のテキストとして読めません"))
            return None
        except yaml.YAMLError as exc:
            self.problems.append(yaml_error_problem(relative, exc))
            return None
        self.files[relative] = file
        self.problems.extend(file.duplicate_keys())
        data: Any = file.data
        if not isinstance(data, dict):
            self.problems.append(Problem(relative, "先頭はキーと値の組（マッピング）にしてください"))
            return None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.problems.extend(file.validation_problems(exc))
            return None


def load_catalogue(root: Path | None = None) -> Catalogue:
    """Load and validate all content under ``root``; raise ``ContentError`` on any problem."""
    return load_files(read_content_files(root or default_content_root()))


def load_files(files: Mapping[str, bytes]) -> Catalogue:
    """Load and validate content given as file names (``questionnaires/rules.yaml``) and bytes,
    as a folder or a stored release holds them; raise ``ContentError`` on any problem.

    The same bytes give the same (shared, read-only) catalogue object without parsing again."""
    texts = dict(files)
    digest = _digest(texts)
    with _cache_lock:
        found = _cache.get(digest)
        if found is not None:
            _cache.move_to_end(digest)
            return found
    catalogue = _load(texts, digest)
    with _cache_lock:
        _cache[digest] = catalogue
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return catalogue


def _load(texts: Mapping[str, bytes], digest: str) -> Catalogue:
    reader = _Reader(texts)
    steps = reader.read(f"{QUESTIONNAIRES}/steps.yaml", StepsFile)
    questions = reader.read(f"{QUESTIONNAIRES}/questions.yaml", QuestionsFile)
    conditions = reader.read(f"{QUESTIONNAIRES}/conditions.yaml", ConditionsFile)
    rules = reader.read(f"{QUESTIONNAIRES}/rules.yaml", RulesFile)
    meta = reader.read(f"{REQUIREMENT_SETS}/catalogue.yaml", CatalogueMeta)
    categories: list[CategoryFile] = []
    if meta is not None:
        listed = {f"{c}.yaml" for c in meta.categories} | {"catalogue.yaml", CLOUD_FILE}
        for name in sorted(texts):
            folder, _, file_name = name.partition("/")
            if folder == REQUIREMENT_SETS and file_name not in listed:
                reader.problems.append(Problem(name, "catalogue.yaml の categories に含まれていないファイルです"))
        for cat_id in meta.categories:
            category = reader.read(f"{REQUIREMENT_SETS}/{cat_id}.yaml", CategoryFile)
            if category is not None:
                categories.append(category)
    cloud = None
    if f"{REQUIREMENT_SETS}/{CLOUD_FILE}" in texts:  # optional: without it, no cloud section
        cloud = reader.read(f"{REQUIREMENT_SETS}/{CLOUD_FILE}", CloudFile)
    if reader.problems:
        raise ContentError(reader.problems)
    assert steps and questions and conditions and rules and meta  # no problems means all read
    files = crossref.ContentFiles(reader.files, meta, tuple(categories), steps, questions, conditions, rules, cloud)
    problems = crossref.check(files)
    if problems:
        raise ContentError(problems)
    return Catalogue.build(
        meta,
        tuple(categories),
        steps,
        questions,
        tuple(conditions.conditions),
        rules,
        f"{meta.version}+{digest[:12]}",  # as content_version(root, meta.version)
        cloud,
    )
