"""Compare the municipal base population of two versions of the project (issue 11).

Usage::

    python scripts/compare_base.py --before-root /path/to/old/checkout [--out DIR]

Runs ``dashboard.data.load_population(2022)``, ``load_population(2024)`` and the Kreis single
ages of 31.12.2024 (``dashboard.data.estimate.kreis_single_ages``) in each checkout (in a
subprocess with that checkout on ``PYTHONPATH`` and an empty user-data folder, so no imported
table interferes), then prints Markdown tables and writes CSVs to ``--out``:

1. the estimate of 31.12.2022 against the Zensus 2022 municipal age classes (15.05.2022):
   share differences in percentage points (per class, 67+, 25–59);
2. the Kreis single ages of 31.12.2024 against the official IT.NRW 12411-09i single ages
   (sum of absolute differences, ages 85–89, 90+, 79);
3. the change of the 2024 base per municipality and age group (persons, share in pp,
   median age), after minus before.

The official reference tables are read through the loaders of the *current* checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DUMP = r"""
import sys, pandas as pd
from dashboard.data import load_population
from dashboard.data.estimate import kreis_single_ages
out = sys.argv[1]
for y in (2022, 2024):
    load_population(y)[["ags", "year", "sex", "age", "population"]].to_csv(f"{out}/pop{y}.csv", index=False)
