from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ladders.library.models import Framework
from ladders.org.models import Person, Position

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("people_import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_prints_the_summary(tmp_path: Path, starter: Framework) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "name,email,team,manager_email,track,level\n"
        "Lee Ward,lee@example.com,Infra,max@example.com,engineer,IC3\n"
        "Max Stone,max@example.com,Infra,,manager,M1\n"
    )
    out, _err = run(str(path), "--framework", "ladders-starter")
    assert "2 rows: 2 people added" in out and "2 positions set" in out
    assert Person.objects.get(email="lee@example.com").manager.email == "max@example.com"
    assert Position.objects.count() == 2


def test_command_exits_2_with_every_row_error_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "name,email,manager_email\nOk,ok@example.com,\n,x@example.com,\nZ,z@example.com,bob@x.com\n"
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("people_import", str(path), stdout=out, stderr=err)
    assert excinfo.value.returncode == 2
    assert "nothing was imported: 2 problems" in str(excinfo.value)
    lines = err.getvalue().splitlines()
    assert lines == [
        f"{path}: row 3: name is empty",
        f"{path}: row 4: manager_email bob@x.com is not a person in this file or the organisation",
    ]
    assert not Person.objects.exists()


def test_command_refuses_an_unknown_framework(tmp_path: Path, starter: Framework) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name,email\nA,a@example.com\n")
    with pytest.raises(
        CommandError, match="no framework 'nope'; known: ladders-starter"
    ) as excinfo:
        run(str(path), "--framework", "nope")
    assert excinfo.value.returncode == 2


def test_command_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot be read") as excinfo:
        run(str(tmp_path / "missing.csv"))
    assert excinfo.value.returncode == 2


def test_command_exit_status_from_the_shell(tmp_path: Path, starter: Framework) -> None:
    """The real process: a bad file exits with status 2 (not 1) and prints the rows."""
    import subprocess
    import sys

    path = tmp_path / "bad.csv"
    path.write_text("name,email\nA,not-email\n")
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    # A throwaway SQLite database: the command only needs the tables, not this test's rows.
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "LADDERS_DATA_DIR": str(tmp_path / "data")}
    subprocess.run(
        [sys.executable, str(manage), "migrate", "-v0"], env=env, check=True, capture_output=True
    )
    result = subprocess.run(
        [sys.executable, str(manage), "people_import", str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "row 2: email 'not-email' is not an email address" in result.stderr
