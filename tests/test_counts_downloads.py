"""Counts a planner can use, in the pages and in German downloads (issue 17.4–17.6).

* /gemeinde shows the chosen scenario (and the Kreis) and the planning age groups in persons;
  /szenarien offers every planning age group as a "Kennzahl";
* every download is German (headers, values), persons whole numbers (unrounded in "exakt"),
  shares in percent; ``ags=`` gives one area, the Kreis summed where the table has no Kreis rows;
* the brief, the fan charts and ``intervalle.csv`` report the same simulation.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest

from dashboard.app import _downloads, _model, server
from dashboard.app._components import walk
from dashboard.constants import AGS_LIST, KREIS_AGS
from dashboard.text import DOWNLOAD_COLUMNS, DOWNLOAD_VALUES

HEIMBACH = "05358012"
LOW = "zuwanderung_niedrig"


@pytest.fixture(scope="module")
def client():
    return server.test_client()


@pytest.fixture(scope="module")
def ctx():
    with server.app_context(), server.test_request_context("/"):
        yield


def csv(client, url: str) -> pd.DataFrame:
    r = client.get(url)
    assert r.status_code == 200, (url, r.get_data(as_text=True)[:300])
    return pd.read_csv(io.BytesIO(r.data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"AGS": str})


def model_count(spec, ags: str, year: int, group: str) -> float:
    ag = _model.result(spec).age_groups
    row = ag[(ag.ags == ags) & (ag.year == year) & (ag.age_group.astype(str) == group)]
    return float(row.population.iloc[0])


# --------------------------------------------------------------------------- German files

GERMAN_HEADERS = {v for v in DOWNLOAD_COLUMNS.values() if v}
ENGLISH_VALUES = re.compile(r"(^|;)(True|False|female|male|total)(;|$)", re.M)


@pytest.mark.parametrize("name", sorted(_downloads.TABLES))
def test_every_download_is_german(client, name):
    """Headers from the German catalogue only, no English codes among the values, persons as
    whole numbers (the "exakt" choice keeps the decimals)."""
    r = client.get(f"/download/{name}.csv")
    assert r.status_code == 200
    text = r.data.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert set(header) <= GERMAN_HEADERS, set(header) - GERMAN_HEADERS
    assert not ENGLISH_VALUES.search(text), ENGLISH_VALUES.search(text).group(0)
    df = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype=str)
    for col in ("Personen", "Geburten", "Median", "berechnet"):
        if col in df:
            assert df[col].dropna().str.fullmatch(r"-?\d+").all(), (name, col, df[col].head())


def test_persons_rounded_exact_on_request_and_in_the_exakt_sheet(client):
    rounded = csv(client, f"/download/altersgruppen.csv?ags={HEIMBACH}&szenario={LOW}")
    exact = csv(client, f"/download/altersgruppen.csv?ags={HEIMBACH}&szenario={LOW}&exakt=ja")
    want = model_count(_model.ScenarioSpec(LOW), HEIMBACH, 2030, "3-5")
    pick = lambda d: d[(d.Jahr == 2030) & (d.Altersgruppe == "3–5 Jahre")].Personen.iloc[0]  # noqa: E731
    assert pick(rounded) == round(want) and pick(exact) == pytest.approx(want)
    assert set(rounded.AGS) == {HEIMBACH}  # one area
    share = rounded["Anteil (%)"]
    assert share.between(0, 100).all() and rounded.groupby("Jahr")["Anteil (%)"].sum().between(99, 101).all()
    r = client.get(f"/download/altersgruppen.xlsx?ags={HEIMBACH}&szenario={LOW}")
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    assert wb.sheetnames == ["Daten", "exakt", "Quelle"]
    notes = " ".join(str(c.value) for c in wb["Quelle"]["A"])
    assert "Niedrige Zuwanderung" in notes and "Heimbach" in notes
    x = pd.read_excel(io.BytesIO(r.data), sheet_name=None, dtype={"AGS": str})
    assert pick(x["Daten"]) == round(want) and pick(x["exakt"]) == pytest.approx(want)
    assert wb["Daten"]["E2"].number_format == "#,##0"


def test_kreis_download_sums_the_municipalities(client):
    spec = _model.ScenarioSpec(LOW)
    pop = csv(client, f"/download/bevoelkerung.csv?ags={KREIS_AGS}&szenario={LOW}&exakt=ja")
    ind = _model.result(spec).indicators.set_index(["ags", "year"]).population
    assert set(pop.AGS) == {KREIS_AGS}
    for year in (2024, 2030, 2045):
        assert pop[pop.Jahr == year].Personen.sum() == pytest.approx(ind[(KREIS_AGS, year)], rel=1e-9)
    assert set(pop.Geschlecht) == {DOWNLOAD_VALUES["female"], DOWNLOAD_VALUES["male"]}


def test_bad_area_or_exact_value_is_refused(client):
    for q in ("ags=12345", "ags=05358012&ags=05358004", "exakt=vielleicht"):
        r = client.get(f"/download/altersgruppen.csv?{q}")
        assert r.status_code == 400 and "Download abgelehnt" in r.get_data(as_text=True), q


def test_file_names_carry_area_and_scenario(client):
    r = client.get(f"/download/altersgruppen.csv?ags={HEIMBACH}&szenario={LOW}&t=abc123")
    assert f"altersgruppen_{HEIMBACH}_{LOW}.csv" in r.headers["Content-Disposition"]
    assert "download=abc123" in r.headers["Set-Cookie"]  # the panel's "download started" signal
    r = client.get("/download/amtlich_kreis.csv")
    assert "amtlich_kreis.csv" in r.headers["Content-Disposition"]


def test_full_workbook_is_german_with_exact_columns():
    from dashboard.app import _spreadsheet

    res = _model.result(_model.ScenarioSpec())
    data = _spreadsheet.workbook_xlsx(res, scenario="Basis")
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert wb.sheetnames[:3] == ["Szenario", "Bevölkerung", "Kennzahlen"]
    head = [c.value for c in next(wb["Altersgruppen"].iter_rows(max_row=1))]
    assert head == ["AGS", "Gemeinde", "Jahr", "Altersgruppe", "Personen", "Personen exakt", "Anteil (%)"]
    row = next(r for r in wb["Altersgruppen"].iter_rows(min_row=2, values_only=True) if r[0] == HEIMBACH)
    assert isinstance(row[4], int) and row[4] == round(row[5])


# --------------------------------------------------------------------------- one simulation


def test_brief_charts_and_download_report_the_same_interval(client, ctx):
    """Issue 17.5: Heimbach 2030 in the brief, in the fan chart's table and in intervalle.csv."""
    from dashboard.app.pages import gemeinde, kurzbericht
    from dashboard.figures.fan import round_uncertain
    from dashboard.text import fmt_int

    for spec in (_model.ScenarioSpec(LOW), _model.parse_scenario("eigenes", None, None, "1000")):
        brief = kurzbericht.interval_line(HEIMBACH, spec).children
        df = csv(
            client,
            f"/download/intervalle.csv?exakt=ja&ags={HEIMBACH}&"
            + "&".join(f"{k}={v}" for k, v in spec.query().items()),
        )
        row = df[(df.Jahr == 2030) & (df.Größe == "Einwohnerinnen und Einwohner")].iloc[0]
        told = f"2030: {fmt_int(round_uncertain(row.Median))} (80 %-Intervall " + (
            f"{fmt_int(round_uncertain(row['80-%-Intervall von']))}–{fmt_int(round_uncertain(row['80-%-Intervall bis']))})"
        )
        assert told in brief, (told, brief)
        assert f"{row.Simulationen} Simulationen" in brief.replace(".", "")
        _fig, table = gemeinde.fan_view(HEIMBACH, "population", spec)
        cells = {r.children[0].children: r.children[1].children for r in table.children[2].children}
        assert cells["2030"] == fmt_int(row.Median)


