"""The German text module: one formatter for numbers and dates, and the floor of the layers."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import numpy as np
import pytest

from dashboard import text
from dashboard.text import (
    DASH,
    MINUS,
    fmt_date,
    fmt_dec,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_signed_dec,
    fmt_signed_int,
    fmt_signed_pct,
    fmt_value,
)


@pytest.mark.parametrize(
    "fn,args,expected",
    [
        (fmt_int, (1234,), "1.234"),
        (fmt_int, (279285,), "279.285"),
        (fmt_int, (-56.4,), "−56"),
        (fmt_int, (2.5,), "2"),  # half to even, as Python's round
        (fmt_int, (np.int64(1_000_000),), "1.000.000"),
        (fmt_dec, (1234.5, 1), "1.234,5"),
        (fmt_dec, (-0.125, 3), "−0,125"),
        (fmt_dec, (1.0e-9, 9), "0,000000001"),
        (fmt_num, (-3000.0,), "−3.000"),
        (fmt_num, (0.8,), "0,8"),
        (fmt_num, (2.0,), "2"),
        (fmt_num, (4.76837158, 2), "4,77"),
        (fmt_num, (1e9,), "1.000.000.000"),  # never scientific notation
        (fmt_num, (-0.0,), "0"),
        (fmt_pct, (0.123,), "12,3 %"),
        (fmt_pct, (0.2,), "20,0 %"),
        (fmt_pct, (0.5, 0), "50 %"),
        (fmt_signed_int, (1234,), "+1.234"),
        (fmt_signed_int, (-5,), "−5"),
        (fmt_signed_int, (0.2,), "±0"),
        (fmt_signed_dec, (0.84,), "+0,8"),
        (fmt_signed_dec, (-0.8,), "−0,8"),
        (fmt_signed_dec, (-0.04,), "±0,0"),
        (fmt_signed_pct, (-0.021,), "−2,1 %"),
        (fmt_signed_pct, (0.021,), "+2,1 %"),
        (fmt_date, (date(2024, 12, 31),), "31.12.2024"),
        (fmt_date, (datetime(2022, 5, 15, 13, 0),), "15.05.2022"),
        (fmt_date, ("2022-05-15",), "15.05.2022"),
        (fmt_value, (0.226, "pct"), "22,6 %"),
        (fmt_value, (38.71, "ratio"), "38,7"),
        (fmt_value, (279285, "int"), "279.285"),
    ],
)
def test_german_formats(fn, args, expected):
    assert fn(*args) == expected


@pytest.mark.parametrize(
    "fn", [fmt_int, fmt_dec, fmt_num, fmt_pct, fmt_signed_int, fmt_signed_dec, fmt_signed_pct]
)
@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, np.float32("nan")])
def test_missing_values_are_a_dash_never_a_number(fn, missing):
    assert fn(missing) == DASH


def test_negative_numbers_use_the_typographic_minus_only():
    for s in (fmt_int(-1234), fmt_dec(-1.5), fmt_num(-2.5), fmt_pct(-0.1), fmt_signed_dec(-3.0)):
        assert s.startswith(MINUS) and "-" not in s


def test_formatter_agrees_with_python_rounding_on_random_values():
    """fmt_dec is Python's fixed-point format with the separators swapped (reference: str ops)."""
    rng = np.random.default_rng(15)
    for x in rng.normal(0, 1e6, 500):
        for digits in (0, 1, 3):
            ref = f"{x:,.{digits}f}"
            got = fmt_dec(x, digits)
            assert got.replace(".", "").replace(",", ".").replace(MINUS, "-") == ref.replace(",", "")


def test_text_imports_nothing_of_the_project():
    """The floor of the layers: importing dashboard.text loads no other dashboard module."""
    code = "import sys, dashboard.text; print(sorted(m for m in sys.modules if m.startswith('dashboard')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['dashboard', 'dashboard.text']"


def test_catalogue_labels_every_code_the_model_returns():
    from dashboard.constants import PLANNING_AGE_GROUPS, SEXES

    assert set(text.SEX_LABELS) == set(SEXES)
    assert list(text.PLANNING_GROUP_LABELS) == list(PLANNING_AGE_GROUPS)
    assert set(text.COMPONENT_LABELS) >= {"births", "deaths", "net_migration"}


def test_backtest_codes_have_german_labels():
    """Every method and level code in the backtest tables has its German label in the catalogue."""
    from dashboard.projection import agedynamics
    from dashboard.projection.backtest import METHODS, backtest

    bt = backtest()
    assert set(bt.table.method) | set(METHODS) | set(agedynamics.METHODS) <= set(text.BACKTEST_METHODS)
    assert set(bt.table.level) <= set(text.BACKTEST_LEVELS)
    assert not {"method_de", "level_de"} & set(bt.summary.columns)  # the model returns codes


# --------------------------------------------------------------------------- number input (issue 17.2)


@pytest.mark.parametrize(
    "typed, value",
    [
        ("1,6", 1.6),
        ("1.6", 1.6),
        ("2.300", 2300.0),
        ("2300", 2300.0),
        ("2.300,5", 2300.5),
        ("1.234.567", 1234567.0),
        ("−2.100", -2100.0),
        ("-2100", -2100.0),
        ("+1,5", 1.5),
        (" 0,8 ", 0.8),
        ("2 300", 2300.0),
        ("1.48", 1.48),
        ("1.5550", 1.555),
    ],
)
def test_parse_number_reads_german_and_plain_numbers(typed, value):
    from dashboard.text import parse_number

    assert parse_number(typed) == value


@pytest.mark.parametrize(
    "typed", ["", "abc", "1e5", "nan", "inf", "1,2,3", "1.23.4", "1 6", ",5", "5.", "1,6.5"]
)
def test_parse_number_refuses_anything_else_in_german(typed):
    from dashboard.text import parse_number

    with pytest.raises(ValueError) as err:
        parse_number(typed)
    assert "Zahl" in str(err.value) and (typed.strip() in str(err.value) or not typed)


def test_numbers_in_links_and_boxes_read_back_exactly():
    import random

    from dashboard.text import fmt_input, fmt_query_number, parse_number

    rng = random.Random(17)
    values = [1.6, 1.555, 2300.0, -2100.0, 0.1 + 0.2, 1e-7, 0.0, 1234.567, 49_999.5]
    values += [rng.uniform(-50_000, 50_000) for _ in range(2000)]
    values += [round(rng.uniform(-5, 5), rng.randint(0, 6)) for _ in range(2000)]
    for v in values:
        assert parse_number(fmt_query_number(v)) == v
        assert "e" not in fmt_query_number(v).lower()
        assert parse_number(fmt_input(v, 6)) == round(v, 6)
    assert fmt_input(1.48, 6) == "1,48" and fmt_input(2300, 0) == "2.300" and fmt_input(None, 2) == ""
