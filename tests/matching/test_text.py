"""What a word is: domain terms whole, traditional folded, width and case folded, units kept."""

from __future__ import annotations

import pytest

from app.matching.synonyms import Synonyms, bundled_groups
from app.matching.text import Analyzer


@pytest.mark.parametrize("term", ["锂离子电池", "石墨烯", "5g", "新能源汽车", "海水淡化", "碳纳米管"])
def test_domain_terms_stay_whole(analyzer: Analyzer, term: str) -> None:
    assert term in analyzer.words(f"一种用于{term}的制备工艺")


def test_search_mode_also_gives_sub_words(analyzer: Analyzer) -> None:
    words = analyzer.words("锂离子电池负极材料")
    assert {"锂离子电池", "电池", "负极材料", "材料"} <= set(words)


def test_traditional_full_width_and_case_fold_to_one_word(analyzer: Analyzer) -> None:
    assert analyzer.words("鋰離子電池") == analyzer.words("锂离子电池")
    assert analyzer.words("ＬＥＤ照明") == analyzer.words("led照明")
    assert "5g" in analyzer.words("５Ｇ基站")


def test_numbers_keep_their_units_and_bare_numbers_go(analyzer: Analyzer) -> None:
    words = analyzer.words("100kW电机，厚度3.5mm，2020年")
    assert "100kw" in words
    assert "3.5mm" in words
    assert "2020" not in words


def test_stop_words_and_punctuation_are_dropped(analyzer: Analyzer) -> None:
    words = analyzer.words("基于深度学习的图像识别方法研究。")
    assert "的" not in words
    assert "方法" not in words
    assert "。" not in words
    assert "深度学习" in words
    assert "图像识别" in words


def test_a_deployments_terms_are_kept_whole_too() -> None:
    analyzer = Analyzer(extra_terms=["条斑紫菜育苗"])
    assert "条斑紫菜育苗" in analyzer.words("条斑紫菜育苗技术")


def test_query_words_put_whole_words_before_their_sub_words(analyzer: Analyzer) -> None:
    words = analyzer.query_words("复合材料")
    assert words[0] == ("复合材料", True)
    assert ("材料", False) in words


def test_chars_are_the_folded_cjk_characters(analyzer: Analyzer) -> None:
    assert analyzer.chars("氫氣 H2 储存") == ["氢", "气", "储", "存"]


def test_synonyms_are_symmetric_and_folded(analyzer: Analyzer) -> None:
    synonyms = Synonyms(analyzer, bundled_groups())
    assert "锂离子电池" in synonyms.of("锂电池")
    assert "锂电池" in synonyms.of("锂离子电池")
    assert "电动汽车" in synonyms.of("新能源汽车")
    assert Synonyms(analyzer, [["鋰電", "锂电池"]]).of("锂电") == ["锂电池"]
