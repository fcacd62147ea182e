"""The ``sbd-tool`` command group; the commands attach themselves in ``sbd_tool.cli``'s modules."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sbd-tool")
def main() -> None:
    """SBDマニュアルの方法で、政府調達のセキュリティ要件を策定する。"""
