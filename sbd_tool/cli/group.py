"""The ``sbd-tool`` command group; the commands attach themselves in ``sbd_tool.cli``'s modules."""

from __future__ import annotations

import os

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sbd-tool")
def main() -> None:
    """SBDマニュアルの方法で、政府調達のセキュリティ要件を策定する。"""
    # sbd-tool uses no pydantic plugins; without this, the first validation of every command
    # searches the installed packages' metadata for them (about 18 ms of a 200 ms start, issue 16).
    # An operator who does use one can set the variable to a list of plugin names.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
