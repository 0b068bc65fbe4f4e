"""Imported official tables: validated completely, kept as drafts, served only once published.

Replaces the old shared user-data folder (``dashboard/data/userdata.py``). The store
(:mod:`dashboard.store`, channel ``"tables"``) keeps every upload as a versioned draft; a user
with the role ``pflege`` publishes it; the site serves the newest published release that
passes the model's own checks.

Flow
----
1. :func:`check_upload` / :func:`check_table` — parse (:func:`dashboard.data.genesis.load_genesis`)
   and apply EVERY rule the model applies before a table is accepted:

   * the table is about Kreis Düren (AGS ``05358…``); a table of another Kreis is refused;
   * a municipal population table (12411-02-03-5, 12411-09i municipal rows …) must cover all
     15 municipalities, both sexes and complete age groups for every reference date, which
     must be a 31 December; no missing cells (GENESIS placeholders ``. x ... /``);
   * its own Kreis row (if present) must equal the sum of its municipalities;
   * and what the model would do with it: :func:`dashboard.data.estimate.check_official_tables`
     runs the projection's base-population estimate with the candidate tables (the published
     ones with this table in its slot): municipal sums equal to the official Kreis table by sex
     × age group, etc. Only then is a municipal table "verwendbar".

   Tables at Kreis level (or movements) are accepted as drafts too (kept with provenance, e.g.
   for ``data update``), but the summary says plainly that the model does not use them.
2. :func:`create_draft` stores original bytes, the tidy CSV, provenance and the report as a
   draft (any signed-in role). Nothing public changes.
3. :func:`preview` — what publishing would change: base population per municipality × age
   group, new vs served, and the difference.
4. ``store.publish`` (role ``pflege``) makes it active for everyone;
   :func:`served` / :func:`data_version` pick it up.

Serving ("never down because of data")
--------------------------------------
:func:`served` returns the newest release whose tables pass :func:`check_official_tables`.
If the active release fails (e.g. the model's rules changed since it was published, or the
database was edited by hand), the previous good release is served, the problem is logged and
:func:`serving_problem` gives the German banner text. If the database cannot be reached, the
shipped data are served with a banner. The check runs once per release change, not per
request: :func:`data_version` polls the store's release number (one small query) at most every
:data:`POLL_SECONDS` seconds; a publish in the same process is seen at once.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.constants import AGE_GROUPS_17, AGS_LIST, KREIS_AGS, MUNICIPALITIES, SEXES
from dashboard.data.archive import refuse_oversized
from dashboard.data.errors import DataFormatError, Problem, problem
from dashboard.data.genesis import MAX_FILE_BYTES, POPULATION_COLUMNS, GenesisTable, load_genesis
from dashboard.text import DASH, SEX_LABELS, fmt_date, fmt_int, fmt_signed_int, problems_count
from dashboard.text import IMPORTS as M

LOG = logging.getLogger("dashboard.data.imports")
CHANNEL = "tables"
#: Seconds between two looks at the store's release number (per process).
POLL_SECONDS = 2.0
#: Problems shown in full on the web and at the command line; the rest are counted.
MAX_SHOWN_PROBLEMS = 50


# --------------------------------------------------------------------------- names and files


def sanitise_filename(name: str) -> str:
    """Base name only, letters/digits/``._-`` and German umlauts kept, at most 100 characters."""
    base = Path(str(name).replace("\\", "/")).name
    clean = re.sub(r"[^0-9A-Za-zÄÖÜäöüß._-]+", "_", base).strip("._") or "datei"
    return clean[:100]


def problem_summary(problems: list[Problem], *, limit: int = MAX_SHOWN_PROBLEMS) -> dict[str, Any]:
    """Bounded view of a problem list: the first ``limit``, how many more, counts by kind.

    Returns ``{"shown": [...], "more": int, "total": int, "by_kind": [(label, n), ...]}``
    (kind = column + what was expected; most frequent first).
    """
    kinds = Counter(f"{p.column or '–'}: erwartet {p.expected}" for p in problems)
    return {
        "shown": list(problems[:limit]),
        "more": max(0, len(problems) - limit),
        "total": len(problems),
        "by_kind": kinds.most_common(),
    }


def problems_text(problems: list[Problem], *, limit: int = MAX_SHOWN_PROBLEMS) -> str:
    """German multi-line text of a problem list, capped (for the command line and logs)."""
    s = problem_summary(problems, limit=limit)
    lines = [M["problems_head"].format(problems=problems_count(s["total"]))]
    lines += [f"  - {p}" for p in s["shown"]]
    if s["more"]:
        lines.append("  " + M["more"].format(n=fmt_int(s["more"])))
    if len(s["by_kind"]) > 1 or s["more"]:
        lines.append(M["by_kind"])
        lines += [f"  {fmt_int(n)} × {label}" for label, n in s["by_kind"][:20]]
    return "\n".join(lines)


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class Checked:
    """A table that passed every rule (otherwise :class:`DataFormatError` was raised).

    Attributes
    ----------
    table : the parsed table (tidy data with provenance).
    filename : sanitised original file name.
    content : the original bytes (for the store; ``b""`` when built from a service response).
    used_by_model : True for a municipal population table that replaces the estimate.
    years : reference years (31 Dec) or event years covered.
    slot : the table's place among published tables (``"<table>:<years>"``): publishing
        replaces the published table of the same slot.
    notes : German remarks (placeholders treated, rows of other regions ignored …).
    """

    table: GenesisTable
    filename: str
    content: bytes
    used_by_model: bool
    years: tuple[int, ...]
    slot: str
    notes: tuple[str, ...] = field(default=())

    @property
    def kind_de(self) -> str:
        return M["kind_population"] if self.table.kind == "population" else M["kind_events"]

    def summary_lines(self) -> list[str]:
        """German summary: what the table is, where it is from, whether the model uses it."""
        t = self.table
        d = t.data
        levels = d.groupby("level")["ags"].nunique()
        lines = [
            M["summary_table"].format(code=t.table_code, kind=self.kind_de, fmt=t.format, file=self.filename),
            M["summary_values"].format(
                n=fmt_int(len(d)),
                years=", ".join(str(y) for y in self.years),
                regions=", ".join(
                    f"{fmt_int(n)} {M.get('level_' + str(lvl), lvl)}" for lvl, n in levels.items()
                ),
            ),
            M["summary_source"].format(publisher=t.publisher, licence=t.licence)
            + (M["summary_stand"].format(stand=t.stand) if t.stand else ""),
        ]
        lines += [M["note"].format(note=n) for n in self.notes]
        lines.append(M["usable_yes"] if self.used_by_model else M["not_used"])
        return lines


#: Columns of a published municipal table as the model reads it (the contract of
#: :func:`imported_municipal_age_tables`): the GENESIS population columns except those that only
#: serve the check report, then the store's provenance and the estimated flag.
MODEL_COLUMNS: tuple[str, ...] = tuple(
    c for c in POPULATION_COLUMNS if c not in ("level", "age_group_label", "quality", "source_row")
) + ("source", "import_id", "sha256", "estimated")


def _municipal_rows(d: pd.DataFrame) -> pd.DataFrame:
    return d[d["ags"].isin(list(MUNICIPALITIES)) & d["sex"].isin(list(SEXES)) & (d["age_group"] != "total")]


def _model_frame(
    d: pd.DataFrame, *, source: str, version_id: int | None = None, sha256: str = ""
) -> pd.DataFrame:
    """The rows the model reads, in the contract of :func:`imported_municipal_age_tables`."""
    f = _municipal_rows(d)
    f = f.assign(
        population=f["population"].astype("int64"),
        import_id="" if version_id is None else str(version_id),
        sha256=sha256,
        source=source,
        estimated=False,
    )
    out = f[list(MODEL_COLUMNS)].reset_index(drop=True)
    out.attrs["source"] = source
    return out


def says_synthetic(title: str | None) -> bool:
    """True when a table's own title text marks it as synthetic test data ("SYNTHETISCH")."""
    return "synthetisch" in (title or "").lower()


