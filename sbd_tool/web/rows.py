"""Row actions for editable lists when JavaScript is off: ``row:<op>:<path>``.

``path`` walks the form data by keys and indices, e.g. ``tasks:0:subjects``; ``op`` is add
(append a blank row to that list), remove, up or down (the row at the path's last index).
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
    except (KeyError, IndexError, TypeError):
        pass
    return data


def _walk(data: Any, path: list[int | str]) -> Any:
    for key in path:
        data = data[key]
    if not isinstance(data, list):
        raise TypeError("not a list")
    return data
