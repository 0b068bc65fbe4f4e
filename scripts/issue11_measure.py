"""Measure the municipal accuracy figures of issue 11 and print them as Markdown.

Runs against whatever code is importable from the current directory, so the same script
gives the "before" numbers in a worktree of the starting state and the "after" numbers on
the branch::

    cd /work/wt/baseline && python /work/wt/truthmodel/scripts/issue11_measure.py
    cd /work/wt/truthmodel && python scripts/issue11_measure.py

Printed: municipal backtest MAPE per case and method (percent), interval coverage in the
backtest, the Kreis Basis population with its 80 % interval, and median age / share 65+ of
Heimbach, Düren and the Kreis in 2024, 2030 and 2045. Where the code provides the 2011→2022
age-dynamics case (``dashboard.projection.agedynamics``) its table is printed too.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

import pandas as pd  # noqa: E402

METHODS = ("model", "constant", "linear trend", "constant share", "constant share (naive Kreis)")


def _md(df: pd.DataFrame, digits: int = 2) -> str:
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        cells = [f"{v:.{digits}f}" if isinstance(v, float) else str(v) for v in r]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def backtest_tables() -> None:
    from dashboard.projection import backtest

    s = backtest().summary
    g = s[s.level == "Gemeinde"]
    wide = g.pivot(index="case", columns="method", values="mape") * 100
    cols = [m for m in wide.columns if m in METHODS or m.startswith("model")]
    wide = wide[cols]
    naive = [c for c in ("constant", "linear trend", "constant share") if c in wide.columns]
    wide["best naive"] = wide[naive].min(axis=1)
    wide.loc["mean"] = wide.mean()
    print("## Municipal totals: MAPE in % per case\n")
    print(_md(wide.reset_index()))
    k = s[s.level == "Kreis"].pivot(index="case", columns="method", values="mape") * 100
    print("\n## Kreis totals: MAPE in % per case\n")
    print(_md(k.reset_index()))
    if "Gemeinde-Altersgruppen" in set(s.level):
        a = s[s.level == "Gemeinde-Altersgruppen"]
        cols = [c for c in ("case", "method", "n", "mae_pp", "kept_under19", "kept_67plus") if c in a.columns]
        print("\n## Municipal age shares 2011→2022\n")
        print(_md(a[cols]))


def coverage_tables() -> None:
    try:  # where the coverage check lives depends on the code version
        from dashboard.projection import coverage as cal
    except ImportError:
        from dashboard.projection import calibration as cal

    c = cal.backtest_coverage()
    print("\n## Interval coverage in the backtest\n")
    print(_md(c, 3))
    iv = cal.backtest_intervals()
    iv = iv.assign(
        in80=(iv.actual >= iv.q10) & (iv.actual <= iv.q90),
        in95=(iv.actual >= iv.q025) & (iv.actual <= iv.q975),
        width80=(iv.q90 - iv.q10) / iv.predicted * 100,
        width95=(iv.q975 - iv.q025) / iv.predicted * 100,
    )
    by = iv.groupby(["level", "horizon"]).agg(
        n=("in80", "size"),
        cov80=("in80", "mean"),
        cov95=("in95", "mean"),
        width80_pct=("width80", "mean"),
        width95_pct=("width95", "mean"),
    )
    print("\n## Coverage and mean band width (% of the prediction) by level and horizon\n")
    print(_md(by.reset_index(), 3))


def scenario_tables() -> None:
    from dashboard.projection import PRESETS, project
    from dashboard.projection.uncertainty import project_probabilistic

    r = project(PRESETS["basis"])
    i = r.indicators
    sel = i[i.municipality.isin(["Heimbach", "Düren", "Kreis Düren"]) & i.year.isin([2024, 2030, 2045])]
    sel = sel.assign(share_65plus=sel.share_65plus * 100)[
        ["municipality", "year", "population", "median_age", "share_65plus"]
    ]
    print("\n## Basis: median age and share 65+ (%)\n")
    print(_md(sel.sort_values(["municipality", "year"]), 2))
    spread = i[i.year == 2045].query("ags != '05358'").median_age
    print(f"\nSpread (SD) of municipal median ages 2045: {spread.std(ddof=0):.2f} years")
    p = project_probabilistic(PRESETS["basis"], draws=1000).quantiles
    p = p[(p.quantity == "population") & p.year.isin([2030, 2045]) & p.ags.isin(["05358", "05358012"])]
    p = p.assign(width80_pct=(p.q90 - p.q10) / p.q50 * 100)
    print("\n## Basis intervals (1,000 draws)\n")
    print(_md(p[["ags", "year", "q10", "q50", "q90", "width80_pct"]], 1))


def agedynamics_tables() -> None:
    try:
        from dashboard.projection import agedynamics
    except ImportError:
        print("\n(no age-dynamics case in this code)")
        return
    print("\n## Age dynamics 2011→2022\n")
    print(_md(agedynamics.summary_table(), 3))
    from dashboard.projection.accuracy import official_comparison

    print("\n## Basis beside the official projection\n")
    print(_md(official_comparison().drop(columns=["source"]), 3))
    from dashboard.projection import estimate_assumptions

    t = estimate_assumptions().table
    rows = t[t.component.isin(["Sterblichkeit"])][["parameter", "value", "fit"]]
    print("\n## Mortality\n")
    print(_md(rows, 3))


if __name__ == "__main__":
    backtest_tables()
    coverage_tables()
    scenario_tables()
    agedynamics_tables()
