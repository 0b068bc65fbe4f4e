"""Issue 16 in the app: a ``pflege`` user's "Daten aktualisieren" on /methodik → drafts → what
would change → publish on /verwaltung, over HTTP (the requests the browser makes: sign-in form
with CSRF token, Dash's pages router and callbacks) and as one real-browser journey; and the base
year moving forward in the projection and the pages once a complete later table is published.

The answers are replayed from ``tests/data/genesis_api/`` (``DASHBOARD_UPDATE_RECORDINGS``). The
municipal tables there are the labelled SYNTHETIC recordings (README there; ``basisjahr_2025/``
is the synthetic 2024 table relabelled to 31.12.2025, never shipped as data). They are marked
synthetic, so publishing them needs the test-only setting ``DASHBOARD_TESTS_ALLOW_SYNTHETIC=1``;
these tests also check that without it the app refuses.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.app import _update
from dashboard.data import imports
from dashboard.settings import SYNTHETIC_ENV
from tests._accounts import browser_login, form_login, make_user
from tests._router import router_body

REC = Path(__file__).parent / "data" / "genesis_api"
MUNICIPAL = "12411-02-03-5"
_ADDR = iter(f"10.16.0.{i}" for i in range(1, 250))  # own client address per sign-in (rate limit)


# ----------------------------------------------------------------------------- HTTP helpers


def _client(role: str | None):
    """A test client of the real server; signed in through the real form when ``role`` is set."""
    from dashboard.app import server

    c = server.test_client()
    if role is None:
        return c
    form_login(c, make_user(role), addr=next(_ADDR))
    return c


def _post(c, body: dict) -> dict:
    r = c.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_json()  # decoded: without orjson Dash escapes non-ASCII in the raw body


def _page(c, path: str, search: str = "") -> dict:
    """The page content as Dash's pages router delivers it to the browser."""
    body = router_body(path, search)
    return _post(c, body)["response"]["_pages_content"]["children"]