# --------------------------------------------------------------------------- pages


def texts_of(component) -> str:
    return str(component)


def test_gemeinde_offers_the_kreis_and_the_scenario(ctx):
    from dashboard.app.pages import gemeinde

    lay = gemeinde.layout(ags=KREIS_AGS, szenario=LOW)
    assert "Kreis Düren" in str(lay) and "05358" in str(lay)
    ids = {c.id: c for c in walk(lay) if isinstance(getattr(c, "id", None), str)}
    assert ids["gm-szenario"].value == LOW
    assert KREIS_AGS in [o["value"] for o in ids["gm-ags"].options]
    # planning age groups in persons, for the chosen scenario: the 3–5 count of Heimbach in 2030
    title, *_rest, sel = gemeinde.on_region(HEIMBACH, LOW, "personen", {})
    groups_table = _rest[3]
    md = groups_table.children
    row = next(ln for ln in md.splitlines() if ln.startswith("| 2030 "))
    header = next(ln for ln in md.splitlines() if ln.startswith("| Jahr"))
    col = [c.strip() for c in header.strip("|").split("|")].index("3–5 (Kita)")
    shown = [c.strip() for c in row.strip("|").split("|")][col]
    assert shown == str(round(model_count(_model.ScenarioSpec(LOW), HEIMBACH, 2030, "3-5")))
    assert sel == {"ags": HEIMBACH, **_model.ScenarioSpec(LOW).selection()}


