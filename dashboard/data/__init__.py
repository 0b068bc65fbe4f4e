"""Data layer: official files -> validated tidy tables with provenance.

Public API (stable for notebooks and the model)::

    data_version()           version of the input data (release number of the served tables; cache key)
    one_data_version()       context: compute with one data version (key and data of one release)
    load_population()        base population by municipality × sex × single age (estimated)
    estimation_report()      fit figures and method text of that estimate
    municipal_history()      levels 1983–2024 with census basis + census-neutral linked levels
    census_breaks()          size of the Zensus 2011 / 2022 breaks per municipality and Kreis
    kreis_age_groups()       Kreis Düren × sex × 17 age groups, 2015–2024 (official)
    vital_events()           Kreis births, deaths, in-/out-migration 2020–2024 (official)
    municipal_totals()       municipal totals 1983–2023 with census basis (official)
    zensus2022_municipal()   Zensus 2022 municipal results
    zensus2022_age_classes() Zensus 2022 municipal population in 11 age classes, 15.05.2022 (official)
    zensus2022_sex_totals()  Zensus 2022 municipal population by sex, 15.05.2022 (official)
    zensus2022_households()  Zensus 2022 private households by size per municipality, 15.05.2022 (official)
    official_municipal_totals()   municipal totals 31.12.2024, IT.NRW 12411-15i (official)
    official_kreis_single_ages()  Kreis single ages 0…89, 90+ at 31.12.2024, IT.NRW 12411-09i (official)
    itnrw_kreis_age_groups()      the group rows of the 12411-09i extract (cross-checks)
    grid_age_shares()        Zensus 2011 grid age shares per municipality (derived)
    life_table()             Germany period life table 2023/25
    nrw_life_expectancy(), nrw_tfr(), municipal_boundaries()
    load_genesis(path)       validate a GENESIS export (ffcsv, table CSV, XLSX) -> GenesisTable
    check_file(path)         validate an export completely (the model's rules) -> Checked
    imported_municipal_age_tables()  published official municipal tables (served release)
    (drafts, publish, rollback: dashboard.data.imports and dashboard.store)
"""

from dashboard.data.embedded import (
    grid_age_shares,
    kreis_age_groups,
    life_table,
    municipal_boundaries,
    municipal_totals,
    nrw_life_expectancy,
    nrw_tfr,
    vital_events,
    zensus2022_municipal,
)
from dashboard.data.errors import DataFormatError, Problem
from dashboard.data.estimate import data_version, one_data_version, served_state
from dashboard.data.genesis import GenesisTable, load_genesis
from dashboard.data.history import census_breaks, linked_growth, municipal_history
from dashboard.data.imports import Checked, check_file, imported_municipal_age_tables
from dashboard.data.official import (
    itnrw_kreis_age_groups,
    official_kreis_single_ages,
    official_municipal_totals,
    zensus2022_age_classes,
    zensus2022_households,
    zensus2022_sex_totals,
)
from dashboard.data.population import EstimationReport, estimation_report, load_population, population_array

__all__ = [
    "data_version",
    "one_data_version",
    "served_state",
    "EstimationReport",
    "estimation_report",
    "load_population",
    "population_array",
    "census_breaks",
    "linked_growth",
    "municipal_history",
    "DataFormatError",
    "Problem",
    "grid_age_shares",
    "kreis_age_groups",
    "life_table",
    "municipal_boundaries",
    "municipal_totals",
    "nrw_life_expectancy",
    "nrw_tfr",
    "vital_events",
    "zensus2022_municipal",
    "zensus2022_age_classes",
    "zensus2022_sex_totals",
    "zensus2022_households",
    "official_municipal_totals",
    "official_kreis_single_ages",
    "itnrw_kreis_age_groups",
    "GenesisTable",
    "load_genesis",
    "Checked",
    "check_file",
    "imported_municipal_age_tables",
]
