"""WSGI entry point: ``gunicorn 'sbd_tool.web.wsgi:app'`` (what ``sbd-tool serve --workers N`` runs)."""

from sbd_tool.web import create_app

app = create_app()
