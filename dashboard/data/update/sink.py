"""Where validated tables go: drafts in the store (issue 12), one per table, published by ``pflege``.

:func:`stage` is the only function the update path calls to hand tables over.

With the store (``dashboard.store`` + ``dashboard.data.imports`` on main), every fetched table
first passes the SAME complete check as an uploaded file
(:func:`dashboard.data.imports.check_table`: Kreis Düren only, all 15 municipalities, the
model's own consistency checks …); only when every table passed is each stored as a draft
with the service's provenance (:func:`dashboard.data.imports.create_draft_from_checked`). A
table the check refuses raises :class:`UpdateError` (``rejected``) and nothing is stored.
Nothing public changes until a user with the role ``pflege`` publishes a draft.

Without the store (older checkouts) the draft is a folder ``<user data>/entwuerfe/<id>/``
holding per table the tidy CSV, the flat CSV as delivered, the metadata and the provenance.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dashboard.data.errors import DataFormatError
from dashboard.data.update.errors import UpdateError
from dashboard.data.userdata import user_data_dir
from dashboard.text import UPDATE

if TYPE_CHECKING:
    from dashboard.data.update.run import FetchedTable

DRAFTS_FOLDER = "entwuerfe"


def _imports():
    """``dashboard.data.imports`` when the store is available, else ``None``."""
    try:
        from dashboard.data import imports
    except ImportError:
        return None
    return imports


def store_available() -> bool:
    """True when drafts go to the store (``dashboard.data.imports`` is importable)."""
    return _imports() is not None


def _actor(actor: Any):
    from dashboard.store import Actor

    if isinstance(actor, Actor):
        return actor
    return Actor((str(actor) if actor else UPDATE["actor_cli"])[:64], "pflege")


def stage(fetched: Sequence[FetchedTable], *, actor: Any = None) -> tuple[str, ...]:
    """Hand the validated tables of one run over as drafts; return their ids.

    Parameters
    ----------
    fetched : the tables of one run (all already validated by :func:`load_genesis`).
    actor : a ``dashboard.store.Actor`` (signed-in user) or a name; default: the update
        command acting as maintainer (role ``pflege``, as every command-line action).

    Raises
    ------
    UpdateError
        ``rejected`` when the store's import check refuses a table; nothing is stored then.
    """
    if not fetched:
        raise ValueError("stage() needs at least one table")
    imports = _imports()
    if imports is None:
        return (_stage_folder(fetched, actor=actor),)
    act = _actor(actor)
    checked = []
    for f in fetched:
        code = f.provenance["table_code"]
        try:
            checked.append(imports.check_table(f.table, filename=f"{code}_de_flat.csv", content=f.ffcsv))
        except DataFormatError as exc:
            details = "\n".join(f"  - {p}" for p in exc.problems[:20])
            raise UpdateError(
                "rejected",
                UPDATE["rejected"].format(table=code, service=f.provenance["service_label"], details=details),
                table=code,
                details=tuple(str(p) for p in exc.problems),
            ) from exc
    drafts = []
    try:
        for f, c in zip(fetched, checked):
            drafts.append(imports.create_draft_from_checked(c, actor=act, provenance=dict(f.provenance)))
    except BaseException:
        from dashboard.store import get_store

        for d in drafts:  # all or nothing: withdraw the drafts of this run
            try:
                get_store().discard(d.version.id, actor=act)
            except Exception:  # noqa: BLE001 (best effort; the original error is what counts)
                pass
        raise
    return tuple(str(d.version.id) for d in drafts)


def drafts_dir() -> Path:
    """Folder of the interim drafts (inside the user data folder; used without the store)."""
    return user_data_dir() / DRAFTS_FOLDER


def _stage_folder(fetched: Sequence[FetchedTable], *, actor: Any = None) -> str:
    now = datetime.now(UTC)
    digest = hashlib.sha256("".join(f.provenance["sha256"] for f in fetched).encode()).hexdigest()[:10]
    draft_id = f"aktualisierung-{now:%Y%m%dT%H%M%SZ}-{digest}"
    root = user_data_dir(create=True) / DRAFTS_FOLDER
    root.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    try:
        tables = []
        for f in fetched:
            code = f.provenance["table_code"]
            f.table.data.to_csv(tmp / f"{code}.csv", index=False)
            (tmp / f"{code}_de_flat.csv").write_bytes(f.ffcsv)
            (tmp / f"{code}_metadata.json").write_text(
                json.dumps(f.metadata, ensure_ascii=False, indent=2), encoding="utf-8"
            )
            tables.append(f.provenance)
        manifest = {
            "id": draft_id,
            "created_at": now.isoformat(timespec="seconds"),
            "actor": None if actor is None else str(getattr(actor, "name", actor)),
            "tables": tables,
        }
        (tmp / "entwurf.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        os.replace(tmp, root / draft_id)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return draft_id


__all__ = ["DRAFTS_FOLDER", "drafts_dir", "stage", "store_available"]
