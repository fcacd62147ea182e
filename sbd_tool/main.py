"""The ``sbd-tool`` console script: the command line's commands and the web's own commands
(serve, create-admin, unlock-user) in one group. The only module that imports both shells."""

from __future__ import annotations

from sbd_tool.cli import main
from sbd_tool.web.server import WEB_COMMANDS

for command in WEB_COMMANDS:
    main.add_command(command)

__all__ = ["main"]

if __name__ == "__main__":
    main()
