"""Where validated tables go: drafts in the store (issue 12), one per table, published by ``pflege``.

:func:`stage` is the only function the update path calls to hand tables over. Every fetched
table first passes the SAME complete check as an uploaded file
(:func:`dashboard.data.imports.check_table`: Kreis Düren only, all 15 municipalities, the
model's own consistency checks …); only when every table passed is each stored as a draft
with the service's provenance (:func:`dashboard.data.imports.create_draft_from_checked`). A
table the check refuses raises :class:`UpdateError` (``rejected``) and nothing is stored.
Nothing public changes until a user with the role ``pflege`` publishes a draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dashboard.data.errors import DataFormatError
from dashboard.data.update.errors import UpdateError
from dashboard.text import UPDATE

if TYPE_CHECKING:
    from dashboard.data.update.run import FetchedTable


def _actor(actor: Any):
    from dashboard.store import Actor

    if isinstance(actor, Actor):
        return actor
    return Actor((str(actor) if actor else UPDATE["actor_cli"])[:64], "pflege")


def stage(fetched: Sequence[FetchedTable], *, actor: Any = None) -> tuple[str, ...]:
    """Hand the validated tables of one run over as drafts; return their ids.

    Parameters
    ----------
    fetched : the tables of one run (all already validated by :func:`load_genesis`).
    actor : a ``dashboard.store.Actor`` (signed-in user) or a name; default: the update
        command acting as maintainer (role ``pflege``, as every command-line action).

    Raises
    ------
    UpdateError
        ``rejected`` when the store's import check refuses a table; nothing is stored then.
    """
    if not fetched:
        raise ValueError("stage() needs at least one table")
    from dashboard.data import imports

    act = _actor(actor)
    checked = []
    for f in fetched:
        code = f.provenance["table_code"]
        try:
            checked.append(
                imports.check_table(
                    f.table,
                    filename=f"{code}_de_flat.csv",
                    content=f.ffcsv,
                    synthetic_ok=bool(f.provenance["synthetic"]),  # flagged; never published
                )
            )
        except DataFormatError as exc:
            details = "\n".join(f"  - {p}" for p in exc.problems[:20])
            raise UpdateError(
                "rejected",
                UPDATE["rejected"].format(table=code, service=f.provenance["service_label"], details=details),
                table=code,
                details=tuple(str(p) for p in exc.problems),
            ) from exc
    drafts = []
    try:
        for f, c in zip(fetched, checked):
            drafts.append(imports.create_draft_from_checked(c, actor=act, provenance=dict(f.provenance)))
    except BaseException:
        from dashboard.store import get_store

        for d in drafts:  # all or nothing: withdraw the drafts of this run
            try:
                get_store().discard(d.version.id, actor=act)
            except Exception:  # noqa: BLE001 (best effort; the original error is what counts)
                pass
        raise
    return tuple(str(d.version.id) for d in drafts)


__all__ = ["stage"]