def check_table(
    gt: GenesisTable,
    *,
    filename: str,
    content: bytes = b"",
    replacing: list[pd.DataFrame] | None = None,
    synthetic_ok: bool = False,
) -> Checked:
    """Apply every rule to a parsed table; raise :class:`DataFormatError` listing ALL problems.

    Parameters
    ----------
    gt : the parsed table (:func:`dashboard.data.genesis.load_genesis`, or built by a service
        client such as ``data update``).
    filename : shown in messages.
    content : original bytes (stored with the draft).
    replacing : the municipal tables that would stay published beside this one (default: the
        served ones of other slots), for the model check.
    synthetic_ok : a table whose title marks it SYNTHETISCH is refused unless the caller
        already knows and declares it synthetic (``data update`` replaying a labelled test
        recording): its draft is then flagged synthetic and the store never publishes it
        outside tests.
    """
    name = sanitise_filename(filename)
    d = gt.data
    probs: list[Problem] = []
    notes = list(gt.notes)
    ags = d["ags"].astype(str)
    ours = ags.str.startswith(KREIS_AGS)
    if not ours.any():
        sample = d.loc[~ours, ["ags", "region_name"]].drop_duplicates().head(3)
        found = ", ".join(f"{a} {str(n).strip()}" for a, n in zip(sample.ags, sample.region_name))
        raise DataFormatError(
            problem(name, None, "ags", M["expected_kreis"], M["found_other"].format(found=found))
        )
    others = d.loc[~ours, "ags"].nunique()
    if others:
        notes.append(M["other_regions_ignored"].format(n=fmt_int(others)))
    if says_synthetic(gt.title) and not synthetic_ok:
        raise DataFormatError(problem(name, None, None, M["expected_official"], M["found_synthetic"]))
    years = tuple(sorted(int(y) for y in d.loc[ours, "year"].unique()))
    slot = f"{gt.table_code}:{'-'.join(str(y) for y in years)}"
    mun = _municipal_rows(d) if gt.kind == "population" else d.iloc[0:0]
    used = gt.kind == "population" and not mun.empty
    if used:
        probs += _municipal_rules(gt, name, mun)
        if not probs:
            from dashboard.data.estimate import check_official_tables

            new = _model_frame(d, source=f"{name} (Entwurf)")
            if replacing is None:
                replacing = [t for t in current().frames if str(t.attrs.get("slot", "")) != slot]
            probs += [
                Problem(name, p.row, p.column, p.expected, p.found, p.sheet)
                for p in check_official_tables([new, *replacing])
            ]
    if probs:
        raise DataFormatError(probs)
    return Checked(gt, name, bytes(content), used, years, slot, tuple(notes))


