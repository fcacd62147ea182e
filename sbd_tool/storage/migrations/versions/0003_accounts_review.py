"""Accounts, organisations, revisions, review, comments and the audit log.

Projects made before accounts existed are given to an organisation named
「既存の案件（移行）」 and each gets its current state as revision 1 of its history, so an
admin can move them to the right organisation and nothing is lost.

Revision ID: 0003
Revises: 0002
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("password_changed_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_login_at", TS, nullable=True),
    )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, index=True),
        sa.Column("at", TS, nullable=False, index=True),
    )
    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("created_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="procurement"))
        batch.add_column(sa.Column("content_version", sa.String(100), nullable=True))
        batch.create_foreign_key("fk_project_organisation", "organisation", ["organisation_id"], ["id"])
        batch.create_foreign_key("fk_project_created_by", "app_user", ["created_by"], ["id"])
        batch.create_index("ix_project_organisation_id", ["organisation_id"])
    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("visited", sa.JSON(), nullable=False),
        sa.Column("step", sa.String(40), nullable=True),
        sa.Column("content_version", sa.String(100), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("project_id", "number"),
    )
    op.create_index("ix_revision_project_id", "revision", ["project_id"])
    op.create_table(
        "project_share",
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), primary_key=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("adviser_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("submitted_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
    )
    op.create_index("ix_review_project_id", "review", ["project_id"])
    op.create_table(
        "review_comment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False),
        sa.Column("requirement", sa.String(20), nullable=True),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("review_comment.id", ondelete="CASCADE"), nullable=True),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("resolved_at", TS, nullable=True),
        sa.Column("resolved_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
    )
    op.create_index("ix_review_comment_project_id", "review_comment", ["project_id"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", TS, nullable=False, index=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False, index=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
    _adopt_existing_projects()


def _adopt_existing_projects() -> None:
    connection = op.get_bind()
    project = sa.table(
        "project",
        sa.column("id", sa.Integer()),
        sa.column("answers", sa.JSON()),
        sa.column("visited", sa.JSON()),
        sa.column("version", sa.Integer()),
        sa.column("organisation_id", sa.Integer()),
    )
    rows = connection.execute(sa.select(project.c.id, project.c.answers, project.c.visited, project.c.version)).all()
    if not rows:
        return
    now = dt.datetime.now(dt.UTC)
    organisation = sa.table(
        "organisation", sa.column("id", sa.Integer()), sa.column("name", sa.String()), sa.column("created_at", TS)
    )
    org_id = connection.execute(
        organisation.insert().values(name="既存の案件（移行）", created_at=now).returning(organisation.c.id)
    ).scalar_one()
    connection.execute(project.update().values(organisation_id=org_id))
    revision_table = sa.table(
        "revision",
        sa.column("project_id", sa.Integer()),
        sa.column("number", sa.Integer()),
        sa.column("answers", sa.JSON()),
        sa.column("visited", sa.JSON()),
        sa.column("step", sa.String()),
        sa.column("content_version", sa.String()),
        sa.column("created_at", TS),
    )
    connection.execute(
        revision_table.insert(),
        [
            {
                "project_id": r.id,
                "number": r.version,
                "answers": r.answers,
                "visited": r.visited,
                "step": None,
                "content_version": "（移行前）",
                "created_at": now,
            }
            for r in rows
        ],  # fmt: skip
    )


def downgrade() -> None:
    for table in ("audit_event", "review_comment", "review", "project_share", "revision"):
        op.drop_table(table)
    with op.batch_alter_table("project") as batch:
        batch.drop_index("ix_project_organisation_id")
        batch.drop_constraint("fk_project_created_by", type_="foreignkey")
        batch.drop_constraint("fk_project_organisation", type_="foreignkey")
        for column in ("content_version", "kind", "created_by", "organisation_id"):
            batch.drop_column(column)
    op.drop_table("login_failure")
    op.drop_table("app_user")
    op.drop_table("organisation")
