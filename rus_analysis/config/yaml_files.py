"""Loading YAML settings files into validated models, with Swedish error messages.

Every message names the file, the line and the field, so an analyst can fix a params file
without reading Python tracebacks. The reader is stricter than plain ``yaml.safe_load``:

- the file must be UTF-8 (a BOM is accepted); a Latin-1/Windows-1252 file is refused naming the line;
- files larger than :data:`MAX_BYTES` are refused before they are parsed;
- YAML aliases (``*namn``) may repeat a value, but a file whose aliases expand to more than
  :data:`MAX_NODES` values, or refer to themselves, is refused ("billion laughs");
- a key that occurs twice in one mapping is refused naming both lines (plain YAML lets the last win);
- a code written without quotes that YAML reads as a number (``0006`` becomes 6) is explained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from rus_analysis.config.numbers import message_number
from rus_analysis.errors import ConfigError

Model = TypeVar("Model", bound=BaseModel)

# Settings files are a few kB (indikatorer.yml ~20 kB); anything this large is a mistake.
MAX_BYTES = 1_000_000
# Values after alias expansion (indikatorer.yml has ~3 000): far above any real file, far below harm.
MAX_NODES = 200_000

_TYPE_WORDS = {
    "int": "ett heltal",
    "float": "ett tal",
    "string": "en text",
    "bool": "sant eller falskt (true/false)",
    "list": "en lista",
    "dict": "en tabell (nyckel: värde)",
    "model": "en tabell (nyckel: värde)",
    "date": "ett datum (ÅÅÅÅ-MM-DD)",
    "url": "en webbadress (https://…)",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "minst"),
    "greater_than": ("gt", "större än"),
    "less_than_equal": ("le", "högst"),
    "less_than": ("lt", "mindre än"),
}
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
# PyYAML's problem (English) → Swedish, by regular expression; first match wins, groups are
# reused. Every problem text of PyYAML 6 (scanner, parser, composer, constructor, reader) falls
# under one of these or the Swedish fallback of :func:`_yaml_problem`: no English reaches the user.
_YAML_PROBLEMS = [
    (r"could not find expected ':'", "ett kolon (:) efter en nyckel saknas"),
    (r"found character '\\t'", "tabbtecken är inte tillåtna för indrag; använd mellanslag"),
    (r"expected ',' or '\]'", "en lista inom [ ] är inte avslutad med ]"),
    (r"expected ',' or '\}'", "en tabell inom { } är inte avslutad med }"),
    (r"mapping values are not allowed here", "ett kolon står där det inte får stå (sätt texten inom citattecken)"),
    (r"found unexpected end of stream", "filen tar slut mitt i ett värde (ett citattecken saknas?)"),
    (r"found undefined alias", "ett alias (*namn) pekar på något som inte finns"),
    (r"bad indentation", "indraget är fel"),
    (r"did not find expected key", "indraget är fel eller ett bindestreck saknas"),
    (r"did not find expected '-' indicator", "indraget är fel i en lista"),
    (r"found unknown escape character", "ett omvänt snedstreck (\\) i en text inom \"\" (använd ' ' i stället)"),
    (r"expected the node content, but found '<stream end>'",
     "filen tar slut där ett värde ska stå (en lista eller tabell är inte avslutad?)"),
    (r"expected the node content", "ett värde saknas här eller börjar med ett tecken som inte får stå först "
     "(sätt texten inom citattecken)"),
    (r"expected <block end>", "indraget är fel: raden står längre in eller ut än raderna den hör ihop med"),
    (r"expected alphabetic or numeric character", "ett alias (*namn) eller ankare (&namn) saknar namn"),
    (r"found character '(.)' that cannot start any token",
     "tecknet \\1 får inte stå först i ett värde (sätt texten inom citattecken)"),
    (r"another document|single document|document separator|document start",
     "filen har flera dokument (en rad med --- mitt i filen); en inställningsfil är ett enda dokument"),
    (r"constructor for the tag|tag handle|non-specific tag|appended to the tag|while scanning a tag|"
     r"expected '!'|expected URI",
     "en YAML-tagg (!…) står här; sådana används inte i inställningsfilerna (sätt texten inom citattecken)"),
    (r"directive|incompatible YAML document", "ett YAML-direktiv (%…) står här; sådana används inte i "
     "inställningsfilerna"),
    (r"duplicate anchor", "samma ankare (&namn) står två gånger"),
    (r"recursive node", "ett YAML-alias (*namn) pekar på sig självt"),
    (r"unhashable key", "en nyckel är en lista eller tabell; en nyckel ska vara en text"),
    (r"unacceptable character", "filen innehåller ett otillåtet tecken (ett styrtecken)"),
    (r"comment or a line break", "något står efter värdet där bara en kommentar (#) får stå"),
    (r"sequence entries are not allowed here", "ett bindestreck (-) står där det inte får stå (indraget?)"),
    (r"mapping keys are not allowed here", "en nyckel står där den inte får stå (indraget?)"),
    (r"chomping or indentation indicators|indentation indicator",
     "tecknen efter | eller > i ett värde på flera rader är fel"),
    (r"escape sequence|hexadecimal", "en teckenkod (\\x, \\u) i en text inom \"\" är fel (använd ' ' i stället)"),
]


class SettingsError(ConfigError):
    """A settings file is missing or invalid. The message is Swedish and user-facing."""


@dataclass
class YamlDocument:
    """A parsed settings file: its data and, per key path, the line (1-based) and node."""

    path: Path
    data: object
    nodes: dict[tuple, yaml.Node] = field(default_factory=dict)

    def line(self, loc: tuple) -> int | None:
        """The line of ``loc`` (a pydantic error location), or of its nearest present parent."""
        loc = tuple(loc)
        while loc:
            node = self.nodes.get(loc)
            if node is not None:
                return node.start_mark.line + 1
            loc = loc[:-1]
        return None


def _expanded_size(path: Path, root: yaml.Node) -> int:
    """How many values the document has once aliases are expanded; refuses cycles and excess.

    PyYAML composes an alias as a second reference to the same node, so counting with a memo
    is cheap even for a "billion laughs" file; expanding it (as validation would) is not."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise SettingsError(f"{_where(path, node.start_mark.line + 1)}: ett YAML-alias (*namn) "
                                f"pekar på sig självt. Skriv ut värdet i stället.")
        active.add(key)
        children = node.value if isinstance(node, yaml.SequenceNode) else (
            [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
        total = 1 + sum(size(child) for child in children)
        active.discard(key)
        if total > MAX_NODES:
            raise SettingsError(
                f"{_where(path, node.start_mark.line + 1)}: YAML-alias (*namn) gör filen till mer än "
                f"{_grouped(MAX_NODES)} värden. En inställningsfil behöver aldrig så många; skriv ut "
                f"värdena i stället för att upprepa dem med alias."
            )
        sizes[key] = total
        return total

    return size(root)


def _where(path: Path, line: int | None, key: str | None = None) -> str:
    where = f"Fel i {path}"
    if line is not None:
        where += f", rad {line}"
    if key is not None:
        where += f", fältet '{key}'"
    return where


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def field_name(loc: tuple, data: object = None) -> str:
    """Where a pydantic error location is, in Swedish words around the file's own keys:
    ``('region',)`` → ``fältet 'region'``; ``('jamforbara_lan', 0)`` → ``post 1 i listan
    'jamforbara_lan'``; ``('indicators', 0, 'direction')`` → ``fältet 'direction' i post 1
    (id 'x') i listan 'indicators'`` (the id when the item in ``data`` has one)."""
    words: list[str] = []
    node = data
    for index, part in enumerate(loc):
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            words.append(f"post {part + 1}" + (f" (id '{ident}')" if isinstance(ident, str) else ""))
            node = item
        else:
            follows_index = index + 1 < len(loc) and isinstance(loc[index + 1], int)
            words.append(("listan" if follows_index else "fältet") + f" '{part}'")
            node = node.get(part) if isinstance(node, dict) else None
    if not words:
        return ""
    last, *outer = reversed(words)
    if last.startswith("listan"):  # a list as a whole (too short, wrong type)
        last = "fältet" + last[len("listan"):]
    return " ".join([last] + [("i " if w.startswith(("post", "listan")) else "under ") +
                               w.replace("fältet ", "") for w in outer])


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_no = raw[: exc.start].count(b"\n") + 1
        line_text = raw.split(b"\n")[line_no - 1].decode("cp1252", errors="replace")
        key = re.match(r"\s*-?\s*([\w.-]+)\s*:", line_text)
        raise SettingsError(
            f"{_where(path, line_no, key.group(1) if key else None)}: filen är inte sparad som UTF-8 "
            f"(byte 0x{raw[exc.start]:02X} går inte att läsa; troligen sparad som Latin-1 eller "
            f"Windows-1252). Spara om filen med teckenkodningen UTF-8 i textredigeraren."
        ) from None


def _index_nodes(path: Path, node: yaml.Node, loc: tuple, nodes: dict[tuple, yaml.Node]) -> None:
    """Record every key path's node; refuse duplicate keys naming both lines."""
    nodes[loc] = node
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise SettingsError(
                    f"{_where(path, line, str(key))}: nyckeln står två gånger (rad {seen[key]} och rad {line}). "
                    f"Ta bort den ena; annars gäller bara den sista utan att något syns."
                )
            seen[key] = line
            _index_nodes(path, value_node, (*loc, key), nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_nodes(path, item, (*loc, index), nodes)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """PyYAML's problem in Swedish (:data:`_YAML_PROBLEMS`); never its English words."""
    text = str(getattr(exc, "problem", "") or exc)
    for english, swedish in _YAML_PROBLEMS:
        found = re.search(english, text)
        if found:
            return swedish.replace("\\1", found.group(1)) if found.groups() else swedish
    return "texten går inte att läsa som YAML här; se efter indrag, kolon och citattecken på raden och raden före"


def yaml_error_text(exc: yaml.YAMLError, first_line: int = 1) -> str:
    """A PyYAML error in Swedish for any YAML text (a settings file, a provenance file, a
    comment's front matter): ``rad N: <problem>``, the line counted from ``first_line`` (the file's
    line of the text's first line); just the problem when PyYAML gives no position."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = _yaml_problem(exc)
    return f"rad {mark.line + first_line}: {problem}" if mark is not None else problem


def read_yaml_document(path: Path) -> YamlDocument:
    """Read and parse ``path`` strictly (see the module docstring); raise SettingsError in Swedish."""
    if not path.is_file():
        raise SettingsError(f"Filen {path} finns inte.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SettingsError(
            f"Fel i {path}: filen är {_grouped(size)} byte, men en inställningsfil får vara högst "
            f"{_grouped(MAX_BYTES)} byte. Är det rätt fil?"
        )
    text = _decode(path, path.read_bytes())
    try:
        data, nodes = _parse(path, text, _loader_for(text))
    except yaml.YAMLError:
        try:  # the same text again with the pure-Python parser, whose messages _YAML_PROBLEMS knows
            data, nodes = _parse(path, text, yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 if mark is not None else None
            raise SettingsError(
                f"{_where(path, line)}: filen är inte giltig YAML: {_yaml_problem(exc)}.") from None
    return YamlDocument(path, data, nodes)


# libyaml's parser when PyYAML has it (its wheels do): the same nodes and data, about five times
# faster, which a build pays for every settings file in every chapter (issue 16).
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _loader_for(text: str) -> type:
    """libyaml's loader, except for a text with a tab: libyaml accepts tabs in places (after a
    colon, before a comment) where the pure-Python parser refuses them, and a file must be read
    the same with or without libyaml."""
    return yaml.SafeLoader if "\t" in text else FAST_LOADER


def safe_load(text: str) -> object:
    """``yaml.safe_load`` with libyaml's parser (:data:`FAST_LOADER`, see :func:`_loader_for`); on
    invalid YAML it raises the pure-Python parser's error, whose messages the callers know."""
    try:
        return yaml.load(text, Loader=_loader_for(text))  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return yaml.safe_load(text)


def _parse(path: Path, text: str, loader_class: type) -> tuple[object, dict[tuple, yaml.Node]]:
    """The data and the index of nodes by key path of ``text``, parsed with ``loader_class``;
    raises what the parser and the checks raise."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        nodes: dict[tuple, yaml.Node] = {}
        if node is not None:
            _expanded_size(path, node)
            _index_nodes(path, node, (), nodes)
        return (loader.construct_document(node) if node is not None else None), nodes
    finally:
        loader.dispose()


def read_yaml(path: Path) -> object:
    """The data of a settings file, read strictly (see :func:`read_yaml_document`)."""
    return read_yaml_document(path).data


def _unquoted_number(node: yaml.Node | None) -> str | None:
    """The source text of a plain (unquoted) scalar that YAML turned into a number."""
    # plain style: None from the pure-Python parser, "" from libyaml
    if isinstance(node, yaml.ScalarNode) and not node.style and node.tag in _NUMBER_TAGS:
        return node.value
    return None


def _value_text(value: object) -> str:
    """A value as a message shows it: numbers the Swedish way (``0``, ``0,5``, ``−2``; no
    ``0.0``), years and counts without a thousands space; anything else as its ``repr``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return repr(value)
    return message_number(value)


def expected_values(error: dict) -> str:
    """The allowed values of a pydantic ``literal_error``/``enum`` error, joined in Swedish:
    ``'upp' eller 'ned'`` (pydantic writes "'upp' or 'ned'")."""
    return re.sub(r"(?<=') or (?=')", " eller ", str(error.get("ctx", {}).get("expected", "")))


def _describe(error: dict, node: yaml.Node | None) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return "saknas men måste anges"
    if kind == "extra_forbidden":
        return "är en okänd nyckel (stavfel? ta bort den eller rätta namnet)"
    if kind in ("value_error", "assertion_error"):
        return str(error.get("ctx", {}).get("error", error.get("msg")))
    if kind in ("literal_error", "enum"):
        return f"har värdet {_value_text(value)} men ska vara ett av: {expected_values(error)}"
    if kind == "string_pattern_mismatch":
        return f"har värdet {value!r}, som inte har rätt form"
    if kind in _BOUNDS:
        key, word = _BOUNDS[kind]
        return f"har värdet {_value_text(value)} men ska vara {word} {_value_text(error.get('ctx', {}).get(key))}"
    if kind == "too_short":
        return f"ska ha minst {error.get('ctx', {}).get('min_length')} värde(n)"
    if kind == "too_long":
        return f"ska ha högst {error.get('ctx', {}).get('max_length')} värde(n)"
    if kind.startswith("string") and (source := _unquoted_number(node)) is not None:
        return (f"står som {source} utan citattecken, och YAML läser det då som talet {value!r}. "
                f"Skriv värdet inom citattecken: '{source}'")
    for name, words in _TYPE_WORDS.items():
        if kind.startswith(name):
            return f"har värdet {_value_text(value)} men ska vara {words}"
    # pydantic's own msg is English: never shown (a new kind still names the field and line).
    return f"har värdet {_value_text(value)}, som inte är giltigt här"


def format_validation_error(document: YamlDocument | Path, exc: ValidationError) -> str:
    """One line per problem: ``rad N: fältet 'x' …`` (field and line when they are known)."""
    doc = document if isinstance(document, YamlDocument) else YamlDocument(document, None)
    lines = [f"Fel i {doc.path}:"]
    for error in exc.errors():
        loc = tuple(error["loc"])
        where = []
        line = doc.line(loc) if error["type"] != "missing" else None
        if line is not None:
            where.append(f"rad {line}")
        field_name_text = field_name(loc, doc.data)
        text = _describe(error, doc.nodes.get(loc))
        if field_name_text:
            text = f"{field_name_text} {text}"
        lines.append("  • " + (f"{', '.join(where)}: " if where else "") + text)
    return "\n".join(lines)


def validate_document(document: YamlDocument, model: type[Model]) -> Model:
    """Validate a parsed settings file against ``model``; raise SettingsError in Swedish."""
    if not isinstance(document.data, dict):
        what = "tom" if document.data is None else "inte en tabell med nycklar och värden"
        raise SettingsError(f"Fel i {document.path}: filen är {what}; den ska innehålla nycklar och värden.")
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        raise SettingsError(format_validation_error(document, exc)) from None


def load_yaml_model(path: Path, model: type[Model]) -> Model:
    """Read ``path`` and validate it against ``model``; raise SettingsError in Swedish."""
    return validate_document(read_yaml_document(path), model)
