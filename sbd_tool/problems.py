"""A problem found in user-supplied or content data, located precisely."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing to fix: ``where`` locates it (file, line, key path); ``message`` says what.
    ``en``: the message in English where one is written (the answers file's structural
    problems); two problems are equal whatever their English."""

    where: str
    message: str
    en: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ProblemsError(Exception):
    """Raised with every problem found, so the user can fix them all in one go."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
