"""the mail outbox: one row per mail, delivered after the commit

Revision ID: 0008_outbox
Revises: 0007_oidc_links
Create Date: 2026-11-29 03:00:00

"""
from alembic import op
import sqlalchemy as sa

import consult.models.types


# revision identifiers, used by Alembic.
revision = '0008_outbox'
down_revision = '0007_oidc_links'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outgoing_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', consult.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('template', sa.String(length=80), nullable=False),
    sa.Column('message', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='mailstatus', native_enum=False, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', consult.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', consult.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('sent_at', consult.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.create_index('ix_outgoing_mails_due', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_mails_due')
    op.drop_table('outgoing_mails')
