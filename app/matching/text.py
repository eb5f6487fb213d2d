"""What a word is, for the index and for queries alike.

Text is folded first (NFKC: full-width to half-width; lower case; traditional to simplified with
OpenCC), then cut by jieba-rs in search mode, which emits a long word with its dictionary sub-words
(锂离子电池 → 离子, 锂离子, 电池, 锂离子电池). A user dictionary keeps the domain's terms whole
(石墨烯, not 石墨 + 烯); numbers keep their units (100kw, 3.5mm, 5g). Single CJK characters are
indexed apart, with positions, so that a character or a sub-word no dictionary knows (氢 in 氢气)
still finds something, ranked below whole words.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import opencc
import rjieba

# Words too common in abstracts and demands to say anything about a topic.
_STOPWORD_TEXT = (
    "的 了 和 与 及 或 等 在 对 为 以 于 是 将 并 其 中 上 下 由 从 被 把 而 也 又 该 本 此 之 "
    "一种 一个 一些 一定 进行 通过 采用 基于 利用 使用 具有 可以 能够 研究 方法 技术 结果 表明 "
    "提出 分析 问题 我们 本文 同时 以及 其中 主要 相关 不同 提高 实现 需要 要求 希望 寻求 "
    "the of and a an in on for to with by is are be from as at or"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_WORD_CHAR = re.compile(r"[0-9a-z\u3400-\u9fff]")
# A token made of nothing but digits and separators ("2020", "3.5") says little on its own.
_BARE_NUMBER = re.compile(r"^[0-9.\-_/]+$")
_MAX_TOKEN_CHARS = 40
# Where traditional characters are: CJK Extension A, the unified ideographs, the compatibility ones.
_CJK_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


def _bundled_terms() -> list[str]:
    text = resources.files("app.matching").joinpath("terms.txt").read_text(encoding="utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


@dataclass(frozen=True, slots=True)
class Analyzed:
    """A text as the index stores it: word tokens in order (repeats kept, for term frequency) and
    the CJK characters in order (for single characters and sub-words)."""

    words: tuple[str, ...]
    chars: tuple[str, ...]


class Analyzer:
    """Folding and segmentation with one dictionary: the bundled domain terms plus `extra_terms`
    (a deployment's own). Thread-safe: segmentation holds no state between calls."""

    def __init__(self, extra_terms: Iterable[str] = ()) -> None:
        self._converter = opencc.OpenCC("t2s")
        self._segmenter = rjieba.Jieba()
        self._lock = threading.Lock()
        self._aligned: str | None = None
        self.terms: frozenset[str] = frozenset()
        self.add_terms([*_bundled_terms(), *extra_terms])

    def add_terms(self, terms: Iterable[str]) -> None:
        """Keep `terms` whole from now on (a listing indexed before keeps its old cut until it is
        indexed again)."""
        folded = {self.fold(term).replace(" ", "") for term in terms}
        folded = {term for term in folded if term}
        with self._lock:
            for term in sorted(folded - self.terms):
                # A high frequency makes the segmenter prefer the whole term over its parts.
                self._segmenter.add_word(term, 100_000, "n")
            self.terms = self.terms | frozenset(folded)

    def fold(self, text: str) -> str:
        """Full-width to half-width, lower case, traditional to simplified: 鋰電池 and ＬＩ电池 alike."""
        return str(self._converter.convert(unicodedata.normalize("NFKC", text).lower()))

    def fold_aligned(self, text: str) -> str:
        """`fold`, one character for one character (to mark matches on the original text): a single
        table lookup per character (str.translate) where `fold` calls the converter. The table holds,
        for each character of the Basic Multilingual Plane, its NFKC form lower-cased and then
        OpenCC's traditional-to-simplified mapping of it, when that is one character (a character
        NFKC expands, ℃ or ……, becomes a space; OpenCC's phrase mappings are left out)."""
        return text.translate(self._aligned_table())

    def _aligned_table(self) -> str:
        if self._aligned is None:
            self._aligned = _aligned_table(self._converter)
        return self._aligned

    def words(self, text: str) -> list[str]:
        """Search-mode word tokens of `text`, in order with repeats, stop words and punctuation out."""
        return [
            word for raw in self._segmenter.cut_for_search(self.fold(text)) if self._keep(word := raw.strip())
        ]

    def query_words(self, text: str, cut: Sequence[str] | None = None) -> list[tuple[str, bool]]:
        """The distinct words of a query, each marked whether it is a whole word of the text (True) or
        only a dictionary sub-word of one (锂离子 inside 锂离子电池: False), whole words first. `cut` is
        `words(text)` when the caller has it already."""
        folded = self.fold(text)
        whole = [word.strip() for word in self._segmenter.cut(folded)]
        whole_set = {word for word in whole if self._keep(word)}
        words = distinct(self.words(folded) if cut is None else cut)
        return [(word, True) for word in words if word in whole_set] + [
            (word, False) for word in words if word not in whole_set
        ]

    def _keep(self, word: str) -> bool:
        return bool(
            word
            and word not in STOPWORDS
            and len(word) <= _MAX_TOKEN_CHARS
            and _WORD_CHAR.search(word)
            and not _BARE_NUMBER.match(word)
        )

    def chars(self, text: str) -> list[str]:
        """The CJK characters of `text`, folded, in order."""
        return [char for run in _CJK_RUN.findall(self.fold(text)) for char in run]

    def analyze(self, text: str) -> Analyzed:
        return Analyzed(tuple(self.words(text)), tuple(self.chars(text)))

    def keyword(self, keyword: str) -> str:
        """A keyword as one term (folded, inner spaces gone): an exact keyword match is strong."""
        return self.fold(keyword).replace(" ", "").strip()


def _aligned_table(converter: opencc.OpenCC) -> str:
    """Analyzer.fold_aligned's table, built once (in about 50 ms): a string whose character at each
    code point is that character folded (str.translate indexes it; a character beyond the Basic
    Multilingual Plane is left as it is). A string rather than a dict: a third faster to look up."""
    table = []
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code < 0xE000:  # surrogates: not characters
            table.append(char)
            continue
        folded = unicodedata.normalize("NFKC", char).lower()
        if len(folded) != 1:
            table.append(" ")
            continue
        if any(start <= ord(folded) < end for start, end in _CJK_BLOCKS):
            converted = str(converter.convert(folded))
            folded = converted if len(converted) == 1 else folded
        table.append(folded)
    return "".join(table)


def is_cjk(token: str) -> bool:
    return bool(_CJK.search(token))


def distinct(tokens: Sequence[str]) -> list[str]:
    """`tokens` without repeats, first occurrence first."""
    return list(dict.fromkeys(tokens))
