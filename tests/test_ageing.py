"""Worked examples of the building blocks of the census-anchored base (dashboard.data.ageing)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.data.ageing import age_forward, ipf, lexis_weights, rake, smooth_group_factors


def test_lexis_weights_worked_example_census_to_31_12_2024() -> None:
    # 15.05.2022 -> 31.12.2024 = 961 days = 2.631 years: a person aged a at the end of 2024
    # was aged a - 3 at the census with probability 0.631 and a - 2 with 0.369
    years = 961 / 365.25
    W, born = lexis_weights(years, 101)
    f = years - 2
    assert W[5, 2] == pytest.approx(f) and W[5, 3] == pytest.approx(1 - f)
    assert W[5].sum() == pytest.approx(1.0) and born[5] == 0
    assert born[0] == born[1] == 1.0  # born after the census day
    assert born[2] == pytest.approx(f) and W[2, 0] == pytest.approx(1 - f)
    np.testing.assert_allclose(W.sum(axis=1) + born, 1.0)
    # whole years: everyone was exactly ``years`` younger
    W1, b1 = lexis_weights(1.0, 5)
    assert W1[3, 2] == 1.0 and b1[0] == 1.0 and W1[0].sum() == 0


def test_age_forward_worked_example() -> None:
    # two areas, ages 0 … 4 (4 = open), census classes {0, 1} and {2, 3, 4}; 1.5 years later
    # persons aged a came half from census age a - 2 and half from a - 1
    shares = np.array([[0.25, 0.6], [0.75, 0.4]])
    out = age_forward(shares, np.array([0, 0, 1, 1, 1]), np.full(5, 10.0), 1.5, np.array([0.5, 0.5]))
    want = np.array(
        [
            [5.0, 3.75, 2.5, 4.25, 6.0],  # age 1: .5·.5 (born) + .5·.25 = .375; age 3: .5·.25 + .5·.6
            [5.0, 6.25, 7.5, 5.75, 4.0],
        ]
    )
    np.testing.assert_allclose(out, want)
    np.testing.assert_allclose(out.sum(axis=0), 10.0)  # areas sum to the target exactly


def test_age_forward_rejects_shares_that_do_not_sum_to_one() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        age_forward(np.array([[0.5], [0.4]]), np.zeros(3, dtype=int), np.ones(3), 1.0, np.array([0.5, 0.5]))


def test_smooth_group_factors_keeps_weighted_group_means_and_constants() -> None:
    groups = [(0, 2), (3, 5), (6, 9)]
    w = np.array([5, 4, 6, 3, 3, 2, 1, 2, 2, 1], dtype=float)
    f = np.array([[0.8, 1.1, 1.3], [1.0, 1.0, 1.0]])
    c = smooth_group_factors(f, w, groups)
    for g, (lo, hi) in enumerate(groups):
        np.testing.assert_allclose(np.average(c[:, lo : hi + 1], weights=w[lo : hi + 1], axis=1), f[:, g])
    np.testing.assert_allclose(c[1], 1.0)  # a constant is reproduced exactly
    # linear: curves of factors that sum to 1 sum to 1 at every age
    f2 = np.array([[0.3, 0.2, 0.5], [0.7, 0.8, 0.5]])
    np.testing.assert_allclose(smooth_group_factors(f2, w, groups).sum(axis=0), 1.0)


def test_rake_worked_example_and_label_margins() -> None:
    # classic 2 × 2 example: rows 5/5, columns 6/4; the odds ratio of the prior is kept
    prior = np.array([[1.0, 2.0], [3.0, 4.0]])
    rows = np.array([[0, 0], [1, 1]])
    cols = np.array([[0, 1], [0, 1]])
    r = rake(prior, [(rows, np.array([5.0, 5.0])), (cols, np.array([6.0, 4.0]))])
    assert r.converged and r.max_residual < 1e-7
    c = r.cells
    np.testing.assert_allclose(c.sum(axis=1), [5, 5], atol=1e-7)
    assert c[0, 0] * c[1, 1] / (c[0, 1] * c[1, 0]) == pytest.approx(1 * 4 / (2 * 3))
    # a margin over groups of cells that is not an axis sum: cells {0, 1} and {2} of a vector
    r2 = rake(np.array([1.0, 3.0, 6.0]), [(np.array([0, 0, 1]), np.array([8.0, 2.0]))])
    np.testing.assert_allclose(r2.cells, [2.0, 6.0, 2.0])


def test_rake_refuses_inconsistent_or_impossible_margins() -> None:
    lab = np.array([0, 1])
    with pytest.raises(ValueError, match="different totals"):
        rake(np.ones(2), [(lab, np.array([1.0, 1.0])), (np.array([0, 0]), np.array([3.0]))])
    with pytest.raises(ValueError, match="zero cells"):
        rake(np.array([0.0, 1.0]), [(lab, np.array([1.0, 1.0]))])


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_rake_agrees_with_the_axis_ipf(seed: int) -> None:
    """Fast-vs-reference: label margins equal to axis sums give the axis IPF's result."""
    rng = np.random.default_rng(seed)
    prior = rng.uniform(0.1, 5.0, size=(3, 2, 4))
    truth = rng.uniform(0.1, 5.0, size=(3, 2, 4))
    m01, m12 = truth.sum(axis=2), truth.sum(axis=0)
    ref = ipf(prior, [((0, 1), m01), ((1, 2), m12)])
    i, j, k = np.indices(prior.shape)
    got = rake(prior, [(i * 2 + j, m01.reshape(-1)), (j * 4 + k, m12.reshape(-1))])
    assert ref.converged and got.converged
    np.testing.assert_allclose(got.cells, ref.cells, rtol=1e-6, atol=1e-7)
