"""Dependency audit: known vulnerabilities in the installed dependencies of this project.

Usage::

    python scripts/dependency_audit.py            # report only (what CI runs), exit 0
    python scripts/dependency_audit.py --strict   # exit 1 if an advisory has a fixed version

What is audited: the installed versions of every package that ``pyproject.toml`` requires
(runtime and the ``test`` extra), followed transitively through the installed packages'
metadata. Other packages that happen to live in the same environment are not this project's
business and are left out. The pinned list goes to ``pip-audit -r … --no-deps --disable-pip``,
so nothing is resolved or installed; pip-audit only asks its vulnerability service (PyPI's
JSON API by default, ``--service osv`` for OSV).

Policy (CI): the audit *reports* and never fails the test run. A new advisory against a
third-party package is not a defect of a code change, often has no fixed release yet, and an
unreachable vulnerability service must not block the tests. The log states plainly how many
packages were actually checked, so "nothing found" with nothing checked cannot pass for a clean
result. Use ``--strict`` before a release: it fails when an advisory has a fixed version (that
one can act on by raising a lower bound in ``pyproject.toml``).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_closure(extras: tuple[str, ...] = ("test",)) -> dict[str, str]:
    """Installed ``name -> version`` for the project's requirements, followed transitively.

    Requirements that are not installed are skipped (their markers excluded them or the
    environment lacks them; ``pip install`` would have failed before this runs).
    """
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo: list[tuple[Requirement, str]] = [(Requirement(r), "") for r in project["dependencies"]]
    for extra in extras:
        todo += [(Requirement(r), "") for r in project.get("optional-dependencies", {}).get(extra, [])]
    found: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        key = (_norm(req.name), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue
        found[_norm(req.name)] = dist.version
        for raw in dist.requires or []:
            sub = Requirement(raw)
            if sub.marker is None or sub.marker.evaluate({"extra": ""}):
                todo.append((sub, ""))
            else:
                for e in req.extras:
                    if sub.marker.evaluate({"extra": e}):
                        todo.append((sub, e))
                        break
    return dict(sorted(found.items()))


def run_audit(pins: dict[str, str], *, service: str, timeout: float) -> dict | None:
    """Run pip-audit over the pinned list; ``None`` if it could not run at all."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("".join(f"{n}=={v}\n" for n, v in pins.items()))
        req_file = fh.name
    cmd = [
        sys.executable,
        "-m",
        "pip_audit",
        "-r",
        req_file,
        "--no-deps",
        "--disable-pip",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--vulnerability-service",
        service,
        "--timeout",
        "20",
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as err:
        print(f"pip-audit konnte nicht laufen: {err}")
        return None
    finally:
        Path(req_file).unlink(missing_ok=True)
    # pip-audit exits 1 when it found vulnerabilities; the JSON is on stdout either way.
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        print("pip-audit lieferte kein Ergebnis (Dienst nicht erreichbar?):", *tail, sep="\n  ")
        return None


def summarise(report: dict | None, pins: dict[str, str]) -> tuple[int, int]:
    """Print the findings; return (number of advisories, number of fixable advisories)."""
    if report is None:
        print(f"ABHÄNGIGKEITSPRÜFUNG NICHT DURCHGEFÜHRT: 0 von {len(pins)} Paketen geprüft.")
        return 0, 0
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    checked = len(deps) - len(skipped)
    vulns = [(d["name"], d["version"], v) for d in deps for v in d.get("vulns", [])]
    fixable = [x for x in vulns if x[2].get("fix_versions")]
    for name, version, v in vulns:
        fix = ", ".join(v.get("fix_versions") or []) or "keine behobene Version"
        aliases = ", ".join(v.get("aliases") or [])
        print(f"  {name} {version}: {v['id']}{f' ({aliases})' if aliases else ''} -> behoben in: {fix}")
    if skipped:
        print(
            f"  nicht geprüft ({len(skipped)}): "
            + ", ".join(f"{d['name']} {pins.get(_norm(d['name']), '?')}" for d in skipped[:12])
            + (" …" if len(skipped) > 12 else "")
        )
        print(f"  Grund (erstes Paket): {skipped[0]['skip_reason']}")
    status = "NICHT DURCHGEFÜHRT" if checked == 0 else "durchgeführt"
    print(
        f"Abhängigkeitsprüfung {status}: {checked} von {len(deps)} Paketen geprüft, "
        f"{len(vulns)} bekannte Schwachstellen, davon {len(fixable)} mit behobener Version."
    )
    return len(vulns), len(fixable)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 if an advisory has a fixed version")
    parser.add_argument("--service", default="pypi", choices=["pypi", "osv"])
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds for pip-audit")
    args = parser.parse_args(argv)
    pins = dependency_closure()
    print(f"Abhängigkeitsprüfung (pip-audit, Dienst {args.service}) für {len(pins)} Pakete …")
    _, fixable = summarise(run_audit(pins, service=args.service, timeout=args.timeout), pins)
    return 1 if (args.strict and fixable) else 0


if __name__ == "__main__":
    sys.exit(main())
