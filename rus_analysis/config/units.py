"""The one unit rule: is a unit a share in percent, or a difference in percentage points?

A share in percent (``procent``, ``%``, ``Procent av befolkningen``) lies between 0 and 100
(snapshot validation), changes and differences of it are in percentage points
(``procentenheter``: narrative, summary), and the assessment measures its change in percentage
points per year rather than as a growth rate. Everything that asks uses these functions.
"""

from __future__ import annotations

# A unit is a share in percent when it starts with one of these (case ignored) and is not a
# difference in percentage points.
PERCENT_UNITS = ("procent", "%")
POINTS_UNIT = "procentenheter"
_POINTS_PREFIX = "procentenhet"


def _folded(unit: str | None) -> str:
    return (unit or "").strip().casefold()


def is_percentage_points(unit: str | None) -> bool:
    """True for ``procentenheter`` (or ``procentenhet``): a difference between two shares."""
    return _folded(unit).startswith(_POINTS_PREFIX)


def is_percent(unit: str | None) -> bool:
    """True for a share in percent: ``procent``, ``%``, ``Procent av befolkningen``; not ``procentenheter``.

    None and the empty string are not percentages.
    """
    text = _folded(unit)
    return not is_percentage_points(text) and any(text.startswith(u) for u in PERCENT_UNITS)


def measured_in_points(unit: str | None) -> bool:
    """True when change is measured in percentage points: shares in percent and differences of them."""
    return is_percent(unit) or is_percentage_points(unit)


def difference_unit(unit: str) -> str:
    """The unit of a difference: ``procentenheter`` for a share in percent, else the unit itself."""
    return POINTS_UNIT if is_percent(unit) else unit
