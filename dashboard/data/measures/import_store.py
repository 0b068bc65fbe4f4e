"""Imported catalogues in the store (channel ``"catalogue"``), and which catalogue is active.

An uploaded workbook is validated completely (:func:`load_workbook`) and stored as a DRAFT
(:func:`import_workbook`; any signed-in role). A user with the role ``pflege`` publishes it
(``store.publish``); every earlier catalogue stays stored and can be restored
(``store.rollback``; ``rollback(to=0)`` = the shipped catalogue again, :func:`reset_import`).

:func:`active_catalogue` is the published catalogue (cached per release, the release number
polled at most every :data:`dashboard.data.imports.POLL_SECONDS`), else the shipped workbook.
A published workbook that no longer validates (e.g. the rules changed) is not used: the newest
earlier release that validates is (or the shipped one), with ``Catalogue.warnings`` saying why.
"""

from __future__ import annotations

import functools
import io
import logging
import threading
import time
from pathlib import Path

from dashboard.data.archive import refuse_oversized
from dashboard.data.errors import DataFormatError
from dashboard.data.imports import POLL_SECONDS
from dashboard.data.measures.catalogue import SHIPPED_WORKBOOK, Catalogue
from dashboard.data.measures.workbook_reader import load_workbook
from dashboard.settings import UPLOAD_MAX_BYTES
from dashboard.store import Invalid, NotAllowed, db, get_store
from dashboard.text import CATALOGUE as M
from dashboard.text import fmt_date, fmt_int

LOG = logging.getLogger("dashboard.data.measures")
CHANNEL = "catalogue"
SLOT = "catalogue"


def _store():
    s = get_store()
    s.on_change(invalidate)  # a publish or rollback in this process is seen at once
    return s


def check_workbook(source: str | Path | bytes, *, display_name: str | None = None) -> tuple[bytes, Catalogue]:
    """Read and validate a workbook; returns its bytes and the catalogue (or raises
    :class:`DataFormatError` listing every problem). Messages name the file, never a path."""
    if isinstance(source, (bytes, bytearray)):
        blob, name = bytes(source), display_name or "Upload.xlsx"
    else:
        blob, name = Path(source).read_bytes(), display_name or Path(source).name

    refuse_oversized(name, len(blob), UPLOAD_MAX_BYTES)
    return blob, load_workbook(io.BytesIO(blob), origin="imported", display_name=name)


def _diff_lines(new: Catalogue, old: Catalogue) -> list[str]:
    """German lines: measures added, removed, changed, unchanged (by id)."""
    a = new.flat().set_index("id")
    b = old.flat().set_index("id")
    added = [i for i in a.index if i not in b.index]
    removed = [i for i in b.index if i not in a.index]
    common = [i for i in a.index if i in b.index]
    cols = [c for c in a.columns if c in b.columns]
    changed = [i for i in common if not a.loc[i, cols].astype(str).equals(b.loc[i, cols].astype(str))]
    lines = [
        M["diff_counts"].format(
            new=fmt_int(len(a)),
            old=fmt_int(len(b)),
            added=fmt_int(len(added)),
            removed=fmt_int(len(removed)),
            changed=fmt_int(len(changed)),
        )
    ]
    for label, ids in ((M["added"], added), (M["removed"], removed), (M["changed"], changed)):
        if ids:
            shown = ", ".join(ids[:20]) + (f" … (+{len(ids) - 20})" if len(ids) > 20 else "")
            lines.append(f"{label}: {shown}")
    return lines


def import_workbook(source: str | Path | bytes, *, actor, display_name: str | None = None):
    """Validate an edited workbook and store it as a draft of ``actor`` (nothing public changes).

    Returns ``(version, catalogue)``. Raises :class:`DataFormatError` (nothing stored) or
    :class:`dashboard.store.NotAllowed` for an anonymous actor.
    """
    if actor is None:
        raise NotAllowed(M["login_to_upload"])
    blob, cat = check_workbook(source, display_name=display_name)
    name = display_name or (
        Path(source).name if not isinstance(source, (bytes, bytearray)) else "Upload.xlsx"
    )
    summary = [
        M["summary"].format(
            measures=fmt_int(len(cat.measures)), sources=fmt_int(len(cat.sources)), file=name
        ),
        *_diff_lines(cat, active_catalogue()),
    ]
    version = _store().create_draft(
        CHANNEL,
        content=blob,
        filename=name,
        payload=blob,
        provenance={"original_filename": name, "measures": len(cat.measures), "sources": len(cat.sources)},
        report={"usable": True, "summary": summary},
        slot=SLOT,
        actor=actor,
    )
    return version, cat


