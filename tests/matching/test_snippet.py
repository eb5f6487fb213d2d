"""Snippets: the passage with the query's words, marked on the original characters, HTML-escaped."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from app.matching.snippet import snippet
from app.matching.text import Analyzer

ANALYZER = Analyzer()
fold = ANALYZER.fold_aligned


def test_words_are_marked_where_they_occur() -> None:
    text = "一种锂离子电池负极材料，提高循环寿命。"
    assert (
        snippet(text, ["锂离子电池", "电池"], fold) == "一种<mark>锂离子电池</mark>负极材料，提高循环寿命。"
    )


def test_traditional_and_full_width_text_is_marked_for_a_simplified_query() -> None:
    assert snippet("高能量密度鋰電池與ＬＥＤ", ["锂电池", "led"], fold) == (
        "高能量密度<mark>鋰電池</mark>與<mark>ＬＥＤ</mark>"
    )


def test_the_text_is_escaped_and_a_latin_word_is_marked_only_whole() -> None:
    found = snippet("<b>AI</b> said: 5G & ai", ["ai", "5g"], fold)
    assert found == "&lt;b&gt;<mark>AI</mark>&lt;/b&gt; said: <mark>5G</mark> &amp; <mark>ai</mark>"


def test_a_long_text_shows_the_passage_with_the_most_words() -> None:
    text = "海水" + "无关内容" * 40 + "反渗透膜用于海水淡化" + "其他内容" * 40
    found = snippet(text, ["反渗透膜", "海水淡化"], fold, width=40)
    assert found is not None
    assert found.startswith("…")
    assert found.endswith("…")
    assert "<mark>反渗透膜</mark>" in found
    assert "<mark>海水淡化</mark>" in found


def test_no_word_no_snippet() -> None:
    assert snippet("燃气轮机叶片", ["锂电池"], fold) is None
    assert snippet("", ["锂电池"], fold) is None


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=4), max_size=4))
def test_removing_the_marks_gives_back_an_escaped_passage_of_the_text(text: str, words: list[str]) -> None:
    found = snippet(text, [fold(word) for word in words], fold)
    if found is None:
        return
    plain = html.unescape(found.replace("<mark>", "").replace("</mark>", "").strip("…"))
    assert plain in text


@given(st.text(max_size=100))
def test_the_aligned_fold_keeps_the_length(text: str) -> None:
    assert len(ANALYZER.fold_aligned(text)) == len(text)


def test_the_aligned_fold_agrees_with_the_fold_on_traditional_text() -> None:
    for text in ("鋰電池與ＬＥＤ", "海水淡化反滲透膜組件", "氫燃料電池雙極板", "儲能電池熱管理", "機器學習"):
        assert ANALYZER.fold_aligned(text) == ANALYZER.fold(text)
