"""Memoised views (dashboard/app/_viewcache.py): same answer as building anew, rebuilt when
the data version, the measures catalogue or the signed-in account changes."""

from __future__ import annotations

import pytest
from dash._utils import to_json

from dashboard.app import _model, _viewcache
from dashboard.app.pages import _measures_components as C
from dashboard.app.pages import kurzbericht, methodik, uebersicht

QUERIES = {
    uebersicht: [{}, {"kennzahl": "share_65plus", "jahr": "2040"}],
    kurzbericht: [{}, {"ags": "05358012", "szenario": "zuwanderung_hoch"}],
}


def _uncached(fn, *args, **kwargs):
    _viewcache.ENABLED = False
    try:
        return fn(*args, **kwargs)
    finally:
        _viewcache.ENABLED = True


@pytest.mark.parametrize("page", list(QUERIES), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_cached_layout_equals_a_fresh_one_and_is_reused(page):
    for query in QUERIES[page]:
        first = page.layout(**query)
        assert page.layout(**query) is first  # the second request is served from the cache
        assert to_json(first) == to_json(_uncached(page.layout, **query))
    assert to_json(page.layout(**QUERIES[page][0])) != to_json(page.layout(**QUERIES[page][1]))


def test_methodik_layout_cached_per_account(monkeypatch):
    first = methodik.layout()
    assert methodik.layout() is first
    assert to_json(first) == to_json(_uncached(methodik.layout))

    from dashboard.app import auth
    from dashboard.store import Actor

    pflege = Actor("pflege1", "pflege", 3)
    monkeypatch.setattr(auth, "current_actor", lambda: pflege)
    monkeypatch.setattr(methodik, "current_actor", lambda: pflege)
    signed_in = methodik.layout()
    assert signed_in is not first
    assert to_json(signed_in) == to_json(_uncached(methodik.layout))
    assert to_json(signed_in) != to_json(first)  # the update section is shown to pflege only


def test_werkzeugkoffer_views_equal_fresh_ones():
    spec = _model.parse_scenario("basis")
    args = dict(ags="05358", field=None, group=None, status=None, text=None, year=2030, spec=spec)
    v = C.cards_view(**args)
    assert C.cards_view(**args) is v
    assert to_json(v) == to_json(_uncached(C.cards_view, **args))
    other = C.cards_view(**{**args, "ags": "05358004"})
    assert to_json(other) != to_json(v)
    g = C.gaps_view(ags="05358", year=2030, spec=spec)
    assert to_json(g) == to_json(_uncached(C.gaps_view, ags="05358", year=2030, spec=spec))
    assert to_json(C.coverage_view()) == to_json(_uncached(C.coverage_view))
    t = C.measures_teaser("05358012", spec)
    assert C.measures_teaser("05358012", spec) is t
    assert to_json(t) == to_json(_uncached(C.measures_teaser, "05358012", spec))
    assert to_json(C.measures_teaser("05358016", spec)) != to_json(t)


def test_rebuilt_when_data_version_catalogue_or_account_changes(monkeypatch):
    calls = []

    @_viewcache.view_cache(maxsize=4)
    def view(x):
        calls.append(x)
        return {"x": x}

    a = view(1)
    assert view(1) is a and calls == [1]

    monkeypatch.setattr(_model, "data_version", lambda: ("tables", 7, ("abc",)))
    b = view(1)
    assert b is not a and calls == [1, 1]

    from dashboard.data.measures import import_store

    other_catalogue = object()
    monkeypatch.setattr(import_store, "active_catalogue", lambda: other_catalogue)
    c = view(1)
    assert c is not b and calls == [1, 1, 1]

    from dashboard.app import auth
    from dashboard.store import Actor

    monkeypatch.setattr(auth, "current_actor", lambda: Actor("pflege1", "pflege", 3))
    d = view(1)
    assert d is not c and calls == [1, 1, 1, 1]
    assert view(1) is d and calls == [1, 1, 1, 1]


def test_bounded_least_recently_used():
    calls = []

    @_viewcache.view_cache(maxsize=2)
    def view(x, *, flag=None):
        calls.append((x, flag))
        return [x, flag]

    view(1), view(2), view(1), view(3)  # 2 is the least recently used and is dropped
    assert view.cache_len() == 2
    view(1)
    assert calls == [(1, None), (2, None), (3, None)]
    view(2)
    assert calls[-1] == (2, None)
    view(2, flag=["a", "b"]), view(2, flag=["a", "b"])  # lists as arguments are keyed by value
    assert calls.count((2, ["a", "b"])) == 1
