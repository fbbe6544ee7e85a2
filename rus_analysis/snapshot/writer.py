"""The one writer into ``data/``: validate → stage → write → read back → validate → swap.

Every command that changes the snapshot (``rus data bygg``, ``uppdatera``, ``importera``)
hands its finished series to :func:`write_snapshot`. Nothing is written unless every new series
passes the snapshot contract (``snapshot.validation``); the files are written to a staging copy
of ``data/series``, read back from disk and validated again (schema, the CSV's sha256 against
its provenance, the provenance model), and only then swapped in (``snapshot.atomic``). On any
failure ``data/`` is byte-identical to before and the error (``WriteError``, Swedish) names the
indicator, what it was read from (file or query) and the problem.

Usage::

    from rus_analysis.snapshot.writer import SeriesWrite, write_snapshot

    write_snapshot(data_dir, [SeriesWrite(indicator="unga_uvas", frame=rows, provenance=record,
                                          origin="Kolada N02797")], catalogue)

``frame`` has the snapshot columns (``store.COLUMNS``; dtypes as ``store.DTYPES``) and
``provenance`` is a ``SeriesProvenance`` (``ingest.provenance``); the writer fills in its
``series`` field (file name, sha256 and row count of the canonical CSV).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rus_analysis.config.catalogue import Catalogue
from rus_analysis.errors import DataError, os_error_text
from rus_analysis.ingest.provenance import ProvenanceError, SeriesFile, SeriesProvenance, load_provenance
from rus_analysis.snapshot.atomic import SwapError, atomic_directory, is_disk_full
from rus_analysis.snapshot.store import read_series_file, to_csv_text
from rus_analysis.snapshot.validation import validate_series


class WriteError(DataError):
    """A write to ``data/`` was refused or failed; ``data/`` is unchanged. Swedish message."""


@dataclass
class SeriesWrite:
    """One series to write: its rows, its provenance and what it was read from (for messages)."""

    indicator: str
    frame: pd.DataFrame
    provenance: SeriesProvenance
    origin: str = ""  # e.g. "filen export.csv", "Kolada N02797", "källfilerna i ../shared/sources"

    def label(self) -> str:
        """The series as messages name it: ``id (origin)``, e.g. ``energianvandning (filen export.csv)``."""
        return f"{self.indicator} ({self.origin})" if self.origin else self.indicator


@dataclass
class WriteResult:
    """What a write did: the series written (with their row counts) and removed."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def sha256_text(text: str) -> str:
    """sha256 of ``text`` encoded as UTF-8 (the bytes a series CSV holds on disk)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _bullets(problems: list[str]) -> str:
    return "\n".join(f"  • {p}" for p in problems)


def _check_before(writes: list[SeriesWrite], catalogue: Catalogue | None) -> None:
    ids = [w.indicator for w in writes]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise WriteError(f"Samma serie skulle skrivas två gånger: {', '.join(duplicated)}.")
    known = {i.id for i in catalogue.indicators} if catalogue is not None else None
    problems: list[str] = []
    for write in writes:
        if known is not None and write.indicator not in known:
            problems.append(f"{write.label()}: indikatorn finns inte i params/indikatorer.yml; lägg till den "
                            "i katalogen först")
            continue
        if write.provenance.indicator != write.indicator:
            problems.append(f"{write.label()}: ursprungsuppgifterna gäller {write.provenance.indicator!r}")
        problems += [f"{write.label()}: {p}" for p in validate_series(write.frame, write.indicator)]
    if problems:
        raise WriteError("Serierna klarar inte kontrollen och skrevs inte:\n" + _bullets(problems))


def _read_back(staging: Path, write: SeriesWrite, expected_sha: str) -> list[str]:
    """Problems found when the staged files are read back from disk (an empty list when none)."""
    problems = []
    csv = staging / f"{write.indicator}.csv"
    actual = hashlib.sha256(csv.read_bytes()).hexdigest()
    if actual != expected_sha:
        problems.append(f"{write.label()}: filen {csv.name} blev inte som den skrevs (sha256 skiljer sig)")
    problems += [f"{write.label()}: {p}" for p in validate_series(read_series_file(csv), write.indicator)]
    try:
        record = load_provenance(staging / f"{write.indicator}.provenance.yml")
    except ProvenanceError as exc:
        problems.append(f"{write.label()}: {exc}")
    else:
        if record.series is None or record.series.sha256 != actual:
            problems.append(f"{write.label()}: ursprungsuppgifternas sha256 stämmer inte med {csv.name}")
    return problems


def write_snapshot(data_dir: Path, writes: Iterable[SeriesWrite], catalogue: Catalogue | None = None,
                   remove: Iterable[str] = ()) -> WriteResult:
    """Write ``writes`` (and delete the series ids in ``remove``) into ``data_dir/series``, all or nothing.

    Series not named are kept as they are. ``catalogue``, when given, must list every written
    indicator. Raises WriteError (Swedish; ``data/`` unchanged) when a series breaks the
    contract, when the staged files do not read back identically, or when the disk cannot be
    written. A symbolic link ``data/`` (or ``data/series``) is written through, never replaced.
    """
    writes = list(writes)
    removed = sorted(set(remove) - {w.indicator for w in writes})
    _check_before(writes, catalogue)
    texts = {}
    for write in writes:
        text = to_csv_text(write.frame)
        texts[write.indicator] = text
        write.provenance = write.provenance.model_copy(update={"series": SeriesFile(
            file=f"{write.indicator}.csv", sha256=sha256_text(text), rows=len(write.frame))})
    result = WriteResult()
    try:
        with atomic_directory(Path(data_dir) / "series") as staging:
            for indicator_id in removed:
                (staging / f"{indicator_id}.csv").unlink(missing_ok=True)
                (staging / f"{indicator_id}.provenance.yml").unlink(missing_ok=True)
            for write in writes:
                (staging / f"{write.indicator}.csv").write_text(texts[write.indicator], encoding="utf-8",
                                                                 newline="")
                (staging / f"{write.indicator}.provenance.yml").write_text(write.provenance.to_yaml(),
                                                                           encoding="utf-8", newline="")
            problems = [p for w in writes for p in _read_back(staging, w, w.provenance.series.sha256)]
            if problems:
                raise WriteError("De skrivna filerna klarar inte kontrollen vid återläsningen:\n" + _bullets(problems))
    except SwapError as exc:
        raise WriteError(str(exc)) from None
    except OSError as exc:
        what = "disken är full" if is_disk_full(exc) else os_error_text(exc)
        names = ", ".join(w.label() for w in writes) or ", ".join(removed)
        raise WriteError(f"Skrivningen av {names} misslyckades: {what}.") from None
    result.written = [w.indicator for w in writes]
    result.removed = removed
    result.rows = {w.indicator: len(w.frame) for w in writes}
    return result
