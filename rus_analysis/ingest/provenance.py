"""The provenance record of one series (``data/series/<id>.provenance.yml``), schema version 2.

One model for every writer: ``rus data bygg`` (shared source files found in public
repositories), ``rus data uppdatera`` (Kolada/SCB API requests) and ``rus data importera``
(files an analyst downloaded). Where the numbers come from is a list of ``sources``, each with a
``kind``:

- ``repository``: a public repository file the shared source was copied from (repository, path, commit);
- ``api``: one API request (api, agency, table, url, selection, table title and update time);
- ``file``: a file imported by hand (name, sha256, format, when, declared unit and any conversion,
  and how many cells it added, changed or left unchanged).

``series`` holds the sha256 and row count of the CSV the record describes, written by the one
writer (``rus_analysis.snapshot.writer``) and checked by ``rus data kontroll``, so a truncated or
hand-edited CSV is caught. Version 1 records (keys ``origin``, ``api_requests``, ``files`` and no
``schema_version``) are converted by :func:`migrate_v1`.

Text fields are stored literally, exactly as the source gave them; escaping is the renderer's job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rus_analysis.config.yaml_files import expected_values, field_name, safe_load, yaml_error_text
from rus_analysis.errors import DataError, os_error_text

SCHEMA_VERSION = 2
SHA256 = r"^[0-9a-f]{64}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RepositorySource(_Model):
    """A shared source file's public origin: the repository file it was copied from."""

    kind: Literal["repository"] = "repository"
    repository: str = Field(min_length=1)
    path: str = Field(min_length=1)
    commit: str = Field(min_length=1)


class ApiSource(_Model):
    """One request to a statistics API (``rus data uppdatera``)."""

    kind: Literal["api"] = "api"
    api: str = Field(min_length=1)
    agency: str | None = None
    table: str = Field(min_length=1)
    url: str | None = None
    selection: dict[str, list[str]] | None = None
    table_title: str | None = None
    table_updated: str | None = None
    records: int | None = None
    licence: str | None = None


class CellCounts(_Model):
    """What an import did to the series, cell by cell (region, year, kön, grupp)."""

    added: int = Field(ge=0)
    changed: int = Field(ge=0)
    unchanged: int = Field(ge=0)
    removed: int = Field(ge=0, default=0)


class FileSource(_Model):
    """A file downloaded by hand and imported with ``rus data importera``."""

    kind: Literal["file"] = "file"
    file: str = Field(min_length=1)
    sha256: str = Field(pattern=SHA256)
    format: str = Field(min_length=1)
    imported: str = Field(min_length=1)  # ISO 8601 time of the import
    mode: Literal["sammanfoga", "ersatt"] = "sammanfoga"
    table: str | None = None
    table_title: str | None = None
    table_updated: str | None = None
    unit_declared: str | None = None  # the unit the file states, when it states one
    unit_conversion: str | None = None  # e.g. "MWh → GWh: värdena delade med 1 000"
    years: str | None = None
    regions: list[str] = []
    cells: CellCounts | None = None
    notes: list[str] = []


Source = Annotated[RepositorySource | ApiSource | FileSource, Field(discriminator="kind")]


class InputFile(_Model):
    """A file read from the shared sources folder, relative to it, with its checksum."""

    file: str = Field(min_length=1)
    sha256: str = Field(pattern=SHA256)


class SeriesFile(_Model):
    """The series CSV this record describes: its name, checksum and number of data rows."""

    file: str = Field(min_length=1)
    sha256: str = Field(pattern=SHA256)
    rows: int = Field(ge=0)


class SeriesProvenance(_Model):
    """Everything the report's source appendix says about one series, and the CSV's checksum."""

    schema_version: Literal[2] = SCHEMA_VERSION
    indicator: str = Field(min_length=1)
    title: str
    agency: str
    table: str
    release: str
    retrieved: str
    licence: str
    series: SeriesFile | None = None  # set by the writer; required in data/
    sources: list[Source] = []
    inputs: list[InputFile] = []
    transformations: list[str] = []
    notes: list[str] = []
    generator: str = Field(min_length=1)

    def to_yaml(self) -> str:
        """The record as YAML in a fixed key order, so a rebuild is byte-for-byte identical."""
        record = self.model_dump(mode="json", exclude_none=True)
        return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)


