"""Row actions for editable lists when JavaScript is off: ``row:<op>:<path>``.

``path`` walks the form data by keys and indices, e.g. ``tasks:0:subjects``; ``op`` is add
(append a blank row to that list), remove, up or down (the row at the path's last index).
"""

from __future__ import annotations

import copy
from typing import Any


def _next_task_id(tasks: list[dict[str, Any]]) -> str:
    used = {t.get("id") for t in tasks}
    n = len(tasks) + 1
    while f"T{n}" in used:
        n += 1
    return f"T{n}"


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
            target.append({"id": _next_task_id(target)} if path[-1] == "tasks" else {})
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
