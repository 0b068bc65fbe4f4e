"""Command-line interface: ``python -m dashboard [command]``.

Without a command the Dash development server starts on the embedded data.
Subcommands (German verbs where users type them)::

    python -m dashboard                       # development server, http://127.0.0.1:8050
    python -m dashboard data check            # validate every embedded table
    python -m dashboard data import PATH      # validate and import a GENESIS export
    python -m dashboard project --scenario basis --bis 2030 --out prognose.xlsx
    python -m dashboard massnahmen import PATH
"""

from __future__ import annotations

import argparse
import sys


def _serve(args: argparse.Namespace) -> int:
    from dashboard.app import run_dev_server

    run_dev_server(host=args.host, port=args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard",
                                     description="Kreis Düren 2030 – Demografie-Dashboard")
    parser.add_argument("--host", default=None, help="Adresse des Servers (Standard: DASHBOARD_HOST oder 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="Port (Standard: DASHBOARD_PORT oder 8050)")
    parser.set_defaults(func=_serve)
    sub = parser.add_subparsers(dest="command")
    # Each feature module registers its own subcommands here.
    data = sub.add_parser("data", help="Daten prüfen und importieren")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    _register_data(data_sub)
    massnahmen = sub.add_parser("massnahmen", help="Maßnahmenkatalog (Werkzeugkoffer) importieren/exportieren")
    _register_massnahmen(massnahmen.add_subparsers(dest="massnahmen_command", required=True))
    return parser


def _register_massnahmen(msub) -> None:
    imp = msub.add_parser("import", help="bearbeitete Arbeitsmappe prüfen und als aktiven Katalog übernehmen")
    imp.add_argument("path", help="Excel-Arbeitsmappe (.xlsx)")
    imp.set_defaults(func=_massnahmen_import)
    exp = msub.add_parser("export", help="aktiven Katalog als Excel und CSV speichern")
    exp.add_argument("--out", required=True, help="Zielordner")
    exp.set_defaults(func=_massnahmen_export)
    build = msub.add_parser("build", help="mitgelieferten Katalog aus data/measures/measures.csv neu erzeugen")
    build.set_defaults(func=_massnahmen_build)
    reset = msub.add_parser("reset", help="importierten Katalog entfernen (mitgelieferter Katalog wird wieder aktiv)")
    reset.set_defaults(func=_massnahmen_reset)


def _massnahmen_import(args: argparse.Namespace) -> int:
    from dashboard.data.measures import cli_import

    return cli_import(args.path)


def _massnahmen_export(args: argparse.Namespace) -> int:
    from dashboard.data.measures import cli_export

    return cli_export(args.out)


def _massnahmen_build(args: argparse.Namespace) -> int:
    from dashboard.data.measures import main as build_main

    return build_main(["build"])


def _massnahmen_reset(args: argparse.Namespace) -> int:
    from dashboard.data.measures import reset_import

    print("Importierter Katalog entfernt." if reset_import() else "Kein importierter Katalog vorhanden.")
    return 0


def _register_data(data_sub) -> None:
    check = data_sub.add_parser("check", help="alle mitgelieferten Tabellen prüfen")
    check.set_defaults(func=_data_check)
    imp = data_sub.add_parser("import", help="einen GENESIS-Export prüfen und in den Nutzerdaten-Ordner übernehmen")
    imp.add_argument("path", help="heruntergeladene Datei (Flatfile-CSV, Tabellen-CSV, XLSX oder ZIP)")
    imp.add_argument("--format", choices=["ffcsv", "csv", "xlsx"], default=None,
                     help="Format erzwingen (Standard: erkennen)")
    imp.add_argument("--table", default=None, help="Tabellencode erzwingen, z. B. 12411-02-03-5")
    imp.set_defaults(func=_data_import)


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


def _data_check(args: argparse.Namespace) -> int:
    from dashboard.data.check import check_results, render_check

    results = check_results()
    print(render_check(results))
    return 0 if all(r.ok for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
