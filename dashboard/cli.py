"""Command-line interface: ``python -m dashboard [command]``.

Without a command the Dash development server starts on the embedded data.
Subcommands (German verbs where users type them)::

    python -m dashboard                       # development server, http://127.0.0.1:8050
    python -m dashboard data check            # validate every embedded table
    python -m dashboard data import PATH      # validate and import a GENESIS export
    python -m dashboard data update [--offline DIR]  # fetch the newest official tables (pystatis)
    python -m dashboard project --scenario basis --bis 2030 --out prognose.xlsx
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
    from dashboard.export import write_csv, write_excel
    from dashboard.projection import PRESETS
    from dashboard.projection.engine import project

    if args.scenario not in PRESETS:
        print(f"Unbekanntes Szenario {args.scenario!r}; verfügbar: {', '.join(PRESETS)}", file=sys.stderr)
        return 2
    changes = {"horizon": args.bis}
    if args.tfr is not None:
        changes["tfr"] = args.tfr
    if args.wanderung is not None:
        changes["net_migration"] = args.wanderung
    if args.e0_gewinn is not None:
        changes["e0_gain"] = args.e0_gewinn
    try:
        scenario = replace(PRESETS[args.scenario], **changes)
    except ValueError as err:
        print(str(err), file=sys.stderr)
        return 2
    out = Path(args.out)
    fmt = args.format or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
    steps = 8 if fmt == "xlsx" else 6
    progress = Progress(steps + 2)
    progress("Annahmen schätzen")
    from dashboard.projection import estimate_assumptions

    estimate_assumptions()
    progress("Vorausberechnung")
    result = project(scenario)
    if fmt == "xlsx":
        write_excel(result, out, progress=progress)
    else:
        write_csv(result, out, progress=progress)
    progress.close()
    kreis = result.kreis_total(scenario.horizon)
    print(
        f"{scenario.label}: Kreis Düren 31.12.{scenario.horizon}: {fmt_int(kreis)} Personen",
        file=sys.stderr,
    )
    print(str(out))
    return 0


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
    _register_backtest(sub)
    return parser


def _register_massnahmen(msub) -> None:
    imp = msub.add_parser("import", help="bearbeitete Arbeitsmappe prüfen und als aktiven Katalog übernehmen")
    imp.add_argument("path", help="Excel-Arbeitsmappe (.xlsx)")
    imp.set_defaults(func=_massnahmen_import)
    exp = msub.add_parser("export", help="aktiven Katalog als Excel und CSV speichern")
    exp.add_argument("--out", required=True, help="Zielordner")
    exp.set_defaults(func=_massnahmen_export)
    build = msub.add_parser(
        "build", help="mitgelieferten Katalog aus data/measures/measures.csv neu erzeugen"
    )
    build.set_defaults(func=_massnahmen_build)
    reset = msub.add_parser(
        "reset", help="importierten Katalog entfernen (mitgelieferter Katalog wird wieder aktiv)"
    )
    reset.set_defaults(func=_massnahmen_reset)


def _massnahmen_import(args: argparse.Namespace) -> int:
    """Validate a workbook and make it the active catalogue; prints a summary or all problems."""
    from dashboard.data.errors import DataFormatError
    from dashboard.data.measures import import_workbook

    try:
        cat = import_workbook(args.path)
    except DataFormatError as exc:
        print(str(exc))
        return 1
    except FileNotFoundError:
        print(f"Datei nicht gefunden: {args.path}")
        return 2
    print(
        f"Importiert: {len(cat.measures)} Maßnahmen, {len(cat.sources)} Quellen. Aktiver Katalog: {cat.path}"
    )
    return 0


def _massnahmen_export(args: argparse.Namespace) -> int:
    """Export the active catalogue (workbook + CSV) to ``--out``."""
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

    print("Importierter Katalog entfernt." if reset_import() else "Kein importierter Katalog vorhanden.")
    return 0


def _register_project(sub) -> None:
    p = sub.add_parser("project", help="Bevölkerungsvorausberechnung rechnen und exportieren (Excel/CSV)")
    p.add_argument(
        "--scenario",
        default="basis",
        help="Szenario (basis, zuwanderung_niedrig, zuwanderung_hoch, "
        "geburten_niedrig, geburten_hoch, laengeres_leben)",
    )
    p.add_argument("--bis", type=int, default=2030, help="Zieljahr (2025–2045), Standard 2030")
    p.add_argument("--out", required=True, help="Ausgabe: Datei .xlsx oder Ordner für CSV-Dateien")
    p.add_argument("--format", choices=["xlsx", "csv"], help="Format (sonst aus der Dateiendung)")
    p.add_argument("--tfr", type=float, help="Geburtenrate (Kinder je Frau) statt der Szenarioannahme")
    p.add_argument("--wanderung", type=float, help="Nettozuwanderung Kreis (Personen je Jahr)")
    p.add_argument(
        "--e0-gewinn", type=float, dest="e0_gewinn", help="Gewinn an Lebenserwartung bis zum Zieljahr (Jahre)"
    )
    p.set_defaults(func=_cmd_project)


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
        "import", help="einen GENESIS-Export prüfen und in den Nutzerdaten-Ordner übernehmen"
    )
    imp.add_argument("path", help="heruntergeladene Datei (Flatfile-CSV, Tabellen-CSV, XLSX oder ZIP)")
    imp.add_argument(
        "--format",
        choices=["ffcsv", "csv", "xlsx"],
        default=None,
        help="Format erzwingen (Standard: erkennen)",
    )
    imp.add_argument("--table", default=None, help="Tabellencode erzwingen, z. B. 12411-02-03-5")
    imp.set_defaults(func=_data_import)
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
    from dashboard.data.errors import DataFormatError
    from dashboard.data.userdata import import_file

    try:
        result = import_file(args.path, format=args.format, table=args.table)
    except DataFormatError as exc:
        print(f"Import abgelehnt: {exc}", file=sys.stderr)
        return 2
    print(result.summary_de())
    return 0


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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
