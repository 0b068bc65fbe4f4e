"""The public API for analysts (as statsmodels' ``api`` modules): one flat namespace.

::

    import dashboard.api as kd

    pop = kd.load_population()                           # base 31.12.2024, municipality × sex × age
    res = kd.project(kd.PRESETS["basis"])                # deterministic projection to 2045
    own = kd.Scenario("Eigenes", tfr=1.6, net_migration=3_000,
                      local=kd.LocalScenario(new_housing=(kd.parse_new_housing("05358044:2026-2030:200"),)))
    prob = kd.project_probabilistic(kd.PRESETS["basis"], draws=kd.INTERACTIVE_DRAWS)
    bt = kd.backtest()                                   # codes; German labels in kd.BACKTEST_METHODS
    kd.write_excel(res, "prognose.xlsx")

Groups (each name is the object of the module that defines it; this module adds nothing):

* constants — :data:`KREIS_AGS`, :data:`MUNICIPALITIES`, :data:`BASE_YEAR`, age groups, census dates;
* loading (:mod:`dashboard.data`) — :func:`load_population`, :func:`municipal_history`,
  :func:`kreis_age_groups`, :func:`vital_events`, the official Zensus/IT.NRW tables,
  :func:`load_genesis` / :func:`check_file` (a GENESIS export), :func:`data_version`;
* measures catalogue — :func:`active_catalogue`, :data:`FIELDS_OF_ACTION`, and its link to the
  projection (:func:`group_changes`, :func:`linked_measures`, :func:`growth_coverage`,
  :func:`gaps`, :func:`filter_measures`, :func:`measure_coverage`);
* projecting — :class:`Scenario`, :data:`PRESETS`, :func:`project`,
  :func:`solve_net_migration_for_target`, :func:`estimate_assumptions`;
* local scenarios (per municipality: new housing, own net migration, one-off changes) —
  :class:`LocalScenario`, :class:`NewHousing`, :class:`OwnMigration`, :class:`OneOffChange`, the
  text codecs ``parse_*``/``format_*``; whole scenarios as JSON: :func:`scenario_to_json`,
  :func:`scenario_from_json`;
* simulation — :func:`project_probabilistic` (median and 80 %/95 % intervals);
* backtest — :func:`backtest`, :func:`backtest_intervals`, :func:`backtest_coverage`,
  :func:`accuracy_tables`, :func:`official_comparison`;
* export — :func:`write_excel`, :func:`write_csv`;
* figures and tables (Plotly) — :func:`pyramid_figure`, :func:`history_figure`,
  :func:`fan_chart`, …, :func:`figure_table` (the table behind any chart);
* German formatting and labels — :func:`fmt_int`, :func:`fmt_dec`, :func:`fmt_pct`,
  :func:`fmt_date`, :func:`assumptions_de`, :data:`BACKTEST_METHODS`, :data:`BACKTEST_LEVELS`.

The notebooks in ``notebooks/`` import only this module (``tests/test_notebooks.py``).
"""

from __future__ import annotations

from dashboard.constants import (
    AGE_GROUPS_17,
    BASE_YEAR,
    CENSUS_DATES,
    KREIS_AGS,
    KREIS_NAME,
    MUNICIPALITIES,
    OPEN_AGE,
    PLANNING_AGE_GROUPS,
    SEXES,
)
from dashboard.data import (
    Checked,
    DataFormatError,
    EstimationReport,
    GenesisTable,
    census_breaks,
    check_file,
    data_version,
    estimation_report,
    imported_municipal_age_tables,
    kreis_age_groups,
    life_table,
    load_genesis,
    load_population,
    municipal_boundaries,
    municipal_history,
    municipal_totals,
    nrw_life_expectancy,
    nrw_tfr,
    official_kreis_single_ages,
    official_municipal_totals,
    vital_events,
    zensus2022_age_classes,
    zensus2022_households,
    zensus2022_sex_totals,
)
from dashboard.data.measures import FIELDS_OF_ACTION, STATUSES, Catalogue, active_catalogue, shipped_catalogue
from dashboard.export import write_csv, write_excel
from dashboard.figures.fan import fan_chart, fan_table, interval_text
from dashboard.figures.labels import assumptions_de
from dashboard.figures.maps import choropleth
from dashboard.figures.measures import coverage_heatmap, gap_heatmap
from dashboard.figures.pyramid import pyramid_figure, pyramid_table
from dashboard.figures.scenarios import scenario_figure
from dashboard.figures.summary import indicator_at, key_numbers, region_table
from dashboard.figures.tables import figure_table
from dashboard.figures.trends import (
    age_group_change_figure,
    age_groups_figure,
    components_figure,
    history_figure,
    indicator_trend,
    small_multiples,
)
from dashboard.projection import (
    PRESETS,
    Assumptions,
    BacktestResult,
    ProjectionResult,
    Scenario,
    backtest,
    estimate_assumptions,
    project,
    solve_net_migration_for_target,
)
from dashboard.projection.accuracy import official_comparison
from dashboard.projection.accuracy import report_tables as accuracy_tables
from dashboard.projection.coverage import backtest_coverage, backtest_intervals, coverage_by_horizon
from dashboard.projection.local import (
    LocalScenario,
    NewHousing,
    OneOffChange,
    OwnMigration,
    format_new_housing,
    format_one_off,
    format_own_migration,
    parse_new_housing,
    parse_one_off,
    parse_own_migration,
)
from dashboard.projection.local import describe as describe_local
from dashboard.projection.measures_link import (
    STRONG_GROWTH_MIN_PERSONS,
    STRONG_GROWTH_PCT,
    filter_measures,
    gaps,
    group_changes,
    growth_coverage,
    linked_measures,
)
from dashboard.projection.measures_link import coverage as measure_coverage
from dashboard.projection.scenario_file import ScenarioDocument
from dashboard.projection.scenario_file import from_json as scenario_from_json
from dashboard.projection.scenario_file import to_json as scenario_to_json
from dashboard.projection.uncertainty import INTERACTIVE_DRAWS, ProbabilisticResult, project_probabilistic
from dashboard.text import (
    BACKTEST_LEVELS,
    BACKTEST_METHODS,
    fmt_date,
    fmt_dec,
    fmt_int,
    fmt_pct,
    fmt_signed_int,
    fmt_signed_pct,
)

