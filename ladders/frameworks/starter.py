"""The starter framework that ships with Ladders."""

from __future__ import annotations

from pathlib import Path

from .loader import LoadedFramework, load_file

STARTER_PATH = Path(__file__).parent / "data" / "starter.yaml"


def load_starter() -> LoadedFramework:
    return load_file(STARTER_PATH)
