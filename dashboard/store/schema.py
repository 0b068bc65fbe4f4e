"""The store's tables (SQLAlchemy Core): the sum of what the Alembic revisions in
``migrations/versions`` declare (each revision's ``declare(metadata)``, oldest first), so the
columns are written once, in the revision that added them. ``tests/test_store.py`` checks that
a database migrated from empty, and one migrated from revision 0001, has exactly this schema.

=================  ==========================================================================
table              what it holds
=================  ==========================================================================
``users``          accounts: unique name, password hash (scrypt), role ``planung``/``pflege``
``versions``       every uploaded or fetched item of a channel, never overwritten: original
                   bytes (``content``), what consumers read (``payload``: tidy CSV of a table,
                   the workbook of a catalogue), SHA-256, provenance and validation report
                   (JSON), who and when, status ``draft``/``published``/``superseded``/
                   ``discarded``
``releases``       one row per publish or rollback of a channel, numbered 1, 2, … per channel;
                   ``based_on`` is the release it replaced (rollback walks back along it)
``release_items``  the versions that make up a release (the published set)
``channels``       one row per channel (``tables``, ``catalogue``): the active release and its
                   number — the optimistic-lock column of publish/rollback and the data
                   version the app polls
``audit``          who did what when: drafts, publish, rollback, refused publishes
                   (conflicts), account changes, saved and withdrawn scenarios
``scenarios``      saved scenarios (migration 0002): a short public ``key`` for the permalink,
                   title, description, the scenario document (JSON text, opaque to the store,
                   never changed after saving), its SHA-256, author and date; ``withdrawn_at``
                   hides it from lists (the row stays)
``scenario_municipalities``  the municipalities (AGS) a saved scenario has local inputs for
                   (the per-municipality list)
=================  ==========================================================================
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from dashboard.store.migrations import NAMING_CONVENTION

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
for _revision in reversed(
    list(ScriptDirectory(str(Path(__file__).with_name("migrations"))).walk_revisions())
):
    _revision.module.declare(metadata)

ROLES = ("planung", "pflege")
CHANNELS = ("tables", "catalogue")
STATUSES = ("draft", "published", "superseded", "discarded")

users = metadata.tables["users"]
versions = metadata.tables["versions"]
releases = metadata.tables["releases"]
release_items = metadata.tables["release_items"]
channels = metadata.tables["channels"]
audit = metadata.tables["audit"]
scenarios = metadata.tables["scenarios"]
scenario_municipalities = metadata.tables["scenario_municipalities"]
