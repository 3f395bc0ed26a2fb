"""Comparing two levels of a track: what is new, changed or no longer listed at the higher one."""

from __future__ import annotations

from ladders.frameworks.compare import (
    Segment,
    compare_levels,
    expectation_rows,
    grouped_expectations,
    level_requirements,
    requirement_rows,
    text_row,
    word_diff,
)
from ladders.frameworks.model import (
    Category,
    ExpectationGroup,
    Framework,
    Level,
    LevelThreshold,
    Milestone,
    Requirements,
    Scoring,
    Skill,
    Track,
)


def framework(levels: list[Level], thresholds: list[LevelThreshold] | None = None) -> Framework:
    return Framework(
        key="acme",
        name="Acme",
        categories=[Category(key="building", name="Building")],
        skills=[
            Skill(
                key=key,
                name=name,
                category="building",
                milestones=[Milestone(number=n, summary=f"{name} {n}") for n in (1, 2, 3)],
            )
            for key, name in (("servers", "Servers"), ("testing", "Testing"))
        ],
        tracks=[Track(key="ic", name="IC", levels=levels)],
        scoring=Scoring(levels=thresholds or []),
    )


def marked(parts: tuple[Segment, ...], state: str) -> list[str]:
    return [p.text for p in parts if p.state == state]


def test_identical_levels_have_nothing_changed() -> None:
    level = Level(
        code="L1",
        title="Engineer",
        summary="Learns",
        expectations=[ExpectationGroup(topic="Impact", items=["Ships tasks"])],
        requirements=Requirements(milestones={"servers": 1}),
    )
    comparison = compare_levels(framework([level]), level, level.model_copy(update={"code": "L2"}))
    assert not comparison.changed
    assert all(row.state == "same" for row in comparison.texts)
    assert [i.state for i in comparison.expectations[0].higher] == ["same"]


def test_text_fields_say_what_was_added_removed_or_changed() -> None:
    low = Level(code="L1", title="Engineer", summary="Learns the codebase", experience="0-2 years")
    high = Level(code="L2", title="Engineer", summary="Owns features", responsibility="Features")
    rows = {r.field: r for r in compare_levels(framework([low, high]), low, high).texts}
    assert rows["title"].state == "same"
    assert rows["summary"].state == "changed"
    assert rows["experience"].state == "removed"
    assert rows["responsibility"].state == "added"


def test_fields_empty_at_both_levels_are_left_out() -> None:
    low, high = Level(code="L1", title="A"), Level(code="L2", title="B")
    assert [r.field for r in compare_levels(framework([low, high]), low, high).texts] == ["title"]


def test_a_reworded_text_marks_only_the_words_that_changed() -> None:
    low, high = word_diff(
        "Usually 3-5 years building software.", "Usually 5-8 years building software."
    )
    assert marked(low, "removed") == ["3-5"]
    assert marked(high, "added") == ["5-8"]
    assert "".join(p.text for p in high) == "Usually 5-8 years building software."
    assert "".join(p.text for p in low) == "Usually 3-5 years building software."


def test_a_text_rewritten_from_scratch_is_not_cut_into_word_marks() -> None:
    row = text_row(
        "summary", "Summary", "Learns the codebase with help", "Sets direction for many teams"
    )
    assert row.state == "changed"
    assert row.lower_parts == () and row.higher_parts == ()


def test_new_expectations_are_added_and_dropped_ones_removed() -> None:
    low = Level(
        code="L1",
        expectations=[ExpectationGroup(topic="Impact", items=["Delivers tasks", "Fixes bugs"])],
    )
    high = Level(
        code="L2",
        expectations=[
            ExpectationGroup(topic="Impact", items=["Fixes bugs", "Owns a service end to end"])
        ],
    )
    (row,) = expectation_rows(low, high)
    assert [(i.text, i.state) for i in row.lower] == [
        ("Delivers tasks", "removed"),
        ("Fixes bugs", "same"),
    ]
    assert [(i.text, i.state) for i in row.higher] == [
        ("Fixes bugs", "same"),
        ("Owns a service end to end", "added"),
    ]
    assert row.state == "changed"


def test_matching_ignores_case_and_spacing() -> None:
    low = Level(code="L1", expectations=[ExpectationGroup(items=["Fixes  bugs"])])
    high = Level(code="L2", expectations=[ExpectationGroup(items=["fixes bugs"])])
    (row,) = expectation_rows(low, high)
    assert row.state == "same"


