"""The catalogue as maintained content: the admin's view, export, import and activation of a
release, and each project's preview of a newer release before its officer adopts it. Its
templates are in ``templates/catalogue/``.

Importing the package registers every view on the ``catalogue`` blueprint (``bp``).
"""

from sbd_tool.web.catalogue import project_update, release_pages  # noqa: F401  (each registers its views on bp)
from sbd_tool.web.catalogue.blueprint import bp

__all__ = ["bp"]
