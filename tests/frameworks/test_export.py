from __future__ import annotations

import csv
import io

from ladders.frameworks.formats.document import to_json, to_yaml
from ladders.frameworks.formats.markdown import to_markdown
from ladders.frameworks.formats.table import to_csv
from ladders.frameworks.loader import load_text
from ladders.frameworks.model import Framework


def test_yaml_and_json_round_trip(small: Framework) -> None:
    assert load_text(to_yaml(small)).framework == small
    assert load_text(to_json(small), "f.json").framework == small


def test_markdown_has_every_skill_milestone_and_level(small: Framework) -> None:
    md = to_markdown(small)
    for skill in small.skills:
        assert f"### {skill.name}" in md
    assert "#### Milestone 3 (6 points)" in md
    assert (
        "| E3 | Senior Engineer |  | Coding ≥ 3; Testing ≥ 2; Mentoring ≥ 3; 15+ points; 6+ points in People |"
        in md
    )
    assert "| Senior Engineer | 15+ | any |" in md


def test_markdown_in_cumulative_mode_says_what_each_milestone_adds(small: Framework) -> None:
    from ladders.frameworks.loader import framework_from_data

    data = small.to_document()
    data["scoring"]["mode"] = "cumulative"  # type: ignore[index]
    md = to_markdown(framework_from_data(data))
    assert "#### Milestone 3 (adds 6, 10 in total)" in md


def test_csv_has_a_row_per_summary_signal_and_example(small: Framework) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(small))))
    expected = sum(
        bool(m.summary) + len(m.signals) + len(m.examples)
        for s in small.skills
        for m in s.milestones
    )
    assert len(rows) == expected
    assert rows[0] == {
        "category": "Craft",
        "skill_key": "coding",
        "skill": "Coding",
        "milestone": "1",
        "points": "1",
        "kind": "summary",
        "text": "Changes code in one module with guidance",
    }


def test_csv_neutralises_formulas(small: Framework) -> None:
    data = small.to_document()
    data["skills"][0]["milestones"][0]["summary"] = '=HYPERLINK("x")'  # type: ignore[index]
    from ladders.frameworks.loader import framework_from_data

    rows = list(csv.reader(io.StringIO(to_csv(framework_from_data(data)))))
    assert rows[1][-1] == '\'=HYPERLINK("x")'
