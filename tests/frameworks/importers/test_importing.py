"""The import machinery every format shares: keys, line accounting, merging, the command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ladders.frameworks.importers import ImportFailed, detect_format, import_documents, importers
from ladders.frameworks.importers.base import LineTracker, slugify, unique_key
from ladders.frameworks.importers.merge import merge_results
from ladders.frameworks.importers.native import IMPORTER as NATIVE
from ladders.frameworks.loader import load_file, load_text
from tests.frameworks.conftest import FIXTURES, SHARED


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Communication & Feedback", "communication-feedback"),
        ("WEB_CLIENT", "web-client"),
        ("  Café  Ops ", "cafe-ops"),
        ("!!!", "item"),
        ("x" * 80, "x" * 64),
    ],
)
def test_slugify(text: str, key: str) -> None:
    assert slugify(text) == key


def test_unique_key_adds_a_number() -> None:
    taken: set[str] = set()
    assert [unique_key("a", taken) for _ in range(3)] == ["a", "a-2", "a-3"]


def test_line_tracker_lists_every_unplaced_line_with_its_reason() -> None:
    tracker = LineTracker("Title\n\nkept\nchrome\nstray\n", "f.txt")
    tracker.place(1, 3)
    tracker.skip(4, "page chrome")
    report = tracker.report("test")
    assert report.lines == {"f.txt": 4} and report.placed == {"f.txt": 2}
    assert [(u.line, u.text, u.reason) for u in report.unplaced] == [
        (4, "chrome", "page chrome"),
        (5, "stray", "not recognised as part of a framework"),
    ]


def _native(text: str, name: str = "f.yaml") -> object:
    return NATIVE.parse(text, name)


def test_merge_joins_the_same_skill_from_two_files(small_path: Path) -> None:
    text = small_path.read_text()
    second = text.replace(
        "signals: [Ships small fixes, Asks for review early]",
        "signals: [Ships small fixes, Pairs on tricky bugs]",
    )
    second = second.replace("mode: highest", "mode: cumulative")
    result = merge_results([_native(text), _native(second, "g.yaml")])  # type: ignore[list-item]
    coding = result.framework.skill("coding")
    assert coding is not None
    assert coding.milestones[0].signals == [
        "Ships small fixes",
        "Asks for review early",
        "Pairs on tricky bugs",
    ]
    assert result.framework.scoring.mode == "cumulative"
    assert "skill 'coding' is in several files: merged" in result.report.inferred
    assert result.report.formats == {"f.yaml": "ladders", "g.yaml": "ladders"}


def test_key_override_must_be_a_slug(small_path: Path) -> None:
    inputs = [(str(small_path), small_path.read_text())]
    assert import_documents(inputs, key="team-ladder").framework.key == "team-ladder"
    with pytest.raises(ImportFailed, match="--key 'Team Ladder' is not a slug; try 'team-ladder'"):
        import_documents(inputs, key="Team Ladder")


def test_unknown_format_and_nothing_to_import() -> None:
    with pytest.raises(ImportFailed, match="unknown format 'excel'; use auto or one of: ladders"):
        import_documents([("f", "x")], format_name="excel")
    with pytest.raises(ImportFailed, match="nothing to import"):
        import_documents([])


def test_every_format_is_registered_with_a_label() -> None:
    names = set(importers())
    assert names == {
        "ladders", "snowflake", "monzo", "milestone-page", "skill-page", "role-ladder",
        "career-map", "generic",
    }  # fmt: skip
    assert all(importer.label for importer in importers().values())


def test_text_in_no_known_shape_is_a_clear_error() -> None:
    with pytest.raises(ImportFailed, match="could not tell what format this is"):
        detect_format("just a shopping list\nmilk\neggs\n", "list.txt")


SEEDS = {
    "000_97f4e4eb4172775a.txt": "skill-page",
    "001_a3cf964f39b682a8.txt": "milestone-page",
    "002_9d49384526a9ae48.txt": "skill-page",
    "003_cd91de3958217e17.txt": "role-ladder",
    "004_fbb542b23c491300.txt": "career-map",
}


@pytest.mark.parametrize(("name", "expected"), sorted(SEEDS.items()))
def test_auto_detection_on_the_seeds(name: str, expected: str) -> None:
    path = SHARED / "seeds" / name
    assert detect_format(path.read_text(), str(path)).name == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("medium-snowflake-constants.js", "snowflake"), ("monzo-backend.md", "monzo")],
)
def test_auto_detection_on_the_samples(name: str, expected: str) -> None:
    path = SHARED / "samples" / name
    assert detect_format(path.read_text(), str(path)).name == expected


def ladders(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from ladders.cli import main; main()", *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


IMPORTS = [
    ["seeds/000_97f4e4eb4172775a.txt", "seeds/001_a3cf964f39b682a8.txt", "seeds/002_9d49384526a9ae48.txt"],
    ["seeds/003_cd91de3958217e17.txt"],
    ["seeds/004_fbb542b23c491300.txt"],
    ["samples/medium-snowflake-constants.js"],
    ["samples/monzo-backend.md"],
]  # fmt: skip


@pytest.mark.parametrize("files", IMPORTS, ids=lambda f: f[0].split("/")[1][:12])
def test_import_then_lint_then_round_trip(files: list[str], tmp_path: Path) -> None:
    out = tmp_path / "imported.yaml"
    result = ladders("import", *[str(SHARED / f) for f in files], "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lint = ladders("lint", str(out))
    assert lint.returncode == 0, lint.stdout
    first = load_file(out).framework
    again = tmp_path / "again.json"
    assert ladders("import", str(out), "-o", str(again)).returncode == 0
    assert load_file(again).framework == first


@pytest.mark.parametrize("files", IMPORTS, ids=lambda f: f[0].split("/")[1][:12])
def test_every_non_blank_line_is_placed_or_reported(files: list[str], tmp_path: Path) -> None:
    paths = [str(SHARED / f) for f in files]
    result = ladders("import", *paths, "-o", str(tmp_path / "fw.yaml"), "--json")
    report = json.loads(result.stdout)
    for path in paths:
        nonblank = {
            n for n, line in enumerate(Path(path).read_text().splitlines(), 1) if line.strip()
        }
        unplaced = {u["line"] for u in report["unplaced"] if u["source"] == path}
        assert report["lines"][path] == len(nonblank)
        assert report["placed"][path] == len(nonblank) - len(unplaced)
        assert unplaced <= nonblank
        assert all(u["reason"] for u in report["unplaced"])


def test_import_json_report(tmp_path: Path) -> None:
    out = tmp_path / "fw.yaml"
    result = ladders(
        "import", str(SHARED / "seeds" / "003_cd91de3958217e17.txt"), "-o", str(out), "--json"
    )
    report = json.loads(result.stdout)
    source = str(SHARED / "seeds" / "003_cd91de3958217e17.txt")
    assert report["formats"] == {source: "role-ladder"}
    text = Path(source).read_text()
    nonblank = sum(1 for line in text.splitlines() if line.strip())
    assert report["lines"][source] == nonblank
    assert report["placed"][source] + len(report["unplaced"]) == nonblank
    assert load_text(out.read_text()).framework.tracks


def test_import_cli_errors_are_clean(tmp_path: Path) -> None:
    for args, message in [
        (["import", "nope.txt", "-o", str(tmp_path / "x.yaml")], "no such file"),
        (
            ["import", str(FIXTURES / "small.yaml"), "-o", str(tmp_path / "x.txt")],
            "name a .yaml or .json file",
        ),
        (["import", str(FIXTURES / "small.yaml"), "--format", "excel"], "unknown format 'excel'"),
    ]:
        result = ladders(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr


def test_a_points_table_from_a_later_file_is_kept(small_path: Path) -> None:
    plain = small_path.read_text().replace(
        '  points: {"1": 1, "2": 3, "3": 6, "4": 12, "5": 20}\n', ""
    )
    custom = (
        small_path.read_text()
        .replace('"5": 20}', '"5": 20, "6": 30}')
        .replace("key: small", "key: other")
    )
    result = merge_results([_native(plain), _native(custom, "g.yaml")])  # type: ignore[list-item]
    assert result.framework.scoring.points[6] == 30
