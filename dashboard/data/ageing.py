"""Building blocks of the Zensus-2022-anchored base: cohort ageing, smooth shares, raking.

Pure numpy functions with small, checkable contracts (worked examples in
``tests/test_ageing.py``); :mod:`dashboard.data.estimate` assembles them.

* :func:`lexis_weights` — which census ages the persons of each age at a later date came
  from (uniform distribution within a year of age).
* :func:`age_forward` — census age classes of several areas carried forward to a later
  date as shares of a known total by single age (cohort-change / ratio method).
* :func:`smooth_group_factors` — a piecewise-linear curve over age whose weighted mean
  over every group equals a given factor exactly (no steps at group boundaries).
* :func:`rake` — iterative proportional fitting of an array to any number of margins,
  each given as a label per cell (so margins need not be sums over whole axes).
* :func:`ipf` — iterative proportional fitting to margins that are sums over whole axes
  (the Zensus-2011-based estimate and the sex split of municipal totals).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def lexis_weights(years: float, n_ages: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the persons aged ``a`` at ``years`` after the census were at the census.

    A person of completed age ``a`` at the later date has an exact age in ``[a, a + 1)``,
    so at the census her exact age lay in ``[a - years, a - years + 1)``. With
    ``years = n + f`` (``n`` whole years, ``0 <= f < 1``) and ages spread evenly within a
    year, a share ``f`` was of completed age ``a - n - 1`` at the census and ``1 - f`` of
    age ``a - n``. Source ages below 0 mean "born after the census"; ages above the open
    age ``n_ages - 1`` count as the open age.

    Parameters
    ----------
    years : time between the census and the later date, in years (>= 0).
    n_ages : number of single-age cells ``0 … n_ages - 1`` (the last is open).

    Returns
    -------
    (W, born) : ``W[a, x]`` share of the persons aged ``a`` who were aged ``x`` at the census
        (shape ``(n_ages, n_ages)``), ``born[a]`` the share born after the census; every row
        of ``W`` plus ``born`` sums to 1.
    """
    if years < 0 or not np.isfinite(years):
        raise ValueError(f"years must be finite and >= 0, got {years}")
    n = int(np.floor(years))
    f = float(years - n)
    W = np.zeros((n_ages, n_ages))
    born = np.zeros(n_ages)
    for a in range(n_ages):
        for x, w in ((a - n - 1, f), (a - n, 1.0 - f)):
            if w == 0.0:
                continue
            if x < 0:
                born[a] += w
            else:
                W[a, min(x, n_ages - 1)] += w
    # the open age: everyone aged n_ages - 1 or more at the later date came from census ages
    # >= n_ages - 1 - n - 1; those already in the open group stay there (rows of W are shares)
    return W, born


def age_forward(
    shares: np.ndarray,
    class_of_age: np.ndarray,
    target: np.ndarray,
    years: float,
    birth_shares: np.ndarray,
) -> np.ndarray:
    """Carry area shares of census age classes forward to a later date (ratio method).

    Each area keeps, in every birth cohort, its census share of the total cohort; the
    total by single age at the later date (``target``) supplies the counts. So the cohorts
    of every area change at the rate of the total cohort (survival and net migration of the
    whole, applied to the local cohort), and the areas sum to ``target`` exactly.

    Parameters
    ----------
    shares : (M, C) share of each area in each census age class; columns sum to 1.
    class_of_age : (A,) int, census class of every census single age.
    target : (A,) persons of the whole by single age at the later date.
    years : time from the census to the later date (years).
    birth_shares : (M,) share of each area in the persons born after the census; sums to 1.

    Returns
    -------
    (M, A) persons by area and single age at the later date; ``out.sum(axis=0) == target``.
    """
    shares = np.asarray(shares, dtype=float)
    birth_shares = np.asarray(birth_shares, dtype=float)
    target = np.asarray(target, dtype=float)
    if not np.allclose(shares.sum(axis=0), 1.0) or not np.isclose(birth_shares.sum(), 1.0):
        raise ValueError("area shares of every class and of the births must sum to 1")
    if np.any(shares < 0) or np.any(birth_shares < 0) or np.any(target < 0):
        raise ValueError("shares and target must be non-negative")
    W, born = lexis_weights(years, len(target))
    share_by_census_age = shares[:, np.asarray(class_of_age)]  # (M, A)
    share_at_target = share_by_census_age @ W.T + birth_shares[:, None] * born[None, :]  # (M, A)
    return share_at_target * target[None, :]


def smooth_group_factors(
    factors: np.ndarray, weights: np.ndarray, groups: list[tuple[int, int]]
) -> np.ndarray:
    """A piecewise-linear curve over age whose weighted mean over each group is exact.

    The curve has one node per group, at the group's ``weights``-weighted mean age, and is
    constant before the first and after the last node. The node values solve the linear
    system "weighted mean of the curve over group g = ``factors[..., g]``", so the groups'
    weighted totals are those of the step function exactly while the curve has no steps.

    Parameters
    ----------
    factors : (..., G) one factor per group (leading axes are independent curves).
    weights : (A,) non-negative weights by age (e.g. persons); positive in every group.
    groups : G inclusive ``(lo, hi)`` age bounds, contiguous, covering ``0 … A - 1``.

    Returns
    -------
    (..., A) curve by age.
    """
    w = np.asarray(weights, dtype=float)
    ages = np.arange(len(w), dtype=float)
    if any(w[lo : hi + 1].sum() <= 0 for lo, hi in groups):
        raise ValueError("every group needs a positive weight")
    nodes = np.array([np.average(ages[lo : hi + 1], weights=w[lo : hi + 1]) for lo, hi in groups])
    basis = np.empty((len(groups), len(ages)))
    for j in range(len(groups)):
        unit = np.zeros(len(groups))
        unit[j] = 1.0
        basis[j] = np.interp(ages, nodes, unit)
    mean_of_hat = np.array(
        [
            [np.average(basis[j, lo : hi + 1], weights=w[lo : hi + 1]) for j in range(len(groups))]
            for lo, hi in groups
        ]
    )  # (G, node)
    f = np.asarray(factors, dtype=float)
    node_values = np.linalg.solve(mean_of_hat, f.reshape(-1, len(groups)).T).T
    return (node_values @ basis).reshape(*f.shape[:-1], len(ages))


