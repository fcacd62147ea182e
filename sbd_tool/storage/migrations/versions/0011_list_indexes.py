"""Indexes for the projects list and the review-state column (issue 16, item 3).

The projects list (``listing.project_page``) keeps the projects of one organisation and orders
them by ``updated_at`` then ``id``, newest first, 50 a page. With
``ix_project_organisation_id_updated_at`` the database reads that order from the index and stops
after the page, instead of sorting every project of the organisation; the pager's ``count(*)``
reads the same index. Each row's review state is the status of the project's latest review
(``ORDER BY id DESC LIMIT 1`` per project): ``ix_review_project_id_id`` answers it with one index
probe. History pages already have ``(project_id, number)``, the revision table's unique key.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_project_organisation_id_updated_at", "project", ["organisation_id", "updated_at", "id"])
    op.create_index("ix_review_project_id_id", "review", ["project_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_review_project_id_id", "review")
    op.drop_index("ix_project_organisation_id_updated_at", "project")
