"""Raw answers documents read defensively, for the revision diff and the merge: a part of the
wrong type reads as empty, a scalar as the parser reads it, list items keyed by id."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any, Protocol


def as_mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def as_sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_text(value: Any) -> str:
    """A scalar as the parser reads it; anything else written out, so a change still shows."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def or_absent(text: str, absent: str) -> str:
    return text if text else absent


class Named(Protocol):
    """An option-like item of the content: matrix options, diagram kinds, cloud parties."""

    @property
    def id(self) -> str: ...

    @property
    def label(self) -> str: ...


def option_label(options: Iterable[Named], value: Any) -> str:
    """An option's label; a value that is not an option is shown as it is."""
    token = as_text(value)
    return next((o.label for o in options if o.id == token), token)


def keyed(items: list[Any], prefix: str) -> dict[str, dict[Any, Any]]:
    """Items by id (by position, like the parser, when left out); a repeated id gets #2, #3…"""
    out: dict[str, dict[Any, Any]] = {}
    for i, item in enumerate(items):
        raw = as_mapping(item)
        key = base = as_text(raw.get("id")) or f"{prefix}{i + 1}"
        n = 1
        while key in out:
            n += 1
            key = f"{base}#{n}"
        out[key] = raw
    return out


def union(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Keys in the newer order, then those only the older revision has."""
    return [*new, *(k for k in old if k not in new)]
