"""xlsuite's layers, held by reading every import statement in the package.

Each ``import`` and ``from … import`` in ``xlsuite/`` counts, wherever it stands: at module level,
inside a function (the lazy imports that keep a library unloaded until it is needed), or under
``if TYPE_CHECKING:``. Relative imports are resolved to absolute module names, and
``from package import name`` counts as importing the submodule ``package.name`` when that is a
module. Importing ``a.b.c`` is an edge to ``a.b.c`` only, not to the packages ``a`` and ``a.b``
Python initialises on the way (otherwise every package whose ``__init__`` re-exports its
submodules would be a cycle).

The rules:

* **The core** is ``xlsuite.core.model``, ``xlsuite.core.contract``, ``xlsuite.core.profile``, ``xlsuite.core.amounts``,
  ``xlsuite.core.errors``, ``xlsuite.core.scoring.*``, ``xlsuite.core.validation.*`` and ``xlsuite.core.evaluation``
  (with its submodules, once it exists). It imports only the standard library and the core
  itself: no third-party library at all (so no openpyxl, xlsxwriter, python-calamine, xlwings,
  pandas, python-docx, ms-ovba …), and nothing else of xlsuite (not ``reader``, ``cli``,
  ``county``, ``excel``, ``report``, ``forms``, ``template``, ``demo``, ``sample``, ``discover``,
  ``atomic``, nor the ``xlsuite`` package's ``__init__``). The core is what UDFs, the county
  batch's worker processes and the xlwings writer share, so it must run wherever xlsuite does.
* **Sheet plans** (every module of ``xlsuite.forms`` but the writers ``forms/xlsx_writer.py`` and
  ``forms/scored_book.py``) import no Excel or Word library and neither writer: a plan is data
  that the openpyxl writer, the xlwings writer and the Word writer each draw.
* **The county batch** (``xlsuite.county``) never imports ``xlsuite.excel``.
* **No cycles**: neither among xlsuite's modules nor among its top-level parts (``xlsuite.excel``,
  ``xlsuite.template.build``, ``xlsuite.county`` …, each subpackage taken as one), so every part can be
  read, tested and loaded on top of the parts below it.

A failure names each offending file, line and import statement.

The runtime check at the end imports a layer in a fresh interpreter and looks at ``sys.modules``:
it also sees what a layer loads through the modules it imports, at import time.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import xlsuite

PACKAGE = Path(xlsuite.__file__).parent
ROOT = PACKAGE.parent

CORE = ("xlsuite.core",)
"""The core is a folder: every module under ``xlsuite/core/``."""

PARTS = ("core", "adapters", "layout", "files", "reader", "forms", "county", "report", "excel", "template",
         "server", "demo", "bundle", "docgen", "cli")
"""xlsuite's packages, lowest layer first: each imports only from the packages before it. The
README's map lists them; a new folder must take its place here."""
TOP_MODULES = {"__init__": "the Python API", "__main__": "python -m xlsuite",
               "checking": "the validate use case over files, beside the API (as county/ and report/ hold theirs)"}
"""The only modules at ``xlsuite/`` itself, each with why it is not in a package."""

FORM_WRITERS = ("xlsuite.forms.xlsx_writer", "xlsuite.forms.scored_book")
"""The only modules of ``xlsuite.forms`` that may import openpyxl: they write plans to files."""

EXCEL_AND_WORD_LIBRARIES = frozenset({
    "openpyxl", "xlsxwriter", "python_calamine", "xlwings", "pandas", "docx", "ms_ovba",
    "ms_ovba_compression", "msoffcrypto", "oletools", "lxml"})
"""Top-level names of the libraries that read or write Excel and Word files."""

STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


