"""评分 and 生成自评表 ask before they replace forms or 得分, and keep a backup the batch skips.

The actions run through xlsuite's host protocol on books named by their full path (a saved book);
the question and the copy of desktop Excel (``SaveCopyAs``) are checked on a stand-in book.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from types import SimpleNamespace

import host_books as host
import pytest
from book_parts import open_book
from conftest import SAMPLE

from xlsuite.core import contract as c
from xlsuite.core.model import CellRef
from xlsuite.county.own_files import OWN_FILE
from xlsuite.excel import actions, safeguard
from xlsuite.files.backups import BACKUP_MARK, backup_name, original_name
from xlsuite.files.discover import find_workbooks


def press(path, action):
    """Press the button on the saved book ``path``; the result replaces the file, as Save would.
    Returns (alerts, actions queued)."""
    book = host.open_host_book(path, name=str(path))
    actions.run(book, action)
    queued = book.json()["actions"]
    alerts = host.apply_actions(path, queued, path)
    return alerts, queued


@pytest.fixture
def scored(tmp_path):
    """A department's book in its own folder, scored once (so it has both forms)."""
    folder = tmp_path / "部门"
    folder.mkdir()
    book = shutil.copy(SAMPLE, folder / "部门.xlsx")
    alerts, _ = press(book, actions.score)
    assert alerts[0].startswith("评分完成")
    # The sample carries the department's own 得分 (adding up to the seed's 98): the computed
    # scores replace three of them, so this first press kept a copy too; start from none.
    for backup in backups_in(folder):
        backup.unlink()
    assert sorted(p.name for p in folder.iterdir()) == ["部门.xlsx"]
    return book


def backups_in(folder):
    return sorted(p for p in folder.iterdir() if BACKUP_MARK in p.name)


@pytest.mark.parametrize(("action", "label"), [(actions.score, "评分"), (actions.forms, "生成自评表")])
def test_replacing_the_forms_keeps_the_book_before_in_a_backup(scored, action, label):
    before = scored.read_bytes()
    alerts, _ = press(scored, action)
    (backup,) = backups_in(scored.parent)
    assert backup.read_bytes() == before
    assert original_name(backup.name) == scored.name
    assert alerts[-1].endswith(f"修改前的工作簿已备份为：{backup}")


def test_cancel_changes_nothing(scored, monkeypatch):
    questions = []
    monkeypatch.setattr(safeguard, "ask", lambda book, question: questions.append(question) or False)
    wb = open_book(scored)
    ws = wb[c.INDICATOR_SHEET]
    score_col = 1 + [cell.value for cell in ws[2]].index(c.INDICATOR_SHEET_DEF.column("score").header)
    ws.cell(3, score_col).value = 1.5  # a 得分 the scores will overwrite
    wb.save(scored)

    alerts, queued = press(scored, actions.score)
    assert queued == [] and alerts == []  # not one write into the book, not even a message
    assert backups_in(scored.parent) == []
    (question,) = questions
    assert question.startswith(f"评分将替换已有的“{c.DEPARTMENT_FORM_SHEET}”“{c.PROJECT_FORM_SHEET}”，"
                               f"并改写“{c.INDICATOR_SHEET}”表中 1 个已有的得分。")
    assert BACKUP_MARK in question and question.endswith("是否继续评分？")


def test_only_scores_that_change_count_as_overwritten():
    grid = [["h"], ["h"], [8.0], [""], ["约 5 分"], [3.0]]
    scores = [(CellRef("绩效指标", r, 0), Decimal(v)) for r, v in ((2, "8"), (3, "4"), (4, "5"), (5, "2.5"))]
    what = safeguard.replacing({"绩效指标": grid}, ["绩效指标"], scores)
    assert (what.sheets, what.scores) == ((), 2)  # the text and the 3 → 2.5; not 8 → 8, not the blank


class DesktopBook:
    """Enough of a desktop Excel book for the question and SaveCopyAs."""

    def __init__(self, path, answer):
        self.name, self.fullname = path.name, str(path)
        self.asked, self.saved = [], []
        self.app = SimpleNamespace(engine=SimpleNamespace(name="excel"), alert=self._alert)
        self.api = SimpleNamespace(SaveCopyAs=self.saved.append)
        self._answer = answer

    def _alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.asked.append((prompt, buttons))
        return self._answer


@pytest.mark.parametrize("answer", ["ok", "cancel"])
def test_desktop_excel_asks_ok_cancel_and_saves_the_copy_with_unsaved_changes(tmp_path, answer):
    book = DesktopBook(tmp_path / "部门.xlsm", answer)
    what = safeguard.Replacing((c.PROJECT_FORM_SHEET,), 0)
    if answer == "cancel":
        with pytest.raises(safeguard.Cancelled):
            safeguard.confirm_and_back_up(book, "生成自评表", what)
        assert book.saved == []
    else:
        path = safeguard.confirm_and_back_up(book, "生成自评表", what)
        assert book.saved == [str(path)] and path.parent == tmp_path
        assert original_name(path.name) == "部门.xlsm"
    ((question, buttons),) = book.asked
    assert buttons == "ok_cancel" and "含尚未保存的修改" in question


def test_nothing_to_replace_asks_nothing():
    book = DesktopBook.__new__(DesktopBook)  # any use of it would fail
    assert safeguard.confirm_and_back_up(book, "评分", safeguard.Replacing((), 0)) is None


def test_backup_names_round_trip():
    when = dt.datetime(2026, 12, 1, 11, 45, 0)
    assert backup_name("永昌县工信局.xlsx", when) == f"永昌县工信局（{BACKUP_MARK} 20261201-114500）.xlsx"
    assert backup_name("工作簿1", when) == f"工作簿1（{BACKUP_MARK} 20261201-114500）.xlsx"
    for name in ("永昌县工信局.xlsx", "a.b.xlsm"):
        assert original_name(backup_name(name, when)) == name
    assert original_name("永昌县工信局.xlsx") is None
    assert original_name(f"（{BACKUP_MARK} 2026-12-01）.xlsx") is None


def test_county_folder_search_skips_a_backup_beside_its_book_only(tmp_path):
    when = dt.datetime(2026, 12, 1, 11, 45, 0)
    both, alone = tmp_path / "甲", tmp_path / "乙"
    both.mkdir()
    alone.mkdir()
    for folder in (both, alone):
        shutil.copy(SAMPLE, folder / backup_name("部门.xlsx", when))
    shutil.copy(SAMPLE, both / "部门.xlsx")
    files, skipped = find_workbooks([tmp_path])
    assert sorted(files) == sorted([both / "部门.xlsx", alone / backup_name("部门.xlsx", when)])
    ((path, reason),) = skipped
    assert path == both / backup_name("部门.xlsx", when)
    assert reason.startswith(OWN_FILE) and "“部门.xlsx”" in reason
