"""Tests of ``python -m dashboard data check``."""

from __future__ import annotations

import pytest

from dashboard.cli import main
from dashboard.data import check
from dashboard.data.errors import DataFormatError, problem


def test_run_check_passes_on_the_embedded_data() -> None:
    text = check.run_check()
    n = len(check.check_results())
    assert f"Alle {n} Prüfungen bestanden / all {n} checks passed" in text
    assert "FEHLER" not in text
    assert "279.285" in text  # German number format of the official 31.12.2024 total


def test_a_failing_loader_is_reported_and_the_rest_still_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import dashboard.data as d

    def broken():
        raise DataFormatError(problem("zensus2022/x.csv", 3, "population", "eine Zahl", "abc"))

    monkeypatch.setattr(d, "zensus2022_municipal", broken)
    results = check.check_results()
    bad = [r for r in results if not r.ok]
    assert [r.name_en for r in bad] == ["Zensus 2022 municipalities"]
    assert "Zeile 3" in bad[0].detail and "population" in bad[0].detail
    assert "1 von" in check.render_check(results)
    assert main(["data", "check"]) == 1
    assert "FEHLER" in capsys.readouterr().out


def test_cli_exit_code_zero_when_all_pass(capsys: pytest.CaptureFixture) -> None:
    assert main(["data", "check"]) == 0
    assert "checks passed" in capsys.readouterr().out
