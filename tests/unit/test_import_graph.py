"""The import graph reads as the pipeline: no cycles, and no arrow pointing back to an earlier phase.

Phases in order: config → ingest → snapshot → assessment → report → build → cli. A module may
import its own phase and earlier ones, never a later one. ``rus_analysis/__init__.py`` and
``rus_analysis/errors.py`` and ``checksums.py`` sit below every phase. Inside ``report/``, the notebook-facing layer
(``display``, ``chapter``) is imported by nothing else in the phase, and charts and tables are
siblings that share ``report.rows`` rather than importing each other.

Imports under ``if TYPE_CHECKING:`` count too: a type-only cycle is still a cycle to a reader.
See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support import PROJECT

PACKAGE = "rus_analysis"
PHASES = ("config", "ingest", "snapshot", "assessment", "report", "build", "cli")
BASE = {PACKAGE, f"{PACKAGE}.errors", f"{PACKAGE}.checksums"}
NOTEBOOK_LAYER = (f"{PACKAGE}.report.display", f"{PACKAGE}.report.chapter")
SIBLINGS = ((f"{PACKAGE}.report.tables", f"{PACKAGE}.report.charts"),)


def module_files(root: Path = PROJECT / PACKAGE) -> dict[str, Path]:
    """Dotted module name → file, for every module under the package."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int, str]]:
    """(imported module, line, source text) for every import of the package in one file."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found = []
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # "from pkg import sub" depends on the submodule; "from pkg import name" on pkg itself.
            targets = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in modules else origin for a in node.names]
        else:
            continue
        source = source_segment(lines, node)
        for target in dict.fromkeys(targets):
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                while target not in modules and "." in target:
                    target = target.rpartition(".")[0]
                found.append((target, node.lineno, " ".join(source.split())))
    return found


def source_segment(lines: list[str], node: ast.stmt) -> str:
    """``ast.get_source_segment`` over a file's lines split once (it splits the whole file again
    on every call, seconds for the package's thousand imports). Columns are UTF-8 byte offsets."""
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        return lines[first].encode()[node.col_offset:node.end_col_offset].decode()
    return "".join([lines[first].encode()[node.col_offset:].decode(), *lines[first + 1:last],
                    lines[last].encode()[:node.end_col_offset].decode()])


def phase_of(module: str) -> int:
    """-1 for the base modules, else the phase's position in PHASES."""
    if module in BASE:
        return -1
    return PHASES.index(module.split(".")[1])


def import_graph() -> dict[str, list[tuple[str, int, str]]]:
    """The package's import graph, parsed once per session (three tests read it)."""
    if not _GRAPH:
        modules = module_files()
        _GRAPH.update({name: imports_of(name, path, modules) for name, path in modules.items()})
    return _GRAPH


_GRAPH: dict[str, list[tuple[str, int, str]]] = {}


def _where(module: str, line: int, source: str) -> str:
    path = module_files()[module].relative_to(PROJECT)
    return f"{path}:{line}: {source}"


def backward_imports(graph) -> list[str]:
    problems = []
    for module, edges in graph.items():
        for target, line, source in edges:
            if phase_of(target) > phase_of(module):
                problems.append(f"{_where(module, line, source)}  ({module.split('.')[1]} → "
                                f"{target.split('.')[1]}: a later phase)")
    return problems


def rule_breaks(graph) -> list[str]:
    problems = []
    for module, edges in graph.items():
        for target, line, source in edges:
            if target in NOTEBOOK_LAYER and module.startswith(f"{PACKAGE}.report.") \
                    and module not in NOTEBOOK_LAYER:
                problems.append(f"{_where(module, line, source)}  (the notebook layer {target} "
                                "is imported only by report.chapter, build and cli)")
            for first, second in SIBLINGS:
                pair = {first, second}
                mine = next((p for p in pair if module == p or module.startswith(p + ".")), None)
                theirs = next((p for p in pair if target == p or target.startswith(p + ".")), None)
                if mine and theirs and mine != theirs:
                    problems.append(f"{_where(module, line, source)}  ({mine} and {theirs} are "
                                    "siblings: share code through report.rows)")
    return problems


def cycles(graph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), plus self-imports."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target, _, _ in graph.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or any(t == node for t, _, _ in graph.get(node, [])):
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def test_every_module_belongs_to_a_phase():
    strays = [m for m in module_files() if m not in BASE and m.split(".")[1] not in PHASES]
    assert not strays, f"Modules outside the phase folders {PHASES}: {strays}"


def test_no_import_points_back_to_an_earlier_phase():
    problems = backward_imports(import_graph())
    assert not problems, "Imports of a later phase:\n" + "\n".join(problems)


def test_report_layers_keep_to_their_side():
    problems = rule_breaks(import_graph())
    assert not problems, "\n".join(problems)


def test_no_import_cycles():
    graph = import_graph()
    found = cycles(graph)
    lines = []
    for component in found:
        members = set(component)
        for module in component:
            lines += [f"  {_where(module, line, source)}" for target, line, source in graph[module]
                      if target in members]
    assert not found, "Import cycles:\n" + "\n".join(
        [" ↔ ".join(c) for c in found] + lines)


def test_the_checker_finds_what_it_should(tmp_path):
    """The check itself: a backward import, a cycle and a TYPE_CHECKING import are all seen."""
    root = tmp_path / PACKAGE
    for folder in ("config", "report"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "config" / "a.py").write_text("from rus_analysis.report.b import x\n")
    (root / "report" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import c\nx = 1\n")
    (root / "report" / "c.py").write_text("from rus_analysis.report import b\n")
    modules = module_files(root)
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    assert [t for t, _, _ in graph["rus_analysis.config.a"]] == ["rus_analysis.report.b"]
    assert phase_of("rus_analysis.report.b") > phase_of("rus_analysis.config.a")
    assert cycles(graph) == [["rus_analysis.report.b", "rus_analysis.report.c"]]


def test_every_module_has_its_line_in_architecture_md():
    """docs/ARCHITECTURE.md lists every module (path within its phase folder, in backticks)."""
    text = (PROJECT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    for name, path in module_files().items():
        if path.name == "__init__.py" and name not in (PACKAGE, f"{PACKAGE}.ingest.files"):
            continue
        parts = path.relative_to(PROJECT / PACKAGE).parts
        within = "/".join(parts[1:]) if len(parts) > 1 else parts[0]
        if f"`{within}`" not in text:
            missing.append(f"{name} (as `{within}`)")
    assert not missing, "Add a line per module to docs/ARCHITECTURE.md: " + ", ".join(missing)
