"""Reviews of a project: its history and the comparison of revisions, submission to an adviser
and the adviser's decision, comments, and the review page. Its templates are in
``templates/review/``.

Importing the package registers every view on the ``review`` blueprint (``bp``).
"""

from sbd_tool.web.review import (  # noqa: F401  (each registers its views on bp)
    comments,
    history,
    page,
    revision_documents,
    submission,
)
from sbd_tool.web.review.blueprint import bp

__all__ = ["bp"]
