"""Where the web app finds what ships beside the code."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project folder: static/, instance/, examples/
