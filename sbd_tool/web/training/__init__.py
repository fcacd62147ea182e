"""Training courses: a trainer gathers sample projects; trainees copy one into their own sandbox
(a training project only they and the organisation's trainers see), practise, use what-if, and
compare their levels with the sample's model answer. Practice never mixes with procurements. Its
templates are in ``templates/courses/``.

Importing the package registers every view on the ``courses`` blueprint (``bp``).
"""

from sbd_tool.web.training import manage, pages, practice  # noqa: F401  (each registers its views on bp)
from sbd_tool.web.training.blueprint import bp

__all__ = ["bp"]
