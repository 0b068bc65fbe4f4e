"""Benchmark of the projection engine (prints figures; not a test).

Run from the repository root::

    python benchmarks/bench_projection.py

Prints
1. the time to project all 15 municipalities of Kreis Düren to 2045 (kernel only, and the
   full ``project()`` including tidy frames and indicators, uncached);
2. the speed-up of the vectorised kernel against the loop reference implementation
   (``dashboard.projection._reference``) on identical inputs (target ≥ 50×);
3. a scale run over all 396 NRW municipalities (their Zensus-2022 totals with the Kreis
   Düren age pattern and rates; good enough for timing) — target < 0.1 s.
Timings are the minimum over repeats (``time.perf_counter``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.projection import PRESETS, estimate_assumptions  # noqa: E402
from dashboard.projection._reference import reference_run  # noqa: E402
from dashboard.projection.engine import _build, migration_function, scenario_rates  # noqa: E402
from dashboard.projection.kernel import run  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    t = time.perf_counter()
    a = estimate_assumptions()
    t_assump = time.perf_counter() - t
    scenario = PRESETS["basis"]
    r = scenario_rates(scenario, a)
    T = len(scenario.years)
    P0 = np.asarray(a.base.population)
    kw = dict(
        survival=r["survival"],
        infant_survival=r["infant_survival"],
        fertility=r["fertility"],
        sex_ratio_at_birth=r["sex_ratio_at_birth"],
        time_varying={"survival", "infant_survival"},
    )

    def fast():
        return run(P0, n_years=T, net_migration=migration_function(r["net_migration_kreis"], a), **kw)

    def reference():
        return reference_run(
            P0,
            T,
            [r["survival"][t] for t in range(T)],
            [r["infant_survival"][t] for t in range(T)],
            r["fertility"],
            r["sex_ratio_at_birth"],
            migration_function(r["net_migration_kreis"], a),
        )

    # interleave fast and reference runs so that both see the same machine load (the
    # machine may be shared); report minimum times and the median of paired ratios
    fast_t, ref_t, ratios = [], [], []
    for _ in range(15):
        tf = best_of(fast, 5)
        tr = best_of(reference, 1)
        fast_t.append(tf)
        ref_t.append(tr)
        ratios.append(tr / tf)
    t_fast, t_ref, ratio = min(fast_t), min(ref_t), float(np.median(ratios))
    t_pop = best_of(
        lambda: run(
            P0,
            n_years=T,
            net_migration=migration_function(r["net_migration_kreis"], a),
            store_components=False,
            **kw,
        ),
        30,
    )
    t_full = best_of(lambda: _build(scenario), 10)
    diff = np.max(np.abs(fast().population - reference()) / np.maximum(reference(), 1.0))

    # scale run: 396 NRW municipalities
    from dashboard.data.embedded import raw_path

    z = pd.read_csv(
        raw_path("zensus2022/nrw_gemeinden_population_zensus2022_2022-05-15.csv"), dtype={"ags8": str}
    )
    pattern = P0.sum(axis=0) / P0.sum()
    Pn = z.population.to_numpy(dtype=float)[:, None, None] * pattern[None]
    net_nrw = r["net_migration_kreis"] * Pn.sum() / P0.sum()
    mig = migration_function(net_nrw, a, excess=np.zeros(len(z)))
    t_nrw = best_of(lambda: run(Pn, n_years=T, net_migration=mig, **kw), 20)
    t_nrw_lean = best_of(lambda: run(Pn, n_years=T, net_migration=mig, store_components=False, **kw), 20)
    t_nrw_ref = best_of(
        lambda: reference_run(
            Pn,
            T,
            [r["survival"][t] for t in range(T)],
            [r["infant_survival"][t] for t in range(T)],
            r["fertility"],
            r["sex_ratio_at_birth"],
            mig,
        ),
        1,
    )

    import os

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Projection benchmark (Kreis Düren, base 31.12.2024, horizon 2045, 21 steps; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs)"
    )
    print(f"  assumptions (first call, incl. statsmodels import): {t_assump * 1000:8.1f} ms")
    print(f"  15 municipalities, kernel run to 2045:              {t_fast * 1000:8.2f} ms   (all components)")
    print(f"  15 municipalities, population path only:            {t_pop * 1000:8.2f} ms")
    print(f"  15 municipalities, project() uncached (frames):    {t_full * 1000:8.2f} ms")
    print(f"  reference implementation (loops), same inputs:     {t_ref * 1000:8.1f} ms")
    print(f"  speed-up kernel vs reference (median of 15 pairs): {ratio:8.0f} x   (target >= 50 x)")
    print(f"  max relative difference fast vs reference:         {diff:8.1e}")
    print(
        f"  NRW scale run, {len(z)} municipalities to 2045:        {t_nrw * 1000:8.2f} ms   (target < 100 ms)"
    )
    print(f"  NRW scale run without component arrays:            {t_nrw_lean * 1000:8.2f} ms")
    print(f"  NRW reference implementation:                      {t_nrw_ref * 1000:8.1f} ms")
    print(f"  NRW speed-up kernel vs reference:                  {t_nrw_ref / t_nrw:8.0f} x")
    print(
        f"  NRW population 2045 (timing input, not a forecast): {run(Pn, n_years=T, net_migration=mig, **kw).population[-1].sum():,.0f}"
    )


if __name__ == "__main__":
    main()
