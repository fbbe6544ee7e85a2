"""The `rus` command speaks Swedish even in typer/click's own texts, and never shows a
traceback: RusError → its message, anything else → one line naming fel.log (issue 10, item 5)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rus_analysis.cli import main as cli_main
from rus_analysis.cli.main import app
from rus_analysis.cli.swedish import MESSAGES, translate
from rus_analysis.errors import DataError

ENGLISH = re.compile(r"\b(Usage|Error|Invalid value|Missing (option|argument|parameter|command)|Try '|"
                     r"Did you mean|No such (command|option)|Options|Commands|Arguments|Show this message|"
                     r"requires an argument|default:|required|Input should|Got unexpected)\b")
RUS = str(Path(sys.executable).with_name("rus"))


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), prog_name="rus")


@pytest.mark.parametrize("args, swedish", [
    (["rapport", "--ar", "abc"], "Ogiltigt värde för '--ar': ska vara ett heltal."),
    (["rapport", "--parallella", "0"], "Ogiltigt värde för '--parallella': ska vara minst 1."),
    (["rapport", "--motor"], "Flaggan '--motor' behöver ett värde."),
    (["rapport", "--fel"], "Okänd flagga: --fel."),
    (["rapprot"], "Okänt kommando 'rapprot'. Menade du 'rapport'?"),
    (["data", "importera"], "saknas"),
    (["data", "importera", "x.csv"], "Flaggan '--indikator' saknas."),
    (["rapport", "extra"], "Oväntat extra argument"),
])
def test_usage_errors_are_swedish(args, swedish):
    outcome = invoke(*args)
    assert outcome.exit_code == 2
    assert swedish in outcome.output
    if args != ["rapport", "--motor"]:  # click gives no context for a missing option value
        assert "Användning: rus" in outcome.output and "för hjälp" in outcome.output
    assert not ENGLISH.search(outcome.output), outcome.output
    assert "Traceback" not in outcome.output


@pytest.mark.parametrize("args", [["--help"], ["rapport", "--help"], ["data", "--help"],
                                  ["data", "importera", "--help"], ["notebooks", "rensa", "--help"],
                                  ["kommentar", "--help"], ["notebooks", "--help"], []])
def test_help_is_swedish(args):
    outcome = invoke(*args)
    assert outcome.exit_code in (0, 2)
    assert "Användning: rus" in outcome.output and "Visa den här hjälpen och avsluta." in outcome.output
    assert not ENGLISH.search(outcome.output), outcome.output


def test_every_catalogue_entry_translates_its_own_example():
    examples = {
        r"No such command '(.+?)'\.": "No such command 'x'.",
        r"Did you mean one of (.+)\?": "Did you mean one of 'a', 'b'?",
        r"Option '(.+?)' requires (\d+) arguments\.": "Option '--x' requires 2 arguments.",
        r"Got unexpected extra arguments?(?:\(s\))? \((.+)\)": "Got unexpected extra argument(s) (a b)",
    }
    for pattern, _ in MESSAGES:
        example = examples.get(pattern)
        if example:
            assert not ENGLISH.search(translate(example)), (pattern, translate(example))


@pytest.fixture(autouse=True)
def _project_marker(tmp_path):
    """Each test's tmp_path is a project folder: the CLI looks for _quarto.yml before anything else."""
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")