@dataclass(frozen=True)
class Import:
    """One imported module, where it is imported and how the statement reads."""

    module: str
    """The importing module, e.g. ``xlsuite.county.summary``."""
    target: str
    """The absolute name imported, e.g. ``xlsuite.county.results`` or ``openpyxl.styles``."""
    path: Path
    line: int
    statement: str

    @property
    def top(self) -> str:
        return self.target.split(".")[0]

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}: {self.statement}"


def _module_files() -> dict[str, tuple[Path, bool]]:
    """Every module of the package by dotted name, with its file and whether it is a package."""
    files = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        files[".".join(parts)] = (path, is_package)
    return files


MODULES = _module_files()


def _imports_of(module: str, path: Path, is_package: bool) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if node.level > len(package):
                    raise AssertionError(f"{path}:{node.lineno}: relative import beyond the package")
                base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module
            # ``from a import b`` imports the module a.b when there is one, else a name of a.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                       for alias in node.names]
        else:
            continue
        statement = ast.unparse(node)
        found += [Import(module, target, path, node.lineno, statement) for target in dict.fromkeys(targets)]
    return found


IMPORTS = [i for module, (path, is_package) in MODULES.items() for i in _imports_of(module, path, is_package)]


def _in(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _hold(rule: str, bad: list[Import]) -> None:
    """Fail naming ``rule`` and every import that breaks it (file:line: statement)."""
    if bad:
        pytest.fail(rule + ":\n" + "\n".join(f"  {i}" for i in bad), pytrace=False)


def test_the_import_scan_sees_the_package():
    """A guard on the scan itself: it finds function-level, relative and TYPE_CHECKING imports."""
    targets = {(i.module, i.target) for i in IMPORTS}
    assert ("xlsuite.county.summary", "xlsuite.county.results") in targets  # TYPE_CHECKING, relative
    assert ("xlsuite.report", "xlsuite.report.docx_writer") in targets  # inside a function
    assert ("xlsuite.forms.xlsx_writer", "openpyxl.styles") in targets
    assert len(MODULES) > 50
    # a renamed module must not leave a rule holding nothing
    missing = [m for m in (*CORE, *FORM_WRITERS) if m not in MODULES]
    assert not missing, f"the rules name modules that do not exist: {missing}"


def test_the_core_imports_only_the_standard_library_and_the_core():
    core = [i for i in IMPORTS if _in(i.module, CORE)]
    assert core, "no core module found"
    bad = [i for i in core if not (_in(i.target, CORE) if i.top == "xlsuite" else i.top in STDLIB)]
    _hold("the core (xlsuite/core/) may import only the standard library and the core", bad)


def test_the_tree_is_the_layers():
    folders = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert folders == sorted(PARTS), "every package of xlsuite/ takes its place in PARTS (and the README's map)"
    loose = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert loose == sorted(TOP_MODULES), "a module at xlsuite/ belongs in a package: " + ", ".join(
        set(loose) - set(TOP_MODULES))


def test_each_package_imports_only_the_packages_below_it():
    rank = {f"xlsuite.{name}": n for n, name in enumerate(PARTS)}
    bad = [i for i in IMPORTS if _part(i.module) in rank and _part(i.target) in rank
           and rank[_part(i.target)] > rank[_part(i.module)]]
    _hold("a package imports only from packages before it in PARTS (" + " < ".join(PARTS) + ")", bad)


def test_the_readme_map_lists_the_packages_in_their_order():
    readme = (ROOT / "README.md").read_text("utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `xlsuite/")]
    listed = [row.split("`")[1].removeprefix("xlsuite/").rstrip("/") for row in rows]
    assert [name for name in listed if name in PARTS] == list(PARTS)


def test_sheet_plans_import_no_excel_or_word_library():
    plans = [i for i in IMPORTS if _in(i.module, ("xlsuite.forms",)) and i.module not in FORM_WRITERS]
    assert plans, "no sheet plan module found"
    bad = [i for i in plans if i.top in EXCEL_AND_WORD_LIBRARIES or _in(i.target, FORM_WRITERS)]
    _hold("sheet plans in xlsuite/forms/ import no Excel or Word library and no writer "
          f"(only {', '.join(FORM_WRITERS)} may import openpyxl)", bad)


