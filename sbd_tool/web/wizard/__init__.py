"""The wizard: the seven step pages and the pages beside them (what-if, the exercise check, the
downloads), and step 6's clause page. Its templates are in ``templates/wizard/``.

Importing the package registers every view on the ``wizard`` blueprint (``bp``); the clause page
is a blueprint of its own (``clauses.bp``).
"""

from sbd_tool.web.wizard import (  # noqa: F401  (each registers its views on bp)
    diagram_views,
    output_views,
    row_edits,
    step_views,
    whatif_compare,
)
from sbd_tool.web.wizard.blueprint import bp

__all__ = ["bp"]
