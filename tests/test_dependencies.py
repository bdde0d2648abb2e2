"""The declared dependencies are exactly what the installed code imports."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_level() -> set[str]:
    names = set()
    for path in (ROOT / "xlsuite").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "xlsuite"}


def test_every_import_is_declared_and_every_dependency_imported():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {_canonical(re.split(r"[<>=!~ ;\[]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}
    distributions = packages_distributions()
    imported = {}
    for module in _imported_top_level():
        owners = {_canonical(d) for d in distributions.get(module, [module])}
        imported[module] = owners
    undeclared = {m: o for m, o in imported.items() if not o & declared}
    assert undeclared == {}, f"imported by xlsuite but not in pyproject's dependencies: {undeclared}"
    used = set().union(*imported.values())
    assert declared - used == set(), f"declared but never imported: {declared - used}"
