"""Command-line interface: ``python -m dashboard [command]``.

Without a command the Dash development server starts on the embedded data.
Subcommands (German verbs where users type them)::

    python -m dashboard                       # development server, http://127.0.0.1:8050
    python -m dashboard data check            # validate every embedded table
    python -m dashboard data import PATH      # validate completely, store as a draft
    python -m dashboard data versions         # drafts, published versions, releases
    python -m dashboard data publish ID       # publish a draft (role pflege)
    python -m dashboard data rollback         # back to the previous release
    python -m dashboard benutzer anlegen NAME --rolle pflege
    python -m dashboard db upgrade
    python -m dashboard data update [--offline DIR]  # fetch the newest official tables (pystatis)
    python -m dashboard project --scenario basis --bis 2030 --out prognose.xlsx
    python -m dashboard project --out prognose.csv      # one CSV: the population table
    python -m dashboard project --out prognose/         # folder: every table as CSV
    python -m dashboard project --neubau 05358044:2026-2030:200 --wanderung-gemeinde 05358012:50 --out x.xlsx
    python -m dashboard project --szenario-datei szenario.json --out x.xlsx
    python -m dashboard backtest --out rueckrechnung/   # summary.csv, coverage.csv, …
    python -m dashboard massnahmen import PATH
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from dashboard.text import fmt_int


def _serve(args: argparse.Namespace) -> int:
    from dashboard.app import run_dev_server

    run_dev_server(host=args.host, port=args.port)
    return 0


class Progress:
    """A minimal progress line on stderr (no extra dependency)."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.stream, self.t0 = total, 0, stream, time.perf_counter()

    def __call__(self, label: str) -> None:
        self.done += 1
        n = 24
        filled = int(n * self.done / self.total)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (n - filled)}] {self.done}/{self.total} {label:<24} "
            f"{time.perf_counter() - self.t0:5.1f} s"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _cmd_project(args: argparse.Namespace) -> int:
    from dashboard.export import write_csv, write_excel, write_population_csv
    from dashboard.projection.engine import project
    from dashboard.projection.scenarios import PARAMETERS, cli_dest, scenario_from_flags

    try:
        base = _base_scenario(args)
        if args.bis is not None or args.szenario_datei is None:
            base = replace(base, horizon=2030 if args.bis is None else args.bis)
        scenario = scenario_from_flags(base, {p.key: getattr(args, cli_dest(p)) for p in PARAMETERS})
    except ValueError as err:
        print(str(err), file=sys.stderr)
        return 2
    target = out_target(args.out, args.format)
    if isinstance(target, str):
        print(target, file=sys.stderr)
        return 2
    kind, out = target
    steps = {"xlsx": 8, "dir": 6, "file": 1}[kind]
    progress = Progress(steps + 2)
    progress("Annahmen schätzen")
    from dashboard.projection import estimate_assumptions

    estimate_assumptions()
    progress("Vorausberechnung")
    result = project(scenario)
    if kind == "xlsx":
        write_excel(result, out, progress=progress)
    elif kind == "dir":
        write_csv(result, out, progress=progress)
    else:
        progress("population")
        write_population_csv(result, out)
    progress.close()
    kreis = result.kreis_total(scenario.horizon)
    print(
        f"{scenario.label}: Kreis Düren 31.12.{scenario.horizon}: {fmt_int(kreis)} Personen",
        file=sys.stderr,
    )
    print(str(out))
    return 0


def _base_scenario(args: argparse.Namespace):
    """The preset (``--scenario``) or the scenario file (``--szenario-datei``), not both."""
    from dashboard.projection import PRESETS

    if args.szenario_datei is not None:
        if args.scenario is not None:
            raise ValueError("Bitte entweder --scenario oder --szenario-datei angeben, nicht beides.")
        from dashboard.projection.scenario_file import MAX_BYTES, from_json

        path = Path(args.szenario_datei)
        if not path.is_file():
            raise ValueError(f"Szenariodatei {str(path)!r}: Datei nicht gefunden.")
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"Szenariodatei {str(path)!r}: höchstens {fmt_int(MAX_BYTES)} Bytes erlaubt.")
        return from_json(path.read_bytes(), name=f"Szenariodatei {str(path)!r}").scenario
    name = args.scenario or "basis"
    if name not in PRESETS:
        raise ValueError(f"Unbekanntes Szenario {name!r}; verfügbar: {', '.join(PRESETS)}")
    return PRESETS[name]


