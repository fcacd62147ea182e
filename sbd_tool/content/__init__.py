"""Content: the questionnaire and the requirement set, loaded from YAML and validated."""

from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.loader import ContentError, default_content_root, load_catalogue

__all__ = ["Catalogue", "ContentError", "default_content_root", "load_catalogue"]
