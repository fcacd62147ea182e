"""The bare Flask floor for ``benchmarks/web_latency.py``: one route answering "hello".

Served by the same gunicorn command line as the wizard (``gunicorn hello_app:app``), so the
difference between the two is the wizard's own work (database, judgment engine, templates).
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
