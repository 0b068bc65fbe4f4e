"""One upload limit (settings.UPLOAD_MAX_BYTES), and a file the upload box accepts is never
refused with 413 (finding 11: a 9–10 MB workbook passed the box but hit the 12 MB server cap)."""

from __future__ import annotations

import base64
import json

from dashboard import settings
from dashboard.app import server
from dashboard.data import genesis
from dashboard.data.measures import workbook_reader


def test_every_limit_is_the_one_declaration():
    assert genesis.MAX_FILE_BYTES == settings.UPLOAD_MAX_BYTES
    assert workbook_reader.MAX_WORKBOOK_BYTES == settings.UPLOAD_MAX_BYTES
    assert server.config["MAX_CONTENT_LENGTH"] == settings.MAX_REQUEST_BYTES
    for n in (0, 1, 2, 3, 10, settings.UPLOAD_MAX_BYTES):
        encoded = len("data:application/octet-stream;base64," + base64.b64encode(b"x" * n).decode())
        assert settings.request_cap_bytes(n) >= encoded + 100_000  # room for the callback envelope


def _upload_body(contents: str, name: str) -> bytes:
    return json.dumps(
        {
            "output": "..wk-upload-result.children...wk-rev.data..",
            "outputs": [
                {"id": "wk-upload-result", "property": "children"},
                {"id": "wk-rev", "property": "data"},
            ],
            "inputs": [{"id": "wk-upload", "property": "contents", "value": contents}],
            "state": [
                {"id": "wk-upload", "property": "filename", "value": name},
                {"id": "wk-rev", "property": "data", "value": 0},
            ],
            "changedPropIds": ["wk-upload.contents"],
        }
    ).encode()


def test_largest_accepted_file_reaches_the_callback_and_one_byte_more_is_refused_in_german(fresh_store):
    blob = b"PK" + b"\0" * (settings.UPLOAD_MAX_BYTES - 2)  # exactly the limit of the upload box
    contents = "data:application/vnd.openxmlformats;base64," + base64.b64encode(blob).decode()
    c = server.test_client()
    r = c.post(
        "/_dash-update-component", data=_upload_body(contents, "gross.xlsx"), content_type="application/json"
    )
    assert r.status_code == 200  # not 413: the callback answers (anonymous: please sign in)
    assert "Bitte melden Sie sich an" in r.get_data(as_text=True)
    too_big = "x" * (settings.MAX_REQUEST_BYTES + 1)
    r = c.post("/_dash-update-component", data=too_big, content_type="application/json")
    assert r.status_code == 413 and "höchstens" in r.get_data(as_text=True)


def test_zip_bomb_limits_are_declared_once(monkeypatch):
    """Tables and catalogues are checked against the same declaration (dashboard.data.archive):
    lowering it refuses both the XLSX test table and the shipped catalogue."""
    from pathlib import Path

    import pytest

    from dashboard.data import archive
    from dashboard.data.errors import DataFormatError
    from dashboard.data.measures import SHIPPED_WORKBOOK

    table = Path(__file__).parent / "data" / "12411-02-03-4_kreis_dueren_2024.xlsx"
    assert genesis.check_zip_safety(table) == []
    workbook_reader._check_container(SHIPPED_WORKBOOK, "katalog.xlsx")  # accepted
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED_BYTES", 10_000)
    assert "entpackt höchstens" in genesis.check_zip_safety(table)[0].expected
    with pytest.raises(DataFormatError, match="entpackt höchstens"):
        workbook_reader._check_container(SHIPPED_WORKBOOK, "katalog.xlsx")
    for module in (genesis, workbook_reader):
        assert not hasattr(module, "MAX_UNCOMPRESSED_BYTES") and not hasattr(module, "MAX_COMPRESSION_RATIO")