def test_szenarien_offers_age_groups_as_kennzahl(ctx):
    from dashboard.app.pages import szenarien

    d = _model.basis_defaults()
    fig, table, *_ = szenarien.on_change(
        HEIMBACH, "alter_3-5", [LOW], d["tfr"], 0, d["net_migration"], {}, None
    )
    rows = {r.children[0].children: [c.children for c in r.children[1:]] for r in table.children[2].children}
    low = rows[_model.preset_label(LOW)]
    assert low[1] == str(round(model_count(_model.ScenarioSpec(LOW), HEIMBACH, 2030, "3-5")))  # 31.12.2030
    assert "3–5" in fig.layout.title.text
    assert {"alter_0-2", "alter_80plus"} <= {o["value"] for o in szenarien.IND_OPTIONS}


def test_download_panel_links_follow_area_scenario_and_choice():
    from dashboard.app import _download_panel as P

    sel = {"ags": HEIMBACH, "szenario": "eigenes", "wanderung": "1000"}
    link, text, scopes, formats = P.choice("altersgruppen", "gebiet", "xlsx", [], sel)
    assert link.startswith(f"/download/altersgruppen.xlsx?ags={HEIMBACH}&szenario=eigenes&wanderung=1000&t=")
    assert text == f"altersgruppen_{HEIMBACH}_eigenes.xlsx herunterladen"
    assert scopes[0]["label"] == "nur Heimbach (Stadt)"
    link, *_ = P.choice("kennzahlen", "alle", "csv", ["ja"], sel)
    assert "ags=" not in link and "exakt=ja" in link
    link, text, scopes, formats = P.choice("vorausberechnung", "gebiet", "csv", [], sel)
    assert link.startswith("/download/vorausberechnung.xlsx?szenario=eigenes") and all(
        s["disabled"] for s in scopes
    )


def test_every_page_has_a_download_panel(ctx):
    import dash

    for page in dash.page_registry.values():
        if page["path"] in ("/verwaltung", "/404") or "not_found" in page["module"]:
            continue
        lay = page["layout"]()
        kinds = {
            getattr(c, "id", {}).get("type") for c in walk(lay) if isinstance(getattr(c, "id", None), dict)
        }
        assert "dl-link" in kinds, page["path"]


def test_municipal_rows_of_every_area(client):
    df = csv(client, "/download/kennzahlen.csv?szenario=basis")
    assert set(df.AGS) == {KREIS_AGS, *AGS_LIST}
