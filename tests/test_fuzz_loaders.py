"""Property-based tests (hypothesis) of the loaders at the data boundary.

The property, for every generated input: the loader returns a *correct* table or raises
:class:`~dashboard.data.errors.DataFormatError` naming the file (and, for a damaged cell, the
place). Any other exception type fails the test, and so does a table that differs from what
the file says ("silently altered").

Seeds are the real-figure sample exports in ``tests/data`` (GENESIS flat CSV, table CSV in
UTF-8 and Windows-1252, XLSX) and the shipped measures workbook. Mutations: truncation at any
byte, re-encoding, removed/added columns, damaged cells (garbage text, GENESIS placeholders,
huge numbers, decimals, negatives, empty), duplicated rows, empty and random files.

Oracles (what "correct" means for a mutated file):

* harmless changes (CRLF line ends, UTF-8 BOM, cp1252 ⇄ UTF-8): the very same table;
* truncation / a removed column: every row returned is a row of the original table, unchanged;
* a damaged cell: rows from other lines unchanged; on the damaged line only the value may
  change, and only as the placeholder policy says (``-`` → 0, ``.``/``x``/``...``//`` → <NA>);
  anything else must be an error naming that line (or a total that no longer adds up);
* a duplicated data row: an error.

The runs are bounded and reproducible (``derandomize=True``, no example database).
"""

from __future__ import annotations

import csv
import functools
import io
import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from dashboard.data.errors import DataFormatError

DATA = Path(__file__).parent / "data"
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate] + ([] if os.environ.get("FUZZ_NO_SHRINK") else [Phase.shrink]),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
PLACEHOLDERS = {"-": 0, ".": None, "x": None, "...": None, "/": None}

GARBAGE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Nd")),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() not in PLACEHOLDERS and s.strip() != "" and ";" not in s)
HUGE = st.one_of(
    st.integers(min_value=10**12, max_value=10**40).map(str),
    st.sampled_from(
        ["1e308", "9" * 60, "9" * 5000, "-9223372036854775809", "18446744073709551616", "inf", "NaN"]
    ),
)
ODD_NUMBERS = st.sampled_from(["12,5", "12.5", "-1", "-0", "+7", " ", "", "0x10", "1_000", "١٢"])
TOKENS = st.one_of(GARBAGE, st.sampled_from(sorted(PLACEHOLDERS)), HUGE, ODD_NUMBERS)


# --------------------------------------------------------------------------- helpers


def genesis():
    from dashboard.data import genesis as g

    return g


def load(path: Path):
    """The outcome of loading: ("table", GenesisTable) or ("error", DataFormatError).

    Any other exception propagates and fails the test (that is the property)."""
    try:
        return "table", genesis().load_genesis(path)
    except DataFormatError as err:
        return "error", err


def assert_error_names_file(err: DataFormatError, name: str) -> None:
    assert err.problems, "a DataFormatError lists its problems"
    for p in err.problems:
        assert p.file == name, (p.file, name)
        assert p.expected and p.found is not None
    assert name in str(err)


CSV_SEEDS = sorted(p.name for p in DATA.glob("1*.csv"))
XLSX_SEEDS = sorted(p.name for p in DATA.glob("1*.xlsx"))


@functools.cache
def baseline(name: str):
    kind, table = load(DATA / name)
    assert kind == "table", f"the unmodified sample {name} loads: {table}"
    return table


def text_of(name: str) -> tuple[str, str]:
    raw = (DATA / name).read_bytes()
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252"), "cp1252"


def write(tmp: Path, name: str, data: bytes) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / name  # same file name: the table code is read from it
    path.write_bytes(data)
    return path


def frame(table) -> pd.DataFrame:
    return table.data.reset_index(drop=True)


def value_column(table) -> str:
    return "population" if table.kind == "population" else "value"


def assert_same_table(table, base) -> None:
    pd.testing.assert_frame_equal(frame(table), frame(base), check_exact=True)


def assert_rows_subset(table, base, ignore: tuple[str, ...] = ()) -> None:
    """Every returned row is an original row with identical values (``ignore``: columns that
    may legitimately differ, e.g. ``source_row`` after a row was deleted)."""
    got, ref = frame(table).drop(columns=list(ignore)), frame(base).drop(columns=list(ignore))
    assert list(got.columns) == list(ref.columns)
    assert got.dtypes.to_dict() == ref.dtypes.to_dict()
    merged = got.merge(ref, how="left", indicator=True, on=list(got.columns))
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()


