"""What an evaluation writes into a workbook, whichever writer writes it.

``xlsuite score`` (openpyxl, into a copy of the file) and the Excel buttons 校验 / 评分 / 生成自评表
(xlwings, into the open book) write the same things from the same ``Evaluation``: the 得分 of
every indicator row, the sheet plans 部门整体自评表, 项目自评表 and 校验结果, and the score stamp of
the meta sheet. They are made here once; the writers only apply them. Pure: no Excel library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..core.evaluation import Evaluation
from ..core.model import CellRef
from .findings import findings_sheet
from .official import official_forms
from .plan import SheetPlan
from .score_check import score_check_sheet
from .values import indicator_scores, score_stamp

LINK_NOTE = "点击“位置”可跳转到对应单元格。"


@dataclass(frozen=True)
class ScoredOutputs:
    """Everything 评分 writes: cell values into 绩效指标, the generated sheets, the stamp."""

    scores: list[tuple[CellRef, Decimal]]
    """The 得分 cell of every scored indicator row with its score."""
    plans: tuple[SheetPlan, ...]
    """部门整体自评表 (unless 仅项目), 项目自评表, 校验结果 and 得分核对, in the order they are placed."""
    stamp: list[tuple[str, str]]
    """The meta sheet's score rows."""


def findings_plan(evaluation: Evaluation) -> SheetPlan:
    """校验结果: every finding, with links to its cell and the profile it was checked with."""
    note = f"评分方案：{evaluation.profile.name}。{LINK_NOTE}"
    return findings_sheet(evaluation.findings, unit_name=evaluation.book.info.unit_name, note=note)


def score_check_plan(evaluation: Evaluation) -> SheetPlan:
    """得分核对: every score the book prints beside the engine's, and why they differ."""
    book, profile = evaluation.book, evaluation.profile
    return score_check_sheet(list(evaluation.printed), unit_name=book.info.unit_name, profile_name=profile.name,
                             names={p.code: p.name for p in book.projects},
                             totals=list(evaluation.printed_totals))


def form_plans(evaluation: Evaluation) -> tuple[SheetPlan, ...]:
    """部门整体自评表 (unless 仅项目), 项目自评表, 校验结果 and 得分核对 (what 生成自评表 writes), in
    the order of ``contract.GENERATED_SHEETS``."""
    book, score, layout = evaluation.book, evaluation.score, evaluation.profile.forms
    return (*official_forms(book, score, layout), findings_plan(evaluation), score_check_plan(evaluation))


def scored_outputs(evaluation: Evaluation, *, input_sha256: str, when: dt.datetime) -> ScoredOutputs:
    """What 评分 writes for ``evaluation``.

    Args:
        evaluation: the book's ``evaluate`` result.
        input_sha256: hex sha256 of what was read (the file's bytes, or a live book's values).
        when: the time to stamp.
    """
    score = evaluation.score
    return ScoredOutputs(indicator_scores(score), form_plans(evaluation),
                         score_stamp(score, input_sha256=input_sha256, when=when))


__all__ = ["ScoredOutputs", "scored_outputs", "form_plans", "findings_plan", "score_check_plan", "LINK_NOTE"]
