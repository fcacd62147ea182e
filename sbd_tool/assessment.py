"""One assessment of one answers document: the single path from answers to a specification.

Every screen, download and command that needs levels or a document calls ``assess`` and, for a
document, ``specification``. So there is exactly one readiness verdict: the wizard, the review
page, the bidder page and the CLI can never disagree about whether a spec may be produced.
Pure: no Flask, no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sbd_tool.answers.obligations import obligation_problems
from sbd_tool.answers.read import Answers, AnswersError, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.content.schema import Parameter
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.engine.parameters import open_parameters, parameter_problems
from sbd_tool.engine.rules import decision_problems, evaluate
from sbd_tool.problems import Problem

if TYPE_CHECKING:  # the document model is imported when a specification is asked for
    from sbd_tool.document.model import Approval, DocumentModel


class NotReady(Exception):
    """A specification was asked for an assessment that is not ready; ``problems`` say why."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Assessment:
    """The answers read once, their evaluation with its trace, and what stands between them and a spec.

    ``answers``/``evaluation`` are None only when even a half-finished reading fails (the stored
    document no longer matches the questionnaire). ``problems`` are located (``where`` is the
    answers path) so a form can put each next to its field.
    """

    catalogue: Catalogue
    answers: Answers | None
    evaluation: Evaluation | None
    problems: tuple[Problem, ...]
    # Parameters a printed clause uses that have no value: printed as 「発注者が指定する…」 and
    # listed before a download (not a block).
    open_parameters: tuple[Parameter, ...] = ()

    @property
    def ready(self) -> bool:
        """The one verdict: may a specification be produced from these answers?"""
        return self.answers is not None and self.evaluation is not None and not self.problems


def assess(catalogue: Catalogue, data: Any) -> Assessment:
    """Read an answers document (dict as stored or loaded) and evaluate it.

    A complete document is read strictly; a half-finished one (the wizard's) is still evaluated
    so its levels can be shown, and what makes it incomplete becomes its problems.
    """
    problems: list[Problem] = []
    try:
        answers = parse_answers(data, catalogue)
    except AnswersError as strict:
        problems.extend(strict.problems)
        try:
            answers = parse_answers(data, catalogue, partial=True)
        except AnswersError as lenient:
            return Assessment(catalogue, None, None, tuple(lenient.problems))
    evaluation = evaluate(catalogue, answers)
    known = {p.where for p in problems}
    found = [*decision_problems(catalogue, evaluation), *obligation_problems(catalogue, answers)]
    found += parameter_problems(catalogue, answers)
    problems.extend(p for p in found if p.where not in known)
    left_open = open_parameters(catalogue, answers, evaluation)
    return Assessment(catalogue, answers, evaluation, tuple(problems), left_open)


def specification(assessment: Assessment, today: dt.date, approval: Approval | None = None) -> DocumentModel:
    """The document model every output (Word, Markdown, HTML, matrix, bidder page) is drawn from."""
    if not assessment.ready or assessment.answers is None or assessment.evaluation is None:
        raise NotReady(assessment.problems)
    from sbd_tool.document.build import build_document

    return build_document(assessment.catalogue, assessment.answers, assessment.evaluation, today, approval)
