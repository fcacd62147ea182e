"""What content entries refer to, walked the same way by the cross-reference checks and by the
comparison of an exercise: the folders, placeholders in clause text, duplicate ids, the answer
tests of a condition and the condition ids of a rule."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from sbd_tool.content.schema import AnswerGroup, AnswerTest, RuleGroup

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
Q, R = "questionnaires", "requirement_sets"


def duplicates(ids: Iterable[str]) -> set[str]:
    """The ids given more than once."""
    seen: set[str] = set()
    return {i for i in ids if i in seen or seen.add(i)}  # type: ignore[func-returns-value]


def answer_tests(group: AnswerGroup, loc: list[int | str]) -> Iterator[tuple[AnswerTest, list[int | str]]]:
    key = "all" if group.all is not None else "any"
    for i, item in enumerate(group.all or group.any or []):
        if isinstance(item, AnswerGroup):
            yield from answer_tests(item, [*loc, key, i])
        else:
            yield item, [*loc, key, i]


def rule_condition_ids(when: str | RuleGroup) -> Iterator[str]:
    """Every condition id a rule mentions."""
    if isinstance(when, str):
        yield when
        return
    for item in when.all or when.any or []:
        yield from rule_condition_ids(item)
