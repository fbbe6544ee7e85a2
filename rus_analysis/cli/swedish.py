"""Swedish for typer's own texts, and the one top-level error handler of the ``rus`` command.

typer (0.29) carries its own copy of click whose texts are plain English f-strings (no gettext
catalogue to install), so the translation sits where the texts are shown:

- **Help**: the heading constants of ``typer.rich_utils`` (panel titles, ``[default: …]``) are
  set once by :func:`install`; :class:`SwedishCommand` / :class:`SwedishGroup` write the usage
  line ("Användning: rus rapport [FLAGGOR]"), the help option's text and the value types.
- **Usage errors** (invalid value, missing option, no such command, "Did you mean"): click raises
  them as exceptions; :meth:`SwedishGroup.main` catches them and :func:`usage_error_text` renders
  them from the exception's class and attributes, with :data:`MESSAGES` (English pattern →
  Swedish) for the texts that only exist as a message. An unknown text keeps its English words
  after a Swedish lead, so a typer upgrade can never hide an error (a test lists every kind).
- **Errors from the commands**: every :class:`~rus_analysis.errors.RusError` prints its Swedish
  message; a :class:`~rus_analysis.build.supervisor.BuildInterrupted` prints its one line and
  exits 130/143; any other exception prints one Swedish line naming the file that holds the
  full traceback (``_build/<år>/fel.log``, or :func:`fallback_log_dir`). Never a traceback.

Every command (also those of sub-apps added later) becomes Swedish through
:meth:`SwedishGroup.get_command`; renaming a command needs nothing here.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

import typer
from rich.console import Console
from rich.markup import escape
from typer import _click as click
from typer import rich_utils
from typer.core import TyperCommand, TyperGroup

from rus_analysis.errors import RusError

HELP_OPTION_TEXT = "Visa den här hjälpen och avsluta."
USAGE_PREFIX = "Användning: "
OPTIONS_METAVAR = "[FLAGGOR]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENT]..."
# typer.rich_utils constants: help panel titles and annotations.
RICH_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "Argument",
    "OPTIONS_PANEL_TITLE": "Flaggor",
    "COMMANDS_PANEL_TITLE": "Kommandon",
    "ERRORS_PANEL_TITLE": "Fel",
    "DEFAULT_STRING": "[standard: {}]",
    "ENVVAR_STRING": "[miljövariabel: {}]",
    "REQUIRED_LONG_STRING": "[krävs]",
    "DEPRECATED_STRING": "(föråldrad) ",
    "ABORTED_TEXT": "Avbrutet.",
    "RICH_HELP": "Se [blue]'{command_path} {help_option}'[/] för hjälp.",
}
# Value types shown in help, by typer's display name.
TYPE_NAMES = {"int": "HELTAL", "float": "TAL", "str": "TEXT", "path": "SÖKVÄG", "bool": "",
              "int range": "HELTAL", "float range": "TAL", "datetime": "DATUM", "list[str]": "TEXT...",
              "Path": "SÖKVÄG", "list[Path]": "SÖKVÄG...", "list[int]": "HELTAL..."}
# English message (regular expression) → Swedish. First match wins; groups are reused.
MESSAGES: list[tuple[str, str]] = [
    (r"No such command '(.+?)'\.", r"Okänt kommando '\1'."),
    (r"Did you mean one of (.+)\?", r"Menade du något av \1?"),
    (r"Did you mean (.+)\?", r"Menade du \1?"),
    (r"Missing command\.", "Ett kommando saknas."),
    (r"Option '(.+?)' requires an argument\.", r"Flaggan '\1' behöver ett värde."),
    (r"Option '(.+?)' requires (\d+) arguments\.", r"Flaggan '\1' behöver \2 värden."),
    (r"Option '(.+?)' does not take a value\.", r"Flaggan '\1' tar inget värde."),
    (r"Got unexpected extra arguments?(?:\(s\))? \((.+)\)", r"Oväntat extra argument: \1."),
    (r"Argument '(.+?)' takes (\d+) values\.", r"Argumentet '\1' tar \2 värden."),
    (r"Input should be a valid integer.*", "ska vara ett heltal"),
    (r"Input should be a valid number.*", "ska vara ett tal"),
    (r"Input should be a valid boolean.*", "ska vara sant eller falskt"),
    (r"Input should be greater than or equal to (\S+?)\.?$", r"ska vara minst \1"),
    (r"Input should be less than or equal to (\S+?)\.?$", r"ska vara högst \1"),
    (r"Input should be greater than (\S+?)\.?$", r"ska vara större än \1"),
    (r"Input should be less than (\S+?)\.?$", r"ska vara mindre än \1"),
    (r"Input should be (.+)", r"ska vara \1"),
    (r"'(.+?)' is not a valid integer( range)?\.", r"'\1' är inte ett heltal."),
    (r"'(.+?)' is not a valid float( range)?\.", r"'\1' är inte ett tal."),
    (r"'(.+?)' is not one of (.+)\.", r"'\1' är inte ett av \2."),
    (r"(.+?) is not in the range (.+)\.", r"\1 ligger inte i intervallet \2."),
    (r"(File|Directory|Path) '(.+?)' does not exist\.", r"'\2' finns inte."),
    (r"(File|Directory|Path) '(.+?)' is a directory\.", r"'\2' är en mapp."),
    (r"(File|Directory|Path) '(.+?)' is a file\.", r"'\2' är en fil."),
    (r"(File|Directory|Path) '(.+?)' is not (readable|writable)\.", r"'\2' går inte att läsa eller skriva."),
]


def translate(message: str) -> str:
    """Translate each sentence of a typer/click message by :data:`MESSAGES`; unknown text is kept."""
    out = message
    for pattern, swedish in MESSAGES:
        out = re.sub(pattern, swedish, out)
    return out


def _param_name(param: Any) -> str:
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")] or getattr(param, "opts", [])
    if getattr(param, "param_type_name", "") == "argument":
        return (getattr(param, "metavar", None) or param.name or "").upper()
    return opts[0] if opts else (getattr(param, "name", None) or "")


def usage_error_text(exc: click.ClickException) -> str:
    """The Swedish text of a typer/click usage error (no usage line, no hint)."""
    exceptions = click.exceptions
    if isinstance(exc, exceptions.NoSuchOption):
        text = f"Okänd flagga: {exc.option_name}."
        if exc.possibilities:
            text += f" Menade du {' eller '.join(sorted(exc.possibilities))}?"
        return text
    if isinstance(exc, exceptions.MissingParameter):
        param = exc.param
        kind = "Argumentet" if getattr(param, "param_type_name", "") == "argument" else "Flaggan"
        return f"{kind} '{_param_name(param)}' saknas." if param is not None else "Ett värde saknas."
    if isinstance(exc, exceptions.BadParameter):
        hint = exc.param_hint if isinstance(exc.param_hint, str) else (
            _param_name(exc.param) if exc.param is not None else "")
        detail = translate(exc.message).rstrip(".")
        return f"Ogiltigt värde för '{hint}': {detail}." if hint else f"Ogiltigt värde: {detail}."
    if isinstance(exc, exceptions.UsageError):
        return translate(exc.format_message())
    return translate(exc.format_message())


def fallback_log_dir() -> Path:
    """Where ``fel.log`` goes when no build folder is known: ``_build/`` here, else the temp folder."""
    here = Path.cwd() / "_build"
    try:
        here.mkdir(exist_ok=True)
        if os.access(here, os.W_OK):
            return here
    except OSError:
        pass
    return Path(tempfile.gettempdir())


def write_traceback(exc: BaseException) -> Path:
    """Write the full traceback of an unexpected error to ``fel.log``; return its path."""
    folder = getattr(exc, "rus_log_dir", None)
    candidates = [Path(folder)] if folder else []
    candidates.append(fallback_log_dir())
    candidates.append(Path(tempfile.gettempdir()))
    text = (f"{datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z} {' '.join(sys.argv)}\n"
            + "".join(traceback.format_exception(exc)))
    for candidate in candidates:
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            path = candidate / "fel.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return Path("(kunde inte skrivas)")


def install() -> None:
    """Set typer's help texts to Swedish (idempotent)."""
    for name, text in RICH_TEXTS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)


