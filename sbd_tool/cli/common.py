"""What every command shares: the content option, failing with problems on standard error and an
exit status, reading the catalogue and an answers file, writing a file atomically, opening the
configured database."""

from __future__ import annotations

import os
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, NoReturn

import click

from sbd_tool.answers.read import Answers, AnswersError, read_answers_data
from sbd_tool.assessment import Assessment, assess
from sbd_tool.content import Catalogue, ContentError, load_catalogue
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.problems import Problem
from sbd_tool.text import clean_input

content_option = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="questionnaires/ と requirement_sets/ を含むフォルダ（既定: SBD_CONTENT_DIR 又は同梱のもの）",
)


def fail(problems: list[Problem], status: int) -> NoReturn:
    for problem in problems:
        # A message may quote a key or value from the file: no control characters (terminal
        # escape sequences) reach the terminal.
        click.echo(f"エラー: {clean_input(str(problem))}", err=True)
    sys.exit(status)


def catalogue_or_fail(content_dir: Path | None) -> Catalogue:
    try:
        return load_catalogue(content_dir)
    except ContentError as exc:
        fail(exc.problems, 1)


def assessed(catalogue: Catalogue, file: Path) -> Assessment:
    """The file's assessment; exit 2 with every problem unless it is ready for a spec."""
    try:
        data = read_answers_data(file)
    except AnswersError as exc:
        fail(exc.problems, 2)
    assessment = assess(catalogue, data)
    if not assessment.ready:
        fail(list(assessment.problems), 2)
    return assessment


def evaluated(catalogue: Catalogue, file: Path) -> tuple[Answers, Evaluation]:
    assessment = assessed(catalogue, file)
    assert assessment.answers is not None and assessment.evaluation is not None  # ready
    return assessment.answers, assessment.evaluation


def display_width(text: str) -> int:
    """Columns a terminal gives the text (full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - display_width(text))


def write_atomically(output: Path, data: bytes) -> None:
    """Write beside the target and rename, so a failure never leaves a half-written file."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def database_or_fail(work: Any) -> str:
    """Run ``work(engine)`` on the configured database; a bad URL or an unreachable server is one line, status 2."""
    from sqlalchemy.exc import SQLAlchemyError

    from sbd_tool.storage.db import make_engine
    from sbd_tool.storage.settings import ConfigError, from_environment

    try:
        url = str(from_environment()["DATABASE_URL"])
        engine = make_engine(url)
        try:
            work(engine)
        finally:
            engine.dispose()
    except ConfigError as exc:
        fail([Problem("", str(exc))], 2)
    except (SQLAlchemyError, OSError) as exc:
        lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        reason = lines[0][:200] if lines else type(exc).__name__
        fail([Problem("", f"データベースを使えません: {reason} / Cannot use the database: {reason}")], 2)
    return url
