"""The "Data saknas" box: shown instead of a chart or table when the snapshot has no data for it.

Charts, tables and the notebook layer all return or show it, so it sits below all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rus_analysis.config.catalogue import Indicator


@dataclass(frozen=True)
class MissingData:
    """Shown instead of a chart or table when the snapshot has no data for it."""

    title: str
    source: str
    how_to_fetch: str | None = None
    detail: str | None = None

    def markdown(self) -> str:
        lines = [f"**Data saknas: {self.title}.**"]
        if self.detail:
            lines.append(self.detail.rstrip(".") + ".")
        lines.append(f"Källa: {self.source.rstrip('.')}.")
        lines.append((self.how_to_fetch or "Hämta uppgifterna med `rus data uppdatera` när nätverk "
                      "finns, eller importera en nedladdad fil med `rus data importera`.").strip())
        body = " ".join(lines)
        # A callout in Quarto; pandoc keeps it as a block with the same words.
        return f'::: {{.callout-warning title="Data saknas"}}\n{body}\n:::\n'

    def _repr_markdown_(self) -> str:
        return self.markdown()


def missing_for(indicator: Indicator, detail: str | None = None) -> MissingData:
    """The "Data saknas" box for a catalogue indicator, with its source and fetch note."""
    source = f"{indicator.source.agency}, {indicator.source.table}"
    return MissingData(indicator.title, source, indicator.missing_note, detail)
