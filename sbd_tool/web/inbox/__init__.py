"""The inbox (お知らせ): the pages of a user's notifications and the unread count in the header.
Its template is in ``templates/inbox/``.

Importing the package registers the views on the ``inbox`` blueprint (``bp``).
"""

from sbd_tool.web.inbox.views import bp

__all__ = ["bp"]
