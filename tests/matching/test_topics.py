"""The topic model: listings on one topic are near though they share few words; it survives a restart."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.matching.topics import TopicModel

MARINE = [
    ["海参", "育苗", "养殖"],
    ["海参", "养殖", "池塘"],
    ["对虾", "养殖", "池塘"],
    ["对虾", "育苗", "饲料"],
]
BATTERY = [
    ["锂电池", "负极", "硅碳"],
    ["锂电池", "电解液", "负极"],
    ["钠电池", "电解液", "正极"],
    ["钠电池", "正极", "硅碳"],
]


def test_listings_on_one_topic_are_nearer_than_across_topics() -> None:
    model = TopicModel.fit(MARINE + BATTERY, dimensions=2, min_documents=1)
    assert model is not None
    shrimp, cucumber, battery = model.vectors([["对虾", "饲料"], ["海参", "池塘"], ["负极", "正极"]])
    assert float(shrimp @ cucumber) > float(shrimp @ battery)


def test_too_few_listings_give_no_model() -> None:
    assert TopicModel.fit([["海参"]]) is None


def test_a_text_with_no_known_word_is_a_zero_vector() -> None:
    model = TopicModel.fit(MARINE + BATTERY, dimensions=2, min_documents=1)
    assert model is not None
    assert not model.vectors([["石墨烯"]]).any()


def test_saved_and_loaded_it_gives_the_same_vectors(tmp_path: Path) -> None:
    model = TopicModel.fit(MARINE + BATTERY, dimensions=2, min_documents=1)
    assert model is not None
    model.save(tmp_path)
    loaded = TopicModel.load(tmp_path)
    assert loaded is not None
    np.testing.assert_allclose(loaded.vectors(MARINE), model.vectors(MARINE))
    assert TopicModel.load(tmp_path / "elsewhere") is None
