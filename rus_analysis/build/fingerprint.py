"""What a report year and each of its chapters depend on, as checksums (issue 15 item 4, issue 16).

Two levels:

- **The year** (:func:`year_input_files`): every file a report year reads, and nothing of another
  year: the catalogue, the thresholds, ``params/<år>.yml`` and the year before's (the summary
  compares with last year's report), the snapshot (``data/``), the book (``_quarto.yml``,
  ``index.qmd``, ``_extensions/``, ``notebooks/``), ``kommentarer/<år>/`` and the package. Creating
  ``params/2026.yml`` changes nothing here for 2025. When the year's fingerprint equals the one in
  the published manifest, the build is a no-op.
- **A chapter** (:func:`chapter_fingerprint`): its notebook, the parameters above, the package,
  and the data and commentary of the indicators it shows. A chapter whose code cells only call
  ``report.show_goal/show_indicators/show_indicator/show_analysis`` with literal ids (or
  ``report.show_method()``, which shows no data) depends on those ids' series
  (``data/series/<id>.*``) and comments (``kommentarer/<år>/<id>.md``) alone;
  any other chapter (the summary, the appendices, anything written differently) depends on all
  data and all of the year's commentary. Changing one series re-executes only the chapters that
  show it (and those that show everything).

Checksums are SHA-256 of the bytes, remembered per file by size and modification time in
``_build/.kontrollsummor.json`` (:class:`HashCache`), so an unchanged project is checked with
``stat`` calls only; a file whose time or size changed is hashed again. This module uses the
standard library only: ``rus rapport`` with nothing to do never imports pandas or papermill.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import rus_analysis  # noqa: F401  (the version is part of every fingerprint)
from rus_analysis.report.figure_cache import web_drawings  # light (standard library only)

CACHE_FILE = ".kontrollsummor.json"
CACHE_VERSION = 1
# A file changed less than this many seconds ago may change again within the same timestamp
# tick: its checksum is not remembered (the "racy git" problem).
RACY_SECONDS = 2.0
# Notebook calls whose data is the literal id they are given (an indicator or a kraftsamling).
SCOPED_CALLS = {"show_goal", "show_indicators", "show_indicator", "show_analysis"}
# Calls that show no data at all (Bilaga A, the method: the thresholds only).
DATALESS_CALLS = {"show_method"}
_CALL = re.compile(r"""\breport\.(\w+)\(\s*(?:(["'])([\w-]+)\2)?\s*\)""")
_HARMLESS_LINE = re.compile(
    r"""^\s*(#.*|from rus_analysis\.report\.chapter import open_report\s*|"""
    r"""report\s*=\s*open_report\(report_year,\s*params_dir,\s*data_dir\)\s*|)$""")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class HashCache:
    """SHA-256 of files, remembered by path, size and modification time (see the module docstring).

    ``cache_file`` is read once; :meth:`save` writes it back (atomically) when something new was
    hashed. A missing, unreadable or foreign cache file is an empty cache."""

    def __init__(self, cache_file: Path | None) -> None:
        self.cache_file = cache_file
        self._entries: dict[str, list] = {}
        self._dirty = False
        if cache_file is not None and cache_file.is_file():
            try:
                data = json.loads(cache_file.read_text(encoding="utf-8"))
                if data.get("version") == CACHE_VERSION and isinstance(data.get("files"), dict):
                    self._entries = data["files"]
            except (OSError, ValueError, AttributeError):
                self._entries = {}

    def sha256(self, path: Path) -> str:
        """The file's SHA-256 (hex); from the cache when its size and mtime are unchanged."""
        stat = path.stat()
        key = str(path)
        entry = self._entries.get(key)
        if entry and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            return entry[2]
        digest = _sha256(path)
        if time.time() - stat.st_mtime > RACY_SECONDS:
            self._entries[key] = [stat.st_size, stat.st_mtime_ns, digest]
            self._dirty = True
        return digest

    def save(self) -> None:
        """Write the cache back when it changed (best effort: a read-only folder is no error)."""
        if not self._dirty or self.cache_file is None:
            return
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.cache_file.parent, prefix=".kontrollsummor-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"version": CACHE_VERSION, "files": self._entries}, out)
            os.replace(temporary, self.cache_file)
            self._dirty = False
        except OSError:
            pass


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(pattern)
                  if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts)


def year_input_files(root: Path, year: int, package: Path | None = None) -> dict[str, Path]:
    """Every file report ``year`` of the project at ``root`` reads, by name (project files relative
    to the project, files of the installed package folder ``package`` as ``rus_analysis/…``).
    Only this year's inputs: no other year's params file (except the year before's) or commentary."""
    params = root / "params"
    candidates = [
        params / "indikatorer.yml", params / "bedomning.yml", params / f"{year}.yml", params / f"{year - 1}.yml",
        root / "_quarto.yml", root / "index.qmd",
        *_files(root / "_extensions"),
        *sorted((root / "notebooks").glob("*.ipynb")),
        *_files(root / "data", "*.csv"), *_files(root / "data", "*.yml"),
        *_files(root / "kommentarer" / str(year), "*.md"),
    ]
    files = {p.relative_to(root).as_posix(): p for p in candidates if p.is_file()}
    for path in _files(package) if package is not None else []:
        if path.suffix not in (".pyc", ".pyo"):
            files[path.relative_to(package.parent).as_posix()] = path
    return files


def checksums(files: Mapping[str, Path], cache: HashCache) -> dict[str, str]:
    """``{name: sha256}`` for the files, through the cache."""
    return {name: cache.sha256(path) for name, path in sorted(files.items())}


def combined(sums: Mapping[str, str], *extra: object) -> str:
    """One SHA-256 of named checksums and any extra values (engine, version, parameters)."""
    text = json.dumps(dict(sorted(sums.items())), sort_keys=True) + "|" + "|".join(map(str, extra))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def year_fingerprint(sums: Mapping[str, str], engine: str) -> str:
    """The year's fingerprint: its inputs' checksums, the package version, the engine and whether
    the web drawings are made (``RUS_WEB_VARIANTS``: a report built without them is not the same
    report, and a normal build after it must not count it as up to date)."""
    return combined(sums, rus_analysis.__version__, engine, web_drawings())


def notebook_scope(notebook: Path) -> set[str] | None:
    """The ids (indicators, kraftsamlingar, comment ids) a chapter notebook shows, or None when
    it may show anything (a call other than the scoped ones, or code that is not a plain call)."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ids: set[str] = set()
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if index == 0 or "parameters" in cell.get("metadata", {}).get("tags", []):
            continue  # the parameters cell: replaced by the build's parameters
        for line in source.splitlines():
            if _HARMLESS_LINE.match(line):
                continue
            match = _CALL.fullmatch(line.strip())
            if match and match.group(1) in DATALESS_CALLS and not match.group(3):
                continue
            if not match or match.group(1) not in SCOPED_CALLS or not match.group(3):
                return None
            ids.add(match.group(3))
    return ids


def chapter_fingerprint(notebook_name: str, scope: set[str] | None, sums: Mapping[str, str],
                        members: Mapping[str, Iterable[str]], year: int, parameters: Mapping[str, object]) -> str:
    """The fingerprint of one executed chapter.

    ``sums`` are the year's input checksums (:func:`checksums`), ``scope`` the chapter's ids
    (:func:`notebook_scope`; None: everything), ``members`` each kraftsamling's indicator ids.
    Depends on the notebook, the params files, the package, the parameters passed to the
    notebook and the data and commentary in scope."""
    if scope is None:
        wanted = lambda name: True  # noqa: E731 - everything
    else:
        ids = set(scope)
        for item in scope:
            ids |= set(members.get(item, ()))

        def wanted(name: str) -> bool:
            if name.startswith("data/series/"):
                return name.split("/")[-1].split(".")[0] in ids
            if name.startswith(f"kommentarer/{year}/"):
                return Path(name).stem in ids
            if name.startswith(("notebooks/", "data/")):
                return name == notebook_name if name.startswith("notebooks/") else True
            return True

    selected = {name: digest for name, digest in sums.items()
                if (not name.startswith("notebooks/") or name == notebook_name) and wanted(name)}
    return combined(selected, rus_analysis.__version__, json.dumps(dict(parameters), sort_keys=True))


def read_json(path: Path) -> dict:
    """A JSON object from ``path``, or ``{}`` when it is missing or not JSON."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
