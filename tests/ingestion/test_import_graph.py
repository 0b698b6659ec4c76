"""The imports between the modules of `ingestion/` run one way (STYLE.md, "Ingestion"):
connectors -> shared machinery -> entities, with no cycle.

Read statically with `ast`: every `import x` and `from x import y` anywhere in a module
(function-level imports and `if TYPE_CHECKING:` blocks included), `from ingestion import foo`
counting as an import of the module `ingestion.foo` when `foo` is a module. Importing a
module also runs its packages' `__init__.py`; that implicit edge is not counted (every
module would otherwise "import" its package, and a package its modules).
"""

from __future__ import annotations

import ast
from itertools import pairwise
from pathlib import Path

PACKAGE = "ingestion"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE
ENTITIES = f"{PACKAGE}.entities"
CONNECTORS = f"{PACKAGE}.connectors"
#: The one shared module entities may import: the Column / EntitySchema types.
SCHEMA_TYPES = f"{PACKAGE}.schema"

#: module -> imported module -> (file relative to the package's parent, line) of the first
#: such import
Graph = dict[str, dict[str, tuple[Path, int]]]


def _module_names(root: Path, package: str) -> dict[str, Path]:
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """`name` if it is a module of the package, else its longest prefix that is (an import
    of `pkg.mod.attr` imports `pkg.mod`)."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def _targets(node: ast.AST, module: str, is_package: bool, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [t for alias in node.names if (t := _known(alias.name, modules))]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:  # relative: from the module's own package, one level up per extra dot
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, *([node.module] if node.module else [])])
    else:
        source = node.module or ""
    targets = []
    for alias in node.names:
        # `from ingestion import ledger` imports the module `ingestion.ledger`;
        # `from ingestion.landing import ingest_files` imports `ingestion.landing`
        submodule = f"{source}.{alias.name}"
        target = submodule if submodule in modules else _known(source, modules)
        if target:
            targets.append(target)
    return targets


def import_graph(root: Path = ROOT, package: str = PACKAGE) -> Graph:
    """Every import between the modules under `root` (the package `package`)."""
    modules = _module_names(root, package)
    graph: Graph = {name: {} for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            for target in _targets(node, name, is_package, modules):
                graph[name].setdefault(target, (path.relative_to(root.parent), node.lineno))
    return graph


def find_cycles(graph: Graph) -> list[list[str]]:
    """One cycle (first module repeated at the end) for each group of modules that import
    each other, directly or not (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_cycle_in(graph, group) for group in groups]


def _cycle_in(graph: Graph, group: set[str]) -> list[str]:
    """A path from the group's first module back to itself through the group."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node]):
            if target == start:
                return [*paths[node], start]
            if target in group and target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")  # unreachable for a strong component


def describe(graph: Graph, cycle: list[str]) -> str:
    steps = [
        f"  {source} imports {target} ({_where(graph, source, target)})"
        for source, target in pairwise(cycle)
    ]
    return " -> ".join(cycle) + "\n" + "\n".join(steps)


def _where(graph: Graph, source: str, target: str) -> str:
    path, line = graph[source][target]
    return f"{path.as_posix()}:{line}"


def _kind(module: str) -> str:
    if module == ENTITIES or module.startswith(f"{ENTITIES}."):
        return "entities"
    if module == CONNECTORS or module.startswith(f"{CONNECTORS}."):
        return "connectors"
    return "shared"


def direction_breaks(graph: Graph) -> list[str]:
    """Imports against connectors -> shared -> entities: an entity module importing anything
    but entities and `ingestion.schema`, a shared module importing a connector."""
    breaks = []
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            kind, target_kind = _kind(source), _kind(target)
            wrong = (
                kind == "entities" and target_kind != "entities" and target != SCHEMA_TYPES
            ) or (kind == "shared" and target_kind == "connectors")
            if wrong:
                where = _where(graph, source, target)
                breaks.append(f"{source} ({kind}) imports {target} ({target_kind}) at {where}")
    return breaks


def test_ingestion_has_no_import_cycle() -> None:
    graph = import_graph()
    cycles = find_cycles(graph)
    assert not cycles, "import cycle(s) in ingestion/:\n" + "\n".join(
        describe(graph, cycle) for cycle in cycles
    )


def test_imports_run_from_connectors_to_shared_to_entities() -> None:
    breaks = direction_breaks(import_graph())
    assert not breaks, (
        "imports must run connectors -> shared -> entities (entities import only "
        f"{SCHEMA_TYPES}; shared modules import no connector):\n" + "\n".join(breaks)
    )


def test_the_graph_sees_every_module_and_every_kind_of_import() -> None:
    """Guards the two tests above against passing because the walker found nothing."""
    graph = import_graph()
    assert {_kind(module) for module in graph} == {"entities", "connectors", "shared"}
    assert f"{ENTITIES}.registry" in graph
    assert f"{CONNECTORS}.auto" in graph
    # `from ingestion import ledger`: the module, not the package
    assert f"{PACKAGE}.ledger" in graph[f"{PACKAGE}.landing"]
    assert PACKAGE not in graph[f"{PACKAGE}.landing"]
    # `from ingestion.entities import activity, ...`
    assert f"{ENTITIES}.activity" in graph[f"{ENTITIES}.registry"]
    # `from ingestion.landing import FileResult`
    assert f"{PACKAGE}.landing" in graph[f"{CONNECTORS}.github_copilot"]


def test_a_cycle_through_a_function_level_import_is_found_and_named(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("import pkg.sub.c\n")
    (package / "sub" / "c.py").write_text(
        "def late():\n    from pkg.a import anything\n    return anything\n"
    )
    (package / "d.py").write_text("from . import a\nfrom .sub import c\n")  # imports, no cycle
    graph = import_graph(package, "pkg")
    assert graph["pkg.d"].keys() == {"pkg.a", "pkg.sub.c"}
    [cycle] = find_cycles(graph)
    assert cycle == ["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]
    assert describe(graph, cycle).splitlines() == [
        "pkg.a -> pkg.b -> pkg.sub.c -> pkg.a",
        "  pkg.a imports pkg.b (pkg/a.py:1)",
        "  pkg.b imports pkg.sub.c (pkg/b.py:1)",
        "  pkg.sub.c imports pkg.a (pkg/sub/c.py:2)",
    ]
