"""responses: the tasting registration and round a response came from

A response started from a tasting's personal questionnaire link records its
registration and round ("before" / "after"; "" for every other response). One response
per account per consultation *and round*.

Revision ID: 0013_shift_survey_rounds
Revises: 0012_coding_suggestions
Create Date: 2026-11-29 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_shift_survey_rounds'
down_revision = '0012_coding_suggestions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('survey_round', sa.String(length=8), server_default='',
                                      nullable=False))
        batch_op.create_index(batch_op.f('ix_responses_registration_id'), ['registration_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_responses_registration_id_registrations'),
                                    'registrations', ['registration_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.drop_constraint('uq_responses_consultation_id_user_id', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_responses_consultation_id_user_id_survey_round'),
            ['consultation_id', 'user_id', 'survey_round'])
        batch_op.create_unique_constraint(
            batch_op.f('uq_responses_consultation_id_registration_id_survey_round'),
            ['consultation_id', 'registration_id', 'survey_round'])


def downgrade():
    # A second round of one account cannot survive the old rule: keep the first.
    op.execute("DELETE FROM responses WHERE survey_round = 'after' AND user_id IS NOT NULL "
               "AND EXISTS (SELECT 1 FROM responses AS r2 WHERE r2.consultation_id = "
               "responses.consultation_id AND r2.user_id = responses.user_id "
               "AND r2.id <> responses.id)")
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_responses_consultation_id_registration_id_survey_round'),
            type_='unique')
        batch_op.drop_constraint(
            batch_op.f('uq_responses_consultation_id_user_id_survey_round'), type_='unique')
        batch_op.create_unique_constraint('uq_responses_consultation_id_user_id',
                                          ['consultation_id', 'user_id'])
        batch_op.drop_constraint(batch_op.f('fk_responses_registration_id_registrations'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_responses_registration_id'))
        batch_op.drop_column('survey_round')
        batch_op.drop_column('registration_id')
