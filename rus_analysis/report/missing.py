"""The "Data saknas" box: shown instead of a chart or table when the report has no data for it.

Charts, tables and the notebook layer all return or show it, so it sits below all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rus_analysis.config.catalogue import Indicator
from rus_analysis.report.markup import Markdown
from rus_analysis.report.rows import source_text
from rus_analysis.report.typography import tidy


@dataclass(frozen=True)
class MissingData:
    """Shown instead of a chart or table when the report has no data for it.

    In the reader's words: what is missing (``detail``), who publishes the statistics and when
    (``published``), and the source. Never a command or a file name: how an analyst fetches the
    data is in the catalogue's ``missing_note`` and in ``rus data kontroll``.
    """

    title: str
    source: str
    published: str | None = None
    detail: str | None = None

    def markdown(self) -> Markdown:
        """A warning callout titled "Data saknas: <title>" (said once), the rest as its text.

        The title is the callout's first heading, which Quarto takes as the callout title (not a
        ``title`` attribute, which would also become a tooltip in HTML); the built-in filter
        (``build/templates/builtin.lua``) reads it the same way. Title, detail, publication and
        source are text (escaped by :mod:`rus_analysis.report.markup`).
        """
        lines = []
        for text in (self.detail, self.published):
            if text:
                lines.append(" ".join(text.split()).rstrip(".") + ".")
        lines.append(f"Källa: {self.source.rstrip('.')}.")
        body = tidy(" ".join(lines))
        return Markdown("::: {{.callout-warning}}\n## {}\n\n{}\n:::\n").format(
            f"Data saknas: {tidy(self.title)}", body)

    def _repr_markdown_(self) -> Markdown:
        return self.markdown()


def missing_for(indicator: Indicator, detail: str | None = None) -> MissingData:
    """The "Data saknas" box for a catalogue indicator: what is missing, who publishes it."""
    return MissingData(indicator.title, source_text(indicator), indicator.published, detail)
