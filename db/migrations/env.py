"""Alembic environment: runs on the connection handed over by db.migrate."""

from alembic import context

from db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    # db.engine emits BEGIN itself, so DDL here is transactional: a failed upgrade leaves nothing behind.
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
