"""Memoised views: page layouts and callback views that are pure functions of their inputs.

Under load (issue 14: 50 planners on 2 cores) most requests ask for views that were built a
moment ago for someone else: the Kurzbericht layout of the Kreis in the Basis scenario costs
about 0.25 s of CPU, the Methodik layout 0.06 s, each Werkzeugkoffer filter callback about
0.1 s; the measures box is most of the Gemeinde layout's time. (The Gemeinde and Szenarien
layouts list saved scenarios from the store, so they are not cached as a whole.)
:func:`view_cache` builds such a view once per

* its arguments (query values, filter values; lists and dicts are keyed by their JSON form),
* the data version (:func:`dashboard.app._model.data_version`: a published official table
  takes effect without a restart),
* the measures catalogue in use (a published catalogue replaces the shipped one), and
* the signed-in account (``None`` for visitors), so nothing built for one account is shown
  to another.

**Use it only for views that depend on nothing else** — not on the time, on the store's
drafts, uploads or saved scenarios, on the session beyond the account, or on a running data
update. A page or callback that starts to read such state must drop the decorator.
Cached views are shared: callers must not mutate what they get.

Each decorated function keeps at most ``maxsize`` results (least recently used dropped).
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: Switched off by tests that compare with a fresh build; never off in production.
ENABLED = True
#: ``cache_clear`` of every decorated view (tests start each test with empty caches).
_CLEARERS: list = []


def clear_all() -> None:
    """Empty every view cache (tests: no view built under another test's state)."""
    for clear in _CLEARERS:
        clear()


def _catalogue_token() -> int:
    from dashboard.data.measures.import_store import active_catalogue

    # active_catalogue() returns the same object until the catalogue in use changes; the
    # entry keeps a reference to it, so its id cannot be reused while the entry lives.
    return id(active_catalogue())


def _actor_token() -> object:
    from dashboard.app.auth import current_actor

    return current_actor()


def state_token() -> tuple:
    """What every cached view depends on besides its arguments."""
    from dashboard.app._model import data_version

    return (data_version(), _catalogue_token(), _actor_token())


def _arg_key(args: tuple, kwargs: dict) -> str:
    return json.dumps([args, sorted(kwargs.items())], sort_keys=True, default=repr, ensure_ascii=False)


def view_cache(maxsize: int = 32) -> Callable[[F], F]:
    """Memoise a pure view per arguments, data version, catalogue and account (see module doc)."""

    def deco(fn: F) -> F:
        entries: OrderedDict[tuple, tuple[object, Any]] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if not ENABLED:
                return fn(*args, **kwargs)
            from dashboard.data import one_data_version
            from dashboard.data.measures.import_store import active_catalogue

            # one data version for the key and the build: a release published (or, in tests,
            # served) while the view is built never leaves its numbers under the old key
            with one_data_version():
                catalogue = active_catalogue()
                key = (*state_token(), _arg_key(args, kwargs))
                with lock:
                    hit = entries.get(key)
                    if hit is not None and hit[0] is catalogue:
                        entries.move_to_end(key)
                        return hit[1]
                value = fn(*args, **kwargs)  # outside the lock: two builds of one view may race, both correct
            with lock:
                entries[key] = (catalogue, value)
                entries.move_to_end(key)
                while len(entries) > maxsize:
                    entries.popitem(last=False)
            return value

        def cache_clear() -> None:
            with lock:
                entries.clear()

        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        _CLEARERS.append(cache_clear)
        wrapper.cache_len = lambda: len(entries)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return deco


__all__ = ["ENABLED", "clear_all", "state_token", "view_cache"]
