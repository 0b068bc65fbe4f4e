"""Split age-group event counts into single years of age via smoothed rates on an exposure.

Population counts in age groups are graduated by the data layer (PCHIP of the cumulative
counts, :func:`dashboard.data.estimate.graduate`); migration flows are not monotone within
wide groups, so the model splits them by rates on an exposure
(:func:`graduate_by_exposure`).
"""

from __future__ import annotations

import numpy as np

from dashboard.constants import N_AGES

__all__ = ["graduate_by_exposure"]


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
