"""Uploads of measures workbooks: size limit, zip bomb, XML entity tricks, row limit, and nothing
is stored (nor the shipped catalogue touched) when an upload is refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from dashboard.data import measures
from dashboard.data.errors import DataFormatError
from dashboard.data.measures import workbook_reader


def _xlsx_with(member: str, xml: str) -> bytes:
    """The shipped workbook with one archive member replaced."""
    src = zipfile.ZipFile(measures.SHIPPED_WORKBOOK)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, xml if info.filename == member else src.read(info.filename))
    return buf.getvalue()


def _refused(blob: bytes, tmp_path, monkeypatch) -> DataFormatError:
    from dashboard.store import Actor, get_store

    monkeypatch.setenv("DASHBOARD_USER_DATA", str(tmp_path))
    shipped = measures.SHIPPED_WORKBOOK.read_bytes()
    with pytest.raises(DataFormatError) as info:
        measures.import_workbook(blob, actor=Actor("test", "planung"), display_name="upload.xlsx")
    assert get_store().versions("catalogue") == [], "nothing stored"
    assert measures.SHIPPED_WORKBOOK.read_bytes() == shipped
    assert all(p.file == "upload.xlsx" for p in info.value.problems)
    return info.value


def test_zip_bomb_is_refused_before_parsing(tmp_path, monkeypatch):
    sheet = zipfile.ZipFile(measures.SHIPPED_WORKBOOK).namelist()
    member = next(n for n in sheet if n.startswith("xl/worksheets/"))
    blob = _xlsx_with(member, "<x>" + " " * (60 * 2**20) + "</x>")  # 60 MB of blanks, ~60 kB packed
    err = _refused(blob, tmp_path, monkeypatch)
    assert "ZIP-Bombe" in str(err)


def test_billion_laughs_and_external_entities_are_refused(tmp_path, monkeypatch):
    member = "xl/workbook.xml"
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 9)
        )
        + "]><workbook>&lol8;</workbook>"
    )
    _refused(_xlsx_with(member, lol), tmp_path, monkeypatch)
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><workbook>&x;</workbook>'
    )
    err = _refused(_xlsx_with(member, xxe), tmp_path, monkeypatch)
    assert "root:" not in str(err)


def test_oversized_upload_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_reader, "MAX_WORKBOOK_BYTES", 1000)
    err = _refused(measures.SHIPPED_WORKBOOK.read_bytes(), tmp_path, monkeypatch)
    assert "höchstens" in str(err) and "MB" in str(err)


def test_too_many_rows_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_reader, "MAX_SHEET_ROWS", 5)
    err = _refused(measures.SHIPPED_WORKBOOK.read_bytes(), tmp_path, monkeypatch)
    assert "höchstens 5 Zeilen" in str(err)


@pytest.mark.parametrize("blob", [b"", b"PK\x03\x04", b"not a workbook", b"PK\x05\x06" + b"\0" * 18])
def test_garbage_uploads_are_refused(tmp_path, monkeypatch, blob):
    _refused(blob, tmp_path, monkeypatch)
