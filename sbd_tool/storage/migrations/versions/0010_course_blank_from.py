"""Training courses that start a trainee's copy blank from a step (issue 17, defect 5).

``course.blank_from`` names the step from which a trainee's copy of a sample starts blank
(「手順4以降は白紙から始める」: ``questions``); NULL keeps the sample's answers. In every case the
copy starts without the model's decisions, so the exercise check is the trainee's own work.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("course") as batch:
        batch.add_column(sa.Column("blank_from", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("course") as batch:
        batch.drop_column("blank_from")
