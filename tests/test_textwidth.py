"""The one text measure every writer sizes cells with (xlsuite.layout.textwidth)."""

from __future__ import annotations

import pytest

from xlsuite.layout import textwidth as tw


@pytest.mark.parametrize(("text", "cells"), [
    ("", 0), ("abc 123", 7), ("项目支出", 8), ("“项目”", 8), ("（）：，", 8), ("≥95%", 5), ("𠀀", 2),
])
def test_columns_count_wide_characters_twice(text, cells):
    assert tw.columns(text) == cells


def test_lines_break_cjk_anywhere_and_words_whole():
    width = tw.column_points(20)  # about 9 CJK characters at 10 pt
    assert tw.lines("中" * 8, width, 10) == 1
    assert tw.lines("中" * 40, width, 10) == 5
    assert tw.lines("第一行\n第二行", width, 10) == 2
    # "Latin words" move whole: 8 words of 5 letters do not fit 2 lines of 16 letters
    assert tw.lines("abcde " * 8, width, 10) == 3
    assert tw.lines("a" * 100, width, 10) >= 6  # one long word still wraps inside


def test_height_grows_with_the_lines_and_the_font():
    width = tw.column_points(30)
    one, three = tw.column_height("短", 30, 10), tw.column_height("长" * 40, 30, 10)
    assert three == pytest.approx(3 * (one - tw.ROW_PADDING_PT) + tw.ROW_PADDING_PT)
    assert tw.height("长" * 40, width, 12) > three
    assert tw.height("长" * 40, width, 10, wrap=False) == one


def test_width_for_makes_the_text_fit():
    for text in ("100.00%", "12,345,678.90", "永昌县工业和信息化局"):
        assert tw.fits(text, tw.width_for(text, 10), 10)
        assert not tw.fits(text, tw.width_for(text, 10) - 1, 10)
