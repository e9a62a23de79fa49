"""tasting_approvals: the conditions in English beside the Dutch ones

Revision ID: 0014_tasting_conditions_en
Revises: 0013_shift_survey_rounds
Create Date: 2026-11-29 08:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_tasting_conditions_en'
down_revision = '0013_shift_survey_rounds'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasting_approvals') as batch:
        batch.add_column(sa.Column('conditions_en', sa.Text(), nullable=False,
                                   server_default=''))


def downgrade():
    with op.batch_alter_table('tasting_approvals') as batch:
        batch.drop_column('conditions_en')
