"""stored coding suggestions: the newest training per language and its proposals

Revision ID: 0012_coding_suggestions
Revises: 0011_topics_coding
Create Date: 2026-11-29 07:25:00

"""
from alembic import op
import sqlalchemy as sa

import consult.models.types


# revision identifiers, used by Alembic.
revision = '0012_coding_suggestions'
down_revision = '0011_topics_coding'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coding_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('cv_accuracy', sa.Float(), nullable=True),
    sa.Column('n_coded', sa.Integer(), nullable=False),
    sa.Column('trained_at', consult.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_coding_models_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_models')),
    sa.UniqueConstraint('consultation_id', 'language', name=op.f('uq_coding_models_consultation_id_language'))
    )
    with op.batch_alter_table('coding_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coding_models_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('coding_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_coding_suggestions_answer_id_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['code_id'], ['coding_codes.id'], name=op.f('fk_coding_suggestions_code_id_coding_codes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['model_id'], ['coding_models.id'], name=op.f('fk_coding_suggestions_model_id_coding_models'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_suggestions')),
    sa.UniqueConstraint('model_id', 'answer_id', name=op.f('uq_coding_suggestions_model_id_answer_id'))
    )
    with op.batch_alter_table('coding_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coding_suggestions_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coding_suggestions_code_id'), ['code_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coding_suggestions_model_id'), ['model_id'], unique=False)


def downgrade():
    with op.batch_alter_table('coding_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coding_suggestions_model_id'))
        batch_op.drop_index(batch_op.f('ix_coding_suggestions_code_id'))
        batch_op.drop_index(batch_op.f('ix_coding_suggestions_answer_id'))

    op.drop_table('coding_suggestions')
    with op.batch_alter_table('coding_models', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coding_models_consultation_id'))

    op.drop_table('coding_models')