def _click_update(c) -> str:
    body = {
        "output": "mt-update-result.children",
        "outputs": {"id": "mt-update-result", "property": "children"},
        "inputs": [{"id": "mt-update", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["mt-update.n_clicks"],
        "state": [],
    }
    return json.dumps(_post(c, body)["response"]["mt-update-result"]["children"], ensure_ascii=False)


def _click_publish(c, version_id: int, expected: dict) -> str:
    bid = {"action": "publish", "id": version_id, "type": "vw-action", "where": "preview"}
    body = {
        "output": "..vw-message.children...vw-rev.data..",
        "outputs": [{"id": "vw-message", "property": "children"}, {"id": "vw-rev", "property": "data"}],
        "inputs": [[{"id": bid, "property": "n_clicks", "value": 1}]],
        "changedPropIds": [json.dumps(bid, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
        "state": [
            {"id": "vw-expected", "property": "data", "value": expected},
            {"id": "vw-rev", "property": "data", "value": 0},
        ],
    }
    return json.dumps(_post(c, body)["response"]["vw-message"]["children"], ensure_ascii=False)


def _find(tree, component_id: str):
    """The component with this id in a Dash JSON tree (or None)."""
    if isinstance(tree, dict):
        if tree.get("props", {}).get("id") == component_id:
            return tree
        for v in tree.values():
            if (hit := _find(v, component_id)) is not None:
                return hit
    elif isinstance(tree, list):
        for v in tree:
            if (hit := _find(v, component_id)) is not None:
                return hit
    return None


def _kennzahlen(c) -> pd.DataFrame:
    r = c.get("/download/kennzahlen.csv?exakt=ja")  # unrounded
    assert r.status_code == 200
    df = pd.read_csv(io.BytesIO(r.data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"AGS": str})
    # German headers (issue 17.6) back to the model's names the assertions use
    return df.rename(columns={"AGS": "ags", "Jahr": "year", "Personen": "population"})


def _municipal_draft(store) -> int:
    (v,) = [
        v for v in store.versions("tables", status="draft") if v.provenance.get("table_code") == MUNICIPAL
    ]
    return v.id


# ----------------------------------------------------------------------------- HTTP


def test_http_only_pflege_can_update_and_sees_what_would_change(fresh_store, monkeypatch):
    monkeypatch.setenv(_update.RECORDINGS_ENV, str(REC))
    monkeypatch.delenv(SYNTHETIC_ENV, raising=False)

    # visitors and planung: the section is hidden and the callback refuses; nothing is fetched
    for role in (None, "planung"):
        c = _client(role)
        section = _find(_page(c, "/methodik"), "mt-update-section")
        assert section is not None and section["props"]["hidden"] is True
        assert "Nur Personen mit der Rolle „pflege“" in _click_update(c)
    assert fresh_store.versions("tables") == []

    # pflege: the section is shown; the click fetches, checks and stores drafts and shows the preview
    c = _client("pflege")
    assert _find(_page(c, "/methodik"), "mt-update-section")["props"]["hidden"] is False
    before = _kennzahlen(c)
    out = _click_update(c)
    assert "6 Tabellen abgerufen und geprüft" in out and "Aufzeichnungen aus" in out
    vid = _municipal_draft(fresh_store)
    assert f"Was sich mit dem Entwurf {vid} ({MUNICIPAL}) ändern würde" in out
    assert '"vorschau-2024"' in out and "mit Entwurf" in out
    assert f"Entwurf {vid} ({MUNICIPAL}) stammt aus einer SYNTHETISCHEN Testaufzeichnung" in out
    assert f"/verwaltung?entwurf={vid}" in out
    assert len(fresh_store.versions("tables", status="draft")) == 6
    assert fresh_store.active("tables").number == 0
    pd.testing.assert_frame_equal(_kennzahlen(c), before)  # nothing public changed

    # /verwaltung: the draft is shown as synthetic, without publish button; publishing is refused
    content = json.dumps(_page(c, "/verwaltung", f"?entwurf={vid}"), ensure_ascii=False)
    assert '"vw-synthetic"' in content and "Er kann nicht veröffentlicht werden." in content
    assert f'"action": "publish", "id": {vid}' not in content
    msg = _click_publish(c, vid, {"tables": 0, "catalogue": 0})
    assert f"Version {vid} ist als SYNTHETISCH gekennzeichnet" in msg
    assert fresh_store.active("tables").number == 0
    pd.testing.assert_frame_equal(_kennzahlen(c), before)

    # the test-only setting: publishing works and visitors get what the preview promised
    monkeypatch.setenv(SYNTHETIC_ENV, "1")
    imports.invalidate()
    promised = imports.preview(vid).totals.set_index("ags")
    assert "Veröffentlicht: Stand 1" in _click_publish(c, vid, {"tables": 0, "catalogue": 0})
    after = _kennzahlen(_client(None))
    heimbach = after[(after.ags == "05358012") & (after.year == 2024)].population.iloc[0]
    assert heimbach == pytest.approx(promised.loc["05358012", "new"], abs=1e-6)
    assert not after.equals(before)
    assert after.year.min() == 2024  # a 2024 table makes 2024 official; the base year stays


def test_http_complete_later_table_moves_the_base_year_in_pages_and_downloads(fresh_store, monkeypatch):
    monkeypatch.setenv(_update.RECORDINGS_ENV, str(REC / "basisjahr_2025"))
    monkeypatch.setenv(SYNTHETIC_ENV, "1")
    imports.invalidate()
    c = _client("pflege")
    out = _click_update(c)
    vid = _municipal_draft(fresh_store)
    # the preview compares the new base with what the site shows for 31.12.2025 today: the projection
    assert "wird 31.12.2025 das neue Basisjahr der Vorausberechnung (bisher 31.12.2024)" in out
    assert "bisher vorausberechnet (Basis, Stand 0)" in out and '"vorschau-2025"' in out
    assert "Die Vorschau konnte nicht berechnet werden" not in out
    assert "Veröffentlicht: Stand 1" in _click_publish(c, vid, {"tables": 0, "catalogue": 0})

    visitor = _client(None)
    k = _kennzahlen(visitor)
    assert k.year.min() == 2025
    kreis = k[(k.ags == "05358") & (k.year == 2025)].population.iloc[0]
    assert kreis == pytest.approx(279_285)  # the published table's sum (the relabelled synthetic table)
    slider = _find(_page(visitor, "/gemeinde", "?ags=05358044"), "gm-jahr")
    assert slider["props"]["min"] == 2025 and slider["props"]["value"] == 2025
    methodik = json.dumps(_page(visitor, "/methodik"), ensure_ascii=False)
    assert (
        "Eingaben der Basis 31.12.2025" in methodik
        and "Die Vorausberechnung beginnt am 31.12.2025" in methodik
    )
    # a year before the new base is no longer a year of the projection: the page says so
    old = json.dumps(_page(visitor, "/gemeinde", "?ags=05358044&jahr=2024"), ensure_ascii=False)
    assert "erwartet wird eine ganze Zahl von 2025 bis 2045" in old


# ----------------------------------------------------------------------------- browser


@pytest.mark.browser
def test_browser_pflege_updates_previews_and_publishes_the_new_base(
    live_server, _browser, fresh_store, monkeypatch
):
    from playwright.sync_api import expect

    monkeypatch.setenv(_update.RECORDINGS_ENV, str(REC / "basisjahr_2025"))
    monkeypatch.delenv(SYNTHETIC_ENV, raising=False)
    base, slow = live_server, 180_000
    chef = make_user("pflege")
    errors: list[str] = []
    ctx = _browser.new_context(locale="de-DE")
    page = ctx.new_page()
    page.set_default_timeout(slow)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    browser_login(page, base, chef.name, then="/methodik")
    button = page.get_by_role("button", name="Daten aktualisieren")
    button.focus()
    page.keyboard.press("Enter")  # keyboard-usable
    page.locator("#mt-update-drafts").wait_for()
    result = page.locator("#mt-update-result").inner_text()
    assert "6 Tabellen abgerufen und geprüft" in result and "neue Basisjahr" in result
    assert "SYNTHETISCHEN Testaufzeichnung" in result
    assert "Kreis Düren" in page.locator("#vorschau-2025").inner_text()
    vid = _municipal_draft(fresh_store)
    page.get_by_role("link", name=f"Entwurf {vid} ansehen und veröffentlichen").click()
    page.wait_for_url(f"{base}/verwaltung?entwurf={vid}")
    expect(page.locator("#vw-synthetic")).to_contain_text("kann nicht veröffentlicht werden", timeout=slow)
    assert page.locator("#vw-entwurf").get_by_role("button", name="Veröffentlichen").count() == 0

    monkeypatch.setenv(SYNTHETIC_ENV, "1")  # test-only: now the maintainer may publish it
    page.reload()
    expect(page.locator("#vw-synthetic")).to_contain_text("Test-Einstellung", timeout=slow)
    page.locator("#vw-entwurf").get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator("#vw-message")).to_contain_text("Veröffentlicht: Stand 1", timeout=slow)

    visitor = _browser.new_context(locale="de-DE").new_page()
    visitor.set_default_timeout(slow)
    visitor.goto(f"{base}/methodik")
    expect(visitor.locator("#mt-basis")).to_contain_text("31.12.2025", timeout=slow)
    assert visitor.locator("#mt-update-section").is_hidden()
    visitor.goto(f"{base}/gemeinde?ags=05358044")
    expect(visitor.locator("#gm-jahr")).to_contain_text("2025", timeout=slow)
    visitor.context.close()
    ctx.close()
    assert errors == []
