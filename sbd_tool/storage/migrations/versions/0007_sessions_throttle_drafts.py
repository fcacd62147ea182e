"""Server-side sessions, atomic sign-in throttling, drafts per user, expiring adviser shares,
audit-log indexes for its filters.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "auth_session",
        sa.Column("id", sa.String(64), primary_key=True),  # SHA-256 of the token in the cookie
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("address", sa.String(64), nullable=False, server_default=""),
    )
    op.create_index("ix_auth_session_user_id", "auth_session", ["user_id"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("window_start", TS, nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("lockouts", sa.Integer(), nullable=False, server_default="0"),
    )
    op.drop_table("login_failure")
    # Drafts belong to a user and a project: rebuild the table with the user in the key.
    op.create_table(
        "step_draft_new",
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("step", sa.String(40), primary_key=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.execute(
        "INSERT INTO step_draft_new (project_id, user_id, step, data, base_version, updated_at) "
        "SELECT d.project_id, p.created_by, d.step, d.data, d.base_version, d.updated_at "
        "FROM step_draft d JOIN project p ON p.id = d.project_id WHERE p.created_by IS NOT NULL"
    )
    op.drop_table("step_draft")
    op.rename_table("step_draft_new", "step_draft")
    with op.batch_alter_table("project_share") as batch:
        batch.add_column(sa.Column("expires_at", TS, nullable=True))
    op.create_index("ix_audit_event_username_id", "audit_event", ["username", "id"])
    op.create_index("ix_audit_event_project_id_id", "audit_event", ["project_id", "id"])
    op.create_index("ix_audit_event_user_id_id", "audit_event", ["user_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_user_id_id", "audit_event")
    op.drop_index("ix_audit_event_project_id_id", "audit_event")
    op.drop_index("ix_audit_event_username_id", "audit_event")
    with op.batch_alter_table("project_share") as batch:
        batch.drop_column("expires_at")
    op.create_table(
        "step_draft_old",
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("step", sa.String(40), primary_key=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.execute(
        "INSERT INTO step_draft_old (project_id, step, data, base_version, updated_at) "
        "SELECT d.project_id, d.step, d.data, d.base_version, d.updated_at FROM step_draft d "
        "JOIN project p ON p.id = d.project_id AND p.created_by = d.user_id"
    )
    op.drop_table("step_draft")
    op.rename_table("step_draft_old", "step_draft")
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_login_failure_key", "login_failure", ["key"])
    op.create_index("ix_login_failure_at", "login_failure", ["at"])
    op.drop_table("login_throttle")
    op.drop_index("ix_auth_session_user_id", "auth_session")
    op.drop_table("auth_session")
