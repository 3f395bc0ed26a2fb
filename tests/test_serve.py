"""What `make run` does, end to end: migrate, collect static files, load the demo, serve."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_production_server_serves_pages_and_static_files(tmp_path: Path) -> None:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
        },
        "LADDERS_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "serve-test-secret-key-0123456789-0123456789-0123456789",
        "SECURE_COOKIES": "0",
        "DEBUG": "0",
    }
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["demo_load"]):
        done = subprocess.run(
            [str(BIN / "ladders"), "manage", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    assert "demo login: admin / ladders-demo" in done.stdout
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "ladders.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env={**env, "ALLOWED_HOSTS": "127.0.0.1"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        for _ in range(100):
            try:
                page = opener.open(f"{base}/login/", timeout=5).read().decode()
                break
            except urllib.error.HTTPError:
                raise
            except OSError:  # not listening yet
                time.sleep(0.1)
        else:
            raise AssertionError("server did not start")
        assert "Sign in" in page
        css = page.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css.startswith("/static/ladders.") and css.endswith(".css")  # hashed by the manifest
        assert b"--accent" in opener.open(base + css, timeout=5).read()
    finally:
        server.terminate()
        server.wait(timeout=10)
