"""The README is what a new analyst follows (issue 15, item 7): its two commands, Windows beside
POSIX, commands that exist, the tagging recipe, and CI running exactly its test command."""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from rus_analysis.cli.main import app
from support import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = "python3 bygg.py test"


def test_the_two_commands_and_their_windows_twins():
    for command in ("python3 bygg.py rapport", TEST_COMMAND):
        assert re.search(rf"^{re.escape(command)}\b", README, re.M), command
        assert command.replace("python3 ", "py ") in README
    assert ".venv\\Scripts\\" in README and "rus report" not in README


def test_ci_runs_exactly_the_readme_test_command():
    run = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in run.splitlines() if line.strip().startswith("python3 bygg.py")]
    assert commands == [TEST_COMMAND]


def _readme_rus_commands() -> list[list[str]]:
    """Every `python3 bygg.py …` command in the README that goes to rus, as its words up to the first flag."""
    found = set()
    for match in re.finditer(r"(?:python3|py) bygg\.py ([^`\n#(]+)", README):
        words = []
        for word in shlex.split(match.group(1).replace("\\", "/")):
            if word.startswith("-") or word.isupper() or "/" in word or "." in word or "…" in word:
                break
            words.append(word)
        if words and words[0] == "rus":
            words = words[1:]
        if words and words[0] != "test":
            found.add(tuple(words[:2]))
    return sorted(list(w) for w in found)


@pytest.mark.parametrize("words", _readme_rus_commands())
def test_every_rus_command_in_the_readme_exists(words):
    outcome = CliRunner().invoke(app, [*words, "--help"], prog_name="rus")
    assert outcome.exit_code == 0, (words, outcome.output)


def test_the_readme_says_how_to_tag_and_rebuild_a_published_report():
    assert "git tag -a rapport-2025" in README
    assert "git worktree add ../rapport-2025 rapport-2025" in README
    assert "git_revision" in README


def test_the_changelog_covers_this_rounds_issues():
    changelog = (PROJECT / "CHANGELOG.md").read_text(encoding="utf-8")
    for issue in range(8, 16):
        assert f"ärende {issue})" in changelog, issue