def _argument_piece(piece: str) -> str:
    """typer's usage piece of an argument (``{filer}...``, ``[mapp]``) as click writes it: ``FILER...``, ``[MAPP]``."""
    match = re.fullmatch(r"\{([^{}]+)\}(\.\.\.)?", piece)
    if match:
        return match.group(1).upper() + (match.group(2) or "")
    match = re.fullmatch(r"\[([a-z_]+)\](\.\.\.)?", piece)
    if match:
        return f"[{match.group(1).upper()}]" + (match.group(2) or "")
    return piece


def _range_text(param: Any) -> Any:
    """The help's range note (typer: ``x>=1``) in Swedish: ``minst 1``, ``högst 9``, ``1–9``."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)

    def text() -> str | None:
        if low is None and high is None:
            return None
        if high is None:
            return f"minst {low}"
        if low is None:
            return f"högst {high}"
        return f"{low}–{high}"

    return text


def _with_swedish_help(base: type) -> type:
    """``base`` (a typer class) with the usage line, help option and value types in Swedish.

    A plain subclass (no mixin), so an existing typer command's class can be switched to it."""

    class Swedish(base):  # type: ignore[misc, valid-type]
        def format_usage(self, ctx: click.Context, formatter: Any) -> None:
            pieces = [SUBCOMMAND_METAVAR if p == "COMMAND [ARGS]..." else OPTIONS_METAVAR if p == "[OPTIONS]"
                      else _argument_piece(p) for p in self.collect_usage_pieces(ctx)]
            formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE_PREFIX)

        def get_help_option(self, ctx: click.Context) -> Any:
            option = super().get_help_option(ctx)
            if option is not None:
                option.help = HELP_OPTION_TEXT
                option.metavar = ""
            return option

        def format_help(self, ctx: click.Context, formatter: Any) -> Any:
            for param in self.get_params(ctx):
                if (getattr(param, "param_type_name", "") == "option" and param.metavar is None
                        and hasattr(param, "display_type")):
                    try:
                        shown = param.display_type(ctx).strip("<>")
                    except Exception:  # noqa: BLE001 - keep typer's own display
                        continue
                    if shown in TYPE_NAMES:
                        param.metavar = TYPE_NAMES[shown]
                elif getattr(param, "param_type_name", "") == "argument" and hasattr(param, "display_type_rich"):
                    try:
                        shown = (param.display_type_rich(ctx) or "").strip("<>")
                    except Exception:  # noqa: BLE001 - keep typer's own display
                        continue
                    if shown in TYPE_NAMES:
                        param.display_type_rich = lambda ctx, text=TYPE_NAMES[shown]: text
                if hasattr(param, "_get_number_range_help_str"):
                    param._get_number_range_help_str = _range_text(param)
            return super().format_help(ctx, formatter)

    Swedish.__name__ = Swedish.__qualname__ = f"Swedish{base.__name__}"
    return Swedish


