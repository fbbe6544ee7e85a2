import base64

import nbformat
import pytest

from rus_analysis.build.render.markdown import RenderError, mark_appendix, notebook_to_markdown

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def executed_notebook(tmp_path, outputs):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Kapitel"), nbformat.v4.new_code_cell("secret_code()")]
    nb.cells[1].outputs = outputs
    path = tmp_path / "kapitel.ipynb"
    nbformat.write(nb, path)
    return path


def test_code_is_dropped_and_markdown_kept(tmp_path):
    path = executed_notebook(tmp_path, [
        nbformat.v4.new_output("stream", name="stdout", text="debug"),
        nbformat.v4.new_output("display_data", data={"text/markdown": "**Hej** 24,8", "text/plain": "x"}),
    ])
    text = notebook_to_markdown(path, tmp_path / "media")
    assert "# Kapitel" in text and "**Hej** 24,8" in text
    assert "secret_code" not in text and "debug" not in text


def test_png_output_needs_alt_text(tmp_path):
    ok = executed_notebook(tmp_path, [
        nbformat.v4.new_output("display_data", data={"image/png": PNG}, metadata={"alt": "Ett diagram"})
    ])
    text = notebook_to_markdown(ok, tmp_path / "media")
    assert 'fig-alt="Ett diagram"' in text
    assert len(list((tmp_path / "media").glob("*.png"))) == 1
    bad = executed_notebook(tmp_path, [nbformat.v4.new_output("display_data", data={"image/png": PNG})])
    with pytest.raises(RenderError, match="saknar alternativtext"):
        notebook_to_markdown(bad, tmp_path / "media")


def test_error_output_fails(tmp_path):
    path = executed_notebook(tmp_path, [nbformat.v4.new_output("error", ename="KeyError", evalue="x", traceback=[])])
    with pytest.raises(RenderError, match="KeyError"):
        notebook_to_markdown(path, tmp_path / "media")


def test_relative_image_paths_are_rebased_onto_the_chapter_root(tmp_path):
    """The combined document is rendered from the build folder; image paths stay relative (typst's
    root is that folder) and survive spaces and non-ASCII letters in folder names."""
    folder = tmp_path / "RUS uppföljning 2025" / "kapitel med mellanslag"
    folder.mkdir(parents=True)
    path = executed_notebook(folder, [
        nbformat.v4.new_output("display_data", data={"text/markdown": (
            "![Alt \\] text](<figurer\\/a b\\.png>){fig-alt=\"Alt\"} ![Ur](figurer/c.png) "
            "![Webb](https://example.se/d.png) ![Abs](/tmp/e.png)")}),
        nbformat.v4.new_output("display_data", data={"image/png": PNG}, metadata={"alt": "Ett diagram"}),
    ])
    root = tmp_path / "RUS uppföljning 2025"
    text = notebook_to_markdown(path, root / "media", root=root)
    assert "![Alt \\] text](<kapitel med mellanslag\\/figurer\\/a b\\.png>)" in text
    assert "![Ur](<kapitel med mellanslag\\/figurer\\/c\\.png>)" in text
    assert "(https://example.se/d.png)" in text and "(/tmp/e.png)" in text
    assert "](<media\\/kapitel\\-1\\-1\\.png>)" in text
    assert str(tmp_path) not in text


def test_mark_appendix_marks_the_chapter_heading_only():
    text = mark_appendix("# Metod\n\ntext\n\n## Regler {.unnumbered}\n\n# Andra {#sec-x}\n")
    assert "# Metod {.bilaga}" in text
    assert "# Andra {.bilaga #sec-x}" in text
    assert "## Regler {.unnumbered}" in text  # numbering of sections is the filter's (A.1 …)
