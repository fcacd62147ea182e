"""Row actions for editable lists when JavaScript is off: ``row:<op>:<path>``.

``path`` walks the form data by keys and indices, e.g. ``tasks:0:subjects``; ``op`` is add
(append a blank row to that list), remove, up or down (the row at the path's last index), or:

- ``copy`` (``tasks:0:information:1``): a copy of that row right after it (a new id where rows have ids);
- ``fill`` (``tasks:0:means``): every row of the list gets this row's value of the last key
  ("apply these means to all tasks");
- ``merge`` (``tasks:0:2`` or ``tasks:0:all``): the source row's lists are added to the target row
  (or to every other row): named items the target lacks are appended, its blank items dropped,
  plain values (checkbox choices) joined. Nothing the target holds is lost.

The step-2 page (static/sbd-step2.js) does the same in place when JavaScript runs.
"""

from __future__ import annotations

import copy
from typing import Any

ID_PREFIX = {"tasks": "T", "zones": "Z", "elements": "E", "flows": "F"}  # lists whose rows carry an id


def _next_id(rows: list[dict[str, Any]], prefix: str) -> str:
    used = {r.get("id") for r in rows}
    n = len(rows) + 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


def apply_row_action(data: dict[str, Any], action: str) -> dict[str, Any]:
    """A copy of ``data`` with the row action applied; unknown actions change nothing."""
    data = copy.deepcopy(data)
    parts = action.split(":")
    if len(parts) < 3:
        return data
    op, path = parts[1], [int(p) if p.isdigit() else p for p in parts[2:]]
    try:
        if op == "add":
            target = _walk(data, path)
            prefix = ID_PREFIX.get(str(path[-1])) if len(path) == 1 else None
            target.append({"id": _next_id(target, prefix)} if prefix else {})
        elif op in ("remove", "up", "down") and isinstance(path[-1], int):
            rows, i = _walk(data, path[:-1]), path[-1]
            if op == "remove":
                del rows[i]
            elif op == "up" and i > 0:
                rows[i - 1], rows[i] = rows[i], rows[i - 1]
            elif op == "down" and i + 1 < len(rows):
                rows[i + 1], rows[i] = rows[i], rows[i + 1]
        elif op == "copy" and isinstance(path[-1], int):
            rows, i = _walk(data, path[:-1]), path[-1]
            twin = copy.deepcopy(rows[i])
            prefix = ID_PREFIX.get(str(path[-2])) if len(path) == 2 else None
            if prefix:
                twin["id"] = _next_id(rows, prefix)
            rows.insert(i + 1, twin)
        elif op == "fill" and len(path) >= 3 and isinstance(path[-2], int) and path[-1] != "id":
            rows, i, key = _walk(data, path[:-2]), path[-2], path[-1]
            value = rows[i][key]
            for row in rows:
                row[key] = copy.deepcopy(value)
        elif op == "merge" and len(path) >= 3 and isinstance(path[-2], int):
            rows, i, to = _walk(data, path[:-2]), path[-2], path[-1]
            targets = [k for k in range(len(rows)) if k != i and (to == "all" or str(k) == str(to))]
            for k in targets:
                _merge(rows[i], rows[k])
    except (KeyError, IndexError, TypeError, ValueError):
        pass
    return data


def _named(item: Any) -> bool:
    return isinstance(item, dict) and bool(str(item.get("name") or "").strip())


def _merge(source: dict[str, Any], target: dict[str, Any]) -> None:
    """Add ``source``'s list items to ``target``'s lists (see the module docstring)."""
    for key, items in source.items():
        have = target.get(key)
        if not isinstance(items, list) or not isinstance(have, list):
            continue
        if any(isinstance(item, dict) for item in items + have):
            kept = [item for item in have if _named(item)]
            names = {str(item["name"]).strip() for item in kept}
            added = [copy.deepcopy(item) for item in items if _named(item) and str(item["name"]).strip() not in names]
            if kept or added:
                target[key] = kept + added
        else:
            target[key] = have + [item for item in items if item not in have]


def _walk(data: Any, path: list[int | str]) -> Any:
    for key in path:
        data = data[key]
    if not isinstance(data, list):
        raise TypeError("not a list")
    return data
