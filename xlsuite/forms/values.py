"""Values ``score`` writes into existing sheets: the 得分 column and the meta score stamp."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .. import __version__
from ..core import contract as c
from ..core.amounts import money
from ..core.model import CellRef
from ..core.scoring import BookScore


def indicator_scores(score: BookScore) -> list[tuple[CellRef, Decimal]]:
    """The 得分 cell of every scored indicator row of 绩效指标 with its score.

    Rows whose 评价对象 is neither 部门整体 nor a listed project are not scored and not listed;
    rows the reader gave no cell (a book built in code) are skipped.
    """
    out: dict[CellRef, Decimal] = {}
    for subject in score.subjects():
        for s in subject.indicators:
            ref = s.indicator.cells.get("score")
            if ref is not None:
                # The row's own score: under a profile that scales the indicator block, what
                # the row earns before scaling (the forms show what it counts for), so that
                # scoring the scored copy again finds every 得分 as computed.
                out[ref] = s.row_score
    return list(out.items())


def score_stamp(score: BookScore, *, input_sha256: str, when: dt.datetime,
                version: str = __version__) -> list[tuple[str, str]]:
    """Key–value rows recording how the book was scored, for the meta sheet.

    Args:
        score: the book's scores.
        input_sha256: hex sha256 of the input file's bytes (or of the model, for a live book).
        when: scoring time (timezone-aware preferred).
        version: the xlsuite version that scored.
    """
    p = c.META_SCORE_PREFIX
    dept = score.department
    return [
        (f"{p}profile", score.profile),
        (f"{p}input_sha256", input_sha256),
        (f"{p}total", money(dept.total)),
        (f"{p}grade", dept.grade or ""),
        (f"{p}projects", str(len(score.projects))),
        # A space, not "T": xlwings' remote engine reads any "YYYY-MM-DDTHH:MM:SS…" string as
        # a date (and fails on the offset), so a "T" here broke the next button press.
        (f"{p}time", when.isoformat(sep=" ", timespec="seconds")),
        (f"{p}xlsuite_version", version),
    ]
