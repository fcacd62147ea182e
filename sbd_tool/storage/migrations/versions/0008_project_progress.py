"""The projects list without parsing answers: each project's progress, stored when it is saved.

``project.steps_done`` is how many of the seven steps are done (as the wizard grades them). It is
written by the app whenever a project's answers, visited steps or content version change
(``sbd_tool.web.progress``). Rows that exist before this migration are left NULL: grading needs
the catalogue and the answers parser, which a migration must not depend on, so the list computes
those rows' progress when it shows them, until their next save stores it.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("steps_done", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.drop_column("steps_done")
