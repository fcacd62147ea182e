"""Signing in: sign-in, sign-out and password change (blueprint ``auth``), the password rules, and
the hooks that load the signed-in user and check each view's access rule before it runs. Its
templates are in ``templates/auth/``.

- Passwords are hashed with scrypt (werkzeug). Every failed sign-in costs exactly one hash check,
  whether the name exists, is disabled or the password is wrong, so timing tells nothing.
- Sessions are rows the server can revoke (``sessions.py``); attempts are counted atomically
  before the hash runs (``throttle.py``), and no transaction is open while it runs.

Importing the package registers every view on ``bp``; ``init_app`` adds the hooks.
"""

from sbd_tool.web.auth import views  # noqa: F401  (registers its views on bp)
from sbd_tool.web.auth.blueprint import bp
from sbd_tool.web.auth.hooks import init_app

__all__ = ["bp", "init_app"]
