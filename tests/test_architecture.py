"""The shape of the package, checked where import-linter's contracts (pyproject.toml) stop.

import-linter's `acyclic_siblings` finds a cycle between siblings; a cycle through a
package's `__init__` and one of its own modules is not between siblings, so the cycles are
looked for here among modules, with grimp, the graph import-linter reads. Like the
contracts, the graph counts imports inside functions and under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
import itertools
import re
import tomllib
from collections.abc import Iterator

import grimp
import pytest

from tests.support import REPO

PACKAGE = REPO / "src" / "nashra"
MAX_TOP_LEVEL = 15
MAX_LINES = 450


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("nashra", cache_dir=None)


def strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """The groups of modules that each reach every other one of their group (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            groups.append(group)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def shortest_cycle(graph: grimp.ImportGraph, group: set[str], start: str) -> tuple[str, ...]:
    """One shortest cycle from `start` back to it, within its `group`."""
    best: tuple[str, ...] | None = None
    for imported in sorted(graph.find_modules_directly_imported_by(start) & group):
        back = graph.find_shortest_chain(importer=imported, imported=start)
        if back is not None and (best is None or len(back) < len(best)):
            best = (start, *back)
    assert best is not None, group
    return best


def cycles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """Enough shortest cycles to pass through every module that is on one."""
    found: list[tuple[str, ...]] = []
    for group in strongly_connected(graph):
        if len(group) == 1:
            continue
        named: set[str] = set()
        for module in sorted(group):
            if module not in named:
                found.append(shortest_cycle(graph, group, module))
                named.update(found[-1])
    return sorted(found)


def describe(graph: grimp.ImportGraph, cycle: tuple[str, ...]) -> str:
    steps = [cycle[0]]
    for importer, imported in itertools.pairwise(cycle):
        lines = sorted(
            {
                d["line_number"]
                for d in graph.get_import_details(importer=importer, imported=imported)
            }
        )
        steps.append(f"-> {imported} (l.{','.join(map(str, lines))})")
    return " ".join(steps)


def test_no_import_cycle_between_modules(graph: grimp.ImportGraph) -> None:
    named = [describe(graph, cycle) for cycle in cycles(graph)]
    assert not named, "import cycles:\n" + "\n".join(named)


def test_cycles_are_found_and_named() -> None:
    """The search itself: loops through a package's `__init__`, each module named once."""
    fake = grimp.ImportGraph()
    for importer, imported in [
        ("p", "p.a"),
        ("p.a", "p.b"),
        ("p.b", "p"),
        ("p.b", "p.c"),
        ("p.c", "p.d"),
        ("p.d", "p.c"),
        ("p.x", "p.c"),
        ("p.b", "p.y"),
    ]:
        fake.add_import(importer=importer, imported=imported, line_number=7, line_contents="")
    assert [describe(fake, cycle) for cycle in cycles(fake)] == [
        "p -> p.a (l.7) -> p.b (l.7) -> p (l.7)",
        "p.c -> p.d (l.7) -> p.c (l.7)",
    ]


def test_the_top_level_is_short_enough_to_read() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert len(entries) <= MAX_TOP_LEVEL, entries


def packages() -> Iterator[str]:
    for init in sorted(PACKAGE.rglob("__init__.py")):
        yield init.parent.relative_to(PACKAGE.parent).as_posix()


@pytest.mark.parametrize("package", list(packages()))
def test_every_package_says_what_it_may_import(package: str) -> None:
    init = PACKAGE.parent / package / "__init__.py"
    docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert docstring, f"{package} has no docstring"
    assert "May import" in docstring, f"{package}'s docstring does not say what it may import"


def test_no_module_is_too_long_to_read() -> None:
    long = {
        path.relative_to(REPO).as_posix(): lines
        for folder in (PACKAGE, REPO / "benchmarks")
        for path in folder.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_contributing_maps_the_layers_the_contract_enforces() -> None:
    """CONTRIBUTING.md's table of layers is the layers contract's list, in its order."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text[text.index("| layer | what it holds |") :].split("\n\n")[0]
    mapped = re.findall(r"(?m)^\| `([a-z_]+)` \|", table)
    assert mapped == contract["layers"]
    assert sorted(mapped) == sorted(
        p.stem if p.is_file() else p.name
        for p in PACKAGE.iterdir()
        if p.name not in ("__init__.py", "__pycache__")
    )
