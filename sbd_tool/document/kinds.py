"""The three outputs and their names: a module of constants, light enough for the CLI to import
at start-up (``blocks`` imports the diagram drawing and the compliance matrix)."""

from __future__ import annotations

from typing import Literal

OutputKind = Literal["paste", "approval", "full"]
OUTPUT_KINDS: tuple[OutputKind, ...] = ("paste", "approval", "full")
# What each output is called: in file names, on buttons and in the CLI's report.
OUTPUT_NAMES: dict[str, str] = {"paste": "情報セキュリティ要件", "approval": "閲覧資料", "full": "仕様書一式"}
