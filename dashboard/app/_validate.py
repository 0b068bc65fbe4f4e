"""Server-side check of scenario inputs: what a hand-crafted request sent that the page cannot use.

The sliders bound what a browser sends, but a callback request can carry anything (``-5``,
``1e9``, ``"abc"``, a list). :func:`rejected_inputs` names every value that is not a finite
number inside its range, in German, so the page can say which assumption it ignored instead of
silently falling back to the Basis value (the model itself never sees such a value:
:func:`dashboard.app._model.parse_scenario` turns it into ``None`` = Basis).
"""

from __future__ import annotations

from dashboard.app import _model
from dashboard.text import fmt_num

_FIELDS = (
    ("Geburtenrate (Kinder je Frau)", _model.TFR_RANGE),
    ("Gewinn an Lebenserwartung (Jahre)", _model.E0_RANGE),
    ("Wanderungssaldo (Personen je Jahr)", _model.MIGRATION_RANGE),
)


def _shown(value: object) -> str:
    text = str(value)
    return repr(text[:40] + "…") if len(text) > 40 else repr(text) if isinstance(value, str) else text


def rejected_inputs(tfr: object, e0: object, wanderung: object) -> str | None:
    """German message naming each scenario input that was ignored, or ``None`` if all are usable.

    ``None`` inputs (control left empty) are not errors: they mean the Basis assumption.
    """
    problems = []
    for (label, (lo, hi)), value in zip(_FIELDS, (tfr, e0, wanderung)):
        if value is None:
            continue
        if _model.parse_float(value, lo, hi) is None:
            problems.append(
                f"{label}: {_shown(value)} ist keine Zahl zwischen {fmt_num(lo)} und {fmt_num(hi)}"
            )
    if not problems:
        return None
    return "Eingabe nicht verwendet – " + "; ".join(problems) + ". Für diese Annahme gilt die Basis-Annahme."


def rejected_year(year: object, *, lo: int, hi: int) -> str | None:
    """German message if a target year is not a whole number in [lo, hi] (``None`` = default)."""
    if year is None:
        return None
    try:
        ok = float(str(year)).is_integer() and lo <= int(float(str(year))) <= hi
    except (TypeError, ValueError, OverflowError):
        ok = False
    if ok:
        return None
    return f"Zieljahr {_shown(year)} ist kein Jahr zwischen {lo} und {hi}; verwendet wird das Standardjahr."