def catalogue_preview_lines(version_id: int) -> list[str]:
    """What publishing a catalogue draft would change, against the active catalogue now."""
    v = _store().version(int(version_id), with_content=True)
    cat = load_workbook(io.BytesIO(v.payload), origin="imported", display_name=v.filename)
    return _diff_lines(cat, active_catalogue())


def reset_import(*, actor) -> bool:
    """Make the shipped catalogue active again (a new release; undo with a rollback).
    Returns False when the shipped catalogue is already active."""
    s = _store()
    active = s.active(CHANNEL)
    if not active.version_ids:
        return False
    try:
        s.rollback(CHANNEL, actor=actor, expected=active.number, to=0)
    except Invalid:
        return False
    invalidate()
    return True


@functools.lru_cache(maxsize=16)
def _catalogue_of(version_id: int, sha256: str) -> Catalogue:
    v = _store().version(version_id, with_content=True)
    cat = load_workbook(io.BytesIO(v.payload), origin="imported", display_name=v.filename)
    when = fmt_date(v.published_at.date()) if v.published_at else "–"
    path = M["origin_line"].format(id=v.id, file=v.filename, who=v.published_by or v.created_by, when=when)
    return Catalogue(cat.measures, cat.municipalities, cat.sources, origin="imported", path=path)


def shipped_catalogue() -> Catalogue:
    """The shipped catalogue (``data/measures/catalogue.xlsx``), cached per file version."""
    st = SHIPPED_WORKBOOK.stat()
    return _shipped(str(SHIPPED_WORKBOOK), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=2)
def _shipped(path: str, mtime_ns: int, size: int) -> Catalogue:
    return load_workbook(path, origin="shipped")


_lock = threading.RLock()
_state: dict = {"checked_at": -1e9, "seen": None, "catalogue": None}


def invalidate() -> None:
    """Look at the store again at the next :func:`active_catalogue` (after a publish here)."""
    with _lock:
        _state["checked_at"] = -1e9


def _evaluate() -> Catalogue:
    s = _store()
    active = s.active(CHANNEL)
    if not active.version_ids:
        return shipped_catalogue()
    candidates = [active, *[r for r in s.releases(CHANNEL) if r.number < active.number]]
    problems = []
    for rel in candidates:
        if not rel.version_ids:
            break
        v = s.version(rel.version_ids[0])
        try:
            cat = _catalogue_of(v.id, v.sha256)
        except DataFormatError as exc:
            problems.append(M["invalid"].format(id=v.id, number=rel.number, reason=str(exc.problems[0])))
            LOG.error("Veröffentlichter Katalog (Stand %s) ist ungültig: %s", rel.number, exc.problems[0])
            continue
        if not problems:
            return cat
        return Catalogue(cat.measures, cat.municipalities, cat.sources, cat.origin, cat.path, tuple(problems))
    cat = shipped_catalogue()
    return Catalogue(cat.measures, cat.municipalities, cat.sources, "shipped", cat.path, tuple(problems))


def active_catalogue() -> Catalogue:
    """The catalogue in use: the published one (validated), else the shipped one."""
    now = time.monotonic()
    with _lock:
        cfg = db.configuration_key()
        seen = _state["seen"]
        if now - _state["checked_at"] >= POLL_SECONDS or seen is None or seen[0] != cfg:
            try:
                number = _store().data_version().get(CHANNEL, 0)
                if _state["catalogue"] is None or (cfg, number) != seen:
                    _state["catalogue"] = _evaluate()
                    _state["seen"] = (cfg, number)
            except Exception:  # noqa: BLE001 - never down because of the database
                LOG.exception("Katalog: Datenbank nicht erreichbar; der mitgelieferte Katalog wird verwendet")
                cat = shipped_catalogue()
                _state["catalogue"] = Catalogue(
                    cat.measures, cat.municipalities, cat.sources, "shipped", cat.path, (M["db_down"],)
                )
                _state["seen"] = None
            _state["checked_at"] = now
        return _state["catalogue"]


__all__ = [
    "CHANNEL",
    "active_catalogue",
    "catalogue_preview_lines",
    "check_workbook",
    "import_workbook",
    "invalidate",
    "reset_import",
    "shipped_catalogue",
]
