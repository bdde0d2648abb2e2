"""One book, one profile, the same scores and findings from every entry point.

``validate``, ``score``, ``report`` and ``consolidate`` on the command line, and the 校验 and 评分
buttons in Excel (driven through xlsuite's host protocol), each evaluate the seed book. The
profile reaches them by each of its routes: the national default; the province test profile
chosen by the county (``--profile``, and ``xlsuite.toml`` beside the add-in); and the province
profile recorded in a book whose template was built for it, with no setting anywhere.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal

import docx
import host_books as host
import pytest
from book_parts import open_book
from conftest import SAMPLE
from engine_fixtures import PROVINCE_PROFILE

from xlsuite.cli import main
from xlsuite.core import contract as c
from xlsuite.core.profile import load_profile, recorded_profile
from xlsuite.county import headers as h
from xlsuite.county.summary import FINDINGS, INDICATORS
from xlsuite.excel import actions
from xlsuite.excel.settings import SETTINGS_FILE
from xlsuite.reader import read_book
from xlsuite.template.build import build_workbook

PROVINCE = load_profile(PROVINCE_PROFILE)
NATIONAL = load_profile()




def _shown(value) -> str:
    """A cell's text as the user reads it: a HYPERLINK formula shows its last argument."""
    text = "" if value is None else str(value)
    link = re.fullmatch(r'=HYPERLINK\(".*","(.*)"\)', text)
    return link.group(1).replace('""', '"') if link else text


def _findings_sheet(path) -> Counter:
    """校验结果's findings: (严重程度, 规则编号, 位置, 说明)."""
    ws = open_book(path)[c.FINDINGS_SHEET]
    found = Counter()
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            continue
        _, severity, where, _, message, rule_id = row[:6]
        found[(severity, rule_id, _shown(where), message)] += 1
    return found


def _column(ws, header: str, header_row: int) -> list:
    headers = [cell.value for cell in ws[header_row]]
    col = headers.index(header)
    return [row[col] for row in ws.iter_rows(min_row=header_row + 1, values_only=True)
            if any(v is not None for v in row)]


def _scores_sheet(path) -> Counter:
    """The 得分 column of 绩效指标, as written into the book."""
    ws = open_book(path)[c.INDICATOR_SHEET]
    return Counter(Decimal(str(v)).quantize(Decimal("0.01"))
                   for v in _column(ws, "得分", 2) if v is not None)


def _from_validate(book, args, capsys) -> Counter:
    main(["validate", str(book), "--format", "json", *args])
    [result] = json.loads(capsys.readouterr().out)["books"]
    return Counter((f["severity"], f["rule_id"], f["cell"] or "", f["message"]) for f in result["findings"])


def _from_consolidate(book, args, tmp_path, capsys):
    folder = tmp_path / "county"
    folder.mkdir()
    (folder / book.name).write_bytes(book.read_bytes())
    out = tmp_path / "summary.xlsx"
    assert main(["consolidate", str(folder), "-o", str(out), "--workers", "1", *args]) == 0
    capsys.readouterr()
    wb = open_book(out)
    ws = wb[FINDINGS]
    header = next(i for i, row in enumerate(ws.iter_rows(values_only=True), 1) if h.RULE_ID in row)
    rows = zip(*(_column(ws, name, header) for name in (h.SEVERITY, h.RULE_ID, "位置", "问题说明")),
               strict=True)
    findings = Counter((s, r, w or "", m) for s, r, w, m in rows)
    ws = wb[INDICATORS]
    header = next(i for i, row in enumerate(ws.iter_rows(values_only=True), 1) if "得分" in row)
    scores = Counter(Decimal(str(v)).quantize(Decimal("0.01")) for v in _column(ws, "得分", header))
    return findings, scores


def _press(book, action, out, addin_dir):
    live = host.open_host_book(book)
    actions.run(live, action, addin_dir)
    queued = live.json()["actions"]
    alerts = host.apply_actions(book, queued, out)
    assert not any("未完成" in a for a in alerts), alerts
    return out


def _everywhere(book, cli_args, addin_dir, tmp_path, capsys):
    """Findings and 得分 of ``book`` from every entry point, by entry point."""
    findings, scores = {}, {}
    findings["validate"] = _from_validate(book, cli_args, capsys)

    scored = tmp_path / "scored.xlsx"
    assert main(["score", str(book), "-o", str(scored), *cli_args]) == 0
    out = capsys.readouterr().out
    findings["score"], scores["score"] = _findings_sheet(scored), _scores_sheet(scored)

    report = tmp_path / "report.docx"
    assert main(["report", str(book), "-o", str(report), *cli_args]) == 0
    err = capsys.readouterr().err
    errors = sum(n for (severity, *_), n in findings["validate"].items() if severity == "错误")
    assert (f"工作簿有 {errors} 个校验错误" in err) == (errors > 0), err
    total = re.search(r"部门整体：(\S+) 分", out).group(1)
    tables = "\n".join(cell.text for t in docx.Document(report).tables for row in t.rows for cell in row.cells)
    assert total in tables

    findings["consolidate"], scores["consolidate"] = _from_consolidate(book, cli_args, tmp_path, capsys)
    findings["校验"] = _findings_sheet(_press(book, actions.validate, tmp_path / "v.xlsx", addin_dir))
    pressed = _press(book, actions.score, tmp_path / "s.xlsx", addin_dir)
    findings["评分"], scores["评分"] = _findings_sheet(pressed), _scores_sheet(pressed)
    return findings, scores, total


def _assert_all_equal(by_entry: dict[str, Counter]):
    first, *rest = by_entry
    for name in rest:
        assert by_entry[name] == by_entry[first], f"{name} differs from {first}"


