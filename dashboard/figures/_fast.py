"""Plotly objects built without per-property validation (``_validate=False``).

Validation costs ~40 ms per small figure on this machine, more than an interaction may
take. The builders construct figures through these helpers; the test suite re-validates
every builder's output with the validating constructor (``go.Figure(fig.to_dict())``),
so a wrong property name still fails a test.
"""

from __future__ import annotations

import plotly.graph_objects as go


def Figure(*args, **kwargs) -> go.Figure:  # noqa: N802 (mirrors go.Figure)
    return go.Figure(*args, _validate=False, **kwargs)


def Scatter(**kwargs) -> go.Scatter:  # noqa: N802
    return go.Scatter(_validate=False, **kwargs)


def Bar(**kwargs) -> go.Bar:  # noqa: N802
    return go.Bar(_validate=False, **kwargs)


def Frame(**kwargs) -> go.Frame:  # noqa: N802
    return go.Frame(_validate=False, **kwargs)


def with_frames(fig: go.Figure, frames: list[go.Frame]) -> go.Figure:
    """Attach animation frames without re-validating them.

    ``go.Figure(frames=…)`` rebuilds every frame with validation (~0.2 s for a 22-year
    pyramid); the frames here were built by :func:`Frame` and are checked by the tests.
    """
    fig._frame_objs = tuple(frames)  # plotly has no public unvalidated path for frames
    return fig
