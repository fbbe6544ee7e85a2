"""The assessment's vocabulary: the classes and the measures of change.

The classes: each has a symbol, a colour and words, never colour alone (WCAG 1.4.1).

Symbols exist in DejaVu Sans; in the Noto family they come from Noto Sans Symbols 2 (the
shapes) and are not in Noto Sans itself, so a Noto-only build needs that font as fallback.
Shapes are used instead of arrows because an arrow reads as the direction of the value,
which for an indicator that should fall is the opposite of good or bad.

Colours all reach at least 5:1 contrast against white (WCAG AA for text needs 4.5:1) and
stay apart under simulated protanopia, deuteranopia and tritanopia (tests check both).
"""

from __future__ import annotations

from enum import Enum


class ProgressClass(Enum):
    # value = (symbol, colour, words, rank). Rank orders the classes from worst to best
    # within one kind of assessment; it is what "a better value never gives a worse class" means.
    MALET_NATT = ("✔", "#3B5C88", "Målet nått", 6)
    I_TAKT = ("●", "#1E7E50", "I takt med målet", 5)
    RATT_HALL = ("■", "#1E7E50", "Rätt håll", 5)
    FOR_LANGSAMT = ("◐", "#966400", "Rätt håll men för långsamt", 4)
    MYCKET_FOR_LANGSAMT = ("◔", "#8B3F0F", "Rätt håll men mycket för långsamt", 3)
    OFORANDRAT = ("◆", "#7D53B5", "Oförändrat", 3)
    FEL_HALL = ("✖", "#AD373C", "Fel håll", 1)
    KAN_INTE_BEDOMAS = ("?", "#595959", "Kan inte bedömas", 0)

    @property
    def symbol(self) -> str:
        return self.value[0]

    @property
    def colour(self) -> str:
        return self.value[1]

    @property
    def words(self) -> str:
        return self.value[2]

    @property
    def rank(self) -> int:
        return self.value[3]

    @property
    def label(self) -> str:
        """Symbol and words together, as they should appear in a table cell."""
        return f"{self.symbol} {self.words}"


TARGET_CLASSES = (
    ProgressClass.MALET_NATT,
    ProgressClass.I_TAKT,
    ProgressClass.FOR_LANGSAMT,
    ProgressClass.MYCKET_FOR_LANGSAMT,
    ProgressClass.FEL_HALL,
)
DIRECTION_CLASSES = (ProgressClass.RATT_HALL, ProgressClass.OFORANDRAT, ProgressClass.FEL_HALL)


class Measure(Enum):
    """How change per year is measured; the value is its unit as the report writes it."""

    CAGR = "procent per år"
    POINTS = "procentenheter per år"
    LINEAR = "per år"  # in the indicator's own unit
