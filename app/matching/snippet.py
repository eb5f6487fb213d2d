"""A search result's snippet: the passage where the query's words occur, with each occurrence marked.

Words are found in the folded text (app.matching.text: full-width, case, traditional characters), so
鋰電池 in a listing is marked for the query 锂电池, and the marks are placed on the original
characters. The snippet is HTML: the listing's text escaped, the matches in <mark>…</mark>, ready
for a page to insert; a client that wants plain text removes the two tags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

_ASCII_WORD = re.compile(r"^[0-9a-z]+$")
_ELLIPSIS = "…"
# Characters shown before the first match of the passage, so it does not start mid-phrase.
_LEAD = 12


class Highlighter:
    """Snippets for one query's `words` (folded forms), over any number of texts: the words are
    compiled once into one pattern, longest first, a Latin or digit word only where it stands alone
    (ai is not marked inside said). `fold` must keep a text's length (Analyzer.fold_aligned)."""

    def __init__(self, words: Sequence[str], fold: Callable[[str], str], *, width: int = 80) -> None:
        ordered = sorted({word for word in words if word}, key=lambda w: (-len(w), w))
        alternatives = [
            rf"(?<![0-9a-z]){re.escape(word)}(?![0-9a-z])" if _ASCII_WORD.match(word) else re.escape(word)
            for word in ordered
        ]
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None
        self._fold = fold
        self._width = width

    def snippet(self, text: str) -> str | None:
        """The passage of `text` (at most `width` characters) holding the most distinct words,
        HTML-escaped, matches marked; None when none of them occurs."""
        if not text or self._pattern is None:
            return None
        folded = self._fold(text)
        if len(folded) != len(text):  # a fold that moves positions cannot place marks
            return None
        spans = [(found.start(), found.end(), found.group()) for found in self._pattern.finditer(folded)]
        if not spans:
            return None
        start, end = _best_window(spans, len(text), self._width)
        parts = [_ELLIPSIS] if start > 0 else []
        position = start
        for begin, finish, _ in spans:
            if begin < start or finish > end:
                continue
            parts.append(html.escape(text[position:begin]))
            parts.append(f"<mark>{html.escape(text[begin:finish])}</mark>")
            position = finish
        parts.append(html.escape(text[position:end]))
        if end < len(text):
            parts.append(_ELLIPSIS)
        return "".join(parts)


def snippet(text: str, words: Sequence[str], fold: Callable[[str], str], *, width: int = 80) -> str | None:
    """One text's snippet (Highlighter, for a single text)."""
    return Highlighter(words, fold, width=width).snippet(text)


def _best_window(spans: list[tuple[int, int, str]], length: int, width: int) -> tuple[int, int]:
    """The `width` characters, starting a little before a match, that hold the most distinct words
    (the earliest such passage)."""
    best = (-1, 0)
    for begin, _, _ in spans:
        start = max(0, begin - _LEAD)
        end = min(length, start + width)
        distinct = len({word for b, f, word in spans if b >= start and f <= end})
        if distinct > best[0]:
            best = (distinct, start)
    start = best[1]
    end = min(length, start + width)
    # A passage at the end of the text shows the full width, starting earlier.
    return max(0, end - width), end
