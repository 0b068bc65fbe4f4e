"""Daten & Methodik: sources, census breaks, estimation, assumptions, backtest, downloads, upload."""

from __future__ import annotations

from collections.abc import Mapping

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard.app import _admin, _model, _update
from dashboard.app._components import data_table, stand_line, upload_area
from dashboard.app._download_panel import download_panel
from dashboard.app._downloads import TABLES
from dashboard.app._viewcache import view_cache
from dashboard.app.auth import current_actor
from dashboard.constants import AGS_LIST, BASIS_Z2011, BASIS_Z2022, CENSUS_DATES, KREIS_AGS
from dashboard.figures.labels import assumptions_de, region_name
from dashboard.settings import UPLOAD_MAX_BYTES
from dashboard.text import (
    BACKTEST_METHODS,
    DRIVER_LABELS,
    METHODIK,
    METHODIK_HEADINGS,
    METHODIK_TABLES,
    SOURCES,
    count_noun,
    fmt_dec,
    fmt_int,
    fmt_pct,
    fmt_signed_dec,
    fmt_signed_pct,
)

dash.register_page(
    __name__, path="/methodik", name="Daten & Methodik", order=5, title="Daten & Methodik – Kreis Düren 2030"
)


def _heading(anchor: str) -> html.H2:
    """The heading of section ``anchor`` (its id, the target of links such as ``/methodik#upload``)."""
    return html.H2(METHODIK_HEADINGS[anchor], id=anchor)


def _table(
    key: str,
    df: pd.DataFrame,
    *,
    kinds: Mapping[str, str] | None = None,
    table_id: str | None = None,
    row_header: str | None = None,
    **placeholders,
) -> html.Div:
    """Table ``key`` of :data:`METHODIK_TABLES` (caption, headers; ``placeholders`` fill them) in
    its scroll box; columns formatted as ``kinds`` says (``int``, ``pct``, …; default ``text``)."""
    spec, kinds = METHODIK_TABLES[key], kinds or {}
    columns = {c: (h.format(**placeholders), kinds.get(c, "text")) for c, h in spec["columns"].items()}
    table = data_table(df, columns, caption=spec["caption"], table_id=table_id, row_header=row_header)
    return html.Div(table, className="table-scroll")


def _sources_table() -> html.Div:
    df = pd.DataFrame(SOURCES, columns=list(METHODIK_TABLES["sources"]["columns"]))
    return _table("sources", df, row_header="what")


def census_break_table() -> pd.DataFrame:
    """Per municipality: last figure on the Zensus 2011 basis before and the Zensus 2022 result.

    Returns ``ags, region, z11_2021, z22_census, difference, rel`` (official figures only).
    """
    h, _ = _model.history_series()
    z11 = h[(h.basis == BASIS_Z2011) & (h.reference_date == pd.Timestamp("2021-12-31"))].set_index("ags")
    z22 = h[
        (h.basis == BASIS_Z2022) & (h.reference_date == pd.Timestamp(CENSUS_DATES[BASIS_Z2022]))
    ].set_index("ags")
    rows = []
    for a in list(AGS_LIST) + ["05358"]:
        if a in z11.index and a in z22.index:
            before, after = int(z11.at[a, "population"]), int(z22.at[a, "population"])
            rows.append(
                {
                    "region": region_name(a),
                    "z11": before,
                    "z22": after,
                    "diff": after - before,
                    "rel": (after - before) / before,
                }
            )
    return pd.DataFrame(rows)


def _downloads() -> html.Div:
    items = []
    for name, title in TABLES.items():
        items.append(
            html.Li(
                [
                    title,
                    ": ",
                    html.A("CSV", href=f"/download/{name}.csv", id=f"dl-{name}-csv"),
                    " · ",
                    html.A("XLSX", href=f"/download/{name}.xlsx", id=f"dl-{name}-xlsx"),
                ]
            )
        )
    items.append(
        html.Li(
            [
                METHODIK_HEADINGS["workbook"],
                html.A("XLSX", href="/download/vorausberechnung.xlsx", id="dl-vorausberechnung"),
            ]
        )
    )
    return html.Div([html.Ul(items, className="downloads"), html.P(METHODIK["csv"])])


def _model_sections() -> list:
    res = _model.result(_model.ScenarioSpec("basis"))
    a = assumptions_de(res.assumptions)
    a["value"] = [fmt_dec(v, 3 if abs(v) < 10 else 0) if v == v else "" for v in a.value]
    out = [
        _heading("annahmen"),
        _table("assumptions", a, row_header="parameter_de"),
    ]
    out += _accuracy_section()
    bt = _model.backtest_summary()
    out += [
        _table(
            "backtest",
            bt,
            kinds={
                "n": "int",
                "mape": "pct",
                "mae_pp": "dec1",
                "median_ape": "pct",
                "mean_signed_pct_error": "pct",
                "worst_ape": "pct",
            },
            table_id="mt-backtest",
        ),
    ]
    return out + _uncertainty_section()


