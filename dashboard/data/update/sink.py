"""Where validated tables go: ONE draft per update run (the boundary to the store of issue 12).

:func:`stage` is the only function the update path calls to hand tables over. Until the store
(``dashboard/store``: drafts, publish by role ``pflege``, rollback) is on main, the draft is a
folder ``<user data>/entwuerfe/<draft id>/`` holding per table the tidy CSV, the flat CSV as
delivered, the service's metadata and the provenance, plus ``entwurf.json``. Nothing there is
read by the model; publishing is the store's job.
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
from typing import TYPE_CHECKING

from dashboard.data.userdata import user_data_dir

if TYPE_CHECKING:
    from dashboard.data.update.run import FetchedTable

DRAFTS_FOLDER = "entwuerfe"


def drafts_dir() -> Path:
    """Folder of the interim drafts (inside the user data folder)."""
    return user_data_dir() / DRAFTS_FOLDER


def stage(fetched: Sequence[FetchedTable], *, actor: str | None = None) -> str:
    """Hand the validated tables of one run over as one draft; return the draft id.

    The folder is written completely under a temporary name and then renamed, so a crash
    leaves no half draft.
    """
    if not fetched:
        raise ValueError("stage() needs at least one table")
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
            "actor": actor,
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


__all__ = ["DRAFTS_FOLDER", "drafts_dir", "stage"]
