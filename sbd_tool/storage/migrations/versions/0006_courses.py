"""Training courses: samples that trainees copy into their own sandboxes.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "course",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
    )
    op.create_index("ix_course_organisation_id", "course", ["organisation_id"])
    op.create_table(
        "course_sample",
        sa.Column("course_id", sa.Integer(), sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("course_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("copied_from", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_project_course", "course", ["course_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.drop_constraint("fk_project_course", type_="foreignkey")
        batch.drop_column("copied_from")
        batch.drop_column("course_id")
    op.drop_table("course_sample")
    op.drop_index("ix_course_organisation_id", "course")
    op.drop_table("course")
