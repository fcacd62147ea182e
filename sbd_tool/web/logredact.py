"""Access logs never carry a bidder link's token (``/bid/<token>`` → ``/bid/[redacted]``).

The token is a bearer credential: anyone who reads a log line could open the link. Both servers
that ``sbd-tool serve`` runs are covered: gunicorn (``RedactingGunicornLogger``, passed as
``--logger-class``) and werkzeug's development server (a filter on the ``werkzeug`` logger).
"""

from __future__ import annotations

import logging
import re
from typing import Any

TOKEN_PATH = re.compile(r"(/bid/)[^/\s?\"]+")


def redact(text: str) -> str:
    return TOKEN_PATH.sub(r"\1[redacted]", text)


class RedactingFilter(logging.Filter):
    """Rewrites a log record's message and arguments with the token removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def install_werkzeug_filter() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())


try:  # gunicorn is installed with the app, but the core must not need it
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover
    _GunicornLogger = object


class RedactingGunicornLogger(_GunicornLogger):  # type: ignore[misc]
    """gunicorn's logger with the request line, path and referrer redacted."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
