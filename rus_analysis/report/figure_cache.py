"""Charts reused by content hash (issue 16): a chart drawn from the same inputs by the same code
is not drawn again.

Drawing and saving a chart in its two sizes (print and phone SVG) is most of a chapter's time.
A chart function's result is fully determined by its arguments (the series rows, the indicator,
the regions, …), the package's code and matplotlib. When the build names a cache
folder in ``RUS_FIGURCACHE`` (and a salt for the code in ``RUS_FIGURCACHE_SALT``), each chart is
stored there under the SHA-256 of those; a later chart with the same key gets the stored files
and text (alt text, title, source, data) without drawing anything. Outside a build (a notebook
opened by hand, the tests) the variable is unset and every chart is drawn.

An entry is a folder ``<key>/`` with the saved files (``print.svg``, ``phone.svg``: the
profiles' formats) and ``chart.pickle`` (the chart's fields without the figure), written whole or
not at all. Anything unreadable is a miss, and so is an entry that lacks a file the current
settings need (:func:`required_files`: the print file, and the phone SVG unless
``RUS_WEB_VARIANTS=0``): a chart copied from it would silently lose its phone drawing in the HTML.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

CACHE_ENV = "RUS_FIGURCACHE"
SALT_ENV = "RUS_FIGURCACHE_SALT"
META = "chart.pickle"
# The extra drawings for the HTML (report.display): the print SVG serves wider screens, so only the
# phone's (issue 16). RUS_WEB_VARIANTS=0 skips them (a quick notebook session).
WEB_VARIANTS = ("phone",)
WEB_VARIANTS_ENV = "RUS_WEB_VARIANTS"


def web_drawings() -> bool:
    """Whether charts get their web (phone) drawings: ``RUS_WEB_VARIANTS`` is not ``0``. The one
    reading of the setting: drawing, the cache, the build's check and its fingerprints ask here."""
    return os.environ.get(WEB_VARIANTS_ENV, "1") != "0"


def cache_dir() -> Path | None:
    """The cache folder named by the build, or None (no caching)."""
    folder = os.environ.get(CACHE_ENV)
    return Path(folder) if folder else None


def _canonical(value: Any, digest: hashlib._Hash) -> bool:
    """Feed a stable description of ``value`` to ``digest``; False when there is none."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        digest.update(b"frame")
        digest.update(json.dumps([list(map(str, value.columns)), [str(t) for t in value.dtypes]]).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).values.tobytes())
        return True
    if hasattr(value, "model_dump_json"):  # pydantic models: the indicator, the params
        digest.update(type(value).__qualname__.encode() + value.model_dump_json().encode())
        return True
    if isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}{len(value)}".encode())
        return all(_canonical(item, digest) for item in value)
    if isinstance(value, dict):
        digest.update(f"dict{len(value)}".encode())
        return all(_canonical(k, digest) and _canonical(v, digest) for k, v in sorted(value.items(), key=repr))
    if value is None or isinstance(value, (str, int, float, bool)):
        digest.update(repr(value).encode())
        return True
    if hasattr(value, "name") and type(value).__name__ == "Profile":  # style.Profile: a frozen dataclass
        digest.update(repr(value).encode())
        return True
    return False


def chart_key(function: Any, arguments: dict[str, Any]) -> str | None:
    """The cache key of a chart function called with ``arguments`` (bound, by name), or None when
    caching is off or an argument has no stable description (then the chart is simply drawn)."""
    if cache_dir() is None:
        return None
    import matplotlib

    digest = hashlib.sha256()
    digest.update(f"{function.__module__}.{function.__qualname__}|{matplotlib.__version__}|".encode())
    digest.update(os.environ.get(SALT_ENV, "").encode())
    digest.update(str(web_drawings()).encode())  # which sizes are drawn
    for name in sorted(arguments):
        digest.update(name.encode())
        if not _canonical(arguments[name], digest):
            return None
    return digest.hexdigest()


def required_files(profile: Any) -> list[str]:
    """The entry files a chart drawn in ``profile`` (a :class:`~rus_analysis.report.style.Profile`)
    needs under the current settings: ``print.<format>``, plus ``phone.svg`` unless
    ``RUS_WEB_VARIANTS=0``."""
    from rus_analysis.report.style import PROFILES

    names = [f"print.{profile.format}"]
    if web_drawings():
        names += [f"{variant}.{PROFILES[variant].format}" for variant in WEB_VARIANTS]
    return names


def load(key: str) -> tuple[dict[str, Any], Path] | None:
    """The stored chart fields and the entry's folder, or None: no cache, no entry, an unreadable
    one, or one missing (or holding an empty) file of :func:`required_files`."""
    folder = cache_dir()
    if folder is None:
        return None
    entry = folder / key
    try:
        with open(entry / META, "rb") as handle:
            fields = pickle.load(handle)
        needed = required_files(fields["profile"])
        if not all((entry / name).is_file() and (entry / name).stat().st_size > 0 for name in needed):
            return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError,
            KeyError, TypeError):
        return None
    return fields, entry


def store(key: str, fields: dict[str, Any], files: dict[str, Path]) -> None:
    """Store a drawn chart: ``fields`` (picklable) and ``files`` (entry file name → saved file).
    Best effort: a cache that cannot be written is no error. A chart lacking a file of
    :func:`required_files` is not stored (it would be an entry :func:`load` treats as a miss)."""
    folder = cache_dir()
    if folder is None:
        return
    if not set(required_files(fields["profile"])) <= set(files):
        return
    if (folder / key).is_dir() and load(key) is None:  # an incomplete entry (an older build's): replace it
        shutil.rmtree(folder / key, ignore_errors=True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".ny-", dir=folder))
        for name, path in files.items():
            shutil.copyfile(path, staging / name)
        with open(staging / META, "wb") as out:
            pickle.dump(fields, out, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            os.replace(staging, folder / key)
        except OSError:  # stored meanwhile by another kernel: keep that one
            shutil.rmtree(staging, ignore_errors=True)
    except OSError:
        pass
