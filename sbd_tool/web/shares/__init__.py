"""Read-only links for bidders: created by an officer, signed, expiring, revocable, logged. Its
templates are in ``templates/shares/``.

Importing the package registers every view on the ``shares`` blueprint (``bp``); ``init_app``
adds the headers of the token pages.
"""

from sbd_tool.web.shares import manage  # noqa: F401  (registers its views on bp)
from sbd_tool.web.shares.bidder import init_app
from sbd_tool.web.shares.blueprint import bp

__all__ = ["bp", "init_app"]
