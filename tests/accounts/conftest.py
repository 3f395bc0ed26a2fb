from __future__ import annotations

import pytest

from ladders.org.models import Person


@pytest.fixture
def newcomer(db: None) -> Person:
    """Someone in the organisation who has no account yet."""
    return Person.objects.create(name="Nia Newcomer", email="nia@example.com")
