"""Slow, obvious reference implementation of the cohort-component step (test oracle).

The same model as :func:`dashboard.projection.kernel.step`, written the textbook way with
plain Python loops over region, sex and age, one cohort at a time. Used only by the tests
(fast == reference) and by ``benchmarks/bench_projection.py`` as the speed baseline.
Supports arrays without leading draw axes only: population (R, 2, A), survival (R|1, 2, A),
infant_survival (R|1, 2), fertility (R|1, A), net_migration (R, 2, A).
"""

from __future__ import annotations

import numpy as np


def reference_step(
    population,
    survival,
    infant_survival,
    fertility,
    sex_ratio_at_birth,
    net_migration,
    migration_timing="mid",
):
    """One year for every region; returns dict of population, births, deaths, net_migration, shortfall."""
    n_reg, n_sex, n_age = len(population), 2, len(population[0][0])
    top = n_age - 1

    def rate(arr, r):
        return arr[r] if len(arr) > 1 else arr[0]

    new_pop = [[[0.0] * n_age for _ in range(n_sex)] for _ in range(n_reg)]
    deaths = [[[0.0] * n_age for _ in range(n_sex)] for _ in range(n_reg)]
    applied = [[[0.0] * n_age for _ in range(n_sex)] for _ in range(n_reg)]
    short = [[[0.0] * n_age for _ in range(n_sex)] for _ in range(n_reg)]
    births = [[0.0, 0.0] for _ in range(n_reg)]
    for r in range(n_reg):
        surv_r = rate(survival, r)
        inf_r = rate(infant_survival, r)
        fert_r = rate(fertility, r)
        for x in range(n_sex):
            # 1. survivors: the cohort aged a at the start ends the year at a+1
            for a in range(1, n_age):
                start = population[r][x][a - 1]
                survivors = start * surv_r[x][a - 1]
                dead = start - survivors
                if a == top:  # the open group also keeps its own survivors
                    start_open = population[r][x][top]
                    survivors += start_open * surv_r[x][top]
                    dead += start_open - start_open * surv_r[x][top]
                # 2. net migration of the cohort (age at end of year = a)
                m = net_migration[r][x][a]
                s_cohort = surv_r[x][a - 1]
                mig_dead = m * (1.0 - s_cohort) / 2.0 if migration_timing == "mid" else 0.0
                value = survivors + m - mig_dead
                # 3. floor and report
                if value < 0:
                    short[r][x][a] = -value
                    value = 0.0
                new_pop[r][x][a] = value
                deaths[r][x][a] = dead + mig_dead
                applied[r][x][a] = m + short[r][x][a]
        # 4. births from women's exposure (mean of start and end of year)
        total = 0.0
        for a in range(n_age):
            if fert_r[a] != 0.0:
                exposure = (population[r][0][a] + new_pop[r][0][a]) / 2.0
                total += fert_r[a] * exposure
        male = total * sex_ratio_at_birth / (1.0 + sex_ratio_at_birth)
        births[r] = [total - male, male]
        # 5. infants survive to the year end; age-0 migrants as in 2.
        for x in range(n_sex):
            born = births[r][x]
            alive = born * inf_r[x]
            m = net_migration[r][x][0]
            mig_dead = m * (1.0 - inf_r[x]) / 2.0 if migration_timing == "mid" else 0.0
            value = alive + m - mig_dead
            if value < 0:
                short[r][x][0] = -value
                value = 0.0
            new_pop[r][x][0] = value
            deaths[r][x][0] = (born - alive) + mig_dead
            applied[r][x][0] = m + short[r][x][0]
    return {
        k: np.array(v, dtype=float)
        for k, v in {
            "population": new_pop,
            "births": births,
            "deaths": deaths,
            "net_migration": applied,
            "shortfall": short,
        }.items()
    }


def reference_run(
    population,
    n_years,
    survival,
    infant_survival,
    fertility,
    sex_ratio_at_birth,
    net_migration,
    migration_timing="mid",
):
    """Project ``n_years`` with constant rates, or per-year rates given as lists of length n_years.

    ``net_migration`` may be a callable ``f(t, population_start)`` like in the fast kernel.
    Returns the list of populations (start + one per year) as nested Python lists converted
    to numpy at the end.
    """

    def at(x, t):
        return x[t] if isinstance(x, list) else x

    pop = np.asarray(population, dtype=float).tolist()
    out = [np.array(pop)]
    for t in range(n_years):
        m = net_migration(t, np.array(pop)) if callable(net_migration) else at(net_migration, t)
        res = reference_step(
            pop,
            np.asarray(at(survival, t)).tolist(),
            np.asarray(at(infant_survival, t)).tolist(),
            np.asarray(at(fertility, t)).tolist(),
            float(at(sex_ratio_at_birth, t)),
            np.asarray(m).tolist(),
            migration_timing,
        )
        pop = res["population"].tolist()
        out.append(res["population"])
    return np.stack(out)
