"""The imported catalogue in the user data folder, and which catalogue is active.

A valid imported workbook (``<user data folder>/massnahmen/catalogue.xlsx``) is the active
catalogue; without one the shipped workbook is. Small and separate on purpose: the store
(issue 12) will keep imported catalogues in the database.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from pathlib import Path

from dashboard.data.errors import DataFormatError
from dashboard.data.measures.catalogue import SHIPPED_WORKBOOK, Catalogue
from dashboard.data.measures.workbook_reader import load_workbook
from dashboard.data.userdata import user_data_dir

#: Sub-folder of the user data folder that holds an imported catalogue.
USER_SUBDIR = "massnahmen"
USER_WORKBOOK_NAME = "catalogue.xlsx"


def _user_dir(user_dir: str | Path | None = None) -> Path:
    """Folder for an imported catalogue: ``<user data folder>/massnahmen``.

    The user data folder is the project's one (:func:`dashboard.data.userdata.user_data_dir`:
    ``DASHBOARD_USER_DATA`` looked up at call time, default ``<repo>/user_data``, never inside
    the shipped ``data/`` folder).
    """
    if user_dir is None:
        user_dir = user_data_dir()
    return Path(user_dir) / USER_SUBDIR


def user_workbook_path(user_dir: str | Path | None = None) -> Path:
    """Where an imported catalogue workbook is stored."""
    return _user_dir(user_dir) / USER_WORKBOOK_NAME


def import_workbook(
    source: str | Path | bytes, *, user_dir: str | Path | None = None, display_name: str | None = None
) -> Catalogue:
    """Validate an edited workbook and, if valid, make it the active catalogue.

    Parameters
    ----------
    source : path or bytes
        The workbook (bytes: e.g. from a browser upload).
    user_dir : path, optional
        User data folder (default: ``DASHBOARD_USER_DATA`` / ``<repo>/user_data``).
    display_name : str, optional
        File name for error messages.

    Returns
    -------
    Catalogue
        The imported catalogue (``origin="imported"``).

    Raises
    ------
    DataFormatError
        If the workbook is invalid; nothing is stored then, and the shipped catalogue is
        never touched.
    """
    if isinstance(source, (bytes, bytearray)):
        blob = bytes(source)
        name = display_name or "Upload.xlsx"
    else:
        blob = Path(source).read_bytes()
        name = display_name or Path(source).name
    cat = load_workbook(io.BytesIO(blob), origin="imported", display_name=name)
    target = user_workbook_path(user_dir)
    if target.resolve() == SHIPPED_WORKBOOK.resolve():  # pragma: no cover - defensive
        raise RuntimeError("refusing to overwrite the shipped catalogue")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".xlsx.part")
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
    os.replace(tmp, target)
    _load_cached.cache_clear()
    return Catalogue(cat.measures, cat.municipalities, cat.sources, origin="imported", path=str(target))


def reset_import(user_dir: str | Path | None = None) -> bool:
    """Remove an imported catalogue (the shipped one becomes active again)."""
    p = user_workbook_path(user_dir)
    if p.exists():
        p.unlink()
        _load_cached.cache_clear()
        return True
    return False


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, size: int, origin: str) -> Catalogue:
    return load_workbook(path, origin=origin)


def _load_file(path: Path, origin: str) -> Catalogue:
    st = path.stat()
    return _load_cached(str(path), st.st_mtime_ns, st.st_size, origin)


def shipped_catalogue() -> Catalogue:
    """The shipped catalogue (``data/measures/catalogue.xlsx``), cached per file version."""
    return _load_file(SHIPPED_WORKBOOK, "shipped")


def active_catalogue(user_dir: str | Path | None = None) -> Catalogue:
    """The catalogue in use: a valid imported workbook, else the shipped one.

    An imported file that no longer validates is not used; the shipped catalogue is
    returned with ``warnings`` describing why (never silently).
    """
    p = user_workbook_path(user_dir)
    if p.exists():
        try:
            return _load_file(p, "imported")
        except DataFormatError as exc:
            cat = shipped_catalogue()
            return Catalogue(
                cat.measures,
                cat.municipalities,
                cat.sources,
                origin="shipped",
                path=cat.path,
                warnings=(
                    f"Die importierte Arbeitsmappe {p.name} ist ungültig und wird nicht verwendet: {exc}",
                ),
            )
    return shipped_catalogue()
