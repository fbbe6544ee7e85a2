"""Settings from the environment: where the statistics APIs are.

``rus data uppdatera`` asks Kolada and SCB at their public addresses unless told otherwise, so the
same command can run against a mirror, a proxy or a local replay server (the tests use one):

* ``RUS_KOLADA_URL``: Kolada API v3 base (default ``https://api.kolada.se/v3``);
* ``RUS_SCB_URL``: SCB PxWebApi 2.0 base (default ``https://statistikdatabasen.scb.se/api/v2``);
* ``RUS_SCB_V1_URL``: SCB PxWebApi v1 base, the fallback (default
  ``https://api.scb.se/OV0104/v1/doris/sv/ssd``).

A value that is not an http(s) address raises ConfigError naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from rus_analysis.errors import ConfigError

KOLADA_URL = "https://api.kolada.se/v3"
SCB_URL = "https://statistikdatabasen.scb.se/api/v2"
SCB_V1_URL = "https://api.scb.se/OV0104/v1/doris/sv/ssd"
ENVIRONMENT = {"kolada": ("RUS_KOLADA_URL", KOLADA_URL), "scb": ("RUS_SCB_URL", SCB_URL),
               "scb_v1": ("RUS_SCB_V1_URL", SCB_V1_URL)}


@dataclass(frozen=True)
class ApiUrls:
    """Base addresses of the statistics APIs, without a trailing slash."""

    kolada: str = KOLADA_URL
    scb: str = SCB_URL
    scb_v1: str = SCB_V1_URL


def _checked(variable: str, value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"Miljövariabeln {variable} har värdet {value!r}, som inte är en http- eller "
                          "https-adress (till exempel https://api.kolada.se/v3).")
    return value.strip().rstrip("/")


def api_urls(environ: Mapping[str, str] | None = None) -> ApiUrls:
    """The API bases: each from its environment variable when set (and not empty), else the default."""
    environ = os.environ if environ is None else environ
    chosen = {}
    for field, (variable, default) in ENVIRONMENT.items():
        value = environ.get(variable, "")
        chosen[field] = _checked(variable, value) if value.strip() else default
    return ApiUrls(**chosen)