def _municipal_rules(gt: GenesisTable, name: str, mun: pd.DataFrame) -> list[Problem]:
    """Completeness of a municipal population table (per reference date)."""
    probs: list[Problem] = []
    d = gt.data
    if not gt.usable:
        counts = ", ".join(f"{k!r}: {fmt_int(v)}" for k, v in gt.placeholder_counts.items()) or "–"
        probs.append(
            problem(
                name,
                None,
                "population",
                M["expected_complete"],
                M["found_placeholders"].format(counts=counts),
            )
        )
        return probs
    for year, g in mun.groupby("year"):
        dates = sorted(set(g["reference_date"].astype(str)))
        if dates != [f"{int(year)}-12-31"]:
            probs.append(
                problem(
                    name, None, "reference_date", M["expected_31_12"].format(year=int(year)), ", ".join(dates)
                )
            )
        missing = [a for a in AGS_LIST if a not in set(g["ags"])]
        if missing:
            probs.append(
                problem(
                    name,
                    None,
                    "ags",
                    M["expected_15"].format(year=int(year)),
                    M["found_missing"].format(
                        n=len(missing), names=", ".join(f"{a} {MUNICIPALITIES[a]}" for a in missing)
                    ),
                )
            )
        for (a, sex), gs in g.groupby(["ags", "sex"]):
            bounds = sorted(zip(gs.age_min.astype(int), gs.age_max.astype(int)))
            ok = (
                bounds
                and bounds[0][0] == 0
                and all(bounds[i][1] + 1 == bounds[i + 1][0] for i in range(len(bounds) - 1))
            )
            if not ok:
                row = int(gs.source_row.min()) if "source_row" in gs else None
                probs.append(
                    problem(
                        name,
                        row,
                        "age_group",
                        M["expected_ages"].format(ags=a, sex=SEX_LABELS.get(sex, sex)),
                        str(bounds)[:100],
                    )
                )
        # the file's own Kreis row must be the sum of its municipalities
        k = d[
            (d["ags"] == KREIS_AGS)
            & (d["year"] == year)
            & d["sex"].isin(list(SEXES))
            & (d["age_group"] != "total")
        ]
        if not k.empty:
            summed = g.groupby(["sex", "age_group"])["population"].sum()
            kreis = k.set_index(["sex", "age_group"])["population"]
            both = pd.concat([summed.rename("mun"), kreis.rename("kreis")], axis=1).dropna()
            bad = both[both["mun"] != both["kreis"]]
            for (sex, grp), r in bad.head(MAX_SHOWN_PROBLEMS).iterrows():
                probs.append(
                    problem(
                        name,
                        None,
                        "population",
                        M["expected_kreis_sum"].format(
                            year=int(year), sex=SEX_LABELS.get(sex, sex), group=grp
                        ),
                        M["found_sums"].format(mun=fmt_int(r["mun"]), kreis=fmt_int(r["kreis"])),
                    )
                )
    return probs


