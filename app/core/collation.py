"""Sort keys for Chinese text: the order of a Chinese dictionary (by pinyin, syllable by syllable,
then by tone), which is what people who read Chinese expect of a list sorted by title.

pypinyin reads polyphones from its phrase dictionary (重庆 chóng, 银行 háng). The key spells each
syllable with its tone number (zhong1) and separates syllables with a space, which sorts below every
letter and digit: 安 an1 before 昂 ang2, 妈 ma1 before 麻 ma2 before 满 man3. Text that is not Chinese
keeps its own characters, lower-cased. Compared byte by byte (the "C" collation on PostgreSQL, BINARY
on SQLite), the keys sort the same on both databases.
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

MAX_KEY_LENGTH = 400


def pinyin_sort_key(text: str) -> str:
    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(part.strip().lower() for part in syllables if part.strip())[:MAX_KEY_LENGTH]
