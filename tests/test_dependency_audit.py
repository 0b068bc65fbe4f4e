"""The dependency audit reports honestly: what was checked, what was found, what is fixable."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "dependency_audit.py"
spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_closure_holds_runtime_and_transitive_dependencies_only():
    pins = audit.dependency_closure()
    for name in ("dash", "pandas", "openpyxl", "gunicorn", "flask", "werkzeug", "numpy", "pip-audit"):
        assert name in pins, name
    # Installed on the machine but not required by the project: not this project's business.
    assert "awscli" not in pins and "boto3" not in pins


def test_summary_counts_advisories_and_fixable_ones(capsys):
    report = {
        "dependencies": [
            {
                "name": "flask",
                "version": "1.0",
                "vulns": [
                    {"id": "PYSEC-1", "fix_versions": ["2.0"], "aliases": ["CVE-1"]},
                    {"id": "GHSA-x", "fix_versions": [], "aliases": []},
                ],
            },
            {"name": "dash", "version": "4.4.1", "vulns": []},
            {"name": "numpy", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    assert audit.summarise(report, {"flask": "1.0", "dash": "4.4.1", "numpy": "2.4"}) == (2, 1)
    out = capsys.readouterr().out
    assert "2 von 3 Paketen geprüft, 2 bekannte Schwachstellen, davon 1 mit behobener Version" in out
    assert "PYSEC-1 (CVE-1) -> behoben in: 2.0" in out and "numpy 2.4" in out


def test_nothing_checked_is_not_reported_as_clean(capsys):
    report = {"dependencies": [{"name": "dash", "skip_reason": "not found"}]}
    audit.summarise(report, {"dash": "4.4.1"})
    assert "NICHT DURCHGEFÜHRT: 0 von 1 Paketen geprüft" in capsys.readouterr().out
    audit.summarise(None, {"dash": "4.4.1"})
    assert "NICHT DURCHGEFÜHRT" in capsys.readouterr().out
