"""dashboard.constants: age groups declared by their lowest ages."""

from __future__ import annotations

import pytest

from dashboard.constants import AGE_GROUPS_17, OPEN_AGE, PLANNING_AGE_GROUPS, contiguous_age_groups


def test_contiguous_age_groups_worked_example() -> None:
    assert contiguous_age_groups(0, 3, 75) == {"0-2": (0, 2), "3-74": (3, 74), "75+": (75, OPEN_AGE)}
    assert list(contiguous_age_groups(0, 18, 30)) == ["0-17", "18-29", "30+"]


@pytest.mark.parametrize("groups", [PLANNING_AGE_GROUPS, AGE_GROUPS_17])
def test_declared_groups_cover_every_age_once(groups) -> None:
    ages = [a for lo, hi in groups.values() for a in range(lo, hi + 1)]
    assert ages == list(range(OPEN_AGE + 1))


@pytest.mark.parametrize("starts", [(), (1, 5), (0, 5, 5), (0, 9, 3), (0, OPEN_AGE + 1)])
def test_contiguous_age_groups_refuses_starts_that_do_not_rise_from_zero(starts) -> None:
    with pytest.raises(ValueError, match="group starts"):
        contiguous_age_groups(*starts)
