"""A new report year's parameters, ``params/<år>.yml``, made from the latest year's file.

``rus nytt-ar 2026`` copies the newest ``params/<år>.yml`` byte for byte except two values:
``rapportar`` becomes the new year and ``data_till_och_med`` the year before it. Comments, key
order, quoting and everything else stay as the analyst wrote them; a comment that names the old
report ("uppföljningsrapporten 2025") names the new one, and the old report's
``publiceringsdatum`` becomes a comment with the new year (the new report is not published
yet). The two values are found with the YAML parser's positions and replaced in the text, so no
round-trip YAML library is needed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from rus_analysis.config.report_params import ReportParams, available_years
from rus_analysis.config.yaml_files import SettingsError, read_yaml_document, validate_document

REPLACED = ("rapportar", "data_till_och_med")


def new_year_text(source: Path, year: int) -> str:
    """The text of ``source`` (a ``params/<år>.yml``) with ``rapportar: year`` and
    ``data_till_och_med: year - 1``; comments that say ``rapporten <old year>`` say the new one.

    Raises SettingsError (Swedish) when the source cannot be read or lacks one of the two keys
    at the top level.
    """
    document = read_yaml_document(source)
    text = source.read_bytes().decode("utf-8-sig")
    values = {"rapportar": year, "data_till_och_med": year - 1}
    spans = []
    for key in REPLACED:
        node = document.nodes.get((key,))
        if not isinstance(node, yaml.ScalarNode):
            raise SettingsError(f"Fel i {source}: fältet '{key}' saknas eller är inte ett enkelt värde, så "
                                f"filen kan inte bli mall för {year}.")
        spans.append((node.start_mark.index, node.end_mark.index, str(values[key])))
    for start, end, value in sorted(spans, reverse=True):
        text = text[:start] + value + text[end:]
    old = document.data["rapportar"] if isinstance(document.data, dict) else None
    if isinstance(old, int):
        text = _comments_name_year(text, old, year)
        text = _unpublished(text, old, year)
    return text


def _unpublished(text: str, old: int, new: int) -> str:
    """The new report is not published yet: a set ``publiceringsdatum: <old>-MM-DD`` becomes the
    comment ``# publiceringsdatum: <new>-MM-DD`` (the analyst sets it when the date is known),
    and a commented example names the new year too."""
    pattern = re.compile(rf"^(#\s*)?(publiceringsdatum:\s*['\"]?){old}(-\d\d-\d\d)", re.MULTILINE)
    return pattern.sub(lambda m: f"{m.group(1) or '# '}{m.group(2)}{new}{m.group(3)}", text)


def _comments_name_year(text: str, old: int, new: int) -> str:
    """In comment parts of lines only: ``rapporten <old>`` → ``rapporten <new>``."""
    pattern = re.compile(rf"(rapporten\s+){old}\b")
    lines = []
    for line in text.splitlines(keepends=True):
        hash_at = _comment_start(line)
        if hash_at is not None:
            line = line[:hash_at] + pattern.sub(rf"\g<1>{new}", line[hash_at:])
        lines.append(line)
    return "".join(lines)


def _comment_start(line: str) -> int | None:
    """Where a YAML comment starts in ``line`` (a ``#`` at the start or after a blank, outside
    quotes), or None."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return None


def create_new_year(params_dir: Path, year: int) -> tuple[Path, Path, ReportParams]:
    """Write ``params/<year>.yml`` from the newest existing year; return (new file, source, params).

    Refuses with SettingsError (Swedish, nothing written) when the file already exists, when
    there is no year to copy, or when ``year`` is not after the newest year. The new text is
    validated as a report year's parameters before it is written; it is written under a temporary
    name and linked into place, so a half-written or overwritten file cannot happen.
    """
    target = params_dir / f"{year}.yml"
    if target.exists():
        raise SettingsError(f"{target} finns redan; inget skrevs. Ändra den filen direkt, eller ta bort "
                            f"den först om den ska göras om från förra året.")
    years = available_years(params_dir)
    if not years:
        raise SettingsError(f"Det finns ingen parameterfil (t.ex. 2025.yml) i {params_dir} att utgå från.")
    latest = years[-1]
    if year <= latest:
        raise SettingsError(f"Året {year} kommer inte efter det senaste rapportåret {latest}; inget skrevs. "
                            f"Ett nytt år måste vara senare än {latest}.")
    source = params_dir / f"{latest}.yml"
    text = new_year_text(source, year)
    staging = params_dir / f".{year}.yml.ny"
    try:
        staging.write_text(text, encoding="utf-8", newline="")
        params = validate_document(read_yaml_document(staging), ReportParams)
        _link_or_write(staging, target, text)
    except SettingsError as exc:
        raise SettingsError(str(exc).replace(str(staging), str(target))) from None
    finally:
        staging.unlink(missing_ok=True)
    return target, source, params


def _link_or_write(staging: Path, target: Path, text: str) -> None:
    """Put the validated file in place without ever overwriting one: a hard link where the file
    system has them, else an exclusive create (removed again if writing fails)."""
    try:
        os.link(staging, target)
        return
    except FileExistsError:
        raise SettingsError(f"{target} finns redan; inget skrevs.") from None
    except OSError:
        pass  # no hard links here (some network or cloud folders)
    try:
        with open(target, "x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        raise SettingsError(f"{target} finns redan; inget skrevs.") from None
    except OSError:
        target.unlink(missing_ok=True)
        raise