@dataclass(frozen=True)
class RakeResult:
    """Outcome of :func:`rake`: fitted cells, cycles, largest residual per margin (persons)."""

    cells: np.ndarray
    iterations: int
    residuals: tuple[float, ...]
    converged: bool

    @property
    def max_residual(self) -> float:
        return max(self.residuals) if self.residuals else 0.0


def rake(
    prior: np.ndarray,
    margins: list[tuple[np.ndarray, np.ndarray]],
    *,
    tol: float = 1e-7,
    max_iter: int = 10_000,
) -> RakeResult:
    """Iterative proportional fitting with margins given as labels of the cells.

    Parameters
    ----------
    prior : non-negative array of any shape.
    margins : list of ``(labels, target)``: ``labels`` an int array of the prior's shape
        (the margin cell every prior cell belongs to, ``0 … len(target) - 1``), ``target``
        the required sums. All targets must have the same total.
    tol : stop when every margin's largest absolute residual is below ``tol``.
    max_iter : upper bound of full cycles over the margins.

    Returns
    -------
    RakeResult. Raises ``ValueError`` for negative input, inconsistent totals, or a
    positive target whose cells are all zero in the prior (no IPF solution exists).
    """
    x = np.array(prior, dtype=float)
    if np.any(x < 0) or not np.all(np.isfinite(x)):
        raise ValueError("prior must be finite and non-negative")
    flat = [(np.asarray(lab).reshape(-1), np.asarray(t, dtype=float)) for lab, t in margins]
    totals = [t.sum() for _, t in flat]
    for lab, t in flat:
        if lab.shape != (x.size,) or lab.min() < 0 or lab.max() >= len(t):
            raise ValueError("labels must have the prior's shape and index the target")
        if np.any(t < 0):
            raise ValueError("targets must be non-negative")
        cur = np.bincount(lab, weights=x.reshape(-1), minlength=len(t))
        if np.any((cur == 0) & (t > 0)):
            raise ValueError("a positive target has only zero cells in the prior")
    if totals and not np.allclose(totals, totals[0], rtol=1e-12, atol=1e-6):
        raise ValueError(f"margins have different totals: {totals}")
    v = x.reshape(-1)

    def residuals() -> tuple[float, ...]:
        return tuple(
            float(np.abs(np.bincount(lab, weights=v, minlength=len(t)) - t).max()) for lab, t in flat
        )

    it = 0
    res = residuals()
    while max(res, default=0.0) > tol and it < max_iter:
        for lab, t in flat:
            cur = np.bincount(lab, weights=v, minlength=len(t))
            factor = np.divide(t, cur, out=np.zeros_like(cur), where=cur > 0)
            v *= factor[lab]
        it += 1
        res = residuals()
    return RakeResult(v.reshape(x.shape), it, res, max(res, default=0.0) <= tol)


#: Convergence tolerance of the raking (persons, absolute, largest margin residual).
IPF_TOL = 1e-7
IPF_MAX_ITER = 10_000


@dataclass(frozen=True)
class IPFResult:
    """Outcome of :func:`ipf`: fitted cells, iterations and the largest margin residual."""

    cells: np.ndarray
    iterations: int
    max_residual: float
    converged: bool


def ipf(
    prior: np.ndarray,
    margins: list[tuple[tuple[int, ...], np.ndarray]],
    *,
    tol: float = IPF_TOL,
    max_iter: int = IPF_MAX_ITER,
) -> IPFResult:
    """Iterative proportional fitting of an array to marginal totals.

    Parameters
    ----------
    prior : non-negative array (any shape).
    margins : list of ``(axes, target)``; ``target`` equals ``prior.sum`` over all axes
        *not* in ``axes`` (kept axes in increasing order). All targets must share one total.
    tol : stop when the largest absolute residual over all margins is below ``tol``.
    max_iter : upper bound of full cycles.

    Returns
    -------
    IPFResult
    """
    x = np.array(prior, dtype=float)
    if np.any(x < 0) or not np.all(np.isfinite(x)):
        raise ValueError("prior must be finite and non-negative")
    all_axes = tuple(range(x.ndim))

    def marginal(arr: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        return arr.sum(axis=tuple(a for a in all_axes if a not in axes))

    def expand(arr: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        shape = [x.shape[a] if a in axes else 1 for a in all_axes]
        return arr.reshape(shape)

    for axes, target in margins:
        if np.any(np.asarray(target) < 0):
            raise ValueError("targets must be non-negative")
        cur = marginal(x, axes)
        if np.any((cur == 0) & (np.asarray(target) > 0)):
            raise ValueError(f"a target on axes {axes} is positive where the prior is zero")

    def residual() -> float:
        return max(float(np.max(np.abs(marginal(x, ax) - t))) for ax, t in margins)

    it = 0
    res = residual()
    while res > tol and it < max_iter:
        for axes, target in margins:
            cur = marginal(x, axes)
            factor = np.divide(target, cur, out=np.zeros_like(cur), where=cur > 0)
            x *= expand(factor, axes)
        it += 1
        res = residual()
    return IPFResult(x, it, res, res <= tol)
