#!/usr/bin/env bash
# Set up (idempotently) and run the whole test suite. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/sbd-tool check-content
.venv/bin/ruff check sbd_tool tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
