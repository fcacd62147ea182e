"""``sbd-tool``: the command line, a thin shell around the core.

Exit status: 0 success, 1 invalid content (``questionnaires/``, ``requirement_sets/``),
2 bad input (the answers file or the command line). Problems go to standard error, one a line.

Only what every command needs is imported at start-up; a command imports the renderers, the
bundle code, the what-if engine and the rest when it runs, so ``sbd-tool levels`` does not pay
for python-docx or openpyxl (issue 16: cold start).
"""

from sbd_tool.cli import content, database, spec  # noqa: F401  (each module attaches its commands)
from sbd_tool.cli.group import main

__all__ = ["main"]
