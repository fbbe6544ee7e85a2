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
