"""No two modules of nashra import each other, directly or through others, counting the
imports inside functions: an import hidden in a function is still the same knot."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import nashra

SRC = Path(nashra.__file__).parent.parent


def module_files(src: Path) -> dict[str, Path]:
    """Every module under `src/nashra` by its dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted((src / "nashra").rglob("*.py")):
        name = ".".join(path.relative_to(src).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imported(name: str, path: Path, modules: Mapping[str, Path]) -> set[str]:
    """The modules of `modules` that `name` imports anywhere in its file: `from p import m`
    of a module `m` imports `p.m`, as import-linter counts it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                elif base in modules:
                    found.add(base)
    found.discard(name)
    return found


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while (top := stack.pop()) != node:
                group.append(top)
            group.append(node)
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def import_graph(src: Path) -> dict[str, set[str]]:
    modules = module_files(src)
    return {name: imported(name, path, modules) for name, path in modules.items()}


def test_no_module_of_nashra_is_in_an_import_cycle() -> None:
    assert cycles(import_graph(SRC)) == []


def test_an_import_inside_a_function_closes_a_cycle(tmp_path: Path) -> None:
    package = tmp_path / "nashra"
    (package / "stages").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "stages" / "__init__.py").write_text("")
    (package / "stages" / "read.py").write_text("from nashra.stages.types import Job\n")
    (package / "stages" / "types.py").write_text("class Job: ...\n")
    (package / "stages" / "decide.py").write_text(
        "from . import read\n\ndef later() -> None:\n    from .types import Job\n"
    )
    assert cycles(import_graph(tmp_path)) == []
    (package / "stages" / "types.py").write_text(
        "def later() -> None:\n    from nashra.stages import decide\n"
    )
    assert cycles(import_graph(tmp_path)) == [
        ["nashra.stages.decide", "nashra.stages.read", "nashra.stages.types"],
    ]
