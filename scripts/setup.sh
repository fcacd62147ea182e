#!/usr/bin/env bash
# Set up everything sbd-tool needs on a fresh Debian machine, idempotently:
# system packages (only the missing ones), a virtual environment in .venv, the project.
# Safe to run again: what is already there is skipped quickly.
set -euo pipefail
cd "$(dirname "$0")/.."

# LibreOffice converts generated .docx to PDF in the tests; Noto CJK gives it and Chromium
# Japanese glyphs; poppler-utils turns PDFs into text and PNGs; Chromium runs the browser tests
# (driven by Playwright, never a downloaded browser); PostgreSQL is the second database the
# suite runs against.
APT_PACKAGES=(libreoffice-writer-nogui fonts-noto-cjk poppler-utils chromium postgresql)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.sbd-tool-installed
want=$(cat setup.cfg pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing sbd-tool and its dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  echo "$want" > "$stamp"
fi
