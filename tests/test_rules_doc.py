"""docs/rules.md is generated from the rule catalogue and must not go stale."""

from __future__ import annotations

import re
from pathlib import Path

from xlsuite.core.validation import RULES, SEVERITIES, render_rules_markdown
from xlsuite.core.validation.catalogue import FAMILIES, main

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_doc_is_what_the_catalogue_generates():
    # If this fails, run `python -m xlsuite.core.validation` and commit docs/rules.md.
    assert DOC.read_text("utf-8") == render_rules_markdown()


def test_generator_writes_the_file(tmp_path):
    target = tmp_path / "rules.md"
    assert main([str(target)]) == 0
    assert target.read_text("utf-8") == render_rules_markdown()


def test_every_rule_is_in_the_doc_once_with_its_severity():
    text = render_rules_markdown()
    for r in RULES:
        # The Chinese label first, as every sheet and letter shows it, then the id.
        rows = [line for line in text.splitlines() if line.startswith(f"| {r.label} | `{r.id}` |")]
        assert len(rows) == 1, r.id
        assert f"| {r.severity} |" in rows[0]


def test_rule_ids_are_unique_and_well_formed():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    prefixes = {"表内平衡": "balance.", "表间核对": "cross.", "绩效指标": "indicator.", "合理性": "plausibility."}
    for r in RULES:
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", r.id), r.id
        assert r.family in FAMILIES and r.id.startswith(prefixes[r.family]), r.id
        assert r.severity in SEVERITIES, r.id


def test_every_rule_names_its_problem_in_chinese_words():
    """Reports name a problem by ``Rule.problem`` (项目未设置绩效指标), never by the id or the
    formula-like title (各项目合计 = 收支情况的项目支出)."""
    problems = [r.problem for r in RULES]
    assert len(set(problems)) == len(RULES)
    for text in problems:
        assert text and not re.search(r"[A-Za-z=+_.]", text), text
