#!/usr/bin/env bash
# Set up (idempotently) and start the wizard on the embedded SQLite database
# (instance/sbd-tool.sqlite3). Sample projects are one click away on the projects page.
# Set DATABASE_URL=postgresql://… to use PostgreSQL instead; PORT to change the port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/sbd-tool check-content
.venv/bin/sbd-tool db upgrade
# The first run asks for the first administrator's password (there is no default password).
# Without a terminal the server starts anyway; its sign-in page says how to create the admin.
if [ -t 0 ]; then
  .venv/bin/sbd-tool create-admin --if-missing
else
  echo "管理者アカウントの作成には端末で .venv/bin/sbd-tool create-admin を実行してください（未作成の場合）。" >&2
fi
exec .venv/bin/sbd-tool serve --port "${PORT:-5000}"
