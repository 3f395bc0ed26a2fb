"""Shared data for the observation and feedback tests."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

from ladders.frameworks.starter import load_starter
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person
from ladders.progress import services
from ladders.progress.models import Observation, Visibility

DAY = datetime.date(2024, 5, 1)


def publish_starter() -> Framework:
    version = framework_publish(document=load_starter().framework)
    return version.framework


def write(
    framework: Framework,
    *,
    author: Person,
    subject: Person,
    text: str = "Ran the **release** calmly",
    visibility: str = Visibility.SHARED,
    skills: list[tuple[str, int | None]] | None = None,
    **extra: Any,
) -> Observation:
    return services.observation_create(
        author=author,
        subject=subject,
        framework=framework,
        text=text,
        observed_on=extra.pop("observed_on", DAY),
        skills=skills if skills is not None else [("code-quality", 2)],
        visibility=visibility,
        **extra,
    )


def visible_text(markup: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
