from __future__ import annotations

from typing import Any

from ladders.frameworks.diff import ChangeKind, diff, render_changelog, summary
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.model import Framework


def edited(fw: Framework, change: Any) -> Framework:
    data = fw.to_document()
    change(data)
    return framework_from_data(data)


def test_identical_versions_have_no_changes(small: Framework) -> None:
    assert diff(small, small) == []
    assert render_changelog([]) == "No changes."


def test_added_removed_and_changed_milestones(small: Framework) -> None:
    def change(d: dict[str, Any]) -> None:
        coding = d["skills"][0]
        coding["milestones"][0]["signals"].append("Reads the error before asking")
        coding["milestones"][1]["summary"] = "Builds features across modules without help"
        coding["milestones"].append({"number": 4, "summary": "Leads the design of a subsystem"})
        d["skills"][1]["milestones"].pop()
        d["tracks"][0]["levels"][2]["requirements"]["milestones"]["testing"] = 1

    changes = diff(small, edited(small, change))
    found = {(c.kind, c.subject): c.details for c in changes}
    assert found[(ChangeKind.CHANGED, "milestone coding/1")] == [
        "signal added: Reads the error before asking"
    ]
    assert found[(ChangeKind.CHANGED, "milestone coding/2")] == [
        "summary: Builds features across a few modules alone → "
        "Builds features across modules without help"
    ]
    assert found[(ChangeKind.ADDED, "milestone coding/4")] == ["Leads the design of a subsystem"]
    assert found[(ChangeKind.REMOVED, "milestone testing/2")] == [
        "Plans the tests of a feature before writing it"
    ]
    assert found[(ChangeKind.CHANGED, "level ic/E3")] == ["requires testing: 2 → 1"]


def test_renamed_skill_name_and_renamed_key(small: Framework) -> None:
    def change(d: dict[str, Any]) -> None:
        d["skills"][0]["name"] = "Programming"
        d["skills"][2]["key"] = "coaching"
        d["tracks"][0]["levels"][2]["requirements"]["milestones"] = {"coding": 3, "coaching": 3}

    changes = diff(small, edited(small, change))
    renamed = [(c.subject, c.details) for c in changes if c.kind is ChangeKind.RENAMED]
    assert renamed == [
        ("skill coding", ["name: Coding → Programming"]),
        ("skill mentoring", ["key: mentoring → coaching"]),
    ]
    assert not [c for c in changes if c.kind in (ChangeKind.ADDED, ChangeKind.REMOVED)]


def test_added_and_removed_skills_tracks_and_scoring(small: Framework) -> None:
    def change(d: dict[str, Any]) -> None:
        d["skills"].append(
            {"key": "security", "name": "Security", "category": "craft",
             "milestones": [{"number": 1, "summary": "Patches dependencies on time"}]}
        )  # fmt: skip
        d["tracks"].append({"key": "em", "name": "Manager", "levels": [{"code": "M1"}]})
        d["scoring"]["mode"] = "cumulative"
        d["scoring"]["titles"][2]["min_points"] = 16
        d["scoring"]["titles"][1]["max_points"] = 15

    changes = diff(small, edited(small, change))
    assert summary(changes) == {"added": 2, "removed": 0, "renamed": 0, "changed": 1}
    text = render_changelog(changes)
    assert text.splitlines() == [
        "## Added",
        "- Skill security",
        "  - Security (1 milestones)",
        "- Track em",
        "  - Manager (1 levels)",
        "",
        "## Changed",
        "- Scoring",
        "  - mode: highest → cumulative",
        "  - title Engineer II: 4–14 → 4–15",
        "  - title Senior Engineer: 15+ → 16+",
    ]


def test_a_renamed_key_is_not_reported_again_in_level_requirements(small: Framework) -> None:
    def change(d: dict[str, Any]) -> None:
        d["skills"][0]["key"] = "programming"
        for level in d["tracks"][0]["levels"]:
            level["requirements"]["milestones"] = {
                ("programming" if k == "coding" else k): v
                for k, v in level["requirements"]["milestones"].items()
            }

    changes = diff(small, edited(small, change))
    assert [(c.kind, c.subject) for c in changes] == [(ChangeKind.RENAMED, "skill coding")]
