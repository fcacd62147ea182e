"""Second validation pass: every id that one file names exists where it should.

This module holds the files the checks read and ``check``, which runs them all; the checks
themselves are in ``crossref_requirements``, ``crossref_questions``, ``crossref_rules`` and
``crossref_cloud``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbd_tool.content.crossref_cloud import check_cloud
from sbd_tool.content.crossref_questions import check_questions
from sbd_tool.content.crossref_requirements import check_equivalents, check_requirements
from sbd_tool.content.crossref_rules import check_conditions, check_rules
from sbd_tool.content.schema import (
    CatalogueMeta,
    CategoryFile,
    CloudFile,
    ConditionsFile,
    QuestionsFile,
    RulesFile,
    StepsFile,
)
from sbd_tool.content.yamlfile import YamlFile
from sbd_tool.problems import Problem


@dataclass(frozen=True)
class ContentFiles:
    files: dict[str, YamlFile]
    meta: CatalogueMeta
    categories: tuple[CategoryFile, ...]
    steps: StepsFile
    questions: QuestionsFile
    conditions: ConditionsFile
    rules: RulesFile
    cloud: CloudFile | None = None


def check(c: ContentFiles) -> list[Problem]:
    """All cross-reference problems of the content, each located in its file."""
    return [
        *check_requirements(c),
        *check_questions(c),
        *check_conditions(c),
        *check_rules(c),
        *check_cloud(c),
        *check_equivalents(c),
    ]
