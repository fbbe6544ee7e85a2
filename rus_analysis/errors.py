"""The project's error family: every expected failure is a ``RusError`` with a Swedish message.

The CLI catches ``RusError`` once at the top and prints its message (never a traceback). Each
phase raises its own subclass, so a caller can tell a broken params file from a failed render.
Messages say what is wrong and how to fix it, in Swedish, and name the file, field, indicator
or notebook concerned.
"""

from __future__ import annotations


class RusError(Exception):
    """Base of every expected, user-facing error. ``str(exc)`` is the Swedish message."""


class ConfigError(RusError):
    """A params file, the indicator catalogue or the thresholds are wrong (config phase)."""


class IngestError(RusError):
    """A fetched or imported file cannot be read into a tidy series (ingest phase)."""


class DataError(RusError):
    """The snapshot under ``data/`` is invalid, or a write to it failed (snapshot phase)."""


class BuildError(RusError):
    """Running the notebooks or rendering the report failed (build phase)."""


# The operating system's error texts are English ("Permission denied"); a Swedish message that
# embeds one gives it in Swedish instead (the common ones; others keep the system's text).
_OS_ERROR_TEXTS = {
    "EACCES": "åtkomst nekad",
    "EPERM": "åtgärden är inte tillåten",
    "EROFS": "filsystemet är skrivskyddat",
    "ENOSPC": "disken är full",
    "ENOENT": "filen eller mappen finns inte",
    "EDQUOT": "diskkvoten är slut",
    "EISDIR": "är en mapp",
    "ENOTDIR": "är inte en mapp",
    "EEXIST": "finns redan",
}


def os_error_text(exc: BaseException) -> str:
    """What went wrong in an ``OSError``, in Swedish for the common errnos (EACCES, EPERM, EROFS,
    ENOSPC, ENOENT, …); otherwise the system's own text (``strerror``), or ``str(exc)``."""
    import errno

    code = getattr(exc, "errno", None)
    name = errno.errorcode.get(code) if isinstance(code, int) else None
    if name in _OS_ERROR_TEXTS:
        return _OS_ERROR_TEXTS[name]
    return getattr(exc, "strerror", None) or str(exc)
