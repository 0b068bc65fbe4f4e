"""Alembic environment of the store: the connection comes from :func:`dashboard.store.db.upgrade`
(``config.attributes["connection"]``), so no ``alembic.ini`` and no URL in a file is needed."""

from __future__ import annotations

from alembic import context

from dashboard.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
