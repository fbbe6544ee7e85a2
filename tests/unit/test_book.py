import pytest

from rus_analysis.build.render.book import read_book, select_chapters, year_config
from rus_analysis.config.yaml_files import SettingsError

ALL = ["okad_inkludering", "barn_och_unga", "gron_omstallning"]


def test_quarto_book_is_valid(project_root):
    book = read_book(project_root / "_quarto.yml")
    config = book.config
    assert config["project"]["type"] == "book"
    assert config["lang"] == "sv-SE"  # as the built-in renderer: <html lang="sv-SE">, typst sv/SE
    # The PDF is the project's own typst book format (_extensions/rus), not Quarto's orange-book.
    assert set(config["format"]) == {"html", "rus-typst"}
    assert config["format"]["rus-typst"]["pdf-standard"] == "ua-1"
    assert config["language"]["title-block-author-single"] == "Utgivare"
    assert config["execute"]["enabled"] is False and config["execute"]["echo"] is False
    assert book.chapters[0].path == "index.qmd"
    for chapter in book.chapters:
        assert (project_root / chapter.path).is_file(), chapter.path
    assert [c.stem for c in book.chapters if c.appendix] == ["metod", "kallor"]


def test_select_chapters_drops_unchosen_kraftsamling(project_root):
    book = read_book(project_root / "_quarto.yml")
    selected = select_chapters(book, ["gron_omstallning"], ALL)
    stems = [c.stem for c in selected.chapters]
    assert "gron_omstallning" in stems and "barn_och_unga" not in stems
    assert "sammanfattning" in stems and "kallor" in stems


def test_kraftsamling_without_chapter_is_an_error(project_root):
    book = read_book(project_root / "_quarto.yml")
    with pytest.raises(SettingsError, match="kompetensforsorjning"):
        select_chapters(book, ["kompetensforsorjning"], ALL + ["kompetensforsorjning"])


def test_year_config_keeps_chosen_chapters_in_order(project_root):
    book = select_chapters(read_book(project_root / "_quarto.yml"), ["barn_och_unga"], ALL)
    config = year_config(book)
    assert config["book"]["chapters"] == [c.path for c in book.chapters if not c.appendix]
    assert "notebooks/okad_inkludering.ipynb" not in config["book"]["chapters"]
    assert config["book"]["appendices"] == ["notebooks/metod.ipynb", "notebooks/kallor.ipynb"]
    assert book.config["book"]["chapters"] != config["book"]["chapters"]  # original untouched