def expected_value(token) -> tuple[str, int | None]:
    """What a damaged value cell legitimately means: a placeholder, a count, or nothing."""
    if isinstance(token, bool) or token is None:
        return "invalid", None
    if isinstance(token, int | float):
        if isinstance(token, float) and not (token == token and abs(token) < 2**53 and token.is_integer()):
            return "invalid", None
        return ("number", int(token)) if 0 <= token < 2**63 else ("invalid", None)
    if not isinstance(token, str):
        return "invalid", None
    t = token.strip()
    if t in PLACEHOLDERS:
        return "placeholder", PLACEHOLDERS[t]
    if t.isascii() and t.lstrip("+-").isdigit() and len(t) < 19 and 0 <= int(t):
        return "number", int(t)
    return "invalid", None


def assert_only_line_changed(table, base, line: int, token) -> None:
    """Rows from other lines are unchanged; on ``line`` only one value may change, and only to
    what the token means (placeholder policy or the plain count it spells)."""
    got, ref = frame(table), frame(base)
    assert got.dtypes.to_dict() == ref.dtypes.to_dict()
    assert len(got) == len(ref)
    vcol = value_column(base)
    other = [c for c in got.columns if c not in (vcol, "quality")]
    pd.testing.assert_frame_equal(got[other], ref[other], check_exact=True)
    same = (got[vcol] == ref[vcol]).fillna(False) | (got[vcol].isna() & ref[vcol].isna())
    changed = got[~same.astype(bool)]
    assert (changed["source_row"] == line).all(), changed
    if len(changed):
        assert len(changed) == 1, changed
        kind, expected = expected_value(token)
        assert kind != "invalid", f"{token!r} changed a value: {changed}"
        v = changed[vcol].iloc[0]
        assert pd.isna(v) if expected is None else v == expected, (token, v)
    assert table.usable == bool(got[vcol].notna().all())


def line_values(name: str, line: int) -> set[str]:
    """Texts of the published values on one line (placeholders as published)."""
    base = frame(baseline(name))
    rows = base[base["source_row"] == line]
    vcol = value_column(baseline(name))
    return {q if q in PLACEHOLDERS else str(v) for v, q in zip(rows[vcol], rows["quality"])}


def data_lines(name: str) -> list[int]:
    """1-based line/row numbers that hold values in the original table."""
    return sorted({int(r) for r in frame(baseline(name))["source_row"]})


# --------------------------------------------------------------------------- CSV (flat and table)


@pytest.mark.parametrize("name", CSV_SEEDS)
@FUZZ
@given(cut=st.floats(min_value=0.0, max_value=1.0, exclude_max=True))
def test_csv_truncated_anywhere(tmp_path_factory, name, cut):
    raw = (DATA / name).read_bytes()
    path = write(tmp_path_factory.mktemp("cut"), name, raw[: int(len(raw) * cut)])
    kind, out = load(path)
    if kind == "error":
        assert_error_names_file(out, name)
    else:
        assert_rows_subset(out, baseline(name))


@pytest.mark.parametrize("name", CSV_SEEDS)
def test_csv_harmless_variants_give_the_same_table(tmp_path, name):
    text, enc = text_of(name)
    variants = {
        "crlf": text.replace("\r\n", "\n").replace("\n", "\r\n").encode(enc),
        "bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf-8": text.encode("utf-8"),
        "cp1252": text.encode("cp1252"),
        "no-final-newline": text.rstrip("\r\n").encode(enc),
    }
    for label, data in variants.items():
        kind, out = load(write(tmp_path / label, name, data))
        assert kind == "table", (label, out)
        assert_same_table(out, baseline(name))


@pytest.mark.parametrize("name", CSV_SEEDS)
@FUZZ
@given(encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-32", "mojibake", "cp850"]))
def test_csv_wrong_encodings(tmp_path_factory, name, encoding):
    text, _ = text_of(name)
    if encoding == "mojibake":  # UTF-8 bytes read as cp1252 and saved again as UTF-8
        data = text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    else:
        data = text.encode(encoding, errors="replace")
    kind, out = load(write(tmp_path_factory.mktemp("enc"), name, data))
    if kind == "error":
        assert_error_names_file(out, name)
    else:
        assert_same_table(out, baseline(name))


def _rows(name: str) -> tuple[list[list[str]], str]:
    text, enc = text_of(name)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";")), enc


def _dump(rows: list[list[str]], enc: str) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    return buf.getvalue().encode(enc, errors="replace")


