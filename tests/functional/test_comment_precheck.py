"""A bad analyst comment stops `rus rapport` before any notebook runs, naming the file's own line."""

from __future__ import annotations

import pytest

from rus_analysis.build import preflight
from rus_analysis.build.pipeline import build_report
from rus_analysis.errors import ConfigError
from support import PROJECT, copy_project


@pytest.mark.parametrize("text, what", [
    ("Här <b>fet</b>.\n", "en HTML-tagg"),
    ("```\nkod\n```\n", "ett kodblock"),
    ("Se `kod` här.\n", "kod inom bakåtfnuttar"),
])
def test_bad_comment_is_refused_before_the_build_starts(tmp_path, monkeypatch, no_kernels, text, what):
    root = copy_project(PROJECT, tmp_path / "projekt")
    path = root / "kommentarer" / "2025" / "barn_och_unga.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\nid: barn_och_unga\nrapportar: 2025\n---\n\nFörsta.\n\n" + text,
                    encoding="utf-8")

    def reached(*args, **kwargs):
        raise AssertionError("the build went past the comment check")

    monkeypatch.setattr(preflight, "preflight", reached)
    with pytest.raises(ConfigError) as info:
        build_report(root, 2025, engine="inbyggd", force=True)
    assert f"Kommentaren {path} (rad 8) innehåller {what}" in str(info.value)
    assert not (root / "_output" / "2025").exists() or not any((root / "_output" / "2025").iterdir())
