"""Split age-group counts into single years of age (documented graduation method).

Method
------
Closed groups: a monotone piecewise-cubic Hermite interpolant (PCHIP, Fritsch–Carlson,
``scipy.interpolate.PchipInterpolator``) through the *cumulative* counts at the group
boundaries; single-year counts are the differences of the interpolant at integer ages.
Because the cumulative curve passes through every boundary, each group total is
reproduced exactly, and because it is monotone no single-year count is negative
(the "cumulative spline" / osculatory family of methods, cf. Siegel & Swanson,
*The Methods and Materials of Demography*, ch. 7).

Open group (e.g. 75+ or 65+): split in proportion to given weights over its ages, by
default the stationary population ``L_x`` of the Germany life table 2023/25 (Destatis
12621-0001), i.e. the age profile a population would have with constant mortality.
"""

from __future__ import annotations

import numpy as np

from dashboard.constants import N_AGES

__all__ = ["graduate"]


def graduate(
    counts: np.ndarray, lower_bounds: list[int] | tuple[int, ...], open_weights: np.ndarray
) -> np.ndarray:
    """Single-year counts from group counts (last group open up to age OPEN_AGE).

    Parameters
    ----------
    counts : array (..., G) of persons per group, groups in ascending order.
    lower_bounds : G lower age bounds; group g covers ``[lower_bounds[g], lower_bounds[g+1])``
        and the last group covers ``lower_bounds[-1] … OPEN_AGE``.
    open_weights : array (..., N_AGES − lower_bounds[-1]) of non-negative weights for the ages
        of the open group (broadcast over leading axes).

    Returns
    -------
    array (..., N_AGES) of persons by single age; group sums equal ``counts`` exactly.
    """
    from scipy.interpolate import PchipInterpolator

    c = np.asarray(counts, dtype=float)
    lb = list(lower_bounds)
    if c.shape[-1] != len(lb):
        raise ValueError(f"{c.shape[-1]} counts for {len(lb)} groups")
    open_start = lb[-1]
    knots = np.array(lb, dtype=float)  # boundaries 0, …, open_start
    cum = np.concatenate([np.zeros(c.shape[:-1] + (1,)), np.cumsum(c[..., :-1], axis=-1)], axis=-1)
    spline = PchipInterpolator(knots, cum, axis=-1)
    ages = np.arange(open_start + 1, dtype=float)
    single_closed = np.diff(spline(ages), axis=-1)  # ages 0 … open_start-1
    w = np.broadcast_to(np.asarray(open_weights, dtype=float), c.shape[:-1] + (N_AGES - open_start,))
    w_sum = w.sum(axis=-1, keepdims=True)
    single_open = c[..., -1:] * w / np.where(w_sum > 0, w_sum, 1.0)
    return np.concatenate([single_closed, single_open], axis=-1)


def graduate_by_exposure(
    counts: np.ndarray, exposure: np.ndarray, lower_bounds: list[int] | tuple[int, ...], window: int = 5
) -> np.ndarray:
    """Split event counts in age groups to single years via smoothed rates on an exposure.

    Used for migration flows, whose age profile is not monotone within wide groups (a
    cumulative spline would, e.g., make moves rise through ages 0–17). Method: the group
    rate ``count_g / exposure_g`` is assigned to each single age of the group, smoothed with
    a centred moving average of ``window`` years (edges: shrinking window), multiplied by
    the single-age exposure and rescaled within each group so that group totals are
    reproduced exactly.

    Parameters
    ----------
    counts : (..., G) events per group; exposure : (..., N_AGES) persons (or person-years).
    lower_bounds : G lower bounds, last group open to OPEN_AGE.

    Returns
    -------
    (..., N_AGES) events by single age (non-negative; group sums equal ``counts``).
    """
    c = np.asarray(counts, dtype=float)
    e = np.asarray(exposure, dtype=float)
    lb = list(lower_bounds) + [N_AGES]
    group_of = np.repeat(np.arange(len(lb) - 1), np.diff(lb))
    e_group = np.stack([e[..., lb[g] : lb[g + 1]].sum(axis=-1) for g in range(len(lb) - 1)], axis=-1)
    rate = (c / np.where(e_group > 0, e_group, 1.0))[..., group_of]
    half = window // 2
    kernel_sum = np.zeros_like(rate)
    n = np.zeros(N_AGES)
    for k in range(-half, half + 1):
        lo, hi = max(0, k), N_AGES + min(0, k)
        kernel_sum[..., lo - k : hi - k] += rate[..., lo:hi]
        n[lo - k : hi - k] += 1
    single = kernel_sum / n * e
    out = np.empty_like(single)
    for g in range(len(lb) - 1):
        part = single[..., lb[g] : lb[g + 1]]
        s = part.sum(axis=-1, keepdims=True)
        out[..., lb[g] : lb[g + 1]] = part * (c[..., g : g + 1] / np.where(s > 0, s, 1.0))
    return out