@pytest.mark.parametrize("name", CSV_SEEDS)
@FUZZ
@given(data=st.data())
def test_csv_removed_or_added_column(tmp_path_factory, name, data):
    rows, enc = _rows(name)
    width = max(len(r) for r in rows)
    j = data.draw(st.integers(0, width), label="column")
    add = data.draw(st.booleans(), label="add")
    if add:
        header = data.draw(GARBAGE, label="header")
        filler = data.draw(TOKENS, label="filler")
        new = [
            r[:j] + [header if i == 0 else filler] + r[j:] if len(r) >= j else r for i, r in enumerate(rows)
        ]
    else:
        assume(j < width)
        new = [r[:j] + r[j + 1 :] for r in rows]
    kind, out = load(write(tmp_path_factory.mktemp("col"), name, _dump(new, enc)))
    if kind == "error":
        assert_error_names_file(out, name)
    elif add:
        # A column with an unknown heading may be ignored, but never changes a value. In the
        # table layout the column right after the AGS is the region name by position, so an
        # inserted column there may become the (free-text) name; nothing else may change.
        got, ref = frame(out), frame(baseline(name))
        if j == 2 and out.format == "csv":
            got, ref = got.drop(columns="region_name"), ref.drop(columns="region_name")
        pd.testing.assert_frame_equal(got, ref, check_exact=True)
    else:
        # Without its quality column ("value_q", "…__q") a flat file carries no quality flags.
        quality_gone = j < len(rows[0]) and rows[0][j].strip().endswith("_q")
        assert_rows_subset(out, baseline(name), ignore=("quality",) if quality_gone else ())


INVALID_TOKENS = st.one_of(GARBAGE, st.sampled_from(sorted(PLACEHOLDERS)), HUGE)


@pytest.mark.parametrize("name", CSV_SEEDS)
@FUZZ
@given(data=st.data())
def test_csv_damaged_value_cell(tmp_path_factory, name, data):
    rows, enc = _rows(name)
    line = data.draw(st.sampled_from(data_lines(name)), label="line")
    row = rows[line - 1]
    values = line_values(name, line)
    fields = [j for j, v in enumerate(row) if v.strip() in values]
    assume(fields)
    j = data.draw(st.sampled_from(fields), label="field")
    token = data.draw(TOKENS, label="token")
    assume(token.strip() != row[j].strip())
    rows[line - 1] = row[:j] + [token] + row[j + 1 :]
    kind, out = load(write(tmp_path_factory.mktemp("cell"), name, _dump(rows, enc)))
    if kind == "error":
        assert_error_names_file(out, name)
        assert any(p.row is not None for p in out.problems), str(out)
    else:
        assert_only_line_changed(out, baseline(name), line, token)


@pytest.mark.parametrize("name", CSV_SEEDS)
@FUZZ
@given(data=st.data())
def test_csv_damaged_key_cell(tmp_path_factory, name, data):
    """Keys (region code, date, sex/age codes) damaged: an error or, if the field is not used,
    the same table."""
    rows, enc = _rows(name)
    line = data.draw(st.sampled_from(data_lines(name)), label="line")
    row = rows[line - 1]
    values = line_values(name, line)
    base = frame(baseline(name))
    names = set(base.loc[base["source_row"] == line, "region_name"])  # free text, not a key
    # Quality flags ("e", "p", …) are published next to the value, not keys: a legal flag put
    # there changes the quality column and nothing else (found by derandomised examples).
    flags = set(base.loc[base["source_row"] == line, "quality"]) - {""}
    fields = [j for j, v in enumerate(row) if v.strip() and v.strip() not in values | names | flags]
    assume(fields)
    j = data.draw(st.sampled_from(fields), label="field")
    token = data.draw(INVALID_TOKENS, label="token")
    assume(token.strip() != row[j].strip())
    rows[line - 1] = row[:j] + [token] + row[j + 1 :]
    kind, out = load(write(tmp_path_factory.mktemp("key"), name, _dump(rows, enc)))
    if kind == "error":
        assert_error_names_file(out, name)
    else:
        assert_same_table(out, baseline(name))


@pytest.mark.parametrize("name", CSV_SEEDS)
@FUZZ
@given(data=st.data())
def test_csv_duplicated_row_is_an_error(tmp_path_factory, name, data):
    rows, enc = _rows(name)
    lines = data_lines(name)
    line = data.draw(st.sampled_from(lines), label="line")
    at = data.draw(st.sampled_from(lines), label="insert before")
    rows.insert(at - 1, list(rows[line - 1]))
    kind, out = load(write(tmp_path_factory.mktemp("dup"), name, _dump(rows, enc)))
    assert kind == "error", "a duplicated data row must not load"
    assert_error_names_file(out, name)


