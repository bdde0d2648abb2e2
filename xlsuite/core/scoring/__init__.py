"""Scoring: pure formulas (``rules``) and their application to a book (``engine``)."""

from .engine import (
    BookScore,
    ExecutionScore,
    IndicatorScore,
    LevelScore,
    SubjectScore,
    score_book,
    score_indicator,
)

__all__ = ["BookScore", "ExecutionScore", "IndicatorScore", "LevelScore", "SubjectScore",
           "score_book", "score_indicator"]
