"""Synonym groups: a query for one word of a group also looks for the others.

Expanded at query time, not at indexing, so an administrator's edit takes effect on the next query
with nothing indexed again. Words are folded and cut like any text, so a group's member that the
segmenter cuts in two (电动车) still matches what the index holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import resources

from app.matching.text import Analyzer


def bundled_groups() -> list[list[str]]:
    """The default groups (app/matching/synonyms.txt)."""
    text = resources.files("app.matching").joinpath("synonyms.txt").read_text(encoding="utf-8")
    groups = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) > 1:
            groups.append(words)
    return groups


class Synonyms:
    def __init__(self, analyzer: Analyzer, groups: Iterable[Sequence[str]]) -> None:
        self._others: dict[str, set[str]] = {}
        for group in groups:
            members = {analyzer.keyword(word) for word in group} - {""}
            for member in members:
                self._others.setdefault(member, set()).update(members - {member})

    def of(self, word: str) -> list[str]:
        """The other members of `word`'s groups, sorted (a stable query for one index state)."""
        return sorted(self._others.get(word, ()))
