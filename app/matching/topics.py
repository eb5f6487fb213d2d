"""A latent-semantic model of the library (LSA): words that occur in the same listings lie near each
other, so two listings on one topic are near even when they share few words.

Trained on the library itself (a sample of it when large: the topics of 20,000 listings are those of a
million), nothing downloaded. A listing's vector is computed from its distinct words when it is
scored, so the index stores no vectors and a new listing needs no retraining; the model is retrained
with the index (`techtransfer index rebuild`) and saved beside it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
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
        matrix = _weighted([set(words) for words in documents], self.vocabulary, self.idf)
        projected = np.asarray(matrix @ self.components, dtype=np.float32)
        norms = np.linalg.norm(projected, axis=1, keepdims=True)
        return projected / np.where(norms == 0, 1, norms)

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


def _weighted(sets: Sequence[set[str]], vocabulary: dict[str, int], idf: np.ndarray) -> csr_matrix:
    """Binary TF × IDF rows, L2-normalized."""
    rows, columns = [], []
    for row, words in enumerate(sets):
        for word in words:
            column = vocabulary.get(word)
            if column is not None:
                rows.append(row)
                columns.append(column)
    values = idf[np.array(columns, dtype=np.int64)] if columns else np.zeros(0, dtype=np.float32)
    matrix = csr_matrix((values, (rows, columns)), shape=(len(sets), len(vocabulary)), dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return csr_matrix(matrix.multiply(1 / norms[:, None]))
