"""Notifications (issue 17): an inbox per user, and an optional e-mail address on the account.

``notification`` rows are written in the transaction of the review action they report (review
requested, approved, returned; a comment or a reply); ``read_at`` marks them read. The header's
unread count is one query on the (user_id, read_at) index; the inbox pages by (user_id, id).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False),
        sa.Column("requirement", sa.String(20), nullable=True),
        sa.Column("comment_id", sa.Integer(), sa.ForeignKey("review_comment.id", ondelete="CASCADE"), nullable=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("read_at", TS, nullable=True),
    )
    op.create_index("ix_notification_user_id_read_at", "notification", ["user_id", "read_at"])
    op.create_index("ix_notification_user_id_id", "notification", ["user_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_notification_user_id_id", table_name="notification")
    op.drop_index("ix_notification_user_id_read_at", table_name="notification")
    op.drop_table("notification")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("email")
