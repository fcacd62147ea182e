"""Catalogue releases: every content version projects may be evaluated with.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_release",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("content_version", sa.String(100), nullable=False, unique=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("imported_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_table("catalogue_release")
