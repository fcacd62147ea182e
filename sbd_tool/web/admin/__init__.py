"""Administration: organisations and accounts (blueprint ``admin``), and the audit log (its own
blueprint, ``audit_log``, in ``audit_log.py``). Its templates are in ``templates/admin/``.

Importing the package registers every view on the ``admin`` blueprint (``bp``).
"""

from sbd_tool.web.admin import organisations, users  # noqa: F401  (each registers its views on bp)
from sbd_tool.web.admin.blueprint import bp

__all__ = ["bp"]
