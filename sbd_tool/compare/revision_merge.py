"""Two versions of an answers document merged field by field, by the revision diff's keys: what
the conflict page keeps of a user's own input when two tabs saved the same project."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from sbd_tool.compare.raw_document import as_mapping, as_sequence, keyed


def merge_documents(theirs: Any, mine: Any, take_mine: Iterable[str]) -> dict[str, Any]:
    """``theirs`` with the fields named in ``take_mine`` (``FieldChange.where`` keys from
    ``diff_revisions(catalogue, theirs, mine)``) taken from ``mine``: what a user keeps of their
    own input when two tabs saved the same project. Pure: neither document is changed."""
    out: dict[str, Any] = copy.deepcopy(as_mapping(theirs))
    own = as_mapping(mine)
    added: dict[str, set[int]] = {}  # added_clauses.<requirement>.<n>: taken together, after the loop
    for where in take_mine:
        head, _, rest = where.partition(".")
        if "#" in rest or not rest:
            continue  # a repeated id: which one is meant cannot be told
        if head == "project":
            _take_key(out.setdefault("project", {}), as_mapping(own.get("project")), rest)
        elif head == "tasks":
            tid, _, key = rest.partition(".")
            _take_item(
                _list_in(out, "project", "tasks"),
                as_sequence(as_mapping(own.get("project")).get("tasks")),
                "T",
                tid,
                key,
            )
        elif head == "diagram":
            kind, _, iid = rest.partition(".")
            prefix = {"zones": "Z", "elements": "E", "flows": "F"}.get(kind)
            if prefix is not None:
                _take_item(
                    _list_in(out, "diagram", kind),
                    as_sequence(as_mapping(own.get("diagram")).get(kind)),
                    prefix,
                    iid,
                    "",
                )
        elif head in ("answers", "parameters", "document", "tailoring"):
            _take_key(out.setdefault(head, {}), as_mapping(own.get(head)), rest)
        elif head in ("decisions", "responsibilities", "obligations"):
            rid, _, key = rest.rpartition(".")
            required = {"decisions": "level", "responsibilities": "party", "obligations": "obligation"}[head]
            _take_entry(out.setdefault(head, {}), as_mapping(own.get(head)), rid, key, required)
        elif head == "added_clauses":
            rid, _, n = rest.rpartition(".")
            if rid and n.isdigit() and int(n) > 0:
                added.setdefault(rid, set()).add(int(n))
    for rid, numbers in added.items():
        _take_added(out, as_sequence(own.get("added_clauses")), rid, numbers)
    for key in (
        "answers",
        "parameters",
        "document",
        "decisions",
        "responsibilities",
        "obligations",
        "diagram",
        "tailoring",
    ):
        if key in out and not out[key] and not as_mapping(theirs).get(key):
            del out[key]  # not there before and nothing taken into it
    return out


def _take_key(target: dict[str, Any], source: dict[Any, Any], key: str) -> None:
    if key in source:
        target[key] = copy.deepcopy(source[key])
    else:
        target.pop(key, None)


def _list_in(doc: dict[str, Any], outer: str, key: str) -> list[Any]:
    container = doc.setdefault(outer, {})
    if not isinstance(container.get(key), list):
        container[key] = []
    found: list[Any] = container[key]
    return found


def _take_item(target: list[Any], source: list[Any], prefix: str, iid: str, key: str) -> None:
    """One item of a list keyed by id (by position when the id is left out, as ``keyed``): the
    whole item (added, removed, replaced) when ``key`` is empty, else one of its keys."""
    mine = keyed(source, prefix).get(iid)
    ids = list(keyed(target, prefix))
    here = ids.index(iid) if iid in ids else None
    if key and here is None:
        return  # a field of an item that is not here: it comes (or not) with the item itself
    if not key or here is None:
        if mine is None:
            if here is not None:
                del target[here]
        elif here is not None:
            target[here] = copy.deepcopy(mine)
        else:  # added in mine: after the nearest item that precedes it there and is kept here
            order = list(keyed(source, prefix))
            preceding = [b for b in order[: order.index(iid)] if b in ids]
            target.insert(ids.index(preceding[-1]) + 1 if preceding else 0, copy.deepcopy(mine))
        return
    if mine is not None and isinstance(target[here], dict):
        _take_key(target[here], mine, key)


def _take_entry(target: dict[str, Any], source: dict[Any, Any], rid: str, key: str, required: str) -> None:
    """One key of a decision (level, reason) or an assignment (party, reason); an entry without
    its level (or party) is no entry."""
    entry = dict(as_mapping(target.get(rid)))
    _take_key(entry, as_mapping(source.get(rid)), key)
    if required in entry:
        target[rid] = entry
    else:
        target.pop(rid, None)


def _is_of(item: Any, rid: str) -> bool:
    return isinstance(item, dict) and item.get("requirement") == rid


def _take_added(out: dict[str, Any], source: list[Any], rid: str, numbers: set[int]) -> None:
    """A requirement's added clauses, by their place among its own (1-based, as the diff numbers
    them): each place taken is mine (a clause, or none where mine has fewer); the others stay."""
    target = as_sequence(out.get("added_clauses"))
    slots: list[Any] = [a for a in target if _is_of(a, rid)]
    own = [a for a in source if _is_of(a, rid)]
    for n in sorted(numbers):
        slots += [None] * (n - len(slots))
        slots[n - 1] = copy.deepcopy(own[n - 1]) if n <= len(own) else None
    at = next((i for i, a in enumerate(target) if _is_of(a, rid)), len(target))
    others = [a for a in target if not _is_of(a, rid)]
    merged = others[:at] + [a for a in slots if a is not None] + others[at:]
    if merged:
        out["added_clauses"] = merged
    else:
        out.pop("added_clauses", None)
