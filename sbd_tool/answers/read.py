"""The answers file (``sbd-tool/answers@1``): read it into a typed form and check it against
the questionnaire.

Two passes: the structural model (``sbd_tool.answers.model``, read leniently by
``sbd_tool.answers.errors``) checks the document's shape; the catalogue pass
(``sbd_tool.answers.check``, ``sbd_tool.answers.project``) checks it against the catalogue and
builds ``Answers`` (``sbd_tool.answers.types``). Every message says, in Japanese, what to fix, with the English
key path (``answers.network[1]``) telling where.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from sbd_tool.answers.check import (
    AnswersChecker,
    option_ids,
    read_decisions,
    read_document_options,
    read_fixed_answers,
    read_responsibilities,
)
from sbd_tool.answers.errors import UNKNOWN_KEY, read_document
from sbd_tool.answers.model import FORMAT as FORMAT
from sbd_tool.answers.model import MAX_START_CHAPTER as MAX_START_CHAPTER
from sbd_tool.answers.model import TOP_KEYS as TOP_KEYS
from sbd_tool.answers.model import DocumentDoc, ProjectDoc, type_name
from sbd_tool.answers.obligations import parse_obligations
from sbd_tool.answers.project import read_diagram, read_project
from sbd_tool.answers.tailoring import parse_added, parse_tailoring

# The typed answers, imported from here by every reader.
from sbd_tool.answers.types import Answers as Answers
from sbd_tool.answers.types import AnswersError as AnswersError
from sbd_tool.answers.types import AnswerValue as AnswerValue
from sbd_tool.answers.types import Assignment as Assignment
from sbd_tool.answers.types import Decision as Decision
from sbd_tool.answers.types import Diagram as Diagram
from sbd_tool.answers.types import DocumentOptions as DocumentOptions
from sbd_tool.answers.types import Element as Element
from sbd_tool.answers.types import Flow as Flow
from sbd_tool.answers.types import Information as Information
from sbd_tool.answers.types import Project as Project
from sbd_tool.answers.types import Subject as Subject
from sbd_tool.answers.types import Task as Task
from sbd_tool.answers.types import Zone as Zone
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.limits import MAX_DIAGRAM_ELEMENTS as MAX_DIAGRAM_ELEMENTS  # what the step-3 page states
from sbd_tool.limits import MAX_DIAGRAM_FLOWS as MAX_DIAGRAM_FLOWS
from sbd_tool.problems import Problem
from sbd_tool.safe_yaml import load_untrusted
from sbd_tool.yaml_guards import UnsafeYamlError

MAX_FILE_BYTES = 2_000_000


def parse_answers(data: Any, catalogue: Catalogue, *, partial: bool = False, strict: bool = False) -> Answers:
    """Validate plain data (from YAML/JSON) into ``Answers``; raise ``AnswersError``.

    ``partial`` accepts a half-finished project (the wizard's drafts): required texts and
    unanswered questions may be missing, but nothing present may be wrong.

    Every text is normalised (``clean_input``). ``strict`` is for a file from outside (an
    import): what the wizard's forms refuse is refused here too, with where it is, instead of
    being cleaned silently: a NUL, a number that is not finite (.inf, .nan), a line end in a
    one-line text. Stored projects are read without it, so nothing stored becomes unreadable.
    """
    answers, problems, _ = read_answers(data, catalogue, partial=partial, strict=strict)
    if problems:
        raise AnswersError(problems)
    return answers


def read_answers(
    data: Any, catalogue: Catalogue, *, partial: bool = False, strict: bool = False
) -> tuple[Answers, list[Problem], dict[str, str]]:
    """The lenient read: the typed answers as far as they are readable, every problem (key path
    and Japanese message), and the normalised text at each key path."""
    if not isinstance(data, dict):
        message = f"キーと値の組（マッピング）を指定してください（{type_name(data)}が指定されています）"
        return Answers(), [Problem("", message)], {}
    doc, structural = read_document(data, option_ids(catalogue), strict=strict)
    p = AnswersChecker(catalogue, strict)
    p.reported = {problem.where for problem in structural}
    project = read_project(p, doc.project or ProjectDoc(), partial)
    answers = read_fixed_answers(p, doc.answers)
    decisions = read_decisions(p, doc.decisions)
    responsibilities = read_responsibilities(p, doc.responsibilities)
    diagram = read_diagram(p, doc.diagram) if doc.diagram is not None else None
    parameters = {
        key: p.text(value, f"parameters.{key}")
        for key, value in p.mapping(doc.parameters, "parameters", tuple(catalogue.parameters)).items()
        if key in catalogue.parameters
    }
    document = read_document_options(p, doc.document or DocumentDoc())
    parsed = Answers(project, answers, decisions, parameters, document, responsibilities, diagram)
    parsed = dataclasses.replace(
        parsed,
        obligations=parse_obligations(p, doc.obligations),
        tailoring=parse_tailoring(p, doc.tailoring),
        added_clauses=parse_added(p, doc.added_clauses),
    )
    return parsed, _in_order(p.structural(structural) + p.problems, data), p.texts


# The order the sections' problems are listed in (the hand-written parser's).
_SECTIONS: tuple[str, ...] = (
    "",
    "format",
    "project",
    "answers",
    "decisions",
    "responsibilities",
    "diagram",
    "parameters",
)
_SECTIONS += ("document", "obligations", "tailoring", "added_clauses")


def _in_order(problems: list[Problem], data: dict[str, Any]) -> list[Problem]:
    """The problems by section, then as the file lists what they are about (a key the file lacks
    takes its parent's place), so that the structural and the catalogue pass read as one list."""
    if not problems:
        return problems
    order: dict[str, int] = {}

    def walk(value: Any, where: str) -> None:
        order.setdefault(where, len(order))
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")

    walk(data, "")

    def parent(path: str) -> str:
        return re.sub(r"(\.[^.\[]*|\[\d+\])$", "", path) if re.search(r"[.\[]", path) else ""

    def key(problem: Problem) -> tuple[int, int]:
        path = problem.where
        if problem.message.startswith(UNKNOWN_KEY):  # found when its mapping is read, before what it holds
            path = parent(path)
        head = re.split(r"[.\[]", path, maxsplit=1)[0]
        section = _SECTIONS.index(head) if head in _SECTIONS else len(_SECTIONS)
        while path and path not in order:
            path = parent(path)
        return section, order.get(path, 0)

    return sorted(problems, key=key)


def import_answers(data: Any, catalogue: Catalogue, *, partial: bool = True) -> tuple[Answers, dict[str, Any]]:
    """An answers file from outside (the projects page's import): parsed ``strict`` (and
    ``partial``), and the document to store: the file's own structure with every text replaced
    by its normalised form (``clean_input``) and dates as ISO strings, so that what is stored is
    the cleaned document, never the raw one, and exports round-trip exactly. Raise
    ``AnswersError`` as ``parse_answers`` does."""
    answers, problems, texts = read_answers(data, catalogue, partial=partial, strict=True)
    if problems:
        raise AnswersError(problems)

    def cleaned(value: Any, where: str) -> Any:
        if where in texts:
            return texts[where]
        if isinstance(value, dict):
            return {str(k): cleaned(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [cleaned(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value  # the format, choices (validated against the questionnaire), numbers, true/false

    return answers, cleaned(data, "")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different (``json`` keeps the last of two silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise UnsafeYamlError(f"キー '{key}' が2回書かれています。どちらか一方を削除してください")
        out[key] = value
    return out


def read_answers_data(path: Path) -> Any:
    """Read a YAML or JSON answers file safely: size-limited, UTF-8, no arbitrary objects, and
    (YAML) no anchors, aliases or tags and a limited depth (``load_untrusted``)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AnswersError([Problem(str(path), f"ファイルを読めません（{exc.strerror}）")]) from exc
    try:
        if path.suffix.lower() != ".json":
            return load_untrusted(raw, max_bytes=MAX_FILE_BYTES)
        if len(raw) > MAX_FILE_BYTES:
            raise UnsafeYamlError(f"ファイルが大きすぎます（上限 {MAX_FILE_BYTES:,} バイト）")
        return json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_unique_keys)
    except UnsafeYamlError as exc:
        raise AnswersError([Problem(str(path), str(exc))]) from exc
    except UnicodeDecodeError as exc:
        raise AnswersError([Problem(str(path), "UTF-8 のテキストとして読めません")]) from exc
    except json.JSONDecodeError as exc:
        raise AnswersError(
            [Problem(str(path), f"ファイルの形式が正しくありません（JSON の書式の誤り、{exc.lineno}行目: {exc.msg}）")]
        ) from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise AnswersError([Problem(str(path), f"値を読み取れません（{exc}）")]) from exc
    except RecursionError as exc:
        message = "入れ子が深すぎます。回答ファイルの形式どおりの構造にしてください"
        raise AnswersError([Problem(str(path), message)]) from exc


def load_answers(path: Path, catalogue: Catalogue, *, partial: bool = False) -> Answers:
    """Read and validate an answers file."""
    return parse_answers(read_answers_data(path), catalogue, partial=partial)
