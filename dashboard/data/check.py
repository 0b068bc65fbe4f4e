"""``python -m dashboard data check``: validate every embedded table and the base population.

:func:`check_results` runs every loader and checks the invariants the model relies on;
:func:`run_check` renders the results as a printable German/English summary. A failing
check never stops the others: every problem is reported.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dashboard.constants import AGE_GROUPS_17, AGS_LIST, BASE_YEAR, KREIS_AGS, N_AGES, OPEN_AGE, SEXES
from dashboard.data import (
    census_breaks,
    embedded,
    estimation_report,
    kreis_age_groups,
    load_population,
    measures,
    municipal_boundaries,
    municipal_history,
    official_kreis_single_ages,
    official_municipal_totals,
    zensus2022_age_classes,
)
from dashboard.data.estimate import kreis_years
from dashboard.data.integrity import recorded_hashes, sha256_file, verify_all, verify_raw_file
from dashboard.data.official import validate_official_files
from dashboard.text import fmt_dec, fmt_int, problems_count

#: Official Kreis Düren totals at 31.12.2024 by sex (Regionalstatistik 12411-02-03-4, Zensus 2022 basis).
KREIS_2024 = {"total": 279_285, "female": 140_196, "male": 139_089}


@dataclass(frozen=True)
class CheckResult:
    """One check: a short German and English name, pass/fail and what was found."""

    name_de: str
    name_en: str
    ok: bool
    detail: str


def _run(name_de: str, name_en: str, fn: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name_de, name_en, True, fn())
    except AssertionError as e:
        return CheckResult(name_de, name_en, False, str(e) or "assertion failed")
    except Exception as e:  # noqa: BLE001 - report every failure, keep checking
        last = traceback.format_exception_only(type(e), e)[-1].strip()
        return CheckResult(name_de, name_en, False, last)


def _check_raw(raw_dir: Path | None = None) -> str:
    raw = embedded.RAW_DIR if raw_dir is None else raw_dir
    if raw_dir is None:
        names = verify_all(raw)
        return f"{len(names)} Dateien / files, SHA-256 ok"
    bad = []  # an explicit folder: compare every file, uncached, and name all that differ
    for name, digest in sorted(recorded_hashes(raw).items()):
        path = raw / name
        found = sha256_file(path) if path.exists() else None
        if found != digest:
            shown = f"SHA-256 {found[:16]}… (Datei wurde verändert)" if found else "keine Datei"
            bad.append(f"{name}: erwartet SHA-256 {digest[:16]}…, gefunden {shown}")
    assert not bad, "; ".join(bad)
    return f"{len(recorded_hashes(raw))} Dateien / files, SHA-256 ok"


def _check_official_content(raw_dir: Path | None = None) -> str:
    """Content and cross-file identities of the Zensus 2022 / IT.NRW 2024 files (no hash needed)."""
    problems = validate_official_files(raw_dir)
    if problems:
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" … und {len(problems) - 10} weitere" if len(problems) > 10 else ""
        raise AssertionError(f"{problems_count(len(problems))}: {shown}{more}")
    if raw_dir is not None:
        return "Inhalt ok / content ok"

    z = zensus2022_age_classes()
    t = official_municipal_totals()
    a = official_kreis_single_ages()
    pert = int(z.groupby("ags").class_sum_minus_total.first().abs().max())
    return (
        f"Zensus 2022: {z.ags.nunique()} Gemeinden × {z.age_class.nunique()} Altersklassen "
        f"(Überlagerung ≤ {pert} Pers.), Summe {fmt_int(z.groupby('ags').municipal_total.first().sum())}; "
        f"Gemeindesummen 31.12.2024 (12411-15i) = {fmt_int(t.population.sum())} = Kreistabelle; "
        f"Einzelalter 0…89, 90+ (12411-09i) = {fmt_int(a.population.sum())}, je 17 Altersgruppen = Kreistabelle"
    )


def _check_kreis() -> str:
    k = kreis_age_groups()
    years = sorted(k.year.unique())
    assert years == list(range(2015, 2025)), f"Jahre/years {years}"
    assert (k.groupby(["year", "sex"]).size() == len(AGE_GROUPS_17)).all(), (
        "17 Altersgruppen je Jahr × Geschlecht"
    )
    assert (k.population >= 0).all(), "negative Werte / negative values"
    s = k[k.year == 2024].groupby("sex").population.sum()
    got = {"total": int(s.sum()), "female": int(s["female"]), "male": int(s["male"])}
    assert got == KREIS_2024, f"31.12.2024: {got} != {KREIS_2024}"
    return f"{len(k)} Zeilen/rows, 2015–2024, 31.12.2024 = {fmt_int(got['total'])}"


def _check_loader(name: str, expect: Callable[[object], str]) -> Callable[[], str]:
    def run() -> str:
        import dashboard.data as d

        return expect(getattr(d, name)())

    return run


def _rows(min_rows: int) -> Callable[[object], str]:
    def f(df) -> str:
        assert len(df) >= min_rows, f"{len(df)} Zeilen, erwartet ≥ {min_rows}"
        return f"{len(df)} Zeilen/rows"

    return f


def _check_municipal_totals(df) -> str:
    assert set(df.ags) == set(AGS_LIST), "15 Gemeinden"
    assert (df.population > 0).all()
    return f"{len(df)} Zeilen/rows, {df.year.min()}–{df.year.max()}"


def _check_boundaries() -> str:
    n15 = len(municipal_boundaries()["features"])
    n396 = len(municipal_boundaries(nrw=True)["features"])
    assert n15 == 15 and n396 == 396, f"{n15} / {n396} Gemeinden"
    return "15 + 396 Gemeinden/municipalities"


def _check_population(year: int) -> Callable[[], str]:
    def run() -> str:
        p = load_population(year)
        problems = []
        if list(p.ags.unique()) != list(AGS_LIST):
            problems.append("15 Gemeinden in AGS-Reihenfolge")
        if sorted(p.age.unique()) != list(range(OPEN_AGE + 1)):
            problems.append(f"Alter 0…{OPEN_AGE}")
        if set(p.sex) != set(SEXES):
            problems.append("beide Geschlechter")
        if len(p) != len(AGS_LIST) * len(SEXES) * N_AGES:
            problems.append(f"{len(p)} Zeilen statt {len(AGS_LIST) * len(SEXES) * N_AGES}")
        if p.population.isna().any() or (p.population < 0).any():
            problems.append("Werte fehlen oder negativ")
        if p.estimated.dtype != bool:
            problems.append("Spalte estimated nicht bool")
        k = kreis_age_groups()
        k = k[k.year == year]
        grp = np.searchsorted([b[1] for b in AGE_GROUPS_17.values()], p.age.to_numpy())
        got = p.assign(g=grp).groupby(["sex", "g"]).population.sum()
        worst = 0.0
        for sex in SEXES:
            want = k[k.sex == sex].sort_values("age_group").population.to_numpy(float)
            worst = max(worst, float(np.abs(got[sex].to_numpy() - want).max()))
        if worst > 1e-6:
            problems.append(f"Kreissummen weichen um bis zu {worst:g} Personen ab")
        official_margins = ""
        if year == 2024:  # official municipal totals (12411-15i) and Kreis single ages (12411-09i)
            off = official_municipal_totals().set_index("ags").population.astype(float)
            dev_m = float((p.groupby("ags").population.sum() - off).abs().max())
            ages = p.groupby("age").population.sum().to_numpy()
            single = official_kreis_single_ages().population.to_numpy(float)
            dev_a = float(np.abs(np.append(ages[:90], ages[90:].sum()) - single).max())
            if dev_m > 1e-6:
                problems.append(f"Gemeindesummen weichen um bis zu {dev_m:g} Personen von 12411-15i ab")
            if dev_a > 1e-6:
                problems.append(f"Kreis-Einzelalter weichen um bis zu {dev_a:g} Personen von 12411-09i ab")
            official_margins = (
                "; Gemeindesummen = IT.NRW 12411-15i, Kreis-Einzelalter = IT.NRW 12411-09i "
                f"(max. Abw./dev. {fmt_dec(max(dev_m, dev_a), 9)} Pers.)"
            )
        assert not problems, "; ".join(problems)
        rep = estimation_report(year)
        s = rep.summary
        est = int(p.estimated.sum())
        return (
            f"{len(p)} Zeilen/rows, Summe/total {fmt_int(p.population.sum())}, Kreis × Geschlecht × "
            f"17 Gruppen exakt (max. Abw./dev. {fmt_dec(worst, 9)} Pers.); {est} Zellen geschätzt/estimated; IPF "
            f"{s['ipf_iterations']} Iterationen, max. |ln Anpassung| {s['max_abs_log_adjustment_group17']:.2e}"
            + official_margins
        )

    return run


def _check_all_years() -> str:
    k = kreis_age_groups()
    bad = []
    for y in kreis_years():
        p = load_population(y)
        diff = abs(p.population.sum() - k[k.year == y].population.sum())
        if diff > 1e-6 or (p.population < 0).any():
            bad.append(str(y))
    assert not bad, f"Jahre/years {', '.join(bad)}"
    return f"{len(kreis_years())} Stichtage/dates 31.12.2015–2024 ok"


def _check_history() -> str:
    h = municipal_history()
    assert set(h.ags) == set(AGS_LIST) | {KREIS_AGS}
    br = census_breaks()
    assert br.link_factor.notna().all(), "Verknüpfungsfaktor fehlt"
    off = h[~h.estimated]
    worst = 0.0
    for _, g in off.groupby(["ags", "basis"]):
        g = g.sort_values("reference_date")
        r1 = g.population.to_numpy()[1:] / g.population.to_numpy()[:-1]
        r2 = g.linked_population.to_numpy()[1:] / g.linked_population.to_numpy()[:-1]
        if len(r1):
            worst = max(worst, float(np.abs(r1 / r2 - 1).max()))
    assert worst < 1e-12, f"verknüpftes Wachstum weicht ab: {worst}"
    k11 = br[(br.ags == KREIS_AGS) & (br.census == "Zensus 2011")].difference_pct.item()
    k22 = br[(br.ags == KREIS_AGS) & (br.census == "Zensus 2022")].difference_pct.item()
    return (
        f"{len(h)} Stände/levels; Zensusbrüche Kreis/census breaks Kreis: 2011 {fmt_dec(k11, 1)} %, "
        f"2022 +{fmt_dec(k22, 1)} %"
    )


def _check_measures() -> str:
    # through the package: the shipped paths are looked up at call time (tests point them elsewhere)
    verify_raw_file(measures.MEASURES_DIR, "measures.csv")
    built, report = measures.build_catalogue()
    assert measures.load_workbook(measures.SHIPPED_WORKBOOK, origin="shipped").equals(built), (
        "catalogue.xlsx differs from a fresh build of measures.csv (run: python -m dashboard massnahmen build)"
    )
    active = measures.active_catalogue()
    warn = f"; Warnung: {active.warnings[0][:120]}" if active.warnings else ""
    return (
        f"{len(built.measures)} Maßnahmen, {len(built.sources)} Quellen, {len(report.excluded)} ohne Quelle "
        f"ausgeschlossen; aktiv: {'importiert' if active.origin == 'imported' else 'mitgeliefert'}{warn}"
    )


def check_results(raw_dir: Path | None = None) -> list[CheckResult]:
    """Run every check; never raises (failures are results with ``ok=False``).

    Parameters
    ----------
    raw_dir : check the raw files (hashes, content of the Zensus 2022 / IT.NRW 2024 tables) in
        this folder instead of the shipped ``data/raw`` (the loader checks always use the
        shipped files).
    """
    return [
        _run("Rohdateien (Prüfsummen)", "raw files (hashes)", lambda: _check_raw(raw_dir)),
        _run(
            "Zensus 2022 Altersklassen, Gemeindesummen und Einzelalter 2024 (Inhalt)",
            "Zensus 2022 age classes, municipal totals and single ages 2024 (content)",
            lambda: _check_official_content(raw_dir),
        ),
        _run("Kreis nach Geschlecht × 17 Altersgruppen", "Kreis by sex × 17 age groups", _check_kreis),
        _run(
            "Geburten, Sterbefälle, Wanderungen",
            "births, deaths, migration",
            _check_loader("vital_events", _rows(20)),
        ),
        _run(
            "Gemeindesummen (Zeitreihe)",
            "municipal totals (series)",
            _check_loader("municipal_totals", _check_municipal_totals),
        ),
        _run(
            "Zensus 2022 Gemeinden",
            "Zensus 2022 municipalities",
            _check_loader("zensus2022_municipal", _rows(15)),
        ),
        _run(
            "Zensus-2011-Gitter Altersanteile",
            "Zensus 2011 grid age shares",
            _check_loader("grid_age_shares", _rows(75)),
        ),
        _run(
            "Sterbetafel Deutschland 2023/25",
            "Germany life table 2023/25",
            _check_loader("life_table", _rows(2 * N_AGES)),
        ),
        _run("Lebenserwartung NRW", "NRW life expectancy", _check_loader("nrw_life_expectancy", _rows(2))),
        _run("Geburtenziffer NRW", "NRW total fertility", _check_loader("nrw_tfr", _rows(2))),
        _run("Gemeindegrenzen", "municipal boundaries", _check_boundaries),
        _run(
            f"Basisbevölkerung 31.12.{BASE_YEAR}",
            f"base population 31.12.{BASE_YEAR}",
            _check_population(BASE_YEAR),
        ),
        _run("Schätzung aller Stichtage 2015–2024", "estimate for every date 2015–2024", _check_all_years),
        _run("Zeitreihe über Zensusbrüche", "history across census breaks", _check_history),
        _run("Maßnahmenkatalog (Werkzeugkoffer)", "measures catalogue", _check_measures),
    ]


def run_check(raw_dir: Path | None = None) -> str:
    """Validate every embedded table and the base population; return a printable summary.

    Returns
    -------
    str, one line per check (German name / English name: result), then a verdict line.
    """
    return render_check(check_results(raw_dir))


def render_check(results: list[CheckResult]) -> str:
    """Printable German/English summary of :func:`check_results`."""
    lines = ["Datenprüfung / data check – Kreis Düren 2030", ""]
    for r in results:
        mark = "OK    " if r.ok else "FEHLER"
        lines.append(f"[{mark}] {r.name_de} / {r.name_en}: {r.detail}")
    n_bad = sum(not r.ok for r in results)
    lines.append("")
    if n_bad:
        lines.append(
            f"{n_bad} von {len(results)} Prüfungen fehlgeschlagen / {n_bad} of {len(results)} checks failed"
        )
    else:
        lines.append(f"Alle {len(results)} Prüfungen bestanden / all {len(results)} checks passed")
    return "\n".join(lines)
