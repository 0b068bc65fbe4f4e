"""The user data folder: GENESIS exports a planner imported, validated and stored with provenance.

Folder: ``DASHBOARD_USER_DATA`` (environment variable) or ``<repo>/user_data/`` (git-ignored).
Each import is stored as two files named by its id ``<table>_<sha256[:12]>``:

* ``<id>.csv``  – the tidy frame of :func:`dashboard.data.genesis.load_genesis` (UTF-8);
* ``<id>.json`` – the manifest: original file name (sanitised), sha256, size, import time (UTC),
  table code, kind, format, publisher, licence, "Stand", notes, ``usable`` flag, years, levels.

Writes never leave the user folder (ids are checked, paths resolved), never touch the shipped
``data/`` folder, and are atomic (temporary file + rename). Imports larger than
:data:`~dashboard.data.genesis.MAX_FILE_BYTES` are refused with a :class:`DataFormatError`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.constants import MUNICIPALITIES
from dashboard.data.errors import DataFormatError, problem
from dashboard.data.genesis import MAX_FILE_BYTES, Format, GenesisTable, load_genesis
from dashboard.text import fmt_int

REPO_DIR: Path = Path(__file__).resolve().parents[2]
SHIPPED_DATA_DIR: Path = REPO_DIR / "data"
_ID_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,80}$")
MANIFEST_VERSION = 1


def user_data_dir(*, create: bool = False) -> Path:
    """The user data folder (created by the first import, not by reading).

    ``DASHBOARD_USER_DATA`` is looked up at call time so tests and deployments can point it
    elsewhere; the default is ``<repo>/user_data``. A folder inside the shipped ``data/``
    folder is refused.
    """
    env = os.environ.get("DASHBOARD_USER_DATA", "").strip()
    folder = Path(env) if env else REPO_DIR / "user_data"
    folder = folder.expanduser().resolve()
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


def sanitise_filename(name: str) -> str:
    """Base name only, letters/digits/``._-`` and German umlauts kept, at most 100 characters."""
    base = Path(str(name).replace("\\", "/")).name
    clean = re.sub(r"[^0-9A-Za-zÄÖÜäöüß._-]+", "_", base).strip("._") or "datei"
    return clean[:100]


def _inside(folder: Path, candidate: Path) -> Path:
    resolved = candidate.resolve()
    if resolved.parent != folder:
        raise DataFormatError(
            problem(candidate.name, None, None, "einen Pfad im Nutzerdaten-Ordner", str(candidate))
        )
    return resolved


def _check_id(import_id: str) -> str:
    if not isinstance(import_id, str) or not _ID_RE.match(import_id) or ".." in import_id:
        raise DataFormatError(
            problem(
                "user_data",
                None,
                "id",
                "eine Import-Kennung wie '12411-02-03-5_1a2b3c4d5e6f'",
                str(import_id),
            )
        )
    return import_id


def _atomic_write(folder: Path, target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class ImportResult:
    """Outcome of :func:`import_file`.

    Attributes
    ----------
    id : str
        ``<table>_<sha256[:12]>``; the same file imported twice gets the same id.
    table : GenesisTable
        The validated table (tidy data, notes, usable flag).
    csv_path, manifest_path : Path
        Where the tidy CSV and the JSON manifest were written.
    manifest : dict
        The manifest as written.
    replaced : bool
        True when an identical earlier import was overwritten.
    """

    id: str
    table: GenesisTable
    csv_path: Path
    manifest_path: Path
    manifest: dict[str, Any]
    replaced: bool

    def summary_de(self) -> str:
        """German multi-line summary for the CLI and the UI."""
        m = self.manifest
        kind = "Bevölkerungsstand" if m["kind"] == "population" else "Bewegungen"
        lines = [
            f"Import {self.id} gespeichert ({'ersetzt' if self.replaced else 'neu'}).",
            f"Tabelle {m['table_code']} ({kind}), Format {m['format']}, Datei {m['original_filename']}",
            f"{fmt_int(m['rows'])} Werte, Jahre {', '.join(str(y) for y in m['years'])}, "
            f"Regionen: {', '.join(f'{fmt_int(n)} {lvl}' for lvl, n in m['regions_by_level'].items())}",
            f"Quelle: {m['publisher']}, Lizenz {m['licence']}"
            + (f", Stand {m['stand']}" if m.get("stand") else ""),
        ]
        lines += [f"Hinweis: {n}" for n in m["notes"]]
        if m.get("synthetic"):
            lines.append("Achtung: synthetische Testdatei – wird nicht für die Prognose verwendet.")
        lines.append(
            "Für die Prognose verwendbar: " + ("ja" if m["usable"] and not m.get("synthetic") else "nein")
        )
        return "\n".join(lines)


def import_file(path: str | Path, *, format: Format | None = None, table: str | None = None) -> ImportResult:
    """Validate a GENESIS export and store its tidy form in the user data folder.

    Parameters
    ----------
    path : str or Path
        The downloaded export (see :func:`dashboard.data.genesis.load_genesis`).
    format, table : optional
        Passed on to :func:`load_genesis` to force the format or table code.

    Returns
    -------
    ImportResult

    Raises
    ------
    DataFormatError
        When the file is too large or fails validation (all problems listed); nothing is
        written in that case.
    """
    src = Path(path)
    if not src.is_file():
        raise DataFormatError(problem(src.name, None, None, "eine vorhandene Datei", "nicht gefunden"))
    size = src.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataFormatError(
            problem(src.name, None, None, f"höchstens {MAX_FILE_BYTES // 2**20} MB", f"{size / 2**20:.1f} MB")
        )
    content = src.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    gt = load_genesis(src, format=format, table=table)
    folder = user_data_dir(create=True)
    import_id = _check_id(f"{gt.table_code}_{sha[:12]}")
    csv_path = _inside(folder, folder / f"{import_id}.csv")
    manifest_path = _inside(folder, folder / f"{import_id}.json")
    replaced = manifest_path.exists()
    d = gt.data
    manifest: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION,
        "id": import_id,
        "original_filename": sanitise_filename(src.name),
        "sha256": sha,
        "size_bytes": size,
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "table_code": gt.table_code,
        "kind": gt.kind,
        "format": gt.format,
        "publisher": gt.publisher,
        "licence": gt.licence,
        "stand": gt.stand,
        "title": gt.title,
        "notes": list(gt.notes),
        "usable": gt.usable,
        "rows": int(len(d)),
        "years": sorted(int(y) for y in d["year"].unique()),
        "regions_by_level": {str(k): int(v) for k, v in d.groupby("level")["ags"].nunique().items()},
        "placeholder_counts": gt.placeholder_counts,
        "estimated": False,
        # Test fixtures of this project say "SYNTHETISCH" in their title rows; such imports are
        # listed but never handed to the model.
        "synthetic": "synthetisch" in gt.title.lower(),
    }
    out = d.assign(source_file=manifest["original_filename"])
    _atomic_write(folder, csv_path, out.to_csv(index=False).encode("utf-8"))
    _atomic_write(folder, manifest_path, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return ImportResult(import_id, gt, csv_path, manifest_path, manifest, replaced)


def imported_tables() -> list[dict[str, Any]]:
    """Manifests of every import, oldest first (empty list when there are none)."""
    folder = user_data_dir()
    out = []
    if not folder.is_dir():
        return out
    for mf in sorted(folder.glob("*.json")):
        try:
            m = json.loads(mf.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(m, dict) and m.get("id") == mf.stem and (folder / f"{mf.stem}.csv").exists():
            out.append(m)
    return sorted(out, key=lambda m: (m.get("imported_at", ""), m["id"]))


def read_import(import_id: str) -> pd.DataFrame:
    """The stored tidy frame of one import (``ags`` kept as text)."""
    folder = user_data_dir()
    path = _inside(folder, folder / f"{_check_id(import_id)}.csv")
    if not path.exists():
        raise DataFormatError(problem(path.name, None, None, "einen vorhandenen Import", import_id))
    df = pd.read_csv(
        path,
        dtype={"ags": str, "quality": str, "reference_date": str},
        keep_default_na=False,
        na_values={"population": [""], "value": [""]},
    )
    for col in ("population", "value"):
        if col in df:
            df[col] = df[col].astype("Int64")
    return df


def imported_municipal_age_tables() -> list[pd.DataFrame]:
    """Imported official municipal population tables by sex and age group.

    Only imports of kind ``population`` that are ``usable`` (no missing cells) and not marked
    synthetic (title rows saying "SYNTHETISCH", as the project's test fixtures do) contribute, and
    only their rows of the 15 municipalities of Kreis Düren (other regions stay stored in the
    import), by sex (female/male, not the total) and age group (not the "Insgesamt" row).

    Returns
    -------
    list of pandas.DataFrame
        One frame per import, NEWEST import first (a consumer that takes the first table
        covering a municipality and year thus uses the latest import); ``[]`` when there is
        none. Columns:
        ``ags`` (8-char str), ``region_name``, ``year`` (int, 31 Dec), ``reference_date``,
        ``sex`` ("female"/"male"), ``age_min``/``age_max`` (int, inclusive; the open top
        group ends at ``OPEN_AGE``), ``age_group``, ``population`` (int64 persons),
        ``basis``, ``table``, ``publisher``, ``licence``, ``source`` (import id, file name and
        hash; also in ``DataFrame.attrs["source"]``), ``source_file``, ``import_id``,
        ``sha256``, ``estimated`` (False).
    """
    frames = []
    for m in reversed(imported_tables()):
        if m.get("kind") != "population" or not m.get("usable") or m.get("synthetic"):
            continue
        d = read_import(m["id"])
        d = d[
            d["ags"].isin(list(MUNICIPALITIES))
            & d["sex"].isin(["female", "male"])
            & (d["age_group"] != "total")
        ]
        if d.empty:
            continue
        source = f"Import {m['id']} ({m['original_filename']}, sha256 {m['sha256'][:12]})"
        d = d.assign(
            population=d["population"].astype("int64"),
            import_id=m["id"],
            sha256=m["sha256"],
            source=source,
            estimated=False,
        )
        f = d[
            [
                "ags",
                "region_name",
                "year",
                "reference_date",
                "sex",
                "age_min",
                "age_max",
                "age_group",
                "population",
                "basis",
                "table",
                "publisher",
                "licence",
                "source",
                "source_file",
                "import_id",
                "sha256",
                "estimated",
            ]
        ].reset_index(drop=True)
        f.attrs["source"] = source
        frames.append(f)
    return frames


def remove_import(import_id: str) -> bool:
    """Delete one import (CSV and manifest). Returns False when it did not exist."""
    folder = user_data_dir()
    _check_id(import_id)
    found = False
    for suffix in (".csv", ".json"):
        p = _inside(folder, folder / f"{import_id}{suffix}")
        if p.exists():
            p.unlink()
            found = True
    return found


__all__ = [
    "ImportResult",
    "import_file",
    "imported_tables",
    "imported_municipal_age_tables",
    "read_import",
    "remove_import",
    "sanitise_filename",
    "user_data_dir",
]