SwedishCommand = _with_swedish_help(TyperCommand)


class SwedishGroup(_with_swedish_help(TyperGroup)):  # type: ignore[misc]
    """A typer group with Swedish help and errors; use as ``typer.Typer(cls=SwedishGroup)``."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> Any:
        """The subcommand, given Swedish help and errors like the group itself."""
        command = super().get_command(ctx, cmd_name)
        if type(command) is TyperCommand:
            command.__class__ = SwedishCommand
        elif type(command) is TyperGroup:
            command.__class__ = SwedishGroup
        return command

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        """Run the command line with every error guarded: a RusError as its Swedish message,
        anything else as one line naming the log."""
        install()
        code = run_guarded(lambda: super(SwedishGroup, self).main(
            args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra))
        if standalone_mode:
            sys.exit(code)
        return code


errors = Console(stderr=True, highlight=False, soft_wrap=True)


def _print_error(message: str) -> None:
    errors.print("[bold red]Fel:[/] " + escape(message))


def run_guarded(main: Any) -> int:
    """Run the click main in non-standalone mode; turn every outcome into an exit code, printing
    Swedish and never a traceback (see the module docstring)."""
    try:
        return _run(main)
    except BaseException as exc:  # noqa: BLE001 - even a failing handler must not show a traceback
        if isinstance(exc, SystemExit):
            return exc.code if isinstance(exc.code, int) else 1
        try:
            path = write_traceback(exc)
        except BaseException:  # noqa: BLE001
            path = None
        sys.stderr.write(f"Fel: ett oväntat fel inträffade ({type(exc).__name__})"
                         + (f"; hela felet har skrivits till {path}.\n" if path else ".\n"))
        return 1


def _run(main: Any) -> int:
    from rus_analysis.build.supervisor import BuildInterrupted

    try:
        result = main()
        return result if isinstance(result, int) else 0
    except click.exceptions.NoArgsIsHelpError as exc:
        # typer's rich help printed itself when the error was made; plain help is the message.
        if exc.format_message():
            click.echo(exc.format_message())
        return 2
    except click.ClickException as exc:
        _print_error(usage_error_text(exc))
        ctx = getattr(exc, "ctx", None)
        if ctx is not None and isinstance(exc, click.exceptions.UsageError):
            errors.print(ctx.get_usage().replace("Usage: ", USAGE_PREFIX), markup=False)
            errors.print(f"Se '{ctx.command_path} {ctx.help_option_names[0]}' för hjälp.", markup=False)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        errors.print("Avbrutet.", markup=False)
        return 130
    except BuildInterrupted as exc:
        errors.print(str(exc), markup=False)
        return exc.exit_code
    except RusError as exc:
        _print_error(str(exc))
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place unexpected errors end up
        path = write_traceback(exc)
        _print_error(f"Ett oväntat fel inträffade ({type(exc).__name__}). Hela felet har skrivits till {path}; "
                     f"skicka filen till den som underhåller verktyget.")
        return 1
