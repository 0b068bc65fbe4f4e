"""Command line: ``python -m dashboard <command>``.

Commands
--------
project   run a projection and export it (Excel or CSV), e.g.
          ``python -m dashboard project --scenario basis --bis 2030 --out prognose.xlsx``

Room is left for ``data check``, ``data import`` and ``massnahmen import`` (other helpers).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path


class Progress:
    """A minimal progress line on stderr (no extra dependency)."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.stream, self.t0 = total, 0, stream, time.perf_counter()

    def __call__(self, label: str) -> None:
        self.done += 1
        n = 24
        filled = int(n * self.done / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (n - filled)}] {self.done}/{self.total} {label:<24} "
                          f"{time.perf_counter() - self.t0:5.1f} s")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _cmd_project(args: argparse.Namespace) -> int:
    from dashboard.projection import PRESETS
    from dashboard.projection.engine import project
    from dashboard.projection.export import write_csv, write_excel
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
    print(f"{scenario.label}: Kreis Düren 31.12.{scenario.horizon}: "
          f"{kreis:,.0f} Personen".replace(",", "."), file=sys.stderr)
    print(str(out))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Kreis Düren 2030 – Demografie-Werkzeuge")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("project", help="Bevölkerungsvorausberechnung rechnen und exportieren")
    p.add_argument("--scenario", default="basis", help="Szenario (basis, zuwanderung_niedrig, zuwanderung_hoch, "
                   "geburten_niedrig, geburten_hoch, laengeres_leben)")
    p.add_argument("--bis", type=int, default=2030, help="Zieljahr (2025–2045), Standard 2030")
    p.add_argument("--out", required=True, help="Ausgabe: Datei .xlsx oder Ordner für CSV-Dateien")
    p.add_argument("--format", choices=["xlsx", "csv"], help="Format (sonst aus der Dateiendung)")
    p.add_argument("--tfr", type=float, help="Geburtenrate (Kinder je Frau) statt der Szenarioannahme")
    p.add_argument("--wanderung", type=float, help="Nettozuwanderung Kreis (Personen je Jahr)")
    p.add_argument("--e0-gewinn", type=float, dest="e0_gewinn", help="Gewinn an Lebenserwartung bis zum Zieljahr (Jahre)")
    p.set_defaults(func=_cmd_project)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m dashboard`` (returns the exit code)."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))