def _settings(folder, profile_path):
    folder.mkdir()
    (folder / "省方案.toml").write_bytes(profile_path.read_bytes())
    (folder / SETTINGS_FILE).write_text('profile = "省方案.toml"\n', "utf-8")
    return folder


@pytest.mark.slow  # runs every command
def test_national_by_default_everywhere(tmp_path, capsys):
    findings, scores, _ = _everywhere(SAMPLE, [], tmp_path / "no-settings", tmp_path, capsys)
    _assert_all_equal(findings)
    _assert_all_equal(scores)
    # the seed's known error (projects 253 vs 281 万元), and no province rule
    assert {(s, r, w) for (s, r, w, _) in findings["validate"]} >= {("错误", "cross.projects_total", "收支情况!E43")}
    assert not any(r == "indicator.level1" for (_, r, _, _) in findings["validate"])


@pytest.mark.slow  # runs every command under a profile
def test_province_profile_chosen_by_the_county_everywhere(tmp_path, capsys):
    addin = _settings(tmp_path / "addin", PROVINCE_PROFILE)
    findings, scores, total = _everywhere(SAMPLE, ["--profile", str(PROVINCE_PROFILE)], addin, tmp_path, capsys)
    _assert_all_equal(findings)
    _assert_all_equal(scores)
    # and it is the province's evaluation, not the national one
    national = _from_validate(SAMPLE, [], capsys)
    assert findings["validate"] != national
    assert any(r == "indicator.level1" for (_, r, _, _) in findings["validate"])
    assert scores["score"] != _scores_sheet(SAMPLE) or total


@pytest.mark.slow  # runs every command under a profile
def test_province_profile_recorded_in_the_book_everywhere(tmp_path, capsys):
    book = tmp_path / "recorded" / "省模板填报.xlsx"
    book.parent.mkdir()
    build_workbook(book, read_book(SAMPLE), PROVINCE)
    assert recorded_profile(read_book(book).profile_source) == PROVINCE
    work = tmp_path / "work"
    work.mkdir()
    recorded, recorded_scores, _ = _everywhere(book, [], None, work, capsys)
    _assert_all_equal(recorded)
    _assert_all_equal(recorded_scores)
    # exactly what the county's explicit choice of that profile gives the same book
    assert recorded["validate"] == _from_validate(book, ["--profile", str(PROVINCE_PROFILE)], capsys)
    # and a county setting still overrides what the book records
    national_file = tmp_path / "national.toml"
    national_file.write_text(NATIONAL.source, "utf-8")
    national = _from_validate(book, ["--profile", str(national_file)], capsys)
    assert national == _from_validate(SAMPLE, [], capsys) != recorded["validate"]
    addin = _settings(tmp_path / "addin", national_file)
    assert _findings_sheet(_press(book, actions.validate, tmp_path / "v.xlsx", addin)) == \
        _findings_sheet(_press(SAMPLE, actions.validate, tmp_path / "n.xlsx", None))


@pytest.mark.slow  # builds every template under a profile
def test_template_built_for_a_profile_records_it(tmp_path, capsys):
    assert main(["template", "-o", str(tmp_path), "--profile", str(PROVINCE_PROFILE), "--no-samples"]) == 0
    capsys.readouterr()
    meta = {row[0]: row[1] for row in
            open_book(tmp_path / "预算绩效自评模板.xlsx")[c.META_SHEET].iter_rows(values_only=True)}
    assert meta[c.META_PROFILE_NAME_KEY] == PROVINCE.name
    assert recorded_profile(meta[c.META_PROFILE_SOURCE_KEY]) == PROVINCE


def test_an_unusable_recorded_profile_is_a_clear_error_not_the_national_scores(tmp_path, capsys):
    wb = open_book(SAMPLE)
    meta = wb[c.META_SHEET]
    row = next(r for r in meta.iter_rows() if r[0].value == c.META_PROFILE_SOURCE_KEY)
    row[1].value = '[execution]\nmethod = "magic"\n'  # a method no profile knows
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    assert main(["validate", str(bad)]) == 2
    assert "工作簿记录的评分方案无法使用" in capsys.readouterr().out
    # --profile is the way out
    assert main(["validate", str(bad), "--profile", str(PROVINCE_PROFILE)]) == 1


@pytest.mark.slow  # builds the add-in
def test_addin_install_with_a_profile_sets_the_profile_of_the_buttons(tmp_path, capsys):
    addin = tmp_path / "XLSTART"
    addin.mkdir()
    assert main(["addin", "install", "--dir", str(addin), "--profile", str(PROVINCE_PROFILE)]) == 0
    assert f"评分方案已设置：{PROVINCE.name}" in capsys.readouterr().out
    assert main(["addin", "status", "--dir", str(addin)]) == 0
    assert f"评分方案：{PROVINCE.name}" in capsys.readouterr().out
    # the 校验 button, from the add-in in that folder, checks by the province profile
    pressed = _findings_sheet(_press(SAMPLE, actions.validate, tmp_path / "v.xlsx", addin))
    assert pressed == _from_validate(SAMPLE, ["--profile", str(PROVINCE_PROFILE)], capsys)
    # a broken profile never becomes the setting
    broken = tmp_path / "broken.toml"
    broken.write_text("[execution]\nmethod = 'magic'\n", "utf-8")
    assert main(["addin", "install", "--dir", str(addin), "--profile", str(broken)]) == 2
    assert main(["addin", "status", "--dir", str(addin)]) == 0
    assert f"评分方案：{PROVINCE.name}" in capsys.readouterr().out