def check_upload(data: bytes, filename: str) -> Checked:
    """Parse and check uploaded bytes (see :func:`check_table`). The temporary copy the
    parser needs never appears in a message: only the sanitised file name does."""
    name = sanitise_filename(filename)
    refuse_oversized(name, len(data), MAX_FILE_BYTES)
    with tempfile.TemporaryDirectory(prefix="kd-import-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            gt = load_genesis(path)
        except DataFormatError as exc:
            raise DataFormatError([_no_path(p, tmp) for p in exc.problems]) from None
    return check_table(gt, filename=name, content=data)


def check_file(path: str | Path) -> Checked:
    """:func:`check_upload` of a file on disk (e.g. in a notebook or at the command line)."""
    src = Path(path)
    if not src.is_file():
        raise DataFormatError(problem(src.name, None, None, M["expected_file"], M["found_no_file"]))
    return check_upload(src.read_bytes(), src.name)


def _no_path(p: Problem, tmp: str) -> Problem:
    return Problem(p.file, p.row, p.column, p.expected.replace(tmp, "…"), p.found.replace(tmp, "…"), p.sheet)


# --------------------------------------------------------------------------- drafts


@dataclass(frozen=True)
class Draft:
    """A stored draft: the store's version and the check behind it."""

    version: Any
    checked: Checked

    def summary_de(self) -> str:
        lines = [M["draft_saved"].format(id=self.version.id), *self.checked.summary_lines()]
        return "\n".join(lines)


def _provenance(c: Checked, extra: dict | None = None) -> dict[str, Any]:
    t = c.table
    prov = {
        "table_code": t.table_code,
        "kind": t.kind,
        "format": t.format,
        "title": t.title,
        "publisher": t.publisher,
        "licence": t.licence,
        "stand": t.stand,
        "original_filename": c.filename,
        "years": list(c.years),
    }
    prov.update(extra or {})
    return prov


def create_draft_from_checked(c: Checked, *, actor, provenance: dict | None = None):
    """Store a checked table as a draft (the store refuses anonymous actors)."""
    from dashboard.store import get_store

    d = c.table.data
    synthetic = bool((provenance or {}).get("synthetic")) or says_synthetic(c.table.title)
    summary = c.summary_lines()
    report = {
        "usable": True,
        "synthetic": synthetic,
        "used_by_model": c.used_by_model,
        "rows": int(len(d)),
        "years": list(c.years),
        "regions_by_level": {str(k): int(v) for k, v in d.groupby("level")["ags"].nunique().items()},
        "placeholder_counts": dict(c.table.placeholder_counts),
        "notes": list(c.notes),
        "summary": [M["synthetic_draft"], *summary] if synthetic else summary,
    }
    payload = d.to_csv(index=False).encode("utf-8")
    version = get_store().create_draft(
        CHANNEL,
        content=c.content or payload,
        filename=c.filename,
        payload=payload,
        provenance=_provenance(c, provenance),
        report=report,
        slot=c.slot,
        actor=actor,
    )
    return Draft(version, c)


def create_draft(data: bytes, filename: str, *, actor) -> Draft:
    """Check uploaded bytes completely and store them as a draft of ``actor``.

    Raises :class:`DataFormatError` (nothing stored) or a :class:`dashboard.store.StoreError`.
    """
    from dashboard.store import NotAllowed

    if actor is None:
        raise NotAllowed(M["login_to_upload"])
    return create_draft_from_checked(check_upload(data, filename), actor=actor)


def draft_from_table(
    gt: GenesisTable, *, actor, provenance: dict, content: bytes = b"", filename: str = ""
) -> Draft:
    """For service clients (``data update``): check a table built from a web-service response
    and store it as a draft with the service's provenance (service, table, retrieval time, Stand,
    licence …)."""
    c = check_table(gt, filename=filename or f"{gt.table_code}.csv", content=content)
    return create_draft_from_checked(c, actor=actor, provenance=provenance)


def read_payload(payload: bytes) -> pd.DataFrame:
    """The tidy frame stored with a version (``ags`` kept as text)."""
    df = pd.read_csv(
        io.BytesIO(payload),
        dtype={"ags": str, "quality": str, "reference_date": str, "region_name": str},
        keep_default_na=False,
        na_values={"population": [""], "value": [""]},
    )
    for col in ("population", "value"):
        if col in df:
            df[col] = df[col].astype("Int64")
    return df


def _frame_of(version, payload: bytes) -> pd.DataFrame:
    when = fmt_date(version.published_at.date()) if version.published_at else "–"
    source = M["source_line"].format(
        id=version.id,
        file=version.filename,
        sha=version.sha256[:12],
        when=when,
        who=version.published_by or version.created_by,
    )
    f = _model_frame(read_payload(payload), source=source, version_id=version.id, sha256=version.sha256)
    f.attrs["slot"] = version.slot
    return f


# --------------------------------------------------------------------------- serving


@dataclass(frozen=True)
class Served:
    """What the site serves: ``release`` (0 = nothing published: the shipped data)."""

    release: int
    active_release: int
    frames: tuple[pd.DataFrame, ...] = ()
    versions: tuple = ()
    problem: str | None = None


_lock = threading.RLock()
_state: dict[str, Any] = {"checked_at": -1e9, "seen": None, "served": None}


def _store():
    from dashboard.store import get_store

    s = get_store()
    s.on_change(invalidate)  # a publish or rollback in this process is seen at once
    return s


def _release_frames(release) -> tuple[tuple[pd.DataFrame, ...], tuple]:
    """Model frames of a release's municipal tables, newest version first."""
    if not release.version_ids:
        return (), ()
    versions = sorted(release.versions, key=lambda v: v.id, reverse=True)
    used = [v for v in versions if v.report.get("used_by_model")]
    payloads = _store().payloads([v.id for v in used])
    return tuple(_frame_of(v, payloads[v.id]) for v in used), tuple(versions)


def _release_problems(frames, versions) -> list[Problem]:
    """Why a release must not be served: versions marked synthetic (outside tests), else what
    the model's own check finds in its tables; ``[]`` = serve it."""
    from dashboard.data.estimate import check_official_tables
    from dashboard.settings import synthetic_tables_allowed
    from dashboard.store import is_synthetic

    if not synthetic_tables_allowed():
        bad = [v for v in versions if is_synthetic(v.provenance, v.report)]
        if bad:
            return [
                problem(
                    v.filename,
                    None,
                    None,
                    M["expected_official"],
                    M["found_synthetic_version"].format(id=v.id),
                )
                for v in bad
            ]
    return check_official_tables(list(frames)) if frames else []


def _evaluate(active_number: int) -> Served:
    s = _store()
    active = s.active(CHANNEL)
    if not active.version_ids:  # nothing published (or rolled back to the shipped data)
        return Served(0, active.number)
    frames, versions = _release_frames(active)
    problems = _release_problems(frames, versions)
    if not problems:
        return Served(active.number, active.number, frames, versions)
    reason = problems_text(problems, limit=5)
    LOG.error(
        "Aktiver Datenstand %s besteht die Prüfung nicht und wird nicht verwendet:\n%s", active.number, reason
    )
    for rel in s.releases(CHANNEL):  # newest first: the previous good release
        if rel.number >= active.number:
            continue
        frames, versions = _release_frames(_release_with_versions(rel))
        if not _release_problems(frames, versions):
            msg = M["banner_fallback"].format(
                active=active.number, served=rel.number, reason=_first_line(problems)
            )
            LOG.error("Es wird stattdessen Stand %s verwendet.", rel.number)
            return Served(rel.number, active.number, frames, versions, msg)
    msg = M["banner_fallback_shipped"].format(active=active.number, reason=_first_line(problems))
    return Served(0, active.number, (), (), msg)


def _release_with_versions(rel):
    from dashboard.store.api import Release

    s = _store()
    vs = tuple(s.version(i) for i in rel.version_ids)
    return Release(
        rel.channel, rel.number, rel.version_ids, rel.action, rel.created_at, rel.created_by, versions=vs
    )


def _first_line(problems: list[Problem]) -> str:
    more = len(problems) - 1
    text = str(problems[0])
    return text + (" " + M["more"].format(n=fmt_int(more)) if more > 0 else "")


def served(*, refresh: bool = False) -> Served:
    """The served state (validated once per release change; see the module docstring)."""
    from dashboard.settings import synthetic_tables_allowed
    from dashboard.store import db

    now = time.monotonic()
    with _lock:
        # the test-only synthetic setting changes what may be served: part of the key
        cfg = (db.configuration_key(), synthetic_tables_allowed())
        seen = _state["seen"]
        stale = refresh or now - _state["checked_at"] >= POLL_SECONDS or seen is None or seen[0] != cfg
        if stale or _state["served"] is None:
            try:
                number = _store().data_version().get(CHANNEL, 0)
                if _state["served"] is None or (cfg, number) != seen:
                    _state["served"] = _evaluate(number)
                    _state["seen"] = (cfg, number)
            except Exception as exc:  # noqa: BLE001 - never down because of the database
                LOG.exception("Datenbank nicht erreichbar; es werden die mitgelieferten Daten verwendet")
                _state["served"] = Served(0, -1, problem=M["banner_db"].format(error=type(exc).__name__))
                _state["seen"] = None
            _state["checked_at"] = now
        return _state["served"]


def invalidate() -> None:
    """Look at the store again at the next call and check the served release again (after a
    publish/rollback in this process, or a repair of the database): what the next call serves
    does not depend on whether another thread happened to look at the store in between."""
    with _lock:
        _state["checked_at"] = -1e9
        _state["seen"] = None


#: The served state a thread's computation is pinned to (:func:`pinned`), or None.
_pin = threading.local()


@contextlib.contextmanager
def pinned(state: Served | None = None) -> Iterator[Served]:
    """Within the block, this thread sees one served state: the one of the block's start.

    Every data-dependent cache reads its key (:func:`data_version`) and then computes; if the
    served release changed in between (a publish, a rollback, or a test serving other tables
    while a background thread computes), a result of one release would be stored under the key
    of another and shown from then on. Each cached entry point therefore computes inside
    ``pinned()``: its key and everything it reads (tables, nested caches) belong to the same
    release. Nested blocks keep the outermost state; other threads are not affected.
    ``state``: pin this state (from :func:`current` in another thread, e.g. a background job
    that finishes what a request started) instead of the one served now.
    """
    held = getattr(_pin, "served", None)
    if held is not None:
        yield held
        return
    _pin.served = served() if state is None else state
    try:
        yield _pin.served
    finally:
        _pin.served = None


def current() -> Served:
    """The served state of this thread: the pinned one inside :func:`pinned`, else :func:`served`."""
    held = getattr(_pin, "served", None)
    return served() if held is None else held


def data_version() -> tuple:
    """Version of the served official tables, the key of every data-dependent cache:
    ``()`` for the shipped data, else ``("tables", release number, sha256 prefixes of the served
    versions)`` — the hashes were computed once at upload, so two databases (or a database
    recreated from scratch) never share a key for different data. Inside :func:`pinned`, the
    version of the block's start."""
    s = current()
    if s.release == 0:
        return ()
    return (CHANNEL, s.release, tuple(v.sha256[:16] for v in s.versions))


def serving_problem() -> str | None:
    """German banner text when the active release is not what is served, else ``None``."""
    return current().problem


def imported_municipal_age_tables() -> list[pd.DataFrame]:
    """Published official municipal population tables by sex and age group (served release).

    Returns
    -------
    list of pandas.DataFrame
        One frame per published municipal table, NEWEST first (the model takes the first
        table covering a municipality and year); ``[]`` when none is published. Columns:
        ``ags`` (8-char str), ``region_name``, ``year`` (int, 31 Dec), ``reference_date``,
        ``sex`` ("female"/"male"), ``age_min``/``age_max`` (int, inclusive; the open top
        group ends at :data:`~dashboard.constants.OPEN_AGE`), ``age_group``, ``population``
        (int64 persons), ``basis``, ``table``, ``publisher``, ``licence``, ``source_file``,
        ``source`` (version id, file name, hash, when and by whom published; also in
        ``DataFrame.attrs["source"]``), ``import_id`` (store version id), ``sha256``,
        ``estimated`` (False) — :data:`MODEL_COLUMNS`.
    """
    return [f.copy() for f in current().frames]


def published_provenance() -> list[dict[str, Any]]:
    """Provenance of the served tables (for the site's "Datenstand" line)."""
    out = []
    for v in current().versions:
        p = dict(v.provenance)
        p.update(
            id=v.id,
            filename=v.filename,
            sha256=v.sha256,
            published_at=v.published_at,
            published_by=v.published_by,
            used_by_model=bool(v.report.get("used_by_model")),
        )
        out.append(p)
    return out


# --------------------------------------------------------------------------- preview


@dataclass(frozen=True)
class Preview:
    """What publishing a draft would change, per municipality × age group (both sexes).

    ``table``: ``ags, municipality, age_group, current, new, difference`` (persons) for every
    year the draft covers (column ``year``); ``totals``: the same per municipality (+ Kreis);
    ``served_release``: the release the comparison is against. ``new_base_years``: years for
    which the site has no base population today (no official Kreis table, no published
    complete municipal table — e.g. 31.12.2025 before its tables exist): publishing makes them
    the new base; ``current`` is NaN there until :func:`with_projection` fills in what the site
    shows for that day today (the projection; the data layer does not run the model).
    """

    version_id: int
    years: tuple[int, ...]
    table: pd.DataFrame
    totals: pd.DataFrame
    served_release: int
    used_by_model: bool
    new_base_years: tuple[int, ...] = ()


def _groups(pop: pd.DataFrame) -> pd.DataFrame:
    bins = [lo for lo, _ in AGE_GROUPS_17.values()] + [10_000]
    labels = list(AGE_GROUPS_17)
    g = pop.assign(age_group=pd.cut(pop.age, bins=bins, right=False, labels=labels))
    return g.groupby(["ags", "age_group"], observed=False)["population"].sum().reset_index()


def preview(version_id: int) -> Preview:
    """Base population with the draft vs the served data (cached per draft content and served
    release: the key holds the draft's sha256, so two databases with the same version id never
    share a preview)."""
    v = _store().version(int(version_id))
    with pinned():
        return _preview(v.id, v.sha256, data_version())


def _totals(t: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per municipality (+ Kreis row) sums of a preview table of one year."""
    tot = (
        t.groupby(["year", "ags", "municipality"], sort=False)[["current", "new", "difference"]]
        .sum(min_count=1)
        .reset_index()
    )
    k = tot[["current", "new", "difference"]].sum(min_count=1)
    kreis = pd.DataFrame([{"year": year, "ags": KREIS_AGS, "municipality": "Kreis Düren", **k.to_dict()}])
    return pd.concat([tot, kreis], ignore_index=True)


def with_projection(p: Preview, population: pd.DataFrame) -> Preview:
    """Fill ``current`` of the preview's :attr:`~Preview.new_base_years` from the projection.

    Parameters
    ----------
    p : a preview.
    population : the projected population the site shows today (``ags, year, sex, age,
        population``, e.g. ``project(PRESETS["basis"]).population``).

    Returns
    -------
    Preview
        The same preview where, for a year that becomes the new base, ``current`` is the
        projection for 31.12. of that year and ``difference`` = official − projected. Years the
        projection does not reach stay NaN.
    """
    if not p.new_base_years:
        return p
    rows, totals = [], []
    for year in p.years:
        t = p.table[p.table.year == year].copy()
        if year in p.new_base_years:
            proj = population[population.year == year]
            if not proj.empty:
                cur = _groups(proj).rename(columns={"population": "projected"})
                t = t.drop(columns="current").merge(cur, on=["ags", "age_group"], how="left")
                t = t.rename(columns={"projected": "current"})
                t["difference"] = t["new"] - t["current"]
                t = t[["year", "ags", "municipality", "age_group", "current", "new", "difference"]]
        rows.append(t)
        totals.append(_totals(t, year))
    return Preview(
        p.version_id,
        p.years,
        pd.concat(rows, ignore_index=True),
        pd.concat(totals, ignore_index=True),
        p.served_release,
        p.used_by_model,
        p.new_base_years,
    )


@functools.lru_cache(maxsize=32)
def _preview(version_id: int, sha256: str, token: tuple) -> Preview:
    from dashboard.data.baseyear import official_base_years
    from dashboard.data.estimate import estimate_population, estimate_with_tables, kreis_years

    s = _store()
    v = s.version(version_id, with_content=True)
    srv = current()
    if not v.report.get("used_by_model"):
        empty = pd.DataFrame(
            columns=["year", "ags", "municipality", "age_group", "current", "new", "difference"]
        )
        return Preview(v.id, tuple(v.report.get("years", [])), empty, empty, srv.release, False)
    new_frame = _frame_of(v, v.payload)
    others = [f for f in srv.frames if f.attrs.get("slot") != v.slot]
    rows, totals, new_base = [], [], []
    years = tuple(sorted(int(y) for y in new_frame.year.unique()))
    with_base = set(kreis_years()) | set(official_base_years(list(srv.frames)))
    for year in years:
        new = _groups(estimate_with_tables(year, [new_frame, *others]).population)
        if year in with_base:
            cur = _groups(estimate_population(year).population)
        else:  # no base for that day today: the draft makes it the new base (see Preview)
            new_base.append(year)
            cur = new.assign(population=np.nan)
        t = cur.rename(columns={"population": "current"}).merge(
            new.rename(columns={"population": "new"}), on=["ags", "age_group"]
        )
        t["difference"] = t["new"] - t["current"]
        t.insert(0, "year", year)
        t.insert(2, "municipality", t.ags.map(MUNICIPALITIES))
        rows.append(t)
        totals.append(_totals(t, year))
    return Preview(
        v.id,
        years,
        pd.concat(rows, ignore_index=True),
        pd.concat(totals, ignore_index=True),
        srv.release,
        True,
        tuple(new_base),
    )


def preview_lines(p: Preview, *, limit: int = 15) -> list[str]:
    """German lines for the command line: per municipality the change of the base population."""
    if not p.used_by_model:
        return [M["preview_unused"]]
    out = []

    def num(x, fmt) -> str:
        return DASH if pd.isna(x) else fmt(x)

    for year in p.years:
        t = p.totals[p.totals.year == year]
        head = "preview_head_new_base" if year in p.new_base_years else "preview_head"
        out.append(M[head].format(year=year, release=p.served_release))
        for r in t.head(limit + 1).itertuples():
            out.append(
                f"  {r.municipality:<16} {num(r.current, fmt_int):>9} → {fmt_int(r.new):>9}  "
                f"({num(r.difference, fmt_signed_int)})"
            )
        biggest = p.table[p.table.year == year].assign(a=lambda d: d.difference.abs()).nlargest(3, "a")
        for r in biggest.itertuples():
            if abs(r.difference) >= 0.5:
                out.append(
                    M["preview_biggest"].format(
                        name=r.municipality, group=r.age_group, diff=fmt_signed_int(np.round(r.difference))
                    )
                )
    return out


__all__ = [
    "CHANNEL",
    "Checked",
    "Draft",
    "Preview",
    "Served",
    "check_file",
    "check_table",
    "check_upload",
    "create_draft",
    "create_draft_from_checked",
    "data_version",
    "draft_from_table",
    "imported_municipal_age_tables",
    "invalidate",
    "preview",
    "preview_lines",
    "with_projection",
    "problem_summary",
    "problems_text",
    "published_provenance",
    "read_payload",
    "sanitise_filename",
    "says_synthetic",
    "served",
    "serving_problem",
]
