"""Importers: turn the shared source files into the tidy snapshot under ``data/series/``.

One module per source folder, each with the same shape: load the input files (checking their
format), process them into tidy series, and hand them back with provenance. Writing them into ``data/``
is the snapshot phase's job (``rus_analysis.snapshot.refresh.build_snapshot``): all at once, so a
failure leaves the previous snapshot untouched, and a rerun on unchanged inputs gives
byte-for-byte identical files.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pandas as pd

from rus_analysis.ingest.files import (
    dalastrategin,
    derived_series,
    emissionsdatabasen,
    fohm,
    halland_socioekonomi,
    kolada_riket,
    kre_energi,
    mucf,
    scb_brp,
    skolverket_behorighet,
)
from rus_analysis.ingest.files.common import SeriesResult, SourceFormatError

__all__ = ["SourceFormatError", "collect_series"]

# One per source folder that yields series of its own; eurostat, folkmangd and kommunpanel only
# supply denominators to derived_series.
BUILDERS = [
    emissionsdatabasen.build,
    halland_socioekonomi.build,
    dalastrategin.build,
    kre_energi.build,
    kolada_riket.build,
    mucf.build,
    skolverket_behorighet.build,
    fohm.build,
    scb_brp.build,
]


def _unreadable_as_source_error(build, sources_dir: Path) -> list[SeriesResult]:
    """Run one builder; a source file that cannot be parsed at all (a corrupt xlsx, a CSV that is
    not CSV, bytes that are not text) becomes a SourceFormatError naming the builder's folder."""
    try:
        return build(sources_dir)
    except SourceFormatError:
        raise
    except (zipfile.BadZipFile, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError,
            ValueError, KeyError, OSError) as exc:
        module = getattr(build, "__module__", "") or ""
        folder = getattr(sys.modules.get(module), "FOLDER", None) or module.rsplit(".", 1)[-1]
        detail = " ".join(str(exc).split())[:200]
        raise SourceFormatError(f"En källfil i {sources_dir / folder if folder else sources_dir} går inte att läsa "
                                f"({type(exc).__name__}: {detail}). Är filen trasig eller avkortad? Hämta om "
                                "källmappen.") from None


def collect_series(sources_dir: Path) -> list[SeriesResult]:
    """Every series the importers produce, in a stable order."""
    sources_dir = Path(sources_dir)
    if not sources_dir.is_dir():
        raise SourceFormatError(f"Källmappen {sources_dir} finns inte. Ange mappen med källfilerna "
                                f"(normalt ../shared/sources bredvid projektmappen).")
    results: list[SeriesResult] = []
    for build in BUILDERS:
        results.extend(_unreadable_as_source_error(build, sources_dir))
    results.extend(_unreadable_as_source_error(
        lambda d: derived_series.build(d, {r.indicator: r for r in results}), sources_dir))
    ids = [r.indicator for r in results]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SourceFormatError(f"Flera importer skapar samma serie: {duplicates}.")
    return sorted(results, key=lambda r: r.indicator)
