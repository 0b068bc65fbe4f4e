"""The user-data folder (kept for the measures catalogue until it moves into the store).

Imported official tables no longer live here: they are drafts and published versions in the
store (:mod:`dashboard.data.imports`, :mod:`dashboard.store`).
"""

from __future__ import annotations

from pathlib import Path

from dashboard.data.errors import DataFormatError, problem
from dashboard.data.imports import sanitise_filename
from dashboard.settings import REPO_DIR
from dashboard.settings import user_data_dir as _configured

SHIPPED_DATA_DIR: Path = REPO_DIR / "data"


def user_data_dir(*, create: bool = False) -> Path:
    """The user-data folder (``DASHBOARD_USER_DATA`` or ``<repo>/user_data``), never inside the
    shipped ``data/`` folder (refused with a :class:`DataFormatError`)."""
    folder = _configured()
    shipped = SHIPPED_DATA_DIR.resolve()
    if folder == shipped or shipped in folder.parents:
        raise DataFormatError(
            problem(
                str(folder),
                None,
                None,
                "einen Nutzerdaten-Ordner außerhalb der mitgelieferten Daten (data/)",
                str(folder),
            )
        )
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


__all__ = ["sanitise_filename", "user_data_dir"]
