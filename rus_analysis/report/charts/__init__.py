"""The report's charts, drawn from tidy snapshot frames in the house style.

Every function takes one indicator's rows (``snapshot.read_series``) and its catalogue entry and
returns a :class:`Chart` (figure, Swedish alt text generated from the data, source line) or,
when there is nothing to draw, a :class:`~rus_analysis.report.missing.MissingData` box: never an empty
chart. Show either with :func:`rus_analysis.report.display.show`.

Missing values are never filled in: a confidential year breaks the line, a kommun without a
value gets "uppgift saknas" instead of a bar, and the alt text says what is missing.

One module per chart kind (``timeline``, ``kommuner``, ``groups``, ``sectors``); what they
share is in ``common``, and what a chart shares with its table in ``rus_analysis.report.rows``.
Import from here: ``from rus_analysis.report import charts``. (``timeline``, not ``time_series``:
a submodule named like its function would be shadowed by it.)
"""

from rus_analysis.report.charts.common import (
    Chart,
    ChartResult,
    TargetPoint,
    redrawable,
    shown_rows,
    target_point,
)
from rus_analysis.report.charts.groups import group_series
from rus_analysis.report.charts.kommuner import kommun_bars
from rus_analysis.report.charts.sectors import sector_bars
from rus_analysis.report.charts.timeline import time_series

__all__ = [
    "Chart",
    "ChartResult",
    "TargetPoint",
    "group_series",
    "kommun_bars",
    "redrawable",
    "sector_bars",
    "shown_rows",
    "target_point",
    "time_series",
]
