"""A latent-semantic model of the library (LSA): words that occur in the same listings lie near each
other, so two listings on one topic are near even when they share few words.

Trained on the library itself (a sample of it when large: the topics of 20,000 listings are those of a
million), nothing downloaded. A listing's vector is computed from its distinct words when it is
indexed and stored with it (float16, 256 bytes), so a new listing needs no retraining and a match
reads its candidates' vectors instead of computing them (computing 400 took 10 of a match's 56 ms at
100,000 listings); the model is retrained with the index (`techtransfer index rebuild`) and saved
beside it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import svds

MODEL_FILE = "topics.npz"


class TopicModel:
    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, components: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.idf = idf
        self.components = components  # (words, dimensions), float32

    @classmethod
    def fit(
        cls,
        documents: Sequence[Iterable[str]],
        *,
        dimensions: int = 128,
        min_documents: int = 2,
        max_share: float = 0.5,
        sample: int = 20_000,
        seed: int = 0,
    ) -> TopicModel | None:
        """The model of `documents` (each its words), or None when they are too few to say anything."""
        chosen = list(documents)
        if len(chosen) > sample:
            chosen = random.Random(seed).sample(chosen, sample)  # noqa: S311 - a reproducible sample, no secret
        sets = [set(words) for words in chosen]
        frequency: dict[str, int] = {}
        for words in sets:
            for word in words:
                frequency[word] = frequency.get(word, 0) + 1
        limit = max_share * len(sets)
        kept = sorted(word for word, count in frequency.items() if min_documents <= count <= limit)
        dimensions = min(dimensions, len(sets) - 1, len(kept) - 1)
        if dimensions < 2:
            return None
        vocabulary = {word: index for index, word in enumerate(kept)}
        idf = np.array(
            [math.log((1 + len(sets)) / (1 + frequency[word])) + 1 for word in kept], dtype=np.float32
        )
        matrix = _weighted(sets, vocabulary, idf)
        _, _, vt = svds(matrix, k=dimensions, random_state=seed)
        return cls(vocabulary, idf, np.ascontiguousarray(vt.T, dtype=np.float32))

    def vectors(self, documents: Sequence[Iterable[str]]) -> np.ndarray:
        """Unit vectors of `documents` (rows); a document with no known word is all zeros."""
        matrix = _weighted(documents, self.vocabulary, self.idf)
        projected = np.asarray(matrix @ self.components, dtype=np.float32)
        norms = np.linalg.norm(projected, axis=1, keepdims=True)
        return projected / np.where(norms == 0, 1, norms)

    def encoded(self, documents: Sequence[Iterable[str]]) -> list[bytes]:
        """The documents' vectors as float16 bytes (256 bytes at 128 dimensions), to store with them."""
        return [row.tobytes() for row in self.vectors(documents).astype(np.float16)]

    def save(self, directory: Path) -> None:
        words = np.array(sorted(self.vocabulary, key=self.vocabulary.__getitem__), dtype=object)
        path = directory / MODEL_FILE
        temporary = path.with_suffix(".tmp.npz")
        np.savez(temporary, words=words.astype(str), idf=self.idf, components=self.components)
        temporary.replace(path)

    @classmethod
    def load(cls, directory: Path) -> TopicModel | None:
        path = directory / MODEL_FILE
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as stored:
            words = [str(word) for word in stored["words"]]
            return cls({word: i for i, word in enumerate(words)}, stored["idf"], stored["components"])


def decoded(stored: Sequence[bytes]) -> np.ndarray:
    """Stored vectors (TopicModel.encoded) as rows of a float32 matrix."""
    return np.frombuffer(b"".join(stored), dtype=np.float16).reshape(len(stored), -1).astype(np.float32)


def _weighted(documents: Sequence[Iterable[str]], vocabulary: dict[str, int], idf: np.ndarray) -> csr_matrix:
    """Binary TF × IDF rows, L2-normalized. The words are looked up in one pass of C-level calls
    (map over all documents' words at once), not a Python loop per word: scoring 400 candidates of a
    match looks up some 70,000 words, and the loop was most of a match's time."""
    sets = [words if isinstance(words, set | frozenset) else set(words) for words in documents]
    lengths = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    found = np.fromiter(
        map(vocabulary.get, chain.from_iterable(sets), repeat(-1)), dtype=np.int64, count=int(lengths.sum())
    )
    rows = np.repeat(np.arange(len(sets), dtype=np.int64), lengths)
    known = found >= 0
    rows, columns = rows[known], found[known]
    values = idf[columns].astype(np.float32)
    norms = np.sqrt(np.bincount(rows, weights=values.astype(np.float64) ** 2, minlength=len(sets)))
    norms[norms == 0] = 1
    values = (values / norms[rows]).astype(np.float32)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(sets)))])
    return csr_matrix((values, columns, indptr), shape=(len(sets), len(vocabulary)), dtype=np.float32)
