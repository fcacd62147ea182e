"""``python -m sbd_tool.cli``: the command line's own commands (``python -m sbd_tool.main`` adds the web's)."""

from sbd_tool.cli import main

main()
