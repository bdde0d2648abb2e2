"""xlsuite: budget performance self-evaluation (预算绩效自评) in Excel for Chinese county finance.

The Python API, for scripts and notebooks; every ``xlsuite`` command is a thin shell over it::

    import xlsuite

    book = xlsuite.read_book("永昌县工信局-2021.xlsx")
    evaluation = xlsuite.evaluate(book)            # scores and findings
    print(evaluation.score.department.total, evaluation.counts())

    result = xlsuite.consolidate(["报送材料"], "县级汇总-2021.xlsx", roster="名册.csv")
    frames = xlsuite.to_frames(result)              # the summary as pandas DataFrames

Names load on first use, so ``import xlsuite`` costs nothing and the core never pulls in an
Excel library it does not need. ``docs/api.md`` is generated from the docstrings
(``python -m xlsuite.docgen.api_doc > docs/api.md``; a test fails when it is stale).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    # name: (module, attribute)
    "read_book": ("xlsuite.reader", "read_book"),
    "load_profile": ("xlsuite.core.profile", "load_profile"),
    "evaluate": ("xlsuite.core.evaluation", "evaluate"),
    "Evaluation": ("xlsuite.core.evaluation", "Evaluation"),
    "validate_workbooks": ("xlsuite.checking", "validate_workbooks"),
    "score_workbook": ("xlsuite.forms.scored_book", "score_workbook"),
    "write_report": ("xlsuite.report", "write_report"),
    "write_county_report": ("xlsuite.report", "write_county_report"),
    "consolidate": ("xlsuite.county", "consolidate"),
    "write_feedback": ("xlsuite.county.feedback", "write_feedback"),
    "to_frames": ("xlsuite.county.frames", "to_frames"),
    "build_template": ("xlsuite.template.build", "build_template"),
}
"""The public API: what a script needs, by the name it is documented under."""

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'xlsuite' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
