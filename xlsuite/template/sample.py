"""The filled sample workbook, built from a data file so that every number has one source.

``data/samples/*.toml`` hold departments as plain data; ``book_from_data`` turns one into the
model and ``build_samples`` writes each as a standard workbook through the template builder.
"""

from __future__ import annotations

import copy
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

from ..core import contract as c
from ..core.model import (
    Amounts,
    BudgetLine,
    DepartmentBook,
    DepartmentInfo,
    Indicator,
    Problem,
    Project,
    WorkItem,
)
from .build import build_workbook

SAMPLES_DIRNAME = "samples"


def sample_data_files() -> list[Path]:
    folder = resources.files("xlsuite").joinpath("data/samples")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml"))


def load_sample(path: str | Path) -> tuple[DepartmentBook, dict]:
    """Read a sample data file; returns the book and the raw data (for ``file`` and ``notes``)."""
    data = tomllib.loads(Path(path).read_text("utf-8"), parse_float=Decimal)
    return book_from_data(data), data


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _value(value):
    """An indicator target or actual: numbers as Decimal, words as text."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return str(value)


def book_from_data(data: dict) -> DepartmentBook:
    """Build a ``DepartmentBook`` from plain data as the sample files hold it."""
    info = DepartmentInfo(**data.get("info", {}))
    budget = {r.key: BudgetLine(r.key) for r in c.budget_rows()}
    for key, amounts in data.get("budget", {}).items():
        line = budget[key]  # an unknown key is a broken data file: fail loudly
        line.amounts = Amounts(*(_decimal(amounts.get(a.key)) for a in c.AMOUNT_COLUMNS))
        line.note = amounts.get("note", "")
    projects = []
    for p in data.get("projects", []):
        amount = _decimal(p.get("amount"))
        # The sample states one amount per project: its whole 全年预算数 and 执行数, all 本年财政拨款.
        projects.append(Project(
            code=p["code"], name=p["name"],
            supervisor=p.get("supervisor", info.supervisor), implementer=p.get("implementer", ""),
            total=Amounts(_decimal(p.get("initial")), amount, amount),
            fiscal=Amounts(_decimal(p.get("initial")), amount, amount),
            carryover=Amounts(), other=Amounts(),
            goal_expected=p.get("goal_expected", ""), goal_actual=p.get("goal_actual", ""),
            category=p.get("category", ""), printed_execution=_decimal(p.get("printed_execution")),
        ))
    indicators = [
        Indicator(subject=i["subject"], level1=i["level1"], level2=i["level2"], level3=i["level3"],
                  direction=i["direction"], target=_value(i.get("target")), unit=i.get("unit", ""),
                  actual=_value(i.get("actual")), grade=i.get("grade", ""),
                  weight=_decimal(i.get("weight")), score=_decimal(i.get("score")),
                  deviation=i.get("deviation", ""), nature=i.get("nature", ""))
        for i in data.get("indicators", [])
    ]
    problems = [Problem(p["problem"], p.get("measure", ""), p.get("subject", ""), p.get("conclusion", ""))
                for p in data.get("problems", [])]
    work = [WorkItem(w["theme"], w.get("content", "")) for w in data.get("work", [])]
    return DepartmentBook(info=info, budget=budget, projects=projects, indicators=indicators,
                          problems=problems, work=work, template_version=c.TEMPLATE_VERSION)


def build_samples(out_dir: str | Path) -> list[Path]:
    """Write every bundled sample as a filled workbook into ``out_dir/samples``."""
    folder = Path(out_dir) / SAMPLES_DIRNAME
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for data_file in sample_data_files():
        book, data = load_sample(data_file)
        written.append(build_workbook(folder / data["file"], book, notes=tuple(data.get("notes", ()))))
    return written


def scaled_sample(projects: int, indicators_per_project: int) -> DepartmentBook:
    """The seed department with ``projects`` projects of ``indicators_per_project`` indicators
    each, every project built the same way (one shortfall without a reason), so a bigger book has
    more of the same rows and the same kinds of findings: for measuring how work grows with a book.
    """
    book, _ = load_sample(sample_data_files()[0])
    template = book.projects[0]
    book.projects, book.indicators = [], [i for i in book.indicators if i.subject == c.WHOLE_DEPARTMENT]
    weight = Decimal(90) / indicators_per_project
    for p in range(projects):
        project = copy.deepcopy(template)
        project.code, project.name = f"P{p:03d}", f"项目{p:03d}"
        book.projects.append(project)
        for i in range(indicators_per_project):
            short = i == 0
            book.indicators.append(Indicator(
                subject=project.code, level1="产出指标", level2="数量指标", level3=f"指标{i}",
                direction="≥", target=Decimal(100), unit="%", actual=Decimal(90 if short else 100),
                weight=weight, deviation="" if short else "无"))
    return book
