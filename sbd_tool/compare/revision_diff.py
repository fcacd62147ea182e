"""Revision diff: what changed between two revisions of a project's answers document.

Pure: the catalogue and two ``sbd-tool/answers@1`` documents (plain data, as stored) in, the
changes out, in the order the wizard shows them. A reviewer reads it side by side.

Field changes are read from the raw documents, so a revision that does not validate (a draft
saved half-way, or data the content no longer accepts) still shows what changed. Judgment
conditions and levels come from the engine, evaluated on each side. Where a side cannot say
(its document has errors, or an unanswered question could still change the result), the value
is ``None`` rather than a guess: the engine's rules are monotonic (no 'not'), so a condition
that holds without the missing answers holds whatever they will be, and a level is known when
the lowest and highest outcomes the missing answers allow are the same.

This module is the entry point; the fields are read in ``description_changes`` (steps 1-3) and
``answer_changes`` (steps 4, 6, 7), the engine's view in ``judgment_changes``. The merge that uses
the same field keys is ``revision_merge``.
"""

from __future__ import annotations

from typing import Any

from sbd_tool.compare.answer_changes import answer_changes
from sbd_tool.compare.description_changes import description_changes
from sbd_tool.compare.judgment_changes import condition_changes, level_changes
from sbd_tool.compare.revision_model import RevisionDiff
from sbd_tool.compare.revision_side import RevisionSide
from sbd_tool.content.catalogue import Catalogue


def diff_revisions(catalogue: Catalogue, before: Any, after: Any) -> RevisionDiff:
    """Every change from ``before`` to ``after``: what was entered, then what the engine makes of it."""
    old, new = RevisionSide(catalogue, before), RevisionSide(catalogue, after)
    fields = tuple(
        change
        for section in (description_changes, answer_changes)
        for change in section(catalogue, old, new)
        if change.before != change.after
    )
    return RevisionDiff(
        fields,
        tuple(condition_changes(catalogue, old, new)),
        tuple(level_changes(catalogue, old, new)),
        old.note(catalogue),
        new.note(catalogue),
    )
