from __future__ import annotations

import os
from pathlib import Path

import pytest

from ladders.frameworks.loader import framework_from_data, load_file
from ladders.frameworks.model import Framework

FIXTURES = Path(__file__).parent.parent / "fixtures"
# The real seed and sample documents live beside the repository (CI has them there).
SHARED = Path(
    os.environ.get("LADDERS_SHARED_DIR") or Path(__file__).resolve().parents[3] / "shared"
)

# Medium Snowflake's published scoring (constants.js): points per milestone, thresholds, titles.
SNOWFLAKE_POINTS = {1: 1, 2: 3, 3: 6, 4: 12, 5: 20}
SNOWFLAKE_THRESHOLDS = {
    0: "1.1", 5: "1.2", 11: "1.3", 17: "2.1", 23: "2.2", 29: "2.3", 36: "3.1", 43: "3.2",
    50: "3.3", 58: "4.1", 66: "4.2", 74: "4.3", 90: "5.1", 110: "5.2", 135: "5.3",
}  # fmt: skip
SNOWFLAKE_TITLES = [
    ("Engineer I", 0, 16),
    ("Engineer II", 17, 35),
    ("Senior Engineer", 36, 57),
    ("Group Lead", 36, 57),
    ("Staff Engineer", 58, 89),
    ("Senior Group Lead", 58, 89),
    ("Principal Engineer", 90, None),
    ("Director of Engineering", 90, None),
]


@pytest.fixture
def small_path() -> Path:
    return FIXTURES / "small.yaml"


@pytest.fixture
def small(small_path: Path) -> Framework:
    return load_file(small_path).framework


def snowflake_shaped() -> Framework:
    """16 skills in 4 categories of 5 milestones, with Snowflake's points, levels and titles."""
    skills = [
        {
            "key": f"skill-{i}",
            "name": f"Skill {i}",
            "category": "abcd"[i // 4],
            "milestones": [{"number": n, "summary": f"Step {n} of skill {i}"} for n in range(1, 6)],
        }
        for i in range(16)
    ]
    return framework_from_data(
        {
            "schema": "ladders/v1",
            "key": "snowflake-shaped",
            "name": "Snowflake-shaped",
            "categories": [{"key": c, "name": c.upper()} for c in "abcd"],
            "skills": skills,
            "scoring": {
                "mode": "highest",
                "points": {str(k): v for k, v in SNOWFLAKE_POINTS.items()},
                "levels": [{"min_points": p, "code": c} for p, c in SNOWFLAKE_THRESHOLDS.items()],
                "titles": [
                    {"name": n, "min_points": lo, **({"max_points": hi} if hi is not None else {})}
                    for n, lo, hi in SNOWFLAKE_TITLES
                ],
            },
        }
    )


@pytest.fixture
def snowflake() -> Framework:
    return snowflake_shaped()
