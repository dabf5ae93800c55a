"""The package's structure: imports run one way through the layers of docs/architecture-python.md,
with no cycle among modules (function-level imports included), and no module reaches into
the private names (a leading underscore) of another.

Read from the source files with ``ast``, so nothing here imports the package. Imports under
``if TYPE_CHECKING:`` never run and only name types for annotations; they are left out.
"""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "python" / "natocyber"

#: The layers, lowest first: a module imports from its own layer or lower ones only.
LAYERS = [
    # foundations: argument checks, column names, string buffers, tokenizer, statistics
    {"_checks", "_progress", "_schema", "_strings", "_version", "_groups", "tokenizer",
     "stats"},
    # reading inputs: files and tables, lexicons
    {"loaders", "lexicon"},
    # the token store (the C core's corpus) and its typed results
    {"_store"},
    # matching a lexicon; phrases the researcher names
    {"_scan", "_phrases"},
    # count tables for the statistics; stance markers
    {"_tables", "markers"},
    # analyses: mergeable counts, keyness, trend, dispersion, collocations
    {"counts", "keyness", "trend", "dispersion", "collocations"},
    # the Corpus, whose methods call the analyses
    {"corpus"},
    # what is made from a corpus's results: the sample corpus, figures, the HTML report
    {"datasets", "plot", "report"},
    # front ends
    {"cli", "distributed", "__main__", "__init__"},
]

#: Libraries a function may import when first used: optional, or slow to import.
LAZY_LIBRARIES = {"matplotlib", "pyarrow", "dask", "scipy", "tqdm"}

MODULES = {p.stem: ast.parse(p.read_text(encoding="utf-8"), filename=str(p))
           for p in sorted(PACKAGE.glob("*.py"))}
#: Modules that are not Python files: the C extension.
EXTENSIONS = {"_core"}


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _imports(tree: ast.Module):
    """(import node, inside a function) for every import that runs."""
    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                for sub in child.orelse:
                    yield from walk_one(sub, in_function)
                continue
            yield from walk_one(child, in_function)

    def walk_one(node, in_function):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, in_function
        yield from walk(node, in_function or isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    yield from walk(tree, False)


def _targets(node) -> list:
    """The package modules an import statement names (``from . import x`` names module x
    when there is one, else the package itself)."""
    if isinstance(node, ast.ImportFrom):
        if node.level == 0:
            if node.module == "natocyber" or (node.module or "").startswith("natocyber."):
                name = node.module.partition(".")[2] or "__init__"
                return [name.split(".")[0]]
            return []
        if node.module:
            return [node.module.split(".")[0]]
        return [a.name if a.name in MODULES or a.name in EXTENSIONS else "__init__"
                for a in node.names]
    return [a.name.split(".")[1] if "." in a.name else "__init__"
            for a in node.names if a.name.split(".")[0] == "natocyber"]


def _graph() -> dict:
    graph = {m: set() for m in MODULES}
    for name, tree in MODULES.items():
        for node, _ in _imports(tree):
            graph[name].update(t for t in _targets(node) if t not in EXTENSIONS)
    return graph


def _cycle(graph: dict):
    """One cycle as a list of modules (first == last), or None."""
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == "open":
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = "done"
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_every_module_has_a_layer():
    placed = [m for layer in LAYERS for m in layer]
    assert len(placed) == len(set(placed)), "a module is in two layers"
    assert set(placed) == set(MODULES), (
        f"not in a layer: {sorted(set(MODULES) - set(placed))}; "
        f"no such module: {sorted(set(placed) - set(MODULES))}")


def test_imports_have_no_cycle():
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_imports_go_down_the_layers():
    layer_of = {m: i for i, layer in enumerate(LAYERS) for m in layer}
    upward = [f"{m} (layer {layer_of[m]}) imports {t} (layer {layer_of[t]})"
              for m, targets in sorted(_graph().items()) for t in sorted(targets)
              if layer_of[t] > layer_of[m]]
    assert not upward, "\n".join(upward)


def test_functions_import_only_optional_libraries():
    """An import inside a function hides a dependency: only libraries that are optional or
    slow to import are deferred that way, never a module of the package."""
    found = []
    for name, tree in MODULES.items():
        for node, in_function in _imports(tree):
            if not in_function:
                continue
            if isinstance(node, ast.ImportFrom):
                roots = ["natocyber"] if node.level else [(node.module or "").split(".")[0]]
            else:
                roots = [a.name.split(".")[0] for a in node.names]
            found += [f"{name}.py:{node.lineno} imports {ast.unparse(node)}"
                      for r in roots if r not in LAZY_LIBRARIES]
    assert not found, "\n".join(found)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined_private_names(tree: ast.Module) -> set:
    """Private names a module defines: its own functions, classes and variables, the
    methods and class variables of its classes, and attributes it assigns (``self._x =``)."""
    out = set()
    bodies = [tree.body] + [n.body for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                out.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    for n in ast.walk(t):
                        if isinstance(n, ast.Name):
                            out.add(n.id)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            out.add(node.attr)
    return {n for n in out if _private(n)}


def _private_uses(defined: dict) -> list:
    """Where a module uses a private name that another module of the package defines: as an
    attribute of anything but ``self`` or ``cls`` (``corpus._store``, ``stats._choice``,
    ``lexicon._compile(...)``), or in ``from .module import _name``."""
    everywhere = set().union(*defined.values())
    found = []
    for name, tree in MODULES.items():
        own = defined[name]
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and _private(node.attr)
                    and node.attr in everywhere and node.attr not in own
                    and not (isinstance(node.value, ast.Name) and node.value.id in
                             ("self", "cls"))):
                found.append(f"{name}.py:{node.lineno}: {ast.unparse(node)}")
        for node, _ in _imports(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                for a in node.names:
                    is_module = node.module is None and (a.name in MODULES
                                                          or a.name in EXTENSIONS)
                    if _private(a.name) and not is_module:
                        found.append(f"{name}.py:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_uses_another_modules_private_names():
    defined = {m: _defined_private_names(t) for m, t in MODULES.items()}
    found = _private_uses(defined)
    assert not found, "private names of another module:\n" + "\n".join(found)


@pytest.mark.parametrize("source, bad", [
    ("def f(corpus):\n    return corpus._store.ngrams()\n", True),
    ("def f(c):\n    return c._ntokens\n", True),
    ("from . import stats\nstats._choice('m', 'g2', {})\n", True),
    ("from .markers import _scan\n", True),
    ("from . import _core, _checks\n", False),
    ("class A:\n    def f(self):\n        return self._store\n\n"
     "    @classmethod\n    def g(cls):\n        return cls._x\n", False),
    ("class A:\n    def __init__(self):\n        self._store = 1\n\n"
     "def f(a):\n    return a._store\n", False),
], ids=["corpus._store", "c._ntokens", "stats._choice", "import of _scan", "private modules",
        "self and cls", "its own class's attribute"])
def test_private_name_rule(source, bad, monkeypatch):
    monkeypatch.setitem(MODULES, "probe", ast.parse(source))
    defined = {m: _defined_private_names(t) for m, t in MODULES.items()}
    defined["other"] = {"_store", "_ntokens", "_choice", "_scan", "_x"}
    found = [f for f in _private_uses(defined) if f.startswith("probe.py")]
    assert bool(found) == bad, found
