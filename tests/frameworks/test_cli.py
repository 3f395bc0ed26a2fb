"""The `ladders` command as a user runs it: real processes, real exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ladders.frameworks.starter import STARTER_PATH


def ladders(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from ladders.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout


def test_lint_clean_file_exits_0(small_path: Path) -> None:
    result = ladders("lint", str(small_path), str(STARTER_PATH))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 files checked: no problems" in result.stderr


def test_lint_findings_exit_1_with_file_line_column(tmp_path: Path, small_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(small_path.read_text().replace("category: people", "category: peple"))
    result = ladders("lint", str(broken))
    assert result.returncode == 1
    assert result.stdout.startswith(
        f"{broken}:41:15: error: skill 'mentoring' names category 'peple'"
    )
    assert "1 error, 0 warnings" in result.stderr


def test_lint_json(tmp_path: Path, small_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(small_path.read_text().replace("category: people", "category: peple"))
    result = ladders("lint", "--json", str(broken))
    data = json.loads(result.stdout)
    assert data["errors"] == 1
    (problem,) = data["files"][0]["problems"]
    assert problem | {"message": ""} == {
        "file": str(broken),
        "line": 41,
        "column": 15,
        "severity": "error",
        "rule": "unknown-category",
        "path": "skills[2].category",
        "message": "",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "nope.yaml"], "nope.yaml: error: no such file"),
        (["score", "nope.yaml"], "no such file"),
        (["export", "{small}", "--to", "pdf"], "unknown export format 'pdf'; use one of: yaml"),
        (["score", "{small}", "--set", "coding"], "expected SKILL=MILESTONE"),
        (["score", "{small}", "--set", "servers=2"], "unknown skill 'servers'"),
        (["score", "{small}", "--track", "em"], "unknown track 'em'; known tracks: ic"),
        (["export", "{small}", "--to", "html"], "name it with -o FOLDER"),
        (["frobnicate"], "No such command"),
        (["export", "{small}", "--to", "md", "-o", "{dir}"], "is a folder; name the file to write"),
        (["score", "{small}", "--set", "coding=7"], "skill 'coding' has milestones up to 3"),
    ],
)
def test_bad_input_exits_2_with_one_clear_message(
    args: list[str], message: str, small_path: Path
) -> None:
    here = str(Path(__file__).parent)
    result = ladders(*[a.replace("{small}", str(small_path)).replace("{dir}", here) for a in args])
    assert result.returncode == 2
    assert message in result.stdout + result.stderr
    assert_no_traceback(result)


def test_score_json(small_path: Path) -> None:
    result = ladders("score", str(small_path), "--set", "coding=2", "--set", "testing=1", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["points"] == 4
    assert data["level"] == "E2"
    assert data["titles"] == ["Engineer II"]
    assert data["track_level"] == "E1"
    assert data["next_level"]["level"] == "E2"
    assert data["next_level"]["points_missing"] == 1
    assert [r["met"] for r in data["next_level"]["requirements"]] == [True, True, False]


def test_score_text(small_path: Path) -> None:
    result = ladders("score", str(small_path), "--set", "coding=1")
    assert result.returncode == 0
    assert "Total points: 1" in result.stdout
    assert "Readiness for E2 Engineer II: not yet" in result.stdout
    assert "✗ Coding at milestone 2 (has 1, needs 1 more)" in result.stdout


def test_export_writes_each_format(tmp_path: Path, small_path: Path) -> None:
    for fmt in ("yaml", "json", "md", "csv"):
        out = tmp_path / f"out.{fmt}"
        result = ladders("export", str(small_path), "--to", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert "Coding" in out.read_text()
    site = tmp_path / "site"
    result = ladders("export", str(small_path), "--to", "html", "-o", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "index.html").exists()


def test_export_of_an_invalid_file_writes_nothing(tmp_path: Path, small_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(small_path.read_text().replace("key: coding", "key: Coding"))
    out = tmp_path / "out.json"
    result = ladders("export", str(broken), "--to", "json", "-o", str(out))
    assert result.returncode == 2
    assert "is not a valid framework" in result.stderr and "broken.yaml:12:10" in result.stderr
    assert not out.exists()


def test_diff_changelog_and_json(tmp_path: Path) -> None:
    new = tmp_path / "starter-v2.yaml"
    new.write_text(STARTER_PATH.read_text().replace("name: Code quality", "name: Code craft", 1))
    result = ladders("diff", str(STARTER_PATH), str(new))
    assert result.returncode == 0
    assert "## Renamed\n- Skill code-quality\n  - name: Code quality → Code craft" in result.stdout
    data = json.loads(ladders("diff", "--json", str(STARTER_PATH), str(new)).stdout)
    assert data["summary"]["renamed"] == 1


def test_fmt_check_and_write(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("name: F\nkey: f\nschema: ladders/v1\n")
    assert ladders("fmt", "--check", str(path)).returncode == 1
    assert ladders("fmt", "-w", str(path)).returncode == 0
    assert path.read_text() == "schema: ladders/v1\nkey: f\nname: F\n"
    assert ladders("fmt", "--check", str(path)).returncode == 0


def test_schema_is_the_models_json_schema() -> None:
    result = ladders("schema")
    schema = json.loads(result.stdout)
    assert schema["properties"]["schema"]["const"] == "ladders/v1"
    assert set(schema["$defs"]) >= {"Skill", "Milestone", "Track", "Level", "Scoring", "Title"}
    assert "signals" in schema["$defs"]["Milestone"]["properties"]


def test_export_writes_through_symlinks_and_keeps_permissions(
    tmp_path: Path, small_path: Path
) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert ladders("export", str(small_path), "--to", "md", "-o", str(link)).returncode == 0
    assert link.is_symlink() and "# Small framework" in real.read_text()
    assert real.stat().st_mode & 0o777 == 0o600


def test_export_refuses_devices_and_unwritable_paths(small_path: Path, tmp_path: Path) -> None:
    result = ladders("export", str(small_path), "--to", "csv", "-o", "/dev/null")
    assert result.returncode == 2 and "is not a regular file" in result.stderr
    result = ladders("export", str(small_path), "--to", "json", "-o", str(small_path / "x.json"))
    assert result.returncode == 2 and "cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_exported_yaml_is_already_formatted(small_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    assert ladders("export", str(small_path), "--to", "yaml", "-o", str(out)).returncode == 0
    assert ladders("fmt", "--check", str(out)).returncode == 0


def test_score_refuses_a_skill_set_twice(small_path: Path) -> None:
    result = ladders("score", str(small_path), "--set", "coding=1", "--set", "coding=2")
    assert result.returncode == 2 and "--set coding is given twice" in result.stderr


def test_version_and_short_help() -> None:
    assert ladders("--version").stdout.startswith("ladders ")
    assert "Usage: ladders" in ladders("-h").stdout