def accuracy_facts() -> dict[str, str]:
    """The German numbers of the accuracy texts, computed from the accuracy tables."""
    t = _model.accuracy_tables()
    c = t["criteria"].set_index("case")
    cases = c.drop(index="mean")
    worst = cases.gap.idxmax()
    s = t["summary"]
    post = s[(s.level == "Gemeinde") & (s.method == "model (migration ex post)")].mape.mean()
    ad = t["age_dynamics"].set_index("method")
    oc = _model.official_comparison().set_index("variant")
    return {
        "model": fmt_pct(c.loc["mean", "model"], 2),
        "naive": fmt_pct(c.loc["mean", "best_naive"], 2),
        "naive_method": BACKTEST_METHODS[c.loc["mean", "best_naive_method"]],
        "worst_gap": fmt_dec(100 * cases.loc[worst, "gap"], 2),
        "worst_case": worst,
        "ex_post": fmt_pct(post, 2),
        "census_u19": fmt_pct(ad.loc["census 2022", "kept_under19"], 0),
        "census_67": fmt_pct(ad.loc["census 2022", "kept_67plus"], 0),
        "before_u19": fmt_pct(ad.loc["model (Kreis profile)", "kept_under19"], 0),
        "before_67": fmt_pct(ad.loc["model (Kreis profile)", "kept_67plus"], 0),
        "official": fmt_signed_pct(_official_change(), 1),
        "official_2045": fmt_signed_pct(oc.loc["itnrw_published", "change_2045"], 1),
        "basis": fmt_signed_pct(oc.loc["basis", "change_2045"], 1),
        "basis_net": fmt_int(oc.loc["basis", "net_migration"]),
        "itnrw_net": fmt_int(oc.loc["itnrw", "net_migration"]),
        "recent_net": fmt_int(oc.loc["saldo_2020_2024", "net_migration"]),
        "recent": fmt_signed_pct(oc.loc["saldo_2020_2024", "change_2045"], 1),
    }


def _official_change() -> float:
    from dashboard.constants import KREIS_AGS
    from dashboard.data.embedded import projections_from_pages

    p = projections_from_pages()
    off = p[(p.ags == KREIS_AGS) & (p.measure == "population_change_pct") & (p.target_year == "2050")].iloc[0]
    return float(off.value) / 100


def _accuracy_section() -> list:
    """What is official, how accurate the model has been (good or bad), Basis vs IT.NRW."""
    t = _model.accuracy_tables()
    facts = accuracy_facts()
    crit = t["criteria"].assign(
        case=lambda d: d.case.replace({"mean": "Mittel der drei Fälle"}),
        best_naive_method=lambda d: d.best_naive_method.map(BACKTEST_METHODS),
        model=lambda d: [fmt_pct(x, 2) for x in d.model],
        best_naive=lambda d: [fmt_pct(x, 2) for x in d.best_naive],
        gap=lambda d: [fmt_signed_dec(100 * x, 2) for x in d.gap],
    )
    ad = t["age_dynamics"]
    ad = ad[ad.method != "census 2022"].assign(
        method=lambda d: d.method.map(BACKTEST_METHODS),
        mae_pp=lambda d: [fmt_dec(x, 2) for x in d.mae_pp],
        kept_under19=lambda d: [fmt_pct(x, 0) for x in d.kept_under19],
        kept_67plus=lambda d: [fmt_pct(x, 0) for x in d.kept_67plus],
        out_of_sample=lambda d: d.out_of_sample.map({True: "ja", False: "–"}),
    )
    oc = _model.official_comparison().assign(
        change_2045=lambda d: [fmt_signed_pct(x, 1) for x in d.change_2045]
    )
    return [
        _heading("amtlich"),
        html.P(METHODIK["official_estimated"]),
        _heading("backtest"),
        html.P(METHODIK["accuracy"]),
        html.P(METHODIK["accuracy_result"].format(**facts), id="mt-accuracy-result"),
        _table("criteria", crit, table_id="mt-criteria", row_header="case"),
        html.P(METHODIK["age_dynamics"].format(**facts)),
        _table("agedynamics", ad, kinds={"n": "int"}, table_id="mt-agedynamics", row_header="method"),
        _heading("amtliche-vorausberechnung"),
        html.P(METHODIK["official_projection"].format(**facts)),
        _table(
            "official",
            oc,
            kinds={"net_migration": "int", "population_2030": "int", "population_2045": "int"},
            table_id="mt-official",
            row_header="label",
            base=_model.base_year(),
        ),
    ]


