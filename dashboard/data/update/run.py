"""One update run: fetch every table, validate it like a file import, hand them over as drafts.

All or nothing: the tables are fetched and validated first; only when every one passed is
anything handed to :func:`dashboard.data.update.sink.stage`. A failure raises
:class:`~dashboard.data.update.errors.UpdateError` and leaves everything as it was.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dashboard.constants import KREIS_AGS, MUNICIPALITIES
from dashboard.data.errors import DataFormatError
from dashboard.data.genesis import GenesisTable, load_genesis
from dashboard.data.update import client, credentials, registry
from dashboard.data.update.errors import UpdateError
from dashboard.data.update.registry import Service, TableSpec
from dashboard.data.update.replay import ReplayServer, load_recordings
from dashboard.settings import SERVICE_URL_ENV, service_url
from dashboard.text import UPDATE, fmt_date, fmt_int

#: Environment variables that point a service to another base URL (a mirror, a test server).
URL_OVERRIDE_ENV = SERVICE_URL_ENV
_MAX_DETAILS = 20


@dataclass(frozen=True)
class FetchedTable:
    """A fetched table that passed the same validation as a file import, with its provenance.

    Attributes
    ----------
    spec : TableSpec
        The entry of ``sources.json``.
    table : GenesisTable
        Result of :func:`dashboard.data.genesis.load_genesis` on the delivered flat CSV.
    provenance : dict
        ``service``, ``service_label``, ``service_url`` (the real service), ``replayed_from``
        (recordings folder or None), ``table_code``, ``entry``, ``title``, ``retrieved_at``
        (UTC, ISO 8601), ``stand`` (the service's "Updated" of the table, as given),
        ``publisher``, ``licence``, ``copyright``, ``time_range`` (from, to), ``periods``
        (reference dates or years in the data), ``sha256`` (of the delivered flat CSV),
        ``rows``, ``pystatis_rows``, ``pystatis_version``, ``request`` (parameters, never
        credentials), ``attempts``, ``synthetic``, ``how`` (recordings only), ``usable``,
        ``notes``.
    ffcsv : bytes
        The flat CSV exactly as delivered (UTF-8).
    metadata : dict
        The service's ``metadata/table`` answer.
    """

    spec: TableSpec
    table: GenesisTable
    provenance: dict[str, Any]
    ffcsv: bytes
    metadata: dict[str, Any] = field(repr=False, default_factory=dict)


@dataclass(frozen=True)
class UpdateResult:
    """Outcome of :func:`run_update`: the validated tables and the drafts they landed in.

    ``drafts``: store version ids (one per table); empty when nothing was staged.
    """

    fetched: tuple[FetchedTable, ...]
    drafts: tuple[str, ...]
    source: str

    def summary_de(self) -> str:
        """German multi-line summary for the CLI and the UI."""
        lines = [UPDATE["summary_head"].format(n=len(self.fetched), source=self.source)]
        for f in self.fetched:
            p = f.provenance
            flags = (UPDATE["summary_synthetic"] if p["synthetic"] else "") + (
                "" if p["usable"] else UPDATE["summary_unusable"]
            )
            lines.append(
                UPDATE["summary_table"].format(
                    table=p["table_code"],
                    label=f.spec.label,
                    rows=fmt_int(p["rows"]),
                    dates=", ".join(_period_de(x) for x in p["periods"]),
                    stand=p["stand"] or "–",
                    licence=p["licence"],
                    flags=flags,
                )
            )
        if self.drafts:
            lines.append(UPDATE["summary_drafts"].format(drafts=", ".join(self.drafts)))
            synthetic = [d for f, d in zip(self.fetched, self.drafts) if f.provenance["synthetic"]]
            if synthetic:
                lines.append(UPDATE["summary_synthetic_drafts"].format(drafts=", ".join(synthetic)))
        return "\n".join(lines)


def _period_de(x: str) -> str:
    return fmt_date(x) if re.match(r"^\d{4}-\d{2}-\d{2}$", x) else x


def _select(selection: Sequence[str] | None) -> tuple[TableSpec, ...]:
    specs = registry.tables()
    if not selection:
        return specs
    wanted = set(selection)
    chosen = tuple(s for s in specs if s.key in wanted or s.table in wanted)
    unknown = wanted - {s.key for s in chosen} - {s.table for s in chosen}
    if unknown:
        raise ValueError(
            f"Unbekannte Tabelle(n) {', '.join(sorted(unknown))}; verfügbar: "
            + ", ".join(f"{s.table} ({s.key})" for s in specs)
        )
    return chosen


def _credentials(svcs: dict[str, Service]) -> dict[str, credentials.Credentials]:
    found, missing = {}, []
    for key, svc in svcs.items():
        c = credentials.lookup(key)
        if c is None:
            missing.append(svc)
        else:
            found[key] = c
    if missing:
        raise UpdateError(
            "credentials_missing",
            UPDATE["credentials_missing"].format(
                services=" und ".join(s.label for s in missing),
                variables=", ".join(v for s in missing for v in credentials.env_names(s.key)),
                keyring=credentials.KEYRING_SERVICE,
                urls=", ".join(s.register_url for s in missing),
            ),
        )
    return found


def _licence(copyright_text: str, default: str) -> str:
    t = re.sub(r"\s+", " ", copyright_text or "")
    if re.search(r"Datenlizenz Deutschland", t, re.I) and re.search(r"Namensnennung", t, re.I) and "2.0" in t:
        return "dl-de/by-2-0"
    if re.search(r"Data licen[cs]e Germany", t, re.I) and re.search(r"attribution", t, re.I) and "2.0" in t:
        return "dl-de/by-2-0"
    return default


def _publisher(copyright_text: str, default: str) -> str:
    m = re.search(r"©\s*([^,\n]+?)(?:,\s*Deutschland)?,\s*\d{4}", copyright_text or "")
    return m.group(1).strip() if m else default


def _check_expectations(gt: GenesisTable, spec: TableSpec) -> list[str]:
    """Deviations of a validated table from the structure ``spec.expect`` asks for (German)."""
    d, e, out = gt.data, spec.expect, []
    tcol = "reference_date" if gt.kind == "population" else "year"
    if d.empty:
        return ["keine Werte"]
    want = {"municipalities": set(MUNICIPALITIES), "kreis": {KREIS_AGS}}.get(e.get("regions", ""), set())
    for t, g in d.groupby(tcol):
        got = set(g["ags"])
        missing = sorted(want - got)
        if missing:
            out.append(f"{t}: es fehlen die Regionen {', '.join(missing)}")
    outside = sorted(a for a in set(d["ags"]) if not str(a).startswith(KREIS_AGS)) if want else []
    if outside:
        out.append(f"Regionen außerhalb des Kreises Düren: {', '.join(outside[:10])}")
    if "sexes" in e and set(d["sex"]) != set(e["sexes"]):
        out.append(f"Geschlecht: erwartet {sorted(e['sexes'])}, gefunden {sorted(set(d['sex']))}")
    if "events" in e and gt.kind == "events":
        lacking = sorted(set(e["events"]) - set(d["event"]))
        if lacking:
            out.append(f"es fehlen die Merkmale {', '.join(lacking)}")
    n = e.get("age_groups")
    if n is not None:
        keys = ["ags", tcol, "sex"] + (["event"] if gt.kind == "events" else [])
        parts = d[d["age_group"] != "total"]
        counts = parts.groupby(keys).size()
        if n == 0 and len(parts):
            out.append(f"unerwartete Altersgruppen: {', '.join(sorted(set(parts['age_group_label']))[:5])}")
        elif n and (counts.empty or (counts != n).any()):
            found = sorted(set(counts.tolist())) if not counts.empty else [0]
            labels = sorted(set(parts["age_group_label"]), key=str)
            out.append(
                f"Altersgruppen: erwartet {n} je Region, Zeit und Geschlecht, gefunden {found} "
                f"({', '.join(labels[:4])}{' …' if len(labels) > 4 else ''})"
            )
    return out


def _validate(raw: client.RawTable, spec: TableSpec, svc: Service) -> GenesisTable:
    head = raw.ffcsv.lstrip("\ufeff")[:200]
    if not head.lower().startswith(("statistics_code", "statistik_code")):
        shown = re.sub(r"\s+", " ", head[:60]).strip() or "leer"
        raise client.failure_error(
            client._Failure("malformed", False, None, f"keine Flatfile-CSV, Anfang: {shown!r}"), svc, spec, 1
        )
    with tempfile.TemporaryDirectory(prefix="kd2030-update-") as td:
        path = Path(td) / f"{spec.table}_de_flat.csv"
        path.write_bytes(raw.ffcsv.encode("utf-8"))
        try:
            gt = load_genesis(path, format="ffcsv", table=spec.table)
        except DataFormatError as exc:
            raise _layout_error(svc, spec, _grouped(exc)) from exc
    problems = _check_expectations(gt, spec)
    read = len(gt.data) + sum(gt.ignored_counts.values())
    if raw.pystatis_rows != read:
        problems.append(f"pystatis las {fmt_int(raw.pystatis_rows)} Werte, die Prüfung {fmt_int(read)}")
    if problems:
        raise _layout_error(svc, spec, tuple(problems))
    return gt


def _grouped(exc: DataFormatError) -> tuple[str, ...]:
    """One line per kind of problem (same column, expectation and finding), with count and first row."""
    groups: dict[tuple, list] = {}
    for p in exc.problems:
        groups.setdefault((p.column, p.expected, p.found), []).append(p.row)
    out = []
    for (column, expected, found), rows in groups.items():
        where = f"Spalte {column!r}, " if column else ""
        rows_known = [r for r in rows if r is not None]
        at = f" ({fmt_int(len(rows))}-mal, zuerst Zeile {min(rows_known)})" if rows_known else ""
        out.append(f"{where}erwartet {expected}, gefunden {found}{at}")
    return tuple(out)


def _layout_error(svc: Service, spec: TableSpec, details: tuple[str, ...]) -> UpdateError:
    shown = [f"  - {p}" for p in details[:_MAX_DETAILS]]
    if len(details) > _MAX_DETAILS:
        shown.append(f"  … und {len(details) - _MAX_DETAILS} weitere")
    return UpdateError(
        "layout_changed",
        UPDATE["layout_changed"].format(service=svc.label, table=spec.table, details="\n".join(shown)),
        table=spec.table,
        details=details,
    )


def _provenance(
    raw: client.RawTable,
    gt: GenesisTable,
    spec: TableSpec,
    svc: Service,
    *,
    retrieved_at: datetime,
    replayed_from: Path | None,
    synthetic: bool,
    how: str,
    pystatis_version: str,
) -> dict[str, Any]:
    from dashboard.data.imports import says_synthetic

    obj = raw.metadata.get("Object") if isinstance(raw.metadata.get("Object"), dict) else {}
    copyright_text = str(raw.metadata.get("Copyright") or "")
    updated = str(obj.get("Updated") or "").strip()
    stand = re.sub(r"h$", "", updated).strip() or gt.stand
    tr = obj.get("Time") if isinstance(obj.get("Time"), dict) else {}
    tcol = "reference_date" if gt.kind == "population" else "year"
    periods = sorted({str(x) for x in gt.data[tcol]})
    return {
        "service": svc.key,
        "service_label": svc.label,
        "service_url": svc.base_url,
        "replayed_from": str(replayed_from) if replayed_from else None,
        "table_code": spec.table,
        "entry": spec.key,
        "title": re.sub(r"\s+", " ", str(obj.get("Content") or gt.title or spec.label)).strip(),
        "kind": gt.kind,
        "retrieved_at": retrieved_at.isoformat(timespec="seconds"),
        "stand": stand or None,
        "publisher": _publisher(copyright_text, svc.publisher),
        "licence": _licence(copyright_text, svc.licence),
        "copyright": copyright_text,
        "time_range": [tr.get("From"), tr.get("To")],
        "periods": periods,
        "sha256": hashlib.sha256(raw.ffcsv.encode("utf-8")).hexdigest(),
        "rows": int(len(gt.data)),
        "pystatis_rows": raw.pystatis_rows,
        "pystatis_version": pystatis_version,
        "request": {"name": spec.table, **spec.params},
        "attempts": raw.attempts,
        # the recording's label, or the table's own title text ("SYNTHETISCH")
        "synthetic": bool(synthetic) or says_synthetic(gt.title),
        "how": how,
        "usable": gt.usable,
        "notes": list(gt.notes),
    }


def run_update(
    *,
    offline: str | Path | None = None,
    tables: Sequence[str] | None = None,
    stage: bool = True,
    actor: Any = None,
    base_urls: dict[str, str] | None = None,
    attempts: int = client.ATTEMPTS,
    first_delay: float = client.FIRST_DELAY,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[str], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> UpdateResult:
    """Fetch the newest official tables for Kreis Düren, validate them and stage them as drafts.

    Parameters
    ----------
    offline : folder of recordings (``tests/data/genesis_api/``): replay them through a local
        HTTP server instead of the network; pystatis and the validation run unchanged.
    tables : entry keys or table codes to fetch (default: all of ``sources.json``).
    stage : hand the validated tables to :func:`dashboard.data.update.sink.stage` (False: only
        fetch and validate, e.g. for a preview).
    actor : who starts the update: a ``dashboard.store.Actor`` (signed-in user) or a name
        (default: the update command acting as maintainer).
    base_urls : base URL per service key (default: ``DASHBOARD_UPDATE_URL_<SERVICE>`` or the
        real service); ignored in offline mode.
    attempts, first_delay, sleep : retry policy (see :func:`dashboard.data.update.client.fetch_table`).
    progress : called with a German label before each step (a progress bar).
    notify : called with a German line for each retry.

    Returns
    -------
    UpdateResult

    Raises
    ------
    UpdateError
        Missing/wrong credentials, no connection, HTTP 429/5xx after the retries, a malformed
        answer, a changed table layout, missing pystatis or unusable recordings. Nothing is
        staged in that case.
    """
    specs = _select(tables)
    all_svcs = registry.services()
    svcs = {s.service: all_svcs[s.service] for s in specs}
    pystatis = client.import_pystatis()
    version = str(getattr(pystatis, "__version__", "?"))
    steps = progress or (lambda label: None)
    fetched: list[FetchedTable] = []

    def fetch_all(urls: dict[str, str], creds, replayed: Path | None, synthetic: set[str], how) -> None:
        with client.pystatis_session(svcs, creds, urls) as ps:
            for spec in specs:
                svc = svcs[spec.service]
                steps(UPDATE["progress_fetch"].format(table=spec.table))
                raw = client.fetch_table(
                    ps, svc, spec, attempts=attempts, first_delay=first_delay, sleep=sleep, notify=notify
                )
                gt = _validate(raw, spec, svc)
                prov = _provenance(
                    raw,
                    gt,
                    spec,
                    svc,
                    retrieved_at=datetime.now(UTC),
                    replayed_from=replayed,
                    synthetic=spec.table in synthetic,
                    how=how(spec.table),
                    pystatis_version=version,
                )
                fetched.append(FetchedTable(spec, gt, prov, raw.ffcsv.encode("utf-8"), raw.metadata))

    if offline is not None:
        rec = load_recordings(offline)
        creds = {k: credentials.Credentials("aufzeichnung", "", "recording") for k in svcs}
        with ReplayServer(rec) as server:
            fetch_all(
                {k: server.base_url(k) for k in svcs}, creds, rec.folder, rec.synthetic_tables(), rec.how
            )
        source = UPDATE["source_offline"].format(folder=rec.folder)
    else:
        creds = _credentials(svcs)
        urls = {k: (base_urls or {}).get(k) or service_url(k) or svc.base_url for k, svc in svcs.items()}
        fetch_all(urls, creds, None, set(), lambda name: "")
        source = UPDATE["source_online"]

    drafts: tuple[str, ...] = ()
    if stage:
        from dashboard.data.update import sink

        steps(UPDATE["progress_stage"])
        drafts = sink.stage(fetched, actor=actor)
    return UpdateResult(tuple(fetched), drafts, source)


def step_count(tables: Sequence[str] | None = None, *, stage: bool = True) -> int:
    """Number of progress steps :func:`run_update` reports (for a progress bar)."""
    return len(_select(tables)) + (1 if stage else 0)


__all__ = ["FetchedTable", "UpdateResult", "URL_OVERRIDE_ENV", "run_update", "step_count"]
