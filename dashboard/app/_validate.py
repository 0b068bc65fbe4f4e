"""Server-side check of scenario inputs: what a control or a hand-crafted request sent that the
page cannot use.

The sliders bound what a browser sends, but an input box takes any text and a callback request
can carry anything (``-5``, ``1e9``, ``"abc"``, a list). :func:`rejected_inputs` names every value
that is not a number inside its parameter's range (:data:`dashboard.projection.scenarios.PARAMETERS`),
in German, so the page can say which assumption it did not use instead of silently falling
back to the Basis value (the model itself never sees such a value).
"""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.app import _model


def _shown(value: object) -> str:
    text = str(value)
    return repr(text[:40] + "…") if len(text) > 40 else repr(text) if isinstance(value, str) else text


def input_problem(url_key: str, value: object) -> str | None:
    """German problem of one control value (``None``: usable or empty)."""
    if value is None or value == "":
        return None
    try:
        _model.BY_URL_KEY[url_key].parse(value)
    except ValueError as err:
        return str(err)
    return None


def rejected_inputs(values: Mapping[str, object]) -> str | None:
    """German message naming each scenario input that was not used, or ``None`` if all are usable.

    ``values`` maps URL keys to control values; ``None`` (control left empty) is not an error:
    it means the Basis assumption.
    """
    problems = [
        why for key, v in values.items() if key in _model.BY_URL_KEY and (why := input_problem(key, v))
    ]
    if not problems:
        return None
    return "Eingabe nicht verwendet – " + " ".join(problems) + " Für diese Annahme gilt die Basis-Annahme."


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