def test_the_county_batch_never_imports_the_excel_layer():
    bad = [i for i in IMPORTS if _in(i.module, ("xlsuite.county",)) and _in(i.target, ("xlsuite.excel",))]
    _hold("xlsuite.county never imports xlsuite.excel", bad)


def _cycles(edges: dict[str, dict[str, list[Import]]]) -> list[list[str]]:
    """One shortest cycle through each strongly connected group of more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the graph is a few hundred edges
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(set(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    cycles = []
    for group in groups:
        start = min(group)
        paths = {start: [start]}
        frontier = [start]
        cycle = None
        while frontier and cycle is None:  # breadth first, inside the group, back to start
            nxt_frontier = []
            for node in frontier:
                for nxt in sorted(edges.get(node, {})):
                    if nxt == start:
                        cycle = paths[node] + [start]
                        break
                    if nxt in group and nxt not in paths:
                        paths[nxt] = paths[node] + [nxt]
                        nxt_frontier.append(nxt)
                if cycle:
                    break
            frontier = nxt_frontier
        cycles.append(cycle)
    return cycles


def _cycle_report(cycles: list[list[str]], edges: dict[str, dict[str, list[Import]]]) -> str:
    lines = []
    for cycle in cycles:
        lines.append("  " + " -> ".join(cycle))
        for a, b in zip(cycle, cycle[1:], strict=False):
            lines += [f"      {i}" for i in sorted(edges[a][b], key=lambda i: (i.path, i.line))]
    return "\n".join(lines)


def _graph(node_of) -> dict[str, dict[str, list[Import]]]:
    edges: dict[str, dict[str, list[Import]]] = {}
    for i in IMPORTS:
        if i.top != "xlsuite" or i.target not in MODULES:
            continue
        a, b = node_of(i.module), node_of(i.target)
        if a != b:
            edges.setdefault(a, {}).setdefault(b, []).append(i)
    return edges


def _module(name: str) -> str:
    return name


def _part(name: str) -> str:
    """The top-level part of xlsuite a module belongs to: ``xlsuite.excel.addin`` → ``xlsuite.excel``."""
    return ".".join(name.split(".")[:2])


def test_no_import_cycle_among_modules():
    edges = _graph(_module)
    cycles = _cycles(edges)
    if cycles:
        pytest.fail("import cycles among xlsuite's modules:\n" + _cycle_report(cycles, edges), pytrace=False)


def test_no_import_cycle_among_the_parts_of_xlsuite():
    edges = _graph(_part)
    cycles = _cycles(edges)
    if cycles:
        pytest.fail("import cycles among xlsuite's parts (each subpackage taken as one):\n"
                    + _cycle_report(cycles, edges), pytrace=False)


# --- at runtime --------------------------------------------------------------------------------

LAYERS = {
    # name: (modules imported together, libraries they must not pull in)
    "core": ([m for m in MODULES if _in(m, CORE)], EXCEL_AND_WORD_LIBRARIES),
    "forms": (["xlsuite.forms"], EXCEL_AND_WORD_LIBRARIES),
    # text, forms and wording are pure: python-docx loads only when a document is written
    "report": (["xlsuite.report", "xlsuite.report.text", "xlsuite.report.forms"], {"docx"}),
}


def _loaded_top_level_modules(modules: list[str]) -> set[str]:
    """Top-level names in ``sys.modules`` after importing ``modules`` in a fresh interpreter."""
    code = (f"import sys, {', '.join(modules)}; "
            "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("modules, forbidden", LAYERS.values(), ids=LAYERS.keys())
def test_pure_layers_import_no_excel_or_word_library(modules, forbidden):
    assert _loaded_top_level_modules(modules) & forbidden == set()