kreis_single_ages(2024)[["sex", "age", "population"]].to_csv(f"{out}/kreis2024.csv", index=False)
"""


def _bounds(label: str) -> tuple[int, int]:
    """``"6-17"`` -> (6, 17), ``"80+"`` -> (80, 100) (inclusive; 100 = the open group)."""
    lo, _, hi = label.rstrip("+").partition("-")
    return int(lo), int(hi) if hi else 100


#: age groups of the change table, label -> inclusive bounds
CHANGE_GROUPS = {g: _bounds(g) for g in ("0-5", "6-17", "18-24", "25-44", "45-64", "65-79", "80+")}


def markdown(df: pd.DataFrame, digits: int = 2, index: bool = True) -> str:
    """A DataFrame as a Markdown table (numbers rounded, no extra dependency)."""
    d = df.reset_index() if index else df
    cells = [
        [f"{v:.{digits}f}" if isinstance(v, float) else str(v) for v in row]
        for row in d.itertuples(index=False)
    ]
    head = [str(c) for c in d.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells])


def dump(root: Path, into: Path) -> dict[str, pd.DataFrame]:
    """Run the dump in ``root`` and read the CSVs back."""
    into.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(root), "DASHBOARD_USER_DATA": str(into / "user_data")}
    subprocess.run([sys.executable, "-c", DUMP, str(into)], cwd=root, env=env, check=True)
    return {
        "pop2022": pd.read_csv(into / "pop2022.csv", dtype={"ags": str}),
        "pop2024": pd.read_csv(into / "pop2024.csv", dtype={"ags": str}),
        "kreis2024": pd.read_csv(into / "kreis2024.csv"),
    }


def _by_age(pop: pd.DataFrame) -> pd.DataFrame:
    return pop.groupby(["ags", "age"]).population.sum().unstack().sort_index(axis=1)


def census_comparison(pop2022: pd.DataFrame) -> pd.DataFrame:
    """Share differences (pp) of the 31.12.2022 estimate vs the Zensus 2022 classes, per municipality."""
    from dashboard.constants import MUNICIPALITIES
    from dashboard.data import zensus2022_age_classes

    z = zensus2022_age_classes()
    a = _by_age(pop2022)
    rows = []
    for ags, g in z.groupby("ags"):
        tot_c = g.population.sum()
        tot_e = a.loc[ags].sum()
        rec = {"ags": ags, "municipality": MUNICIPALITIES[ags]}
        for r in g.itertuples():
            rec[str(r.age_class)] = 100 * (
                a.loc[ags, r.age_min : r.age_max].sum() / tot_e - r.population / tot_c
            )
        for label, (lo, hi), classes in (
            ("67+", (67, 100), ["67-74", "75+"]),
            ("25-59", (25, 59), ["25-39", "40-59"]),
        ):
            c = g[g.age_class.astype(str).isin(classes)].population.sum() / tot_c
            rec[label] = 100 * (a.loc[ags, lo:hi].sum() / tot_e - c)
        rows.append(rec)
    return pd.DataFrame(rows)


def kreis_single_age_comparison(kreis2024: pd.DataFrame) -> dict[str, float]:
    """Kreis single ages 2024 (0…89, 90+; both sexes) vs the official IT.NRW table."""
    from dashboard.data import official_kreis_single_ages

    o = official_kreis_single_ages().population.to_numpy(float)
    k = kreis2024.groupby("age").population.sum().sort_index().to_numpy(float)
    e = np.append(k[:90], k[90:].sum())
    return {
        "sum_abs_difference": float(np.abs(e - o).sum()),
        "max_abs_difference": float(np.abs(e - o).max()),
        "ages_85_89_rel": float(e[85:90].sum() / o[85:90].sum() - 1),
        "age_90plus_rel": float(e[90] / o[90] - 1),
        "age_79_rel": float(e[79] / o[79] - 1),
    }


def _median_age(counts: np.ndarray) -> float:
    c = np.cumsum(counts)
    half = c[-1] / 2
    a = int(np.searchsorted(c, half))
    below = c[a - 1] if a > 0 else 0.0
    return a + (half - below) / counts[a]


def change_table(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per municipality (and Kreis) × age group: persons before/after, change, share change (pp)."""
    from dashboard.constants import KREIS_AGS, KREIS_NAME, MUNICIPALITIES

    b, a = _by_age(before), _by_age(after)
    b.loc[KREIS_AGS], a.loc[KREIS_AGS] = b.sum(), a.sum()
    names = {**MUNICIPALITIES, KREIS_AGS: KREIS_NAME}
    rows = []
    for ags in b.index:
        tb, ta = b.loc[ags].sum(), a.loc[ags].sum()
        for label, (lo, hi) in {"total": (0, 100), **CHANGE_GROUPS}.items():
            pb, pa = b.loc[ags, lo:hi].sum(), a.loc[ags, lo:hi].sum()
            rows.append(
                {
                    "ags": ags,
                    "municipality": names[ags],
                    "age_group": label,
                    "before": pb,
                    "after": pa,
                    "change": pa - pb,
                    "change_pct": 100 * (pa / pb - 1),
                    "share_before_pct": 100 * pb / tb,
                    "share_after_pct": 100 * pa / ta,
                    "share_change_pp": 100 * (pa / ta - pb / tb),
                }
            )
        rows.append(
            {
                "ags": ags,
                "municipality": names[ags],
                "age_group": "median_age",
                "before": _median_age(b.loc[ags].to_numpy()),
                "after": _median_age(a.loc[ags].to_numpy()),
            }
        )
    out = pd.DataFrame(rows)
    m = out.age_group == "median_age"
    out.loc[m, "change"] = out.loc[m, "after"] - out.loc[m, "before"]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--before-root", type=Path, required=True, help="checkout of the earlier version")
    p.add_argument(
        "--after-root", type=Path, default=ROOT, help="checkout of the later version (default: this one)"
    )
    p.add_argument("--out", type=Path, default=None, help="folder for the CSV tables")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        before = dump(args.before_root.resolve(), Path(tmp) / "before")
        after = dump(args.after_root.resolve(), Path(tmp) / "after")
    pd.set_option("display.width", 200)
    result = {}
    for name, d in (("before", before), ("after", after)):
        cc = census_comparison(d["pop2022"])
        ks = kreis_single_age_comparison(d["kreis2024"])
        result[name] = {"census": cc, "kreis": ks}
        print(f"\n## {name}: estimate 31.12.2022 vs Zensus 2022 classes (share difference, pp)\n")
        print(markdown(cc, 2, index=False))
        print(
            f"\nmax |67+| {cc['67+'].abs().max():.2f} pp; max |25-59| {cc['25-59'].abs().max():.2f} pp; "
            f"mean |class| {cc[[c for c in cc.columns if c[0].isdigit() and c not in ('67+', '25-59')]].abs().stack().mean():.2f} pp"
        )
        print(f"\n## {name}: Kreis single ages 31.12.2024 vs IT.NRW 12411-09i\n")
        print(json.dumps({k: round(v, 4) for k, v in ks.items()}, indent=1))
    ch = change_table(before["pop2024"], after["pop2024"])
    print("\n## change of the 2024 base, after − before (persons; share in pp; median age in years)\n")
    wide = ch.pivot_table(index="municipality", columns="age_group", values="change", sort=False)
    print(markdown(wide, 1))
    wide_pp = ch[ch.age_group != "median_age"].pivot_table(
        index="municipality", columns="age_group", values="share_change_pp", sort=False
    )
    print("\nshare change (pp)\n")
    print(markdown(wide_pp.drop(columns="total"), 2))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        ch.to_csv(args.out / "base_change_2024.csv", index=False)
        for name in ("before", "after"):
            result[name]["census"].to_csv(args.out / f"census2022_comparison_{name}.csv", index=False)
        pd.DataFrame({n: result[n]["kreis"] for n in result}).to_csv(args.out / "kreis_single_ages_2024.csv")
        print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
