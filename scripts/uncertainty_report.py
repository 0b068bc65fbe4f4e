"""Print the figures of the uncertainty layer as Markdown (models, coverage, intervals).

The numbers in ``docs/uncertainty.md`` are this script's output; rerun it after the data
or the model change: ``python scripts/uncertainty_report.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _md(df) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        lines.append("| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in r) + " |")
    return "\n".join(lines)


def main() -> None:
    from dashboard.projection import PRESETS
    from dashboard.projection import calibration as cal
    from dashboard.projection import coverage as cov
    from dashboard.projection import drivers as drv
    from dashboard.projection.uncertainty import project_probabilistic

    print("## Driver models (BIC chooses; common sample)\n")
    print(_md(drv.model_comparison()))
    print("\n## Chosen models\n")
    for n, m in drv.fitted_models().items():
        sd = m.deviation_sd(21)
        print(
            f"- {n}: {m.model}, parameters { ({k: float(f'{v:.4g}') for k, v in m.params.items()}) }, "
            f"sd of deviation after 1/6/21 years: {sd[0]:.4g} / {sd[5]:.4g} / {sd[20]:.4g}"
        )
    print("\n## Residual correlations\n")
    print(_md(drv.residual_correlations()))
    print("\n## Migration cross-check\n")
    print(_md(drv.migration_cross_check()))
    print("\n## Municipal error model\n")
    print(cal.fitted_municipal_error())
    from dashboard.projection import uncertainty as unc

    print("\n## Migration driver scale (whitened Kreis backtest errors)\n")
    print(_md(unc.kreis_scale_statistics()))
    print(unc.fitted_driver_scale())
    print("\n## Ex-ante migration models for the backtest bases\n")
    for b in (2009, 2013, 2015, 2017):
        m = drv.fitted_models(migration_until=b)["migration"]
        print(f"- until {b}: {m.model}, { ({k: float(f'{v:.4g}') for k, v in m.params.items()}) }")
    print("\n## Coverage in the backtest (500 draws)\n")
    print(_md(cov.backtest_coverage()))
    iv = cov.backtest_intervals()
    iv = iv.assign(
        in80=(iv.actual >= iv.q10) & (iv.actual <= iv.q90),
        in95=(iv.actual >= iv.q025) & (iv.actual <= iv.q975),
    )
    print("\n## Coverage by level and horizon\n")
    print(_md(iv.groupby(["level", "horizon"])[["in80", "in95"]].mean().reset_index()))
    r = project_probabilistic(PRESETS["basis"], draws=1000)
    q = r.quantiles
    q = q[(q.quantity == "population") & q.year.isin([2030, 2045])]
    print("\n## Basis scenario, population, 1,000 draws\n")
    q = q.assign(**{c: q[c].round(0).astype(int) for c in ("q025", "q10", "q50", "q90", "q975")})
    print(_md(q[["municipality", "year", "q025", "q10", "q50", "q90", "q975"]]))


if __name__ == "__main__":
    main()
