"""Period life-table arithmetic on arrays (ages 0 … OPEN_AGE, last age = open group).

All functions work on the last axis (age) and broadcast over any leading axes
(e.g. ``(sex, age)`` or ``(year, sex, age)``), so rates can carry draw or year axes.

Conventions
-----------
* ``qx`` is the probability of dying between exact ages x and x+1; the value at the
  open age is used to derive a constant hazard ``m = -ln(1 - q)`` for the open interval.
* ``Lx`` (person-years lived, radix 1) uses ``L_x = (l_x + l_{x+1}) / 2`` for x ≥ 1,
  ``L_0 = l_1 + a_0 d_0`` with Andreev–Kingkade (2015) ``a_0`` and ``L_open = l_open / m_open``.
* Cohort survival ratios for a projection step of one year (population at exact
  calendar dates, ages in completed years) are ``S_x = L_{x+1} / L_x`` for x < OPEN_AGE − 1
  and ``S = T_open / T_{open−1}`` for the last closed age and the open group
  (the United Nations' ccmpp convention); births survive to the end of the year with
  ``L_0 / l_0``.
"""

from __future__ import annotations

import functools

import numpy as np

from dashboard.constants import N_AGES

__all__ = [
    "qx_to_mx",
    "mx_to_qx",
    "life_table_columns",
    "survival_ratios",
    "life_expectancy",
    "infant_survival",
    "scale_mortality",
    "factor_for_e0",
]


def qx_to_mx(qx: np.ndarray) -> np.ndarray:
    """Constant-hazard death rate per person-year for a one-year death probability."""
    q = np.clip(np.asarray(qx, dtype=float), 0.0, 1.0 - 1e-12)
    return -np.log1p(-q)


def mx_to_qx(mx: np.ndarray) -> np.ndarray:
    """One-year death probability of a constant hazard ``mx`` (per person-year)."""
    return -np.expm1(-np.asarray(mx, dtype=float))


def _a0(m0: np.ndarray, female: bool | np.ndarray) -> np.ndarray:
    """Andreev & Kingkade (2015) average person-years lived in the first year by infants who die."""
    m0 = np.asarray(m0, dtype=float)
    male_a0 = np.where(
        m0 < 0.02300, 0.14929 - 1.99545 * m0, np.where(m0 < 0.08307, 0.02832 + 3.26021 * m0, 0.29915)
    )
    female_a0 = np.where(
        m0 < 0.01724, 0.14903 - 2.05527 * m0, np.where(m0 < 0.06891, 0.04667 + 3.88089 * m0, 0.31411)
    )
    return np.where(female, female_a0, male_a0)


def life_table_columns(qx: np.ndarray, *, female: bool | np.ndarray) -> dict[str, np.ndarray]:
    """lx, dx, Lx, Tx, ex (radix 1) from ``qx`` over the last axis.

    Parameters
    ----------
    qx : array (..., N_AGES), death probabilities; last age = open group.
    female : bool or boolean array broadcastable to ``qx[..., 0]`` (for the infant a0).
    """
    q = np.clip(np.asarray(qx, dtype=float), 0.0, 1.0)
    n = q.shape[-1]
    surv = np.cumprod(1.0 - q[..., :-1], axis=-1)
    lx = np.concatenate([np.ones(q.shape[:-1] + (1,)), surv], axis=-1)
    dx = lx * q
    Lx = np.empty_like(lx)
    Lx[..., 1 : n - 1] = 0.5 * (lx[..., 1 : n - 1] + lx[..., 2:n])
    m0 = qx_to_mx(q[..., 0])
    Lx[..., 0] = lx[..., 1] + _a0(m0, female) * dx[..., 0]
    m_open = qx_to_mx(q[..., -1])
    Lx[..., -1] = lx[..., -1] / np.maximum(m_open, 1e-12)
    Tx = np.flip(np.cumsum(np.flip(Lx, axis=-1), axis=-1), axis=-1)
    ex = Tx / np.maximum(lx, 1e-300)
    return {"lx": lx, "dx": dx, "Lx": Lx, "Tx": Tx, "ex": ex}


def survival_ratios(qx: np.ndarray, *, female: bool | np.ndarray) -> np.ndarray:
    """One-year cohort survival ratios (..., N_AGES) for people aged x at the start of a year.

    Element x is the probability that a person aged x (completed years) on 1 January is
    alive on 31 December (then aged x+1); the last two elements are ``T_open / T_{open−1}``
    (survival into and within the open age group).
    """
    lt = life_table_columns(qx, female=female)
    Lx, Tx = lt["Lx"], lt["Tx"]
    s = np.empty_like(Lx)
    s[..., :-2] = Lx[..., 1:-1] / Lx[..., :-2]
    s_open = Tx[..., -1] / Tx[..., -2]
    s[..., -2] = s_open
    s[..., -1] = s_open
    return s


def infant_survival(qx: np.ndarray, *, female: bool | np.ndarray) -> np.ndarray:
    """Probability that a child born during the year is alive at its end: ``L_0 / l_0``."""
    return life_table_columns(qx, female=female)["Lx"][..., 0]


def life_expectancy(qx: np.ndarray, *, female: bool | np.ndarray) -> np.ndarray:
    """Period life expectancy at birth e0 (years) over the last axis."""
    return life_table_columns(qx, female=female)["Tx"][..., 0]


def scale_mortality(qx: np.ndarray, factor: np.ndarray | float) -> np.ndarray:
    """Proportional hazards: ``q' = 1 − exp(−factor · m(q))`` (factor broadcasts over leading axes)."""
    return mx_to_qx(qx_to_mx(qx) * np.asarray(factor, dtype=float)[..., None])


def factor_for_e0(qx: np.ndarray, target_e0: np.ndarray, *, female: bool) -> np.ndarray:
    """Mortality factor (proportional hazards) that gives life expectancy ``target_e0``.

    Solved by interpolation on a fine log-spaced grid of factors (monotone: a larger factor
    means a lower e0); exact to ~1e-4 years, vectorised over ``target_e0``.

    Parameters
    ----------
    qx : (N_AGES,) base death probabilities of one sex.
    target_e0 : array of target life expectancies (years).
    """
    grid, e0 = _e0_grid(np.ascontiguousarray(qx, dtype=float).tobytes(), bool(female))
    # e0 decreases with the factor -> interpolate on reversed arrays
    return np.interp(np.asarray(target_e0, dtype=float), e0[::-1], grid[::-1])


@functools.lru_cache(maxsize=16)
def _e0_grid(qx_bytes: bytes, female: bool) -> tuple[np.ndarray, np.ndarray]:
    """Life expectancy on a log-spaced grid of mortality factors 0.05 … 4 (cached per life table)."""
    qx = np.frombuffer(qx_bytes, dtype=float)
    grid = np.exp(np.linspace(np.log(0.05), np.log(4.0), 1201))
    q = mx_to_qx(qx_to_mx(qx)[None, :] * grid[:, None])
    return grid, life_expectancy(q, female=female)


assert N_AGES == 101  # the conventions above assume OPEN_AGE = 100