def _uncertainty_section() -> list:
    """Coverage of the intervals in the backtest and the chosen driver models."""
    from dashboard.projection.drivers import model_comparison

    cov = _model.backtest_coverage().assign(
        level=lambda d: d.level.map({"Kreis": "Kreis", "Gemeinde": "Gemeinden"}),
        nominal=lambda d: [f"{round(100 * x)} %" for x in d.nominal],
    )
    byh = _model.accuracy_tables()["coverage_by_horizon"]
    iv_rows = _model.backtest_table()
    bases = iv_rows[(iv_rows.method == "model") & (iv_rows.age_group == "total")]
    few = METHODIK["few_cases"].format(
        n_muni=fmt_int(int(byh[(byh.level == "Gemeinde") & (byh.horizon == -1)].n.iloc[0])),
        n_bases=fmt_int(bases[bases.level == "Gemeinde"].base_year.nunique()),
        n_kreis=fmt_int(int(byh[(byh.level == "Kreis") & (byh.horizon == -1)].n.iloc[0])),
        n_kreis_bases=fmt_int(
            bases[(bases.level == "Kreis") & ~bases.case.str.startswith("IT.NRW")].base_year.nunique()
        ),
    )
    byh = byh.assign(
        level=lambda d: d.level.map({"Kreis": "Kreis", "Gemeinde": "Gemeinden"}),
        horizon=lambda d: ["alle" if h == -1 else count_noun(h, "Jahr", "Jahre") for h in d.horizon],
        interval=lambda d: [f"{round(100 * x)} %" for x in d.interval],
    )
    models = model_comparison()
    models = models.assign(
        driver=models.driver.map(DRIVER_LABELS),
        selected=models.selected.map({True: "ja", False: ""}),
        converged=models.converged.map({True: "ja", False: "nein"}),
        aic=[fmt_dec(v, 1) for v in models.aic],
        bic=[fmt_dec(v, 1) for v in models.bic],
    )
    return [
        _heading("unsicherheit"),
        html.P(METHODIK["uncertainty"]),
        _table(
            "coverage", cov, kinds={"n": "int", "inside": "int", "coverage": "pct"}, table_id="mt-coverage"
        ),
        html.P(few, id="mt-few-cases"),
        _table(
            "coverage_horizon",
            byh,
            kinds={"n": "int", "covered": "pct", "mean_width": "pct"},
            table_id="mt-coverage-horizon",
        ),
        _table("drivers", models, kinds={"nobs": "int"}, table_id="mt-drivers"),
    ]


@view_cache(maxsize=8)
def layout(**_query) -> html.Div:
    brk = census_break_table()
    return html.Div(
        [
            html.H1(METHODIK_HEADINGS["title"]),
            stand_line(),
            html.P(METHODIK["intro"]),
            _heading("quellen"),
            _sources_table(),
            _heading("zensus"),
            html.P(METHODIK["breaks"]),
            _table(
                "breaks",
                brk,
                kinds={"z11": "int", "z22": "int", "diff": "int", "rel": "pct"},
                row_header="region",
            ),
            _heading("schaetzung"),
            html.P(METHODIK["estimation"]),
            *_update.base_section(),
            _heading("modell"),
            html.P(METHODIK["model"]),
            *_model_sections(),
            _heading("downloads"),
            _downloads(),
            download_panel("methodik", KREIS_AGS, _model.ScenarioSpec()),
            _heading("upload"),
            html.P(METHODIK["upload"].format(mb=fmt_int(UPLOAD_MAX_BYTES / 2**20))),
            upload_area(
                dcc.Upload(
                    id="mt-upload",
                    children=html.Div(
                        [METHODIK_HEADINGS["drop"], html.Button(METHODIK_HEADINGS["choose"], type="button")]
                    ),
                    max_size=UPLOAD_MAX_BYTES,
                    accept=".csv,.txt,.xlsx",
                    className="upload",
                    multiple=False,
                ),
                result_id="mt-upload-result",
                limit=UPLOAD_MAX_BYTES,
            ),
            html.Div(id="mt-upload-result", **{"aria-live": "polite"}),
            *_update.update_section(current_actor()),
        ]
    )


@callback(
    Output("mt-update-result", "children"),
    Input("mt-update", "n_clicks"),
    prevent_initial_call=True,
)
def on_update(n_clicks: object):
    """Thin: role check -> fetch, validate, stage drafts -> what would change."""
    if not n_clicks:
        return dash.no_update
    return _update.run_view(current_actor())


@callback(
    Output("mt-upload-result", "children"),
    Input("mt-upload", "contents"),
    State("mt-upload", "filename"),
    prevent_initial_call=True,
)
def on_upload(contents: object, filename: object):
    """Thin: sign-in check -> complete validation -> draft -> message with preview."""
    if not contents:
        return dash.no_update
    return _admin.upload_table(contents, filename, page_path="/methodik")
