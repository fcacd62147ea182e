"""Projects: the list (searched and paged in SQL), making, duplicating, importing, exporting and
deleting a project, the trash, and the sample projects. Its templates are in
``templates/projects/``.

Importing the package registers every view on the ``projects`` blueprint (``bp``).
"""

from sbd_tool.web.projects import files, trash, views  # noqa: F401  (each registers its views on bp)
from sbd_tool.web.projects.blueprint import bp

__all__ = ["bp"]
