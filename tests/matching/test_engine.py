"""The engine through its public interface: search, match, hard filters, explanations, determinism."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.matching.engine import Engine
from app.matching.explain import sentence
from app.matching.records import Filters, Kind, Listing, Need
from tests.matching.conftest import TODAY, achievement, engine_with

LIBRARY = (
    achievement(
        1, "锂离子电池负极材料的制备", "硅碳复合负极，提高锂离子电池循环寿命", tech_field="new_materials"
    ),
    achievement(2, "复合材料风电叶片", "碳纤维复合材料叶片的成型工艺", tech_field="new_materials"),
    achievement(3, "建筑材料回收", "废弃混凝土材料再生利用", tech_field="environment"),
    achievement(4, "氢气储存装置", "高压储氢瓶与氢气安全泄放", tech_field="new_energy", number="A2026000004"),
    achievement(5, "海参育苗技术", "刺参工厂化育苗与池塘养殖", tech_field="agriculture"),
    achievement(6, "电动汽车充电桩", "大功率直流充电桩的散热设计", tech_field="new_energy"),
)
ACHIEVEMENTS = Filters(kind=Kind.ACHIEVEMENT, today=TODAY)


def ids(engine: Engine, text: str, filters: Filters = ACHIEVEMENTS) -> list[int]:
    return list(engine.search(text, filters).ids)


def test_every_word_ranks_above_some_words() -> None:
    engine = engine_with(*LIBRARY)
    found = ids(engine, "复合材料")
    assert found[0] == 2, "the listing that says 复合材料 comes first"
    assert 3 not in found[:1]


def test_traditional_characters_find_simplified_listings() -> None:
    assert ids(engine_with(*LIBRARY), "鋰電池")[:1] == [1]


def test_a_single_character_finds_the_words_it_is_part_of() -> None:
    assert 4 in ids(engine_with(*LIBRARY), "氢")


def test_synonyms_find_the_other_word() -> None:
    assert ids(engine_with(*LIBRARY), "新能源汽车")[:1] == [6]


def test_a_listing_number_is_found_exactly() -> None:
    assert ids(engine_with(*LIBRARY), "A2026000004") == [4]


def test_expired_and_own_organization_listings_are_never_matched() -> None:
    expired = achievement(7, "锂离子电池隔膜", "隔膜涂覆", valid_until=date(2026, 11, 30))
    own = achievement(8, "锂离子电池电解液", "电解液添加剂", organization_id=42)
    engine = engine_with(*LIBRARY, expired, own)
    need = Need(text="锂离子电池", organization_id=42)
    found = [r.listing_id for r in engine.match(need, ACHIEVEMENTS, limit=50).results]
    assert 1 in found
    assert 7 not in found
    assert 8 not in found


def test_a_demand_is_never_matched_with_itself() -> None:
    demand = Listing(id=1, kind=Kind.DEMAND, title="锂离子电池负极材料需求")
    engine = engine_with(demand, *LIBRARY)
    need = Need(text=demand.title, listing_id=1, listing_kind=Kind.DEMAND)
    found = engine.match(need, Filters(kind=Kind.DEMAND), limit=10).results
    assert [r.listing_id for r in found] == []


def test_a_demand_does_not_hide_the_achievement_that_shares_its_id() -> None:
    engine = engine_with(*LIBRARY)
    need = Need(text="锂离子电池负极材料", listing_id=1, listing_kind=Kind.DEMAND)
    assert engine.match(need, ACHIEVEMENTS).results[0].listing_id == 1


def test_a_closed_listing_disappears_once_removed() -> None:
    engine = engine_with(*LIBRARY)
    engine.remove([(Kind.ACHIEVEMENT, 1)])
    engine.commit()
    assert 1 not in ids(engine, "锂离子电池")
    assert 1 not in [r.listing_id for r in engine.match(Need(text="锂离子电池"), ACHIEVEMENTS).results]


def test_an_update_replaces_the_indexed_text() -> None:
    engine = engine_with(*LIBRARY)
    engine.add([replace(LIBRARY[4], title="紫菜加工", body="条斑紫菜烘干")])
    engine.commit()
    assert 5 not in ids(engine, "海参")
    assert 5 in ids(engine, "紫菜")
    assert engine.backend.count(Kind.ACHIEVEMENT) == len(LIBRARY)


def test_an_index_on_disk_is_found_again_after_a_restart(tmp_path: Path) -> None:
    first = Engine.open(tmp_path / "index")
    first.add(LIBRARY)
    first.commit()
    again = Engine.open(tmp_path / "index")
    assert ids(again, "锂离子电池")[0] == 1
    assert again.backend.get(Kind.ACHIEVEMENT, 4) == replace(LIBRARY[3], body="")  # its words, not its text


def test_explanations_name_the_real_contributors() -> None:
    engine = engine_with(*LIBRARY)
    need = Need(text="锂离子电池负极", tech_field="new_materials")
    result = engine.match(need, ACHIEVEMENTS).results[0]
    assert result.listing_id == 1
    assert "锂离子电池" in result.matched_terms
    features = {c.feature: c for c in result.contributions}
    assert features["tech_field"].score > 0
    text = sentence(result, {"tech_field:new_materials": "新材料及其应用"})
    assert text.startswith("关键词吻合：")
    assert "领域一致（新材料及其应用）" in text
    assert "same field (new_materials)" in sentence(result, {}, language="en")


@settings(max_examples=25, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["锂离子电池", "材料", "氢", "充电桩", "育苗", "复合", "回收"]),
        min_size=1,
        max_size=4,
    )
)
def test_ranking_is_deterministic_for_one_index_state(words: list[str]) -> None:
    text = "".join(words)
    first = ENGINE.match(Need(text=text), ACHIEVEMENTS).results
    again = ENGINE.match(Need(text=text), ACHIEVEMENTS).results
    assert first == again
    assert ENGINE.search(text, ACHIEVEMENTS) == ENGINE.search(text, ACHIEVEMENTS)


@settings(max_examples=20, deadline=None)
@given(
    closed=st.sampled_from([listing.id for listing in LIBRARY]),
    text=st.sampled_from(["材料", "电池", "氢气", "育苗"]),
)
def test_a_removed_listing_is_in_no_result(closed: int, text: str) -> None:
    engine = engine_with(*LIBRARY)
    engine.remove([(Kind.ACHIEVEMENT, closed)])
    engine.commit()
    assert closed not in [r.listing_id for r in engine.match(Need(text=text), ACHIEVEMENTS, limit=50).results]
    assert closed not in ids(engine, text)


ENGINE = engine_with(*LIBRARY)


def test_an_index_of_an_older_layout_is_emptied_to_be_built_again(tmp_path: Path) -> None:
    first = Engine.open(tmp_path / "index")
    first.add(LIBRARY)
    first.commit()
    (tmp_path / "index" / "schema-version").write_text("1", encoding="utf-8")
    (tmp_path / "index" / "built-from-database").write_text("then", encoding="utf-8")
    again = Engine.open(tmp_path / "index")
    assert again.backend.count(Kind.ACHIEVEMENT) == 0
    assert not (tmp_path / "index" / "built-from-database").exists()


def test_expired_listings_that_rank_first_leave_the_page_to_unexpired_ones() -> None:
    """Expiry is checked on the hits (the index holds no expiry filter): when the best matches have
    expired, the search fetches further until the page is full of unexpired ones."""
    past = date(2026, 1, 1)
    expired = [
        achievement(n, "锂离子电池锂离子电池负极", "锂离子电池负极材料锂离子电池", valid_until=past)
        for n in range(1, 31)
    ]
    current = [achievement(n, "锂离子电池隔膜", "涂覆隔膜") for n in range(31, 36)]
    engine = engine_with(*expired, *current)
    assert sorted(engine.search("锂离子电池", ACHIEVEMENTS, limit=5).ids) == list(range(31, 36))
    found = engine.match(Need(text="锂离子电池"), ACHIEVEMENTS, limit=5).results
    assert sorted(result.listing_id for result in found) == list(range(31, 36))
    everything = engine.search("锂离子电池", replace(ACHIEVEMENTS, today=None), limit=100).ids
    assert len(everything) == 35


def test_a_second_process_opening_a_new_directory_keeps_the_first_ones_index(tmp_path: Path) -> None:
    """Two workers starting at once open one new directory: the second must not take the first's
    layout, made a moment before, for an old one and delete it."""
    first = Engine.open(tmp_path / "index")
    first.add(LIBRARY)
    first.commit()
    # As another process sees the directory while the first makes it: the kinds' indexes there,
    # the version file not yet (or, before the fix, not yet written).
    (tmp_path / "index" / "schema-version").unlink()
    second = Engine.open(tmp_path / "index")
    assert second.backend.count(Kind.ACHIEVEMENT) == len(LIBRARY)
    assert ids(first, "锂离子电池")[0] == 1
