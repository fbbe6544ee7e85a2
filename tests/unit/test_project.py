"""config.project: the project root is found once (``--projekt``, RUS_PROJEKT, or upwards to
_quarto.yml) and passed down; nothing in the package reaches beside itself."""

from __future__ import annotations

import ast
import inspect

import pytest

from rus_analysis.config.project import PROJECT_ENV, Project, find_project_root
from rus_analysis.errors import ConfigError
from support import PROJECT


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv(PROJECT_ENV, raising=False)
    root = tmp_path / "projekt"
    (root / "notebooks" / "figurer").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    return root


def test_walks_up_from_the_working_directory(project, monkeypatch):
    monkeypatch.chdir(project / "notebooks" / "figurer")
    assert find_project_root() == project.resolve()


def test_explicit_folder_wins_over_the_environment(project, tmp_path, monkeypatch):
    other = tmp_path / "annat"
    other.mkdir()
    (other / "_quarto.yml").write_text("", encoding="utf-8")
    monkeypatch.setenv(PROJECT_ENV, str(other))
    assert find_project_root(start=project) == other.resolve()
    assert find_project_root(project, start=project) == project.resolve()


def test_no_project_is_a_swedish_error_naming_the_ways_out(tmp_path, monkeypatch):
    monkeypatch.delenv(PROJECT_ENV, raising=False)
    with pytest.raises(ConfigError, match="Hittar ingen projektmapp.*--projekt.*RUS_PROJEKT"):
        find_project_root(start=tmp_path)
    with pytest.raises(ConfigError, match="från --projekt.*_quarto.yml saknas"):
        find_project_root(tmp_path)
    monkeypatch.setenv(PROJECT_ENV, str(tmp_path))
    with pytest.raises(ConfigError, match="från RUS_PROJEKT"):
        find_project_root(start=tmp_path)


def test_project_paths():
    project = Project(PROJECT)
    assert project.thresholds_file == PROJECT / "params" / "bedomning.yml"
    assert project.catalogue_file.is_file() and project.book_file.is_file()
    assert project.shared_sources_dir == PROJECT.parent / "shared" / "sources"
    assert project.output_dir(2025) == PROJECT / "_output" / "2025"


def test_the_package_never_looks_beside_its_own_files():
    """No module builds a path from ``__file__`` into the repository (params, ../shared, …).

    Allowed: the build fingerprints the package's own source files, ``rus jamfor``'s
    subprocess checks that it imported the revision's package (a comparison, never a path), and
    ``rus --version`` asks git which commit the package's own folder is at.
    """
    import rus_analysis.build.pipeline as pipeline
    import rus_analysis.build.review as review
    import rus_analysis.cli.version as version

    offenders = []
    for path in sorted((PROJECT / "rus_analysis").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "__file__":
                offenders.append(f"{path.relative_to(PROJECT)}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr == "__file__":
                offenders.append(f"{path.relative_to(PROJECT)}:{node.lineno}")
    allowed = [f"rus_analysis/{module.__name__.split('.', 1)[1].replace('.', '/')}.py:{line}"
               for module in (pipeline, review, version)
               for line, text in enumerate(inspect.getsource(module).splitlines(), 1)
               if "rus_analysis.__file__" in text]
    assert sorted(set(offenders) - set(allowed)) == []


def test_thresholds_are_always_passed_in():
    from rus_analysis.assessment import assess
    from rus_analysis.config.thresholds import load_thresholds

    with pytest.raises(TypeError):
        assess(([2020, 2024], [1.0, 2.0]), "upp")
    assert "path" in inspect.signature(load_thresholds).parameters
    assert inspect.signature(load_thresholds).parameters["path"].default is inspect.Parameter.empty
