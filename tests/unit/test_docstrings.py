"""Every public function, method and class in rus_analysis has a docstring.

Public: a name without a leading underscore, at module level or in a public class. What a
docstring should say (STYLE.md, issue 8): shapes (DataFrame columns, dtypes), units, the errors
raised, and the source of any rule.
"""

from __future__ import annotations

import ast

from support import PROJECT


def public_definitions(body, prefix: str = ""):
    """(qualified name, node) of every public function, method and class, depth first."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            yield f"{prefix}{node.name}", node
            if isinstance(node, ast.ClassDef):
                yield from public_definitions(node.body, f"{prefix}{node.name}.")


def undocumented() -> list[str]:
    found = []
    for path in sorted((PROJECT / "rus_analysis").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(PROJECT)}:{node.lineno} {name}"
                  for name, node in public_definitions(tree.body) if not ast.get_docstring(node)]
    return found


def test_every_public_function_and_class_has_a_docstring():
    missing = undocumented()
    assert not missing, "Public names without a docstring:\n" + "\n".join(missing)