@FUZZ
@given(
    blob=st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(
            [
                b"",
                b"\n",
                b"\xef\xbb\xbf",
                b" \r\n\t",
                b";;;;\n;;;\n",
                b"PK\x03\x04",
                b"PK\x05\x06" + b"\0" * 18,
            ]
        ),
    ),
    suffix=st.sampled_from([".csv", ".xlsx", ".zip", ".txt"]),
    code=st.sampled_from(["12411-02-03-4", "12612-01-01-4", "12711-01-03-4", "unbekannt"]),
)
def test_random_or_empty_files(tmp_path_factory, blob, suffix, code):
    name = f"{code}_probe{suffix}"
    kind, out = load(write(tmp_path_factory.mktemp("blob"), name, blob))
    assert kind == "error", "random bytes are not a GENESIS export"
    assert_error_names_file(out, name)


# --------------------------------------------------------------------------- XLSX


def _xlsx_values(name: str):
    import openpyxl

    wb = openpyxl.load_workbook(DATA / name)
    return wb


def _save(wb, tmp: Path, name: str) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / name
    wb.save(path)
    return path


XLSX_TOKENS = st.one_of(
    TOKENS,
    st.integers(min_value=10**12, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([None, True, -3, 12.5]),
    st.datetimes(
        min_value=pd.Timestamp("1900-03-01").to_pydatetime(),
        max_value=pd.Timestamp("2100-01-01").to_pydatetime(),
    ),
)


@pytest.mark.parametrize("name", XLSX_SEEDS)
@FUZZ
@given(data=st.data())
def test_xlsx_damaged_cell(tmp_path_factory, name, data):
    wb = _xlsx_values(name)
    ws = wb.worksheets[0]
    line = data.draw(st.sampled_from(data_lines(name)), label="row")
    values = line_values(name, line)
    cells = [c for c in ws[line] if c.value is not None and str(c.value).strip() in values]
    assume(cells)
    cell = data.draw(st.sampled_from(cells), label="cell")
    token = data.draw(XLSX_TOKENS, label="token")
    assume(token != cell.value)
    if isinstance(token, str):
        assume(not token.startswith("="))  # a formula is not a value
    cell.value = token
    path = _save(wb, tmp_path_factory.mktemp("xcell"), name)
    kind, out = load(path)
    if kind == "error":
        assert_error_names_file(out, name)
    else:
        assert_only_line_changed(out, baseline(name), line, token)


@pytest.mark.parametrize("name", XLSX_SEEDS)
@FUZZ
@given(data=st.data())
def test_xlsx_rows_and_columns(tmp_path_factory, name, data):
    wb = _xlsx_values(name)
    ws = wb.worksheets[0]
    op = data.draw(st.sampled_from(["delete_col", "insert_col", "duplicate_row", "delete_row"]))
    if op == "delete_col":
        ws.delete_cols(data.draw(st.integers(1, ws.max_column)))
    elif op == "insert_col":
        j = data.draw(st.integers(1, ws.max_column + 1))
        ws.insert_cols(j)
        ws.cell(row=data.draw(st.integers(1, ws.max_row)), column=j, value=data.draw(GARBAGE))
    elif op == "duplicate_row":
        src = data.draw(st.sampled_from(data_lines(name)))
        ws.append([c.value for c in ws[src]])  # after the footer: still a duplicate key
        values = [c.value for c in ws[src]]
        ws.insert_rows(src + 1)
        for j, v in enumerate(values, start=1):
            ws.cell(row=src + 1, column=j, value=v)
    else:
        deleted = data.draw(st.integers(1, ws.max_row))
        ws.delete_rows(deleted)
    kind, out = load(_save(wb, tmp_path_factory.mktemp("xrow"), name))
    if op == "duplicate_row":
        assert kind == "error", "a duplicated data row must not load"
    if kind == "error":
        assert_error_names_file(out, name)
    elif op == "insert_col":
        assert_same_table(out, baseline(name))
    elif op == "delete_row" and deleted not in data_lines(name):
        # A title/footer line went: publisher and licence are read from the footer ("© …",
        # "Namensnennung"), without it they are the layout's declared defaults.
        assert_rows_subset(out, baseline(name), ignore=("source_row", "publisher", "licence"))
    else:
        assert_rows_subset(out, baseline(name), ignore=("source_row",) if op == "delete_row" else ())


@pytest.mark.parametrize("name", XLSX_SEEDS)
@FUZZ
@given(
    cut=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
    flip=st.one_of(st.none(), st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255))),
)
def test_xlsx_truncated_or_corrupted_bytes(tmp_path_factory, name, cut, flip):
    raw = bytearray((DATA / name).read_bytes())
    if flip is None:
        raw = raw[: int(len(raw) * cut)]
    else:
        pos = int(len(raw) * flip[0])
        raw[pos] ^= flip[1]
    kind, out = load(write(tmp_path_factory.mktemp("xcut"), name, bytes(raw)))
    if kind == "error":
        assert_error_names_file(out, name)
    else:
        assert_same_table(out, baseline(name))


