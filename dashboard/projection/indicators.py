"""Indicators from population arrays (..., region, sex, age): ages, dependency ratios, planning groups."""

from __future__ import annotations

import numpy as np

from dashboard.constants import N_AGES, OPEN_AGE, PLANNING_AGE_GROUPS

__all__ = ["median_age", "mean_age", "indicator_arrays", "planning_group_counts"]

#: Age taken for the open group 100+ in the mean age (years).
OPEN_GROUP_MEAN_AGE = OPEN_AGE + 1.5


def median_age(by_age: np.ndarray) -> np.ndarray:
    """Median age (years) of populations by single age (..., A); linear within the median year of age.

    Persons of completed age a are spread evenly over [a, a+1).
    """
    p = np.asarray(by_age, dtype=float)
    cum = np.cumsum(p, axis=-1)
    half = 0.5 * cum[..., -1:]
    idx = np.minimum((cum < half).sum(axis=-1, keepdims=True), N_AGES - 1)
    before = np.take_along_axis(cum, idx, axis=-1) - np.take_along_axis(p, idx, axis=-1)
    p_at = np.take_along_axis(p, idx, axis=-1)
    frac = np.where(p_at > 0, (half - before) / np.where(p_at > 0, p_at, 1.0), 0.0)
    return (idx + frac)[..., 0]


def mean_age(by_age: np.ndarray) -> np.ndarray:
    """Mean age (years) with mid-year ages a + 0.5 (open group: OPEN_GROUP_MEAN_AGE)."""
    p = np.asarray(by_age, dtype=float)
    ages = np.arange(N_AGES) + 0.5
    ages[-1] = OPEN_GROUP_MEAN_AGE
    tot = p.sum(axis=-1)
    return (p * ages).sum(axis=-1) / np.where(tot > 0, tot, np.nan)


def planning_group_counts(by_age: np.ndarray) -> np.ndarray:
    """Persons in each of the PLANNING_AGE_GROUPS, shape (..., 10)."""
    p = np.asarray(by_age, dtype=float)
    return np.stack([p[..., lo : hi + 1].sum(axis=-1) for lo, hi in PLANNING_AGE_GROUPS.values()], axis=-1)


def indicator_arrays(by_age: np.ndarray) -> dict[str, np.ndarray]:
    """Indicators of populations by single age (..., A) (both sexes summed by the caller).

    Returns dict of arrays (...): population, median_age, mean_age, youth_dependency
    (under 20 per 100 aged 20–64), old_age_dependency (65+ per 100 aged 20–64), n_65plus,
    share_65plus, n_80plus, share_80plus (shares as fractions 0..1).
    """
    p = np.asarray(by_age, dtype=float)
    tot = p.sum(axis=-1)
    work = p[..., 20:65].sum(axis=-1)
    young = p[..., :20].sum(axis=-1)
    n65 = p[..., 65:].sum(axis=-1)
    n80 = p[..., 80:].sum(axis=-1)
    safe_tot = np.where(tot > 0, tot, np.nan)
    safe_work = np.where(work > 0, work, np.nan)
    return {
        "population": tot,
        "median_age": median_age(p),
        "mean_age": mean_age(p),
        "youth_dependency": 100 * young / safe_work,
        "old_age_dependency": 100 * n65 / safe_work,
        "n_65plus": n65,
        "share_65plus": n65 / safe_tot,
        "n_80plus": n80,
        "share_80plus": n80 / safe_tot,
    }