def out_target(out: str, fmt: str | None) -> tuple[str, Path] | str:
    """What ``--out`` means: ``("xlsx", file)``, ``("file", one CSV)`` or ``("dir", folder of CSVs)``.

    A trailing slash or an existing folder is a folder; ``.xlsx`` a workbook; ``.csv`` one CSV
    file with the population table; a name without suffix a folder. Returns a German error
    message when ``--format`` contradicts the name.
    """
    path = Path(out)
    is_dir = out.endswith(("/", "\\")) or path.is_dir()
    suffix = "" if is_dir else path.suffix.lower()
    if is_dir or not suffix:
        if fmt == "xlsx":
            return f"--out {out}: ein Ordner passt nicht zu --format xlsx (erwartet: Dateiname auf .xlsx)."
        return "dir", path
    if suffix == ".xlsx":
        if fmt == "csv":
            return f"--out {out}: eine .xlsx-Datei passt nicht zu --format csv (erwartet: .csv oder Ordner/)."
        return "xlsx", path
    if suffix == ".csv":
        if fmt == "xlsx":
            return f"--out {out}: eine .csv-Datei passt nicht zu --format xlsx."
        return "file", path
    return (
        f"--out {out}: unbekannte Endung „{path.suffix}“ (erwartet: .xlsx, .csv oder ein Ordner mit "
        "abschließendem /)."
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="Kreis Düren 2030 – Demografie-Dashboard"
    )
    parser.add_argument(
        "--host", default=None, help="Adresse des Servers (Standard: DASHBOARD_HOST oder 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=None, help="Port (Standard: DASHBOARD_PORT oder 8050)")
    parser.set_defaults(func=_serve)
    sub = parser.add_subparsers(dest="command")
    # Each feature module registers its own subcommands here.
    data = sub.add_parser("data", help="Daten prüfen und importieren")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    _register_data(data_sub)
    massnahmen = sub.add_parser(
        "massnahmen", help="Maßnahmenkatalog (Werkzeugkoffer) importieren/exportieren"
    )
    _register_massnahmen(massnahmen.add_subparsers(dest="massnahmen_command", required=True))
    _register_project(sub)
    _register_db(sub)
    _register_benutzer(sub)
    _register_backtest(sub)
    return parser


def _register_massnahmen(msub) -> None:
    imp = msub.add_parser(
        "import", help="bearbeitete Arbeitsmappe vollständig prüfen und als Entwurf speichern"
    )
    imp.add_argument("path", help="Excel-Arbeitsmappe (.xlsx)")
    imp.set_defaults(func=_massnahmen_import)
    exp = msub.add_parser("export", help="aktiven Katalog als Excel und CSV speichern")
    exp.add_argument("--out", required=True, help="Zielordner")
    exp.set_defaults(func=_massnahmen_export)
    build = msub.add_parser(
        "build", help="mitgelieferten Katalog aus data/measures/measures.csv neu erzeugen"
    )
    build.set_defaults(func=_massnahmen_build)
    ver = msub.add_parser("versions", help="importierte Kataloge (Entwürfe, veröffentlicht) und Stände")
    ver.set_defaults(func=_massnahmen_versions)
    pub = msub.add_parser("publish", help="einen Katalog-Entwurf für alle veröffentlichen (Rolle pflege)")
    pub.add_argument("id", type=int)
    pub.add_argument("--erwartet", type=int, default=None, help="Stand, den Sie geprüft haben")
    pub.set_defaults(func=_data_publish)
    rb = msub.add_parser("rollback", help="auf den vorigen (oder einen bestimmten) Katalog zurücksetzen")
    rb.add_argument("--zu", type=int, default=None, help="Standnummer (0 = mitgelieferter Katalog)")
    rb.add_argument("--erwartet", type=int, default=None, help="Stand, den Sie geprüft haben")
    rb.set_defaults(func=lambda a: _rollback("catalogue", a))
    reset = msub.add_parser(
        "reset", help="mitgelieferten Katalog wieder aktiv machen (neuer Stand, rückgängig mit rollback)"
    )
    reset.set_defaults(func=_massnahmen_reset)


def _import_file(path_text: str, do_import, *, missing: str, refused: int):
    """``(do_import(path), 0)`` for a file named on the command line, or ``(None, exit code)``
    after printing why not to stderr: ``missing`` (``{name}`` = the file name) and 2 when there
    is no such file, every problem and ``refused`` when the content is refused, 2 when the
    store refuses."""
    from dashboard.data.errors import DataFormatError
    from dashboard.data.imports import problems_text
    from dashboard.store import StoreError

    path = Path(path_text)
    if not path.is_file():
        print(missing.format(name=path.name), file=sys.stderr)
        return None, 2
    try:
        return do_import(path), 0
    except DataFormatError as exc:
        print(f"Import abgelehnt: {path.name}\n{problems_text(exc.problems)}", file=sys.stderr)
        return None, refused
    except StoreError as exc:
        print(f"Import abgelehnt: {exc}", file=sys.stderr)
        return None, 2


def _massnahmen_import(args: argparse.Namespace) -> int:
    """Validate a workbook and store it as a draft; prints a summary or all problems."""
    from dashboard.data.measures import import_workbook

    imported, code = _import_file(
        args.path,
        lambda path: import_workbook(path, actor=_cli_actor()),
        missing="Datei nicht gefunden: {name}",
        refused=1,
    )
    if code:
        return code
    version, _cat = imported
    print(f"Als Entwurf {version.id} gespeichert (öffentlich ändert sich nichts bis zur Veröffentlichung).")
    print("\n".join(version.report.get("summary", [])))
    print(f"Veröffentlichen: python -m dashboard massnahmen publish {version.id}")
    return 0


def _massnahmen_versions(args: argparse.Namespace) -> int:
    from dashboard.store import get_store
    from dashboard.text import fmt_date

    s = get_store()
    active = s.active("catalogue")
    print(f"Aktueller Stand: {active.number} (Versionen {list(active.version_ids) or '– (mitgeliefert)'})")
    for v in s.versions("catalogue"):
        print(
            f"{v.id:>4}  {_status_de(v.status):<14} {v.filename[:40]:<40} "
            f"{fmt_date(v.created_at.date())} von {v.created_by}"
        )
    return 0


def _massnahmen_export(args: argparse.Namespace) -> int:
    """Export the active catalogue (workbook + CSV, formula-safe) to ``--out``."""
    from dashboard.data.measures import active_catalogue, export_csv, write_workbook

    cat = active_catalogue()
    for w in cat.warnings:
        print("Warnung:", w)
    out = Path(args.out)
    write_workbook(cat, out / "massnahmen.xlsx")
    paths = export_csv(cat, out)
    print(
        f"Exportiert ({'importierter' if cat.origin == 'imported' else 'mitgelieferter'} "
        f"Katalog, {len(cat.measures)} Maßnahmen): {out / 'massnahmen.xlsx'}, "
        + ", ".join(p.name for p in paths)
    )
    return 0


def _massnahmen_build(args: argparse.Namespace) -> int:
    """Re-run the build: raw CSV -> shipped workbook and CSV export."""
    from dashboard.data.measures import SHIPPED_WORKBOOK, build_shipped

    cat, rep = build_shipped()
    print(f"{len(cat.measures)} Maßnahmen -> {SHIPPED_WORKBOOK}; ausgeschlossen: {len(rep.excluded)}")
    return 0


def _massnahmen_reset(args: argparse.Namespace) -> int:
    from dashboard.data.measures import reset_import

    def run():
        print(
            "Mitgelieferter Katalog wieder aktiv (rückgängig: python -m dashboard massnahmen rollback)."
            if reset_import(actor=_cli_actor())
            else "Der mitgelieferte Katalog ist bereits aktiv."
        )

    return _store_call(run)


def _register_project(sub) -> None:
    p = sub.add_parser("project", help="Bevölkerungsvorausberechnung rechnen und exportieren (Excel/CSV)")
    from dashboard.projection.scenarios import PRESETS

    p.add_argument(
        "--scenario",
        "--szenario",
        dest="scenario",
        default=None,
        help=f"Szenario ({', '.join(PRESETS)}); Standard basis; die Angaben unten ersetzen bzw. "
        "ergänzen seine Annahmen",
    )
    p.add_argument(
        "--szenario-datei",
        dest="szenario_datei",
        default=None,
        help="gespeichertes Szenario (JSON, z. B. von /szenarien heruntergeladen) statt --scenario",
    )
    p.add_argument(
        "--bis", type=int, default=None, help="Zieljahr (2025–2045), Standard 2030 bzw. das der Szenariodatei"
    )
    p.add_argument(
        "--out",
        required=True,
        help="Ausgabe: prognose.xlsx = Arbeitsmappe mit allen Tabellen; prognose.csv = eine CSV-Datei "
        "mit der Bevölkerungstabelle (population.csv des Ordner-Exports); ORDNER/ (abschließender / "
        "oder vorhandener Ordner, auch Name ohne Endung) = alle Tabellen als CSV-Dateien",
    )
    p.add_argument(
        "--format", choices=["xlsx", "csv"], help="Format prüfen (sonst aus der Dateiendung bestimmt)"
    )
    _add_scenario_flags(p)
    p.set_defaults(func=_cmd_project)


def _add_scenario_flags(p) -> None:
    """One flag per declared scenario parameter (German or plain numbers; repeatable for lists)."""
    from dashboard.projection.scenarios import PARAMETERS, cli_dest
    from dashboard.text import NUMBER_INPUT, SCENARIO_PARAMETERS, fmt_num

    for par in PARAMETERS:
        text = SCENARIO_PARAMETERS[par.key]["help"]
        if par.model_range:
            lo, hi = par.model_range
            text += NUMBER_INPUT["cli_range"].format(lo=fmt_num(lo), hi=fmt_num(hi))
        if par.syntax:
            text += NUMBER_INPUT["cli_syntax"].format(syntax=par.syntax)
        p.add_argument(
            par.cli_flag,
            dest=cli_dest(par),
            action="append" if par.many else "store",
            metavar=SCENARIO_PARAMETERS[par.key].get("metavar", "WERT"),
            help=text.replace("%", "%%"),  # argparse formats help with %
        )


def _register_backtest(sub) -> None:
    p = sub.add_parser(
        "backtest",
        help="Rückrechnung (Backtest) und Trefferquote der Intervalle rechnen und als CSV schreiben",
    )
    p.add_argument("--out", required=True, help="Zielordner (wird angelegt)")
    p.add_argument(
        "--draws", type=int, default=500, help="Ziehungen je Basisjahr für die Intervalle (Standard 500)"
    )
    p.set_defaults(func=_cmd_backtest)


def _cmd_backtest(args: argparse.Namespace) -> int:
    """Write summary.csv, coverage.csv and the other accuracy tables (UTF-8, decimal point)."""
    from dashboard.projection.accuracy import report_tables

    if args.draws < 10:
        print(f"--draws muss mindestens 10 sein (erhalten: {args.draws}).", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in report_tables(args.draws).items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False)
        print(str(path))
    return 0


def _register_data(data_sub) -> None:
    check = data_sub.add_parser("check", help="alle mitgelieferten Tabellen prüfen")
    check.add_argument(
        "--raw-dir",
        type=Path,
        default=None,
        help="Prüfsummen und Inhalt der Rohdateien in diesem Ordner prüfen (Standard: data/raw)",
    )
    check.set_defaults(func=_data_check)
    imp = data_sub.add_parser(
        "import", help="einen GENESIS-Export vollständig prüfen und als Entwurf speichern"
    )
    imp.add_argument("path", help="heruntergeladene Datei (Flatfile-CSV, Tabellen-CSV, XLSX oder ZIP)")
    imp.set_defaults(func=_data_import)
    ver = data_sub.add_parser("versions", help="importierte Tabellen (Entwürfe, veröffentlicht) und Stände")
    ver.set_defaults(func=_data_versions)
    pub = data_sub.add_parser("publish", help="einen Entwurf für alle veröffentlichen (Rolle pflege)")
    pub.add_argument("id", type=int, help="Versionsnummer (siehe data versions)")
    pub.add_argument(
        "--erwartet",
        type=int,
        default=None,
        help="Stand, den Sie geprüft haben (Standard: der aktuelle); anderer Stand → Konflikt",
    )
    pub.set_defaults(func=_data_publish)
    rb = data_sub.add_parser("rollback", help="auf den vorigen (oder einen bestimmten) Stand zurücksetzen")
    rb.add_argument("--zu", type=int, default=None, help="Standnummer (0 = mitgelieferte Daten)")
    rb.add_argument("--erwartet", type=int, default=None, help="Stand, den Sie geprüft haben")
    rb.set_defaults(func=_data_rollback)
    pv = data_sub.add_parser("preview", help="was die Veröffentlichung eines Entwurfs ändern würde")
    pv.add_argument("id", type=int)
    pv.set_defaults(func=_data_preview)
    upd = data_sub.add_parser(
        "update",
        help="neueste amtliche Tabellen von den Web-Diensten der Statistikämter abrufen (pystatis) "
        "und als Entwurf ablegen",
    )
    upd.add_argument(
        "--offline",
        metavar="ORDNER",
        default=None,
        help="Aufzeichnungen abspielen statt das Netz zu nutzen (z. B. tests/data/genesis_api/)",
    )
    upd.add_argument(
        "--nur",
        metavar="TABELLE",
        action="append",
        default=None,
        help="nur diese Tabelle abrufen (Code oder Schlüssel, mehrfach möglich)",
    )
    upd.add_argument(
        "--ohne-entwurf",
        dest="ohne_entwurf",
        action="store_true",
        help="nur abrufen und prüfen, keinen Entwurf anlegen",
    )
    upd.add_argument("--von", default=None, help="Name der Person, die den Abruf startet (für den Entwurf)")
    upd.set_defaults(func=_data_update)


def _data_import(args: argparse.Namespace) -> int:
    from dashboard.data.imports import create_draft, preview, preview_lines

    draft, code = _import_file(
        args.path,
        lambda path: create_draft(path.read_bytes(), path.name, actor=_cli_actor()),
        missing="Import abgelehnt: Datei {name!r} nicht gefunden.",
        refused=2,
    )
    if code:
        return code
    print(draft.summary_de())
    if draft.checked.used_by_model:
        print("\n".join(preview_lines(_preview_with_projection(preview(draft.version.id)))))
    print(f"Veröffentlichen: python -m dashboard data publish {draft.version.id}")
    return 0


def _status_de(status: str) -> str:
    from dashboard.text import STORE

    return STORE.get("status_" + status, status)


def _data_versions(args: argparse.Namespace) -> int:
    from dashboard.data.imports import CHANNEL, served
    from dashboard.store import get_store
    from dashboard.text import fmt_date

    s = get_store()
    active = s.active(CHANNEL)
    srv = served(refresh=True)
    print(f"Aktueller Stand: {active.number} (Versionen {list(active.version_ids) or '–'})")
    if srv.problem:
        print(srv.problem)
    print(f"{'ID':>4}  {'Status':<14} {'Tabelle':<16} {'Jahre':<10} {'Datei':<40} angelegt")
    for v in s.versions(CHANNEL):
        years = ",".join(str(y) for y in v.provenance.get("years", []))
        when = fmt_date(v.created_at.date())
        print(
            f"{v.id:>4}  {_status_de(v.status):<14} {v.provenance.get('table_code', ''):<16} {years:<10} "
            f"{v.filename[:40]:<40} {when} von {v.created_by}"
            + (" – SYNTHETISCH (Testdaten, nicht veröffentlichbar)" if v.synthetic else "")
        )
    rels = s.releases(CHANNEL)
    if rels:
        print("Stände:")
    for r in rels:
        what = (
            f"Version {r.version_id} veröffentlicht"
            if r.action == "publish"
            else f"zurückgesetzt auf Stand {r.restored_number}"
        )
        print(f"  {r.number:>3}: {what} – {fmt_date(r.created_at.date())} von {r.created_by}")
    return 0


def _data_publish(args: argparse.Namespace) -> int:
    """Publish a version of either channel (table or catalogue)."""
    from dashboard.store import get_store

    def run():
        s = get_store()
        v = s.version(args.id)
        expected = args.erwartet if args.erwartet is not None else s.active(v.channel).number
        r = s.publish(v.id, actor=_cli_actor(), expected=expected)
        print(f"Version {v.id} veröffentlicht: Stand {r.number} (Versionen {list(r.version_ids)}).")

    return _store_call(run)


def _data_rollback(args: argparse.Namespace) -> int:
    return _rollback("tables", args)


def _rollback(channel: str, args: argparse.Namespace) -> int:
    from dashboard.store import get_store

    def run():
        s = get_store()
        expected = args.erwartet if args.erwartet is not None else s.active(channel).number
        r = s.rollback(channel, actor=_cli_actor(), expected=expected, to=args.zu)
        print(
            f"Zurückgesetzt: neuer Stand {r.number} = Inhalt von Stand {r.restored_number} "
            f"(Versionen {list(r.version_ids) or '– (mitgelieferte Daten)'})."
        )

    return _store_call(run)


def _preview_with_projection(p):
    """A preview whose new base year (if any) is compared with today's Basis projection."""
    if not p.new_base_years:
        return p
    from dashboard.data.imports import with_projection
    from dashboard.projection import PRESETS, project

    return with_projection(p, project(PRESETS["basis"]).population)


def _data_preview(args: argparse.Namespace) -> int:
    from dashboard.data.imports import preview, preview_lines

    def run():
        print("\n".join(preview_lines(_preview_with_projection(preview(args.id)), limit=16)))

    return _store_call(run)


def _data_update(args: argparse.Namespace) -> int:
    from dashboard.data.update import UpdateError, run_update, step_count

    try:
        progress = Progress(step_count(args.nur, stage=not args.ohne_entwurf))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2

    def notify(line: str) -> None:
        sys.stderr.write("\n" + line + "\n")

    try:
        result = run_update(
            offline=args.offline,
            tables=args.nur,
            stage=not args.ohne_entwurf,
            actor=args.von,
            progress=progress,
            notify=notify,
        )
    except UpdateError as exc:
        progress.close()
        print(f"Aktualisierung abgebrochen: {exc.message}", file=sys.stderr)
        return 2
    progress.close()
    print(result.summary_de())
    return 0


def _data_check(args: argparse.Namespace) -> int:
    from dashboard.data.check import check_results, render_check

    results = check_results(getattr(args, "raw_dir", None))
    print(render_check(results))
    return 0 if all(r.ok for r in results) else 1


# --------------------------------------------------------------------------- store: db, accounts


def _cli_actor():
    """The maintainer at the command line acts with the role ``pflege``: whoever can run
    commands on the server controls its database anyway. The audit names the OS user."""
    import getpass

    from dashboard.store import Actor

    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no passwd entry
        who = "unbekannt"
    return Actor(f"Kommandozeile ({who})"[:64], "pflege")


def _register_db(sub) -> None:
    db = sub.add_parser("db", help="Datenbank anlegen oder migrieren")
    dsub = db.add_subparsers(dest="db_command", required=True)
    up = dsub.add_parser("upgrade", help="Schema anlegen oder auf den neuesten Stand migrieren")
    up.set_defaults(func=_db_upgrade)
    st = dsub.add_parser("status", help="Datenbank, Schema-Version und Datenstand anzeigen")
    st.set_defaults(func=_db_status)


def _db_upgrade(args: argparse.Namespace) -> int:
    from dashboard.store import db

    url = db.database_url()
    engine = db.make_engine(url)
    before, after = db.upgrade(engine)
    engine.dispose()
    where = db.display_url(url)
    if before == after:
        print(f"Datenbank {where}: Schema ist aktuell (Version {after}).")
    else:
        print(f"Datenbank {where}: Schema {before or 'leer'} → {after}.")
    return 0


def _db_status(args: argparse.Namespace) -> int:
    from dashboard.store import db, get_store

    s = get_store()
    print(f"Datenbank: {db.display_url(s.url)}")
    print(f"Schema-Version: {db.current_revision(s.engine)} (Code: {db.head_revision()})")
    for channel, number in s.data_version().items():
        print(f"Stand {channel}: {number}")
    print(f"Benutzer: {len(s.users())}")
    return 0


def _register_benutzer(sub) -> None:
    b = sub.add_parser("benutzer", help="Benutzerkonten verwalten (Rollen planung, pflege)")
    bsub = b.add_subparsers(dest="benutzer_command", required=True)
    add = bsub.add_parser(
        "anlegen", help="Konto anlegen (Passwort wird abgefragt oder von der Standardeingabe gelesen)"
    )
    add.add_argument("name")
    add.add_argument("--rolle", required=True, choices=["planung", "pflege"])
    add.set_defaults(func=_benutzer_anlegen)
    ls = bsub.add_parser("liste", help="alle Konten anzeigen")
    ls.set_defaults(func=_benutzer_liste)
    role = bsub.add_parser("rolle", help="Rolle eines Kontos ändern")
    role.add_argument("name")
    role.add_argument("rolle", choices=["planung", "pflege"])
    role.set_defaults(func=_benutzer_rolle)
    pw = bsub.add_parser("passwort", help="Passwort neu setzen (abgefragt oder von der Standardeingabe)")
    pw.add_argument("name")
    pw.set_defaults(func=_benutzer_passwort)
    for verb, active, text in (("sperren", False, "Konto sperren"), ("entsperren", True, "Konto entsperren")):
        p = bsub.add_parser(verb, help=text)
        p.add_argument("name")
        p.set_defaults(func=_benutzer_aktiv, active=active)


def _read_password() -> str:
    """Twice at a terminal (hidden), else one line from standard input (for scripts)."""
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass("Passwort: ")
        if getpass.getpass("Passwort wiederholen: ") != first:
            raise SystemExit("Die Passwörter stimmen nicht überein.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _store_call(fn) -> int:
    from dashboard.store import StoreError

    try:
        fn()
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


def _benutzer_anlegen(args: argparse.Namespace) -> int:
    from dashboard.store import get_store

    password = _read_password()

    def run():
        u = get_store().create_user(args.name, password, args.rolle, actor=_cli_actor())
        print(f"Konto {u.name!r} mit der Rolle {u.role!r} angelegt.")

    return _store_call(run)


def _benutzer_liste(args: argparse.Namespace) -> int:
    from dashboard.store import get_store
    from dashboard.text import fmt_date

    users = get_store().users()
    if not users:
        print("Keine Konten. Erstes Konto: python -m dashboard benutzer anlegen NAME --rolle pflege")
    for u in users:
        state = "" if u.active else "  (gesperrt)"
        print(f"{u.name:<24} {u.role:<8} angelegt {fmt_date(u.created_at.date())} von {u.created_by}{state}")
    return 0


def _benutzer_rolle(args: argparse.Namespace) -> int:
    from dashboard.store import get_store

    def run():
        get_store().set_role(args.name, args.rolle, actor=_cli_actor())
        print(f"Konto {args.name!r}: Rolle {args.rolle!r}.")

    return _store_call(run)


def _benutzer_passwort(args: argparse.Namespace) -> int:
    from dashboard.store import get_store

    password = _read_password()

    def run():
        get_store().set_password(args.name, password, actor=_cli_actor())
        print(f"Konto {args.name!r}: Passwort neu gesetzt.")

    return _store_call(run)


def _benutzer_aktiv(args: argparse.Namespace) -> int:
    from dashboard.store import get_store

    def run():
        get_store().set_active(args.name, args.active, actor=_cli_actor())
        print(f"Konto {args.name!r} {'entsperrt' if args.active else 'gesperrt'}.")

    return _store_call(run)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