# --------------------------------------------------------------------------- measures workbook


def measures():
    from dashboard.data import measures as m

    return m


@functools.cache
def shipped_measures():
    return measures().load_workbook(measures().SHIPPED_WORKBOOK, origin="shipped")


def load_measures(path: Path):
    try:
        return "table", measures().load_workbook(path)
    except DataFormatError as err:
        return "error", err


def _same_catalogue(cat, ref) -> None:
    for part in ("measures", "municipalities", "sources"):
        pd.testing.assert_frame_equal(
            getattr(cat, part).reset_index(drop=True),
            getattr(ref, part).reset_index(drop=True),
            check_exact=True,
        )


@FUZZ
@given(data=st.data())
def test_measures_workbook_mutations(tmp_path_factory, data):
    """Damaged cells in validated columns, duplicate ids, removed/added columns: an error naming
    the sheet, or (for an ignored extra sheet) the same catalogue."""
    import openpyxl

    m = measures()
    wb = openpyxl.load_workbook(m.SHIPPED_WORKBOOK)
    ws = wb[m.SHEET_MEASURES]
    header = [c.value for c in ws[1]]
    op = data.draw(
        st.sampled_from(["cell", "duplicate_id", "delete_col", "insert_col", "extra_sheet", "remove_sheet"]),
        label="op",
    )
    row = data.draw(st.integers(2, ws.max_row), label="row")
    if op == "cell":
        col = data.draw(
            st.sampled_from(
                [
                    c
                    for c in ("id", "age_min", "age_max", "status", "field_of_action", "start_year")
                    if c in header
                ]
            )
        )
        token = data.draw(XLSX_TOKENS, label="token")
        assume(token != ws.cell(row=row, column=header.index(col) + 1).value)
        if isinstance(token, str):
            assume(not token.startswith("="))
        ws.cell(row=row, column=header.index(col) + 1, value=token)
    elif op == "duplicate_id":
        other = data.draw(st.integers(2, ws.max_row).filter(lambda r: r != row), label="other")
        j = header.index("id") + 1
        ws.cell(row=other, column=j, value=ws.cell(row=row, column=j).value)
    elif op == "delete_col":
        ws.delete_cols(data.draw(st.integers(1, len(header))))
    elif op == "insert_col":
        j = data.draw(st.integers(1, len(header) + 1))
        ws.insert_cols(j)
        ws.cell(row=1, column=j, value=data.draw(GARBAGE))
    elif op == "extra_sheet":
        wb.create_sheet(
            data.draw(
                GARBAGE.map(lambda s: "".join(ch for ch in s if ch not in "[]:*?/\\")[:25]).filter(
                    lambda s: s.strip() and s not in wb.sheetnames
                )
            )
        )
    else:
        del wb[data.draw(st.sampled_from([m.SHEET_MEASURES, m.SHEET_MUNICIPALITIES, m.SHEET_SOURCES]))]
    path = tmp_path_factory.mktemp("massn") / "katalog.xlsx"
    wb.save(path)
    kind, out = load_measures(path)
    if op == "extra_sheet":
        assert kind == "table", out
        _same_catalogue(out, shipped_measures())
    elif op == "cell":
        # A value that still passes validation is the catalogue the file says; anything else is
        # an error naming sheet and row.
        if kind == "error":
            assert_error_names_file(out, "katalog.xlsx")
            assert any(p.sheet == m.SHEET_MEASURES and p.row == row for p in out.problems), str(out)
    else:
        assert kind == "error", f"{op} must not load"
        assert_error_names_file(out, "katalog.xlsx")


@FUZZ
@given(
    cut=st.floats(0, 1, exclude_max=True),
    flip=st.one_of(st.none(), st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255))),
)
def test_measures_workbook_truncated_or_corrupted(tmp_path_factory, cut, flip):
    raw = bytearray(measures().SHIPPED_WORKBOOK.read_bytes())
    if flip is None:
        raw = raw[: int(len(raw) * cut)]
    else:
        raw[int(len(raw) * flip[0])] ^= flip[1]
    path = tmp_path_factory.mktemp("mcut") / "katalog.xlsx"
    path.write_bytes(bytes(raw))
    kind, out = load_measures(path)
    if kind == "error":
        assert_error_names_file(out, "katalog.xlsx")
    else:
        _same_catalogue(out, shipped_measures())
