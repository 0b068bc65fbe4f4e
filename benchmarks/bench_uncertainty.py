"""Benchmark: 1,000 joint draws × 15 municipalities × sex × 101 ages, 2025–2045.

Prints the wall-clock time of the stochastic run (driver draws + cohort-component model
over all draws at once + municipal error + quantiles) after the one-off, cached set-up
(assumptions, statsmodels fits), for the fast float32 engine and the float64 reference
kernel. Target: < 2 s for the fast engine on the 2-core machine.

Run: ``python benchmarks/bench_uncertainty.py``
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

# run from any directory: import this checkout's ``dashboard`` package
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(repeats: int = 5) -> None:
    from dashboard.projection import PRESETS
    from dashboard.projection import uncertainty as unc
    from dashboard.projection.calibration import fitted_municipal_error
    from dashboard.projection.drivers import fitted_models

    t0 = time.perf_counter()
    fitted_models()
    muni = fitted_municipal_error()
    scale = unc.fitted_driver_scale()
    unc.kernel_inputs(PRESETS["basis"])
    setup = time.perf_counter() - t0
    print(f"one-off set-up (assumptions, SARIMAX fits, backtest error model, driver scale): {setup:.2f} s")
    print(f"CPU cores: {os.cpu_count()}, load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for engine in ("fast", "kernel"):
        times = []
        for i in range(repeats if engine == "fast" else 2):
            t = time.perf_counter()
            r = unc._project_probabilistic.__wrapped__(
                PRESETS["basis"], 1000, 100 + i, muni, 1.0, engine, (), driver_scale=scale
            )
            times.append(time.perf_counter() - t)
        print(
            f"{engine:>6}: 1,000 draws × 15 municipalities to 2045: median {np.median(times):.2f} s "
            f"(min {min(times):.2f} s, max {max(times):.2f} s, {len(times)} runs)"
        )
    t = time.perf_counter()
    unc._project_probabilistic.__wrapped__(
        PRESETS["basis"], unc.INTERACTIVE_DRAWS, 1, muni, 1.0, "fast", (), driver_scale=scale
    )
    print(f"interactive ({unc.INTERACTIVE_DRAWS} draws): {time.perf_counter() - t:.2f} s")
    k = r.quantiles[
        (r.quantiles.ags == "05358")
        & (r.quantiles.quantity == "population")
        & (r.quantiles.year.isin([2030, 2045]))
    ]
    print(k[["year", "q025", "q10", "q50", "q90", "q975"]].round(0).to_string(index=False))


if __name__ == "__main__":
    main()
