"""Settings come from the environment, and bad values stop the start-up with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from ladders.settings import env_bool, env_secret

ROOT = Path(__file__).resolve().parents[1]


def check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "ladders.settings", **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off() -> None:
    result = check({})
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr


def test_secret_key_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("a-secret-from-a-file-0123456789-0123456789-0123456789\n")
    assert check({"SECRET_KEY_FILE": str(secret)}).returncode == 0
    assert env_secret("NO_SUCH_SETTING_FOR_TESTS") is None


def test_a_bad_boolean_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LADDERS_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="LADDERS_TEST_FLAG='maybe' is not a boolean"):
        env_bool("LADDERS_TEST_FLAG", False)
    monkeypatch.setenv("LADDERS_TEST_FLAG", "Yes")
    assert env_bool("LADDERS_TEST_FLAG", False) is True
    result = check({"SECRET_KEY": "x" * 50, "DEBUG": "perhaps"})
    assert result.returncode != 0 and "DEBUG='perhaps' is not a boolean" in result.stderr


def test_database_url_selects_the_database() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ladders.settings", "SECRET_KEY": "x" * 50,
             "DATABASE_URL": "postgres://u@db.example:5432/ladders"},
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_sqlite_is_tuned_for_concurrent_use() -> None:
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 5000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]


def test_a_bad_whole_number_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from ladders.settings import env_int

    monkeypatch.setenv("LADDERS_TEST_NUMBER", "five")
    with pytest.raises(
        ImproperlyConfigured, match="LADDERS_TEST_NUMBER='five' is not a whole number"
    ):
        env_int("LADDERS_TEST_NUMBER", 5)
    monkeypatch.setenv("LADDERS_TEST_NUMBER", "7")
    assert env_int("LADDERS_TEST_NUMBER", 5) == 7


def test_refuses_a_rate_limit_it_cannot_read() -> None:
    result = check({"DEBUG": "1", "API_RATE_LIMIT": "lots"})
    assert result.returncode != 0
    assert "API_RATE_LIMIT='lots'" in result.stderr and "600/min" in result.stderr
    assert "Traceback" not in result.stderr
    assert check({"DEBUG": "1", "API_RATE_LIMIT": "20/s"}).returncode == 0