def test_rus_error_prints_its_message_only(monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise DataError("Ögonblicksbilden är trasig: data/series/x.csv saknas.")

    monkeypatch.setattr(cli_main, "build_report", broken)
    outcome = invoke("rapport", "--projekt", str(tmp_path))
    assert outcome.exit_code == 1
    assert outcome.output.strip() == "Fel: Ögonblicksbilden är trasig: data/series/x.csv saknas."


def test_unexpected_error_one_line_and_traceback_in_fel_log(monkeypatch, tmp_path):
    build_dir = tmp_path / "_build" / "2025"

    def broken(*args, **kwargs):
        exc = ZeroDivisionError("division by zero")
        exc.rus_log_dir = build_dir
        raise exc

    monkeypatch.setattr(cli_main, "build_report", broken)
    outcome = invoke("rapport", "--projekt", str(tmp_path))
    assert outcome.exit_code == 1
    lines = [line for line in outcome.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "oväntat fel" in lines[0] and str(build_dir / "fel.log") in lines[0]
    log = (build_dir / "fel.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError" in log


def test_unexpected_error_without_year_goes_to_fallback(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli_main, "build_report", lambda *a, **k: 1 / 0)
    outcome = invoke("rapport")
    assert outcome.exit_code == 1
    assert (tmp_path / "_build" / "fel.log").is_file()
    assert str(tmp_path / "_build" / "fel.log") in outcome.output


def test_real_process_bad_year_and_no_params_file_in_swedish(tmp_path):
    (tmp_path / "params").mkdir()
    for args, expected in [(["--ar", "abc"], "Ogiltigt värde för '--ar'"),
                           (["--ar", "2030"], "Det finns ingen parameterfil för år 2030"),
                           (["--ar", "2032"], "2032 är inte ett möjligt rapportår"),
                           (["--ar", "-1"], "-1 är inte ett möjligt rapportår")]:
        done = subprocess.run([RUS, "rapport", *args, "--projekt", str(tmp_path)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode in (1, 2)
        assert expected in done.stderr and "Traceback" not in done.stderr
        assert not ENGLISH.search(done.stderr), done.stderr


def test_real_process_params_faults_name_file_line_and_field(tmp_path):
    """Item 9 end to end: a broken params file stops `rus rapport` before any work, in Swedish."""
    from support import PROJECT

    params = tmp_path / "params"
    params.mkdir()
    committed = (PROJECT / "params" / "2025.yml").read_text(encoding="utf-8")
    cases = [
        (committed.replace("titel:", "# ändrad i Excel\ntitel:").encode("cp1252"), "UTF-8"),
        ((committed + "region: '0017'\n").encode(), "två gånger"),
        (committed.replace("rapportar: 2025", "rapportar: 2024").encode(), "fältet 'rapportar'"),
        (committed.replace('  - "0006"', "  - 0006").encode(), "utan citattecken"),
    ]
    for content, expected in cases:
        (params / "2025.yml").write_bytes(content)
        done = subprocess.run([RUS, "rapport", "--ar", "2025", "--projekt", str(tmp_path)], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 1
        assert expected in done.stderr and str(params / "2025.yml") in done.stderr and "rad " in done.stderr
        assert "Traceback" not in done.stderr and "Value error" not in done.stderr


def test_version_names_the_package_version_and_git_revision():
    import rus_analysis
    from rus_analysis.cli import version

    outcome = invoke("--version")
    assert outcome.exit_code == 0
    assert outcome.output.startswith(f"rus {rus_analysis.__version__}")
    revision = version.package_revision()
    if revision is not None:  # a git checkout (this repository): the commit is named
        assert f"(git {revision})" in outcome.output


def test_version_outside_git_is_just_the_version(monkeypatch):
    import rus_analysis
    from rus_analysis.cli import version

    monkeypatch.setattr(version, "_git", lambda folder, *args: None)
    assert version.version_text() == f"rus {rus_analysis.__version__}"


def test_the_english_command_name_is_gone_and_suggests_the_swedish_one():
    outcome = invoke("report")
    assert outcome.exit_code == 2 and "Menade du 'rapport'?" in outcome.output
    assert "report" not in invoke("--help").output.replace("Uppföljning", "")


def test_argument_names_in_usage_lines_are_upper_case():
    assert "Användning: rus data importera [FLAGGOR] FILER..." in invoke("data", "importera", "--help").output
    assert "Användning: rus notebooks rensa [FLAGGOR] [NOTEBOOKAR]..." in invoke("notebooks", "rensa", "--help").output
    assert "Användning: rus kommentar ny [FLAGGOR] ID" in invoke("kommentar", "ny").output
    assert "[minst 1]" in invoke("rapport", "--help").output


def test_several_years_after_one_ar_build_together(monkeypatch, tmp_path):
    """`rus rapport --ar 2023 2024 2025` builds the three years in one call (build_reports)."""
    from rus_analysis.build.pipeline import BuildResult

    (tmp_path / "_quarto.yml").write_text("project: {}\n", encoding="utf-8")
    asked = []

    def several(root, years, **kwargs):
        asked.append(years)
        return [BuildResult(y, "inbyggd", tmp_path, tmp_path / "a.pdf", tmp_path / "a.html", skipped=True)
                for y in years]

    monkeypatch.setattr(cli_main, "build_reports", several)
    outcome = invoke("rapport", "--ar", "2023", "2024", "2025", "--projekt", str(tmp_path))
    assert outcome.exit_code == 0, outcome.output
    assert asked == [[2023, 2024, 2025]]
    wrong = invoke("rapport", "--ar", "2023", "tjugo", "--projekt", str(tmp_path))
    assert wrong.exit_code == 2 and "Oväntat extra argument (tjugo)" in wrong.output
    assert not ENGLISH.search(wrong.output), wrong.output
