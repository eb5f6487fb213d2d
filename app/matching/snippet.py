"""A search result's snippet: the passage where the query's words occur, with each occurrence marked.

Words are found in the folded text (app.matching.text: full-width, case, traditional characters), so
鋰電池 in a listing is marked for the query 锂电池, and the marks are placed on the original
characters. The snippet is HTML: the listing's text escaped, the matches in <mark>…</mark>, ready
for a page to insert; a client that wants plain text removes the two tags.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence

_ASCII_WORD = re.compile(r"^[0-9a-z]+$")
_ELLIPSIS = "…"
# Characters shown before the first match of the passage, so it does not start mid-phrase.
_LEAD = 12


def snippet(text: str, words: Sequence[str], fold: Callable[[str], str], *, width: int = 80) -> str | None:
    """The passage of `text` (at most `width` characters) holding the most distinct `words` (folded
    forms), HTML-escaped, matches marked; None when none of them occurs."""
    if not text or not words:
        return None
    folded = _aligned_fold(text, fold)
    spans = _matches(folded, words)
    if not spans:
        return None
    start, end = _best_window(spans, len(text), width)
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


def _aligned_fold(text: str, fold: Callable[[str], str]) -> str:
    """`text` folded with one character per character, so positions carry over. Folding the whole
    text keeps its length almost always. Where it does not (NFKC expands ℃ to °c, ㎏ to kg), the
    expanding characters become spaces (they are rarely part of a query's word) and the rest is
    folded at once; only if that still changes the length is each character folded alone, which
    costs the converter a call per character."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    narrowed = "".join(" " if len(unicodedata.normalize("NFKC", char)) != 1 else char for char in text)
    folded = fold(narrowed)
    if len(folded) == len(text):
        return folded
    return "".join(single if len(single := fold(char)) == 1 else " " for char in text)


def _matches(folded: str, words: Sequence[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, word) of `words` in `folded`, longer words first, in text order;
    a Latin or digit word only where it stands alone (ai is not marked inside said)."""
    taken = [False] * len(folded)
    spans: list[tuple[int, int, str]] = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        if not word:
            continue
        whole_only = bool(_ASCII_WORD.match(word))
        position = folded.find(word)
        while position != -1:
            end = position + len(word)
            if not any(taken[position:end]) and not (whole_only and _inside_word(folded, position, end)):
                spans.append((position, end, word))
                for index in range(position, end):
                    taken[index] = True
            position = folded.find(word, position + 1)
    return sorted(spans)


def _inside_word(folded: str, start: int, end: int) -> bool:
    before = folded[start - 1] if start > 0 else " "
    after = folded[end] if end < len(folded) else " "
    return (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum())


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
