"""The one exception of the update path, with a German message for the user."""

from __future__ import annotations

from dashboard.text import UPDATE

#: Kinds of failure (``UpdateError.kind``).
KINDS = (
    "pystatis_missing",
    "credentials_missing",
    "credentials_wrong",
    "offline",
    "rate_limited",
    "server_error",
    "timeout",
    "http_error",
    "not_found",
    "service_error",
    "malformed",
    "layout_changed",
    "rejected",
    "recordings",
)


class UpdateError(Exception):
    """A failed update; nothing was changed.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    message : str
        German text for the user (ends with "Es wurde nichts geändert.").
    table : str or None
        Table code concerned, if any.
    status : int or None
        HTTP status of the last response, if any.
    details : tuple of str
        Individual problems (e.g. each deviation of a changed layout).
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        table: str | None = None,
        status: int | None = None,
        details: tuple[str, ...] = (),
    ):
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        self.kind = kind
        self.table = table
        self.status = status
        self.details = tuple(details)
        self.message = f"{message.rstrip()}\n{UPDATE['nothing_changed']}"
        super().__init__(self.message)


__all__ = ["KINDS", "UpdateError"]
