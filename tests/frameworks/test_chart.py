from __future__ import annotations

import xml.etree.ElementTree as ET

from ladders.frameworks.chart import PALETTE, snowflake_svg
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.model import Framework
from ladders.frameworks.starter import load_starter

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _wedges(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "snowflake-wedge"]


def _filled(wedge: ET.Element) -> list[ET.Element]:
    return [p for p in wedge.iter(f"{SVG}path") if "filled" in (p.get("class") or "").split()]


def test_one_wedge_per_skill_in_framework_order() -> None:
    fw = load_starter().framework
    root = _parse(snowflake_svg(fw, {}))
    assert [w.get("data-skill") for w in _wedges(root)] == [s.key for s in fw.skills]
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None


def test_bands_filled_up_to_the_milestone_reached() -> None:
    fw = load_starter().framework
    first, second, third = fw.skills[0], fw.skills[1], fw.skills[2]
    root = _parse(snowflake_svg(fw, {first.key: 3, second.key: first.max_milestone}))
    wedges = {w.get("data-skill"): w for w in _wedges(root)}
    assert len(_filled(wedges[first.key])) == 3
    assert len(_filled(wedges[second.key])) == second.max_milestone
    assert _filled(wedges[third.key]) == []
    # every milestone has a band, reached or not
    bands = list(wedges[first.key].iter(f"{SVG}path"))
    assert len(bands) == len(first.milestones)
    title = wedges[first.key].find(f"{SVG}title")
    assert title is not None
    assert title.text == f"{first.name}: milestone 3 of {first.max_milestone}"


def test_filled_bands_take_the_category_colour_by_category_order() -> None:
    fw = load_starter().framework
    root = _parse(snowflake_svg(fw, {s.key: 1 for s in fw.skills}))
    order = [c.key for c in fw.categories]
    for wedge, skill in zip(_wedges(root), fw.skills, strict=True):
        (band,) = _filled(wedge)
        assert band.get("fill") == PALETTE[order.index(skill.category) % len(PALETTE)]


def test_text_is_escaped_and_the_output_is_deterministic() -> None:
    data = {
        "schema": "ladders/v1",
        "key": "evil",
        "name": 'Fish & <Chips> "co"',
        "categories": [{"key": "c", "name": "C"}],
        "skills": [
            {
                "key": "s",
                "name": "<script>alert(1)</script> & more",
                "category": "c",
                "milestones": [{"number": 1}, {"number": 2}],
            }
        ],
    }
    fw: Framework = framework_from_data(data)
    svg = snowflake_svg(fw, {"s": 1})
    assert "<script>" not in svg
    root = _parse(svg)  # still well-formed XML
    (wedge,) = _wedges(root)
    title = wedge.find(f"{SVG}title")
    assert title is not None and title.text == "<script>alert(1)</script> & more: milestone 1 of 2"
    labels = [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert labels == ["<script>alert(1)</script> & more"]
    assert svg == snowflake_svg(fw, {"s": 1})


def test_no_skills_still_gives_a_valid_chart() -> None:
    fw = framework_from_data({"schema": "ladders/v1", "key": "empty", "name": "Empty"})
    root = _parse(snowflake_svg(fw, {}, size=200))
    assert _wedges(root) == []
    assert root.get("viewBox") == "0 0 200 200"