__all__ = [
    # constants
    "AGE_GROUPS_17",
    "BASE_YEAR",
    "CENSUS_DATES",
    "KREIS_AGS",
    "KREIS_NAME",
    "MUNICIPALITIES",
    "OPEN_AGE",
    "PLANNING_AGE_GROUPS",
    "SEXES",
    # loading
    "Checked",
    "DataFormatError",
    "EstimationReport",
    "GenesisTable",
    "census_breaks",
    "check_file",
    "data_version",
    "estimation_report",
    "imported_municipal_age_tables",
    "kreis_age_groups",
    "life_table",
    "load_genesis",
    "load_population",
    "municipal_boundaries",
    "municipal_history",
    "municipal_totals",
    "nrw_life_expectancy",
    "nrw_tfr",
    "official_kreis_single_ages",
    "official_municipal_totals",
    "vital_events",
    "zensus2022_age_classes",
    "zensus2022_households",
    "zensus2022_sex_totals",
    # measures catalogue and its link to the projection
    "Catalogue",
    "FIELDS_OF_ACTION",
    "STATUSES",
    "STRONG_GROWTH_MIN_PERSONS",
    "STRONG_GROWTH_PCT",
    "active_catalogue",
    "filter_measures",
    "gaps",
    "group_changes",
    "growth_coverage",
    "linked_measures",
    "measure_coverage",
    "shipped_catalogue",
    # projecting
    "Assumptions",
    "PRESETS",
    "ProjectionResult",
    "Scenario",
    "estimate_assumptions",
    "project",
    "solve_net_migration_for_target",
    # local scenarios and scenario files
    "LocalScenario",
    "NewHousing",
    "OneOffChange",
    "OwnMigration",
    "ScenarioDocument",
    "describe_local",
    "format_new_housing",
    "format_one_off",
    "format_own_migration",
    "parse_new_housing",
    "parse_one_off",
    "parse_own_migration",
    "scenario_from_json",
    "scenario_to_json",
    # simulation
    "INTERACTIVE_DRAWS",
    "ProbabilisticResult",
    "project_probabilistic",
    # backtest
    "BacktestResult",
    "accuracy_tables",
    "backtest",
    "backtest_coverage",
    "backtest_intervals",
    "coverage_by_horizon",
    "official_comparison",
    # export
    "write_csv",
    "write_excel",
    # figures and tables
    "age_group_change_figure",
    "age_groups_figure",
    "choropleth",
    "components_figure",
    "coverage_heatmap",
    "fan_chart",
    "fan_table",
    "figure_table",
    "gap_heatmap",
    "history_figure",
    "indicator_at",
    "indicator_trend",
    "interval_text",
    "key_numbers",
    "pyramid_figure",
    "pyramid_table",
    "region_table",
    "scenario_figure",
    "small_multiples",
    # German formatting and labels
    "BACKTEST_LEVELS",
    "BACKTEST_METHODS",
    "assumptions_de",
    "fmt_date",
    "fmt_dec",
    "fmt_int",
    "fmt_pct",
    "fmt_signed_int",
    "fmt_signed_pct",
]
