"""The wizard: Flask feature blueprints wired together by ``app.create_app``."""

from sbd_tool.web.app import NotMigratedError, create_app

__all__ = ["NotMigratedError", "create_app"]
