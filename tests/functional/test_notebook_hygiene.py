"""Source notebooks are committed clean, so a pull-request diff shows only what a person changed."""

import nbformat

from rus_analysis.build.notebook_hygiene import clean, clean_file, problems, unclean_notebooks


def test_source_notebooks_are_clean(project_root):
    found = unclean_notebooks(project_root / "notebooks")
    assert not found, f"Kör `python3 bygg.py rus notebooks rensa`: {found}"


def test_every_notebook_has_a_parameters_cell(project_root):
    for path in sorted((project_root / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        assert "report_year" in tagged[0].source, path.name


def test_clean_removes_outputs_and_volatile_metadata(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3"}, "papermill": {"duration": 1}, "language_info": {}}
    cell = nbformat.v4.new_code_cell("1+1")
    cell.execution_count = 3
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=3)]
    cell.metadata = {"tags": ["parameters"], "papermill": {}, "execution": {}}
    nb.cells = [cell]
    assert len(problems(nb)) == 3
    cleaned = clean(nb)
    assert problems(cleaned) == []
    assert cleaned.cells[0].metadata == {"tags": ["parameters"]}

    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert clean_file(path) is False  # already clean: file left byte-identical