def test_a_reworded_expectation_is_one_changed_item_with_its_new_words_marked() -> None:
    low = Level(code="L1", expectations=[ExpectationGroup(items=["Writes simple code in Java"])])
    high = Level(code="L2", expectations=[ExpectationGroup(items=["Writes complex code in Java"])])
    (row,) = expectation_rows(low, high)
    (before,), (after,) = row.lower, row.higher
    assert before.state == after.state == "changed"
    assert marked(before.parts, "removed") == ["simple"]
    assert marked(after.parts, "added") == ["complex"]


def test_a_topic_only_the_higher_level_has_is_all_new() -> None:
    low = Level(code="L1", expectations=[ExpectationGroup(topic="Impact", items=["Ships"])])
    high = Level(
        code="L2",
        expectations=[
            ExpectationGroup(topic="Impact", items=["Ships"]),
            ExpectationGroup(topic="Leadership", items=["Mentors"]),
        ],
    )
    rows = {r.topic: r for r in expectation_rows(low, high)}
    assert list(rows) == ["Impact", "Leadership"]
    assert rows["Leadership"].state == "added"
    assert [i.state for i in rows["Leadership"].higher] == ["added"]


def test_a_topic_the_higher_level_drops_is_shown_empty_there_not_item_by_item() -> None:
    low = Level(code="L1", expectations=[ExpectationGroup(topic="Learning", items=["Asks"])])
    high = Level(code="L2")
    (row,) = expectation_rows(low, high)
    assert row.higher == [] and row.state == "removed"
    assert [i.state for i in row.lower] == ["same"]


def test_repeated_topics_are_grouped_in_first_seen_order() -> None:
    level = Level(
        code="L1",
        expectations=[
            ExpectationGroup(topic="B", items=["one"]),
            ExpectationGroup(topic="A", items=["two"]),
            ExpectationGroup(topic="B", items=["three"]),
        ],
    )
    assert grouped_expectations(level) == [("B", ["one", "three"]), ("A", ["two"])]


def test_requirements_that_rise_are_changed_and_point_up() -> None:
    low = Level(code="L3", requirements=Requirements(milestones={"servers": 2}, min_points=10))
    high = Level(
        code="L4",
        requirements=Requirements(
            milestones={"servers": 3, "testing": 1}, min_points=20, category_points={"building": 6}
        ),
    )
    rows = requirement_rows(framework([low, high]), low, high)
    table = {(r.kind, r.key): r for r in rows}
    servers = table[("milestone", "servers")]
    assert (servers.name, servers.lower, servers.higher) == ("Servers", 2, 3)
    assert servers.state == "changed" and servers.direction == "up" and servers.unit == "milestone"
    assert table[("milestone", "testing")].state == "added"
    assert table[("min_points", "")].direction == "up"
    building = table[("category_points", "building")]
    assert building.name == "Building" and building.state == "added" and building.unit == "points"


def test_requirements_dropped_at_the_higher_level_are_removed() -> None:
    low = Level(code="L1", requirements=Requirements(milestones={"testing": 2}))
    high = Level(code="L2", requirements=Requirements(milestones={"servers": 1}))
    table = {r.key: r for r in requirement_rows(framework([low, high]), low, high)}
    assert table["testing"].state == "removed" and table["testing"].direction is None


def test_scoring_thresholds_are_compared_but_a_zero_threshold_asks_nothing() -> None:
    low, high = Level(code="L1"), Level(code="L2")
    fw = framework(
        [low, high],
        [LevelThreshold(min_points=0, code="L1"), LevelThreshold(min_points=9, code="L2")],
    )
    (row,) = requirement_rows(fw, low, high)
    assert (row.kind, row.lower, row.higher, row.state) == ("threshold", None, 9, "added")


def test_level_requirements_name_skills_and_categories() -> None:
    level = Level(
        code="L2",
        requirements=Requirements(
            milestones={"servers": 2}, min_points=0, category_points={"building": 4}
        ),
    )
    fw = framework([level], [LevelThreshold(min_points=12, code="L2")])
    found = [(r.kind, r.name, r.value) for r in level_requirements(fw, level)]
    # "at least 0 points" asks nothing; the threshold asks for more than the level's own total
    assert found == [
        ("milestone", "Servers", 2),
        ("category_points", "Building", 4),
        ("threshold", "", 12),
    ]


def test_a_threshold_below_the_levels_own_total_is_not_repeated() -> None:
    level = Level(code="L2", requirements=Requirements(min_points=20))
    fw = framework([level], [LevelThreshold(min_points=12, code="L2")])
    assert [r.kind for r in level_requirements(fw, level)] == ["min_points"]
