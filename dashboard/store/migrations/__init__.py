"""Alembic migrations of the store (``versions/``): each revision declares the tables it adds
in a function ``declare(metadata)`` used both by its ``upgrade()`` and by
:mod:`dashboard.store.schema`, which is the sum of the revisions' declarations. A revision file
is frozen once released: a later change of the schema is a new revision."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

#: Constraint names of every revision (fixed since revision 0001: changing it would rename the
#: constraints of existing databases).
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def create_declared(declare, *, existing: tuple[str, ...] = ()) -> sa.MetaData:
    """Create the tables (and their indexes) that ``declare(metadata)`` declares, on the
    migration's connection; ``existing`` are tables of earlier revisions they refer to
    (reflected from the database, not created). Returns the metadata."""
    bind = op.get_bind()
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    if existing:
        metadata.reflect(bind, only=list(existing))
    declare(metadata)
    metadata.create_all(bind, tables=[t for name, t in metadata.tables.items() if name not in existing])
    return metadata
