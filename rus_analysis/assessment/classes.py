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
    """The one table of class words and symbols: the status table, an indicator's sentences,
    the summary's legend and the method chapter all read it.

    value = (symbol, colour, words, rank, sentence, meaning):
    - rank orders the classes from worst to best within one kind of assessment; it is what
      "a better value never gives a worse class" means;
    - sentence closes an indicator's assessment text (None: the text is built otherwise);
    - meaning is the method chapter's explanation; ``{i_takt}`` and ``{mycket_for_langsamt}``
      are filled in with the thresholds from params/bedomning.yml, in percent.
    """

    MALET_NATT = ("✔", "#3B5C88", "Målet nått", 6, None,
                  "Det senaste värdet når det kvantifierade målet.")
    I_TAKT = ("●", "#1E7E50", "I takt med målet", 5, "Utvecklingen är i takt med målet.",
              "Takten är minst {i_takt} procent av den takt som behövs för att nå målet i tid.")
    RATT_HALL = ("■", "#1E7E50", "Rätt håll", 5, "Utvecklingen går åt rätt håll.",
                 "Utan kvantifierat mål: tydlig förändring i önskad riktning.")
    FOR_LANGSAMT = ("◐", "#966400", "Rätt håll men för långsamt", 4,
                    "Utvecklingen går åt rätt håll men för långsamt.",
                    "Utvecklingen går mot målet, men för långsamt för att nå det i tid.")
    MYCKET_FOR_LANGSAMT = ("◔", "#8B3F0F", "Rätt håll men mycket för långsamt", 3,
                           "Utvecklingen går åt rätt håll men mycket för långsamt.",
                           "Takten är under {mycket_for_langsamt} procent av den takt som behövs.")
    OFORANDRAT = ("◆", "#7D53B5", "Oförändrat", 3, "Utvecklingen är i stort sett oförändrad.",
                  "Utan kvantifierat mål: ingen tydlig förändring åt något håll.")
    FEL_HALL = ("✖", "#AD373C", "Fel håll", 1, "Utvecklingen går åt fel håll.",
                "Utvecklingen går bort från målet, eller i motsatt riktning mot den önskade.")
    KAN_INTE_BEDOMAS = ("?", "#595959", "Kan inte bedömas", 0, None,
                        "Data saknas, eller det finns för få jämförbara år.")

    @property
    def symbol(self) -> str:
        """The class's symbol (a shape, never an arrow), shown with its words, never alone."""
        return self.value[0]

    @property
    def colour(self) -> str:
        """The class's colour as ``#RRGGBB``; at least 5:1 contrast against white."""
        return self.value[1]

    @property
    def words(self) -> str:
        """The class in Swedish words, e.g. "Rätt håll men för långsamt"."""
        return self.value[2]

    @property
    def rank(self) -> int:
        """Worst (0) to best (6) within one kind of assessment; a better series never ranks lower."""
        return self.value[3]

    @property
    def sentence(self) -> str | None:
        """The sentence that closes an indicator's assessment text, e.g. "Utvecklingen går åt fel håll."."""
        return self.value[4]

    @property
    def meaning(self) -> str:
        """The method chapter's explanation, with ``{i_takt}``/``{mycket_for_langsamt}`` placeholders."""
        return self.value[5]

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
