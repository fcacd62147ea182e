"""``N_("…")`` marks a message that is translated where it is shown, not where it is written.

Tables built at import time (role names, review states, error pages, audit actions) hold their
Japanese text as it is, and the template shows it through ``_()``. The mark lets
``pybabel extract`` (and tests/test_i18n.py) find each message, so none is left without English.
"""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802 (the name pybabel looks for)
    """``text`` unchanged."""
    return text
