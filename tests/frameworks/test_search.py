"""Searching the published text of a framework."""

from __future__ import annotations

from ladders.frameworks.model import (
    Category,
    ExpectationGroup,
    Framework,
    Level,
    Milestone,
    Skill,
    Track,
)
from ladders.frameworks.search import SNIPPET_LENGTH, Hit, search


def make() -> Framework:
    return Framework(
        key="acme",
        name="Acme",
        categories=[Category(key="building", name="Building")],
        skills=[
            Skill(
                key="servers",
                name="Servers",
                category="building",
                description="Running services in production.",
                milestones=[
                    Milestone(
                        number=1,
                        summary="Deploys with a runbook",
                        signals=["Reads the dashboards before a deploy"],
                        examples=["Rolled back a bad release of the billing API"],
                    ),
                    Milestone(number=2, summary="Owns a service and its on-call rota"),
                ],
            ),
            Skill(
                key="testing",
                name="Testing",
                category="building",
                description="Confidence that servers behave.",
                milestones=[Milestone(number=1, summary="Writes unit tests")],
            ),
        ],
        tracks=[
            Track(
                key="ic",
                name="Individual contributor",
                levels=[
                    Level(code="L1", title="Engineer I", summary="Learns the codebase"),
                    Level(
                        code="L2",
                        title="Engineer II",
                        experience="2-4 years",
                        expectations=[
                            ExpectationGroup(topic="Impact", items=["Leads billing releases"])
                        ],
                    ),
                ],
            )
        ],
    )


def text(hit: Hit) -> str:
    return "".join(p.text for p in hit.parts)


def marks(hit: Hit) -> list[str]:
    return [p.text for p in hit.parts if p.marked]


def test_finds_skills_and_milestones_ignoring_case() -> None:
    results = search(make(), "RUNBOOK")
    assert [r.skill.key for r in results.skills] == ["servers"]
    (hit,) = results.skills[0].hits
    assert hit.label == "Milestone 1" and hit.milestone == 1
    assert text(hit) == "Deploys with a runbook" and marks(hit) == ["runbook"]


def test_every_word_must_occur_in_the_same_place() -> None:
    fw = make()
    assert [r.skill.key for r in search(fw, "billing rota").skills] == ["servers"]
    assert search(fw, "runbook tests").count == 0  # one word in each skill: no place has both


def test_words_match_inside_longer_words_and_all_are_marked() -> None:
    results = search(make(), "deploy dashboard")
    (result,) = results.skills
    signal = next(h for h in result.hits if "signal" in h.label)
    assert marks(signal) == ["dashboard", "deploy"]
    assert any(marks(h) == ["Deploy"] for h in result.hits)


def test_levels_are_searched_with_where_they_sit_in_their_track() -> None:
    results = search(make(), "billing releases")
    assert [r.skill.key for r in results.skills] == []  # "releases" is not in the skill
    (level,) = results.levels
    assert (level.track.key, level.index, level.level.code) == ("ic", 1, "L2")
    assert level.hits[0].label == "Expectations · Impact"
    assert marks(level.hits[0]) == ["billing", "releases"]


def test_level_titles_summaries_and_experience_are_searched() -> None:
    fw = make()
    assert [r.level.code for r in search(fw, "engineer").levels] == ["L1", "L2"]
    assert [r.level.code for r in search(fw, "codebase").levels] == ["L1"]
    assert [r.level.code for r in search(fw, "2-4").levels] == ["L2"]


def test_places_whose_name_matches_come_first() -> None:
    results = search(make(), "server")
    # Testing mentions servers in its description; Servers is named so
    assert [r.skill.key for r in results.skills] == ["servers", "testing"]


def test_overlapping_words_are_marked_once() -> None:
    (result,) = search(make(), "runbook book").skills
    assert marks(result.hits[0]) == ["runbook"]


def test_a_query_too_short_to_search_gives_a_hint_and_no_results() -> None:
    for query in ("", "  ", "a"):
        results = search(make(), query)
        assert results.hint and results.count == 0


def test_special_characters_are_searched_literally() -> None:
    assert search(make(), "(.*)").count == 0
    assert [r.level.code for r in search(make(), "2-4 years").levels] == ["L2"]


def test_long_texts_are_cut_around_the_first_match() -> None:
    long = "Background " * 60 + "the needle is here " + "and more text " * 40
    fw = make().model_copy(
        update={
            "skills": [
                Skill(key="long", name="Long", category="building", description=long.strip())
            ]
        }
    )
    (result,) = search(fw, "needle").skills
    (hit,) = result.hits
    snippet = text(hit)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "needle" in marks(hit)
    assert len(snippet) <= SNIPPET_LENGTH + 40
