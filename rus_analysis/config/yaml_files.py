"""Loading YAML settings files into validated models, with Swedish error messages.

Every message names the file and the field, so an analyst can fix a params file without
reading Python tracebacks.
"""

from __future__ import annotations

from rus_analysis.errors import ConfigError

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)

_TYPE_WORDS = {
    "int": "ett heltal",
    "float": "ett tal",
    "string": "en text",
    "bool": "sant eller falskt (true/false)",
    "list": "en lista",
    "dict": "en tabell (nyckel: värde)",
}


class SettingsError(ConfigError):
    """A settings file is missing or invalid. The message is Swedish and user-facing."""


def _describe(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "saknas men måste anges"
    if kind == "extra_forbidden":
        return "är en okänd nyckel (stavfel? ta bort den eller rätta namnet)"
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"har värdet {error.get('input')!r} men ska vara ett av: {expected}"
    if kind == "string_pattern_mismatch":
        return f"har värdet {error.get('input')!r}, som inte har rätt form"
    for name, words in _TYPE_WORDS.items():
        if kind.startswith(name):
            return f"har värdet {error.get('input')!r} men ska vara {words}"
    return f"är ogiltigt: {error.get('msg')}"


def format_validation_error(path: Path, exc: ValidationError) -> str:
    lines = [f"Fel i {path}:"]
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "(hela filen)"
        lines.append(f"  • fältet '{field}' {_describe(error)}")
    return "\n".join(lines)


def read_yaml(path: Path) -> object:
    if not path.is_file():
        raise SettingsError(f"Filen {path} finns inte.")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SettingsError(f"Filen {path} är inte giltig YAML: {exc}") from exc


def load_yaml_model(path: Path, model: type[Model]) -> Model:
    """Read ``path`` and validate it against ``model``; raise SettingsError in Swedish."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise SettingsError(f"Fel i {path}: filen ska innehålla nycklar och värden (en YAML-tabell).")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(format_validation_error(path, exc)) from exc
