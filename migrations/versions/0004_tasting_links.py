"""tastings link their before and after consultations

Revision ID: 0004_tasting_links
Revises: 0003_events
Create Date: 2026-11-28 08:50:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_tasting_links'
down_revision = '0003_events'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_events_before_consultation_id_consultations'),
            'consultations', ['before_consultation_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(
            batch_op.f('fk_events_after_consultation_id_consultations'),
            'consultations', ['after_consultation_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_events_after_consultation_id_consultations'), type_='foreignkey')
        batch_op.drop_constraint(
            batch_op.f('fk_events_before_consultation_id_consultations'), type_='foreignkey')
