"""SHA-256 of a file: for provenance (ingest), the snapshot and the build manifest alike."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    """The file's SHA-256 as 64 lowercase hex digits, read in 64 KiB chunks.

    Raises OSError when the file cannot be read.
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()