class ProvenanceError(DataError):
    """A provenance file cannot be read or does not follow the model. Swedish message naming the file."""


def describe_validation_error(name: str, exc: ValidationError, record: Any = None) -> str:
    """A pydantic error as Swedish lines: which field of which file (in the words of
    :func:`~rus_analysis.config.yaml_files.field_name`), and what is wrong."""
    lines = []
    for error in exc.errors()[:8]:
        where = field_name(tuple(error["loc"]), record) or "posten som helhet"
        kind = error["type"]
        if kind == "missing":
            what = "fältet saknas"
        elif kind == "extra_forbidden":
            what = "okänt fält"
        elif kind == "string_pattern_mismatch":
            what = f"värdet {error.get('input')!r} har fel form (väntade en sha256-summa med 64 hexsiffror)"
        elif kind == "literal_error":
            what = f"värdet {error.get('input')!r} är inte tillåtet ({expected_values(error)})"
        else:
            what = f"ogiltigt värde {error.get('input')!r}"
        lines.append(f"{name}: {where}: {what}")
    return "; ".join(lines)


def parse_record(record: Any, name: str) -> SeriesProvenance:
    """Validate a loaded YAML mapping; raises ProvenanceError naming ``name`` and the field."""
    if not isinstance(record, dict):
        raise ProvenanceError(f"{name}: ursprungsuppgifterna ska vara en YAML-mappning, inte {type(record).__name__}")
    if "schema_version" not in record:
        raise ProvenanceError(f"{name}: ursprungsuppgifterna har det gamla formatet (utan schema_version); "
                              "kör 'rus data migrera' så skrivs de om till version 2")
    if record.get("schema_version") != SCHEMA_VERSION:
        raise ProvenanceError(f"{name}: schema_version {record.get('schema_version')!r} stöds inte "
                              f"(den här versionen läser {SCHEMA_VERSION})")
    try:
        return SeriesProvenance.model_validate(record)
    except ValidationError as exc:
        raise ProvenanceError(describe_validation_error(name, exc, record)) from None


def load_provenance(path: Path) -> SeriesProvenance:
    """Read and validate one provenance file; raises ProvenanceError (Swedish, names the file)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProvenanceError(f"{Path(path).name}: filen med ursprungsuppgifter saknas") from None
    except UnicodeDecodeError:
        raise ProvenanceError(f"{Path(path).name}: går inte att läsa som UTF-8-text") from None
    except OSError as exc:
        raise ProvenanceError(f"{Path(path).name}: går inte att läsa ({os_error_text(exc)})") from None
    try:
        record = safe_load(text)  # libyaml's parser: a build reads every provenance file (issue 16)
    except yaml.YAMLError as exc:
        raise ProvenanceError(f"{Path(path).name}: är inte giltig YAML ({yaml_error_text(exc)})") from None
    return parse_record(record, Path(path).name)


def migrate_v1(record: dict, series: SeriesFile | None = None) -> SeriesProvenance:
    """Convert a version 1 record (``origin``/``api_requests``/``files``) to the model; content kept.

    ``origin`` entries become ``repository`` sources, ``api_requests`` become ``api`` sources and
    ``files`` become ``file`` sources (their import time is the record's ``retrieved``).
    """
    old = dict(record)
    sources: list[dict] = []
    for origin in old.pop("origin", None) or []:
        sources.append({"kind": "repository", **origin})
    for request in old.pop("api_requests", None) or []:
        known = set(ApiSource.model_fields)
        sources.append({"kind": "api", **{k: v for k, v in request.items() if k in known}})
    for file in old.pop("files", None) or []:
        sources.append({"kind": "file", "file": file.get("file") or "okänd fil", "sha256": file.get("sha256"),
                        "format": file.get("format") or "okänt format", "imported": old.get("retrieved") or "okänt",
                        "table_title": file.get("table_title")})
    fields = {k: v for k, v in old.items() if k in SeriesProvenance.model_fields}
    fields.update(schema_version=SCHEMA_VERSION, sources=sources, series=series)
    for key in ("title", "agency", "table", "release", "retrieved", "licence"):
        fields.setdefault(key, "uppgift saknas")
    fields.setdefault("generator", "okänd")
    fields["transformations"] = fields.get("transformations") or []
    fields["notes"] = fields.get("notes") or []
    return SeriesProvenance.model_validate(fields)
