from __future__ import annotations

import pytest

from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.starter import load_starter
from ladders.library import selectors
from ladders.library.models import FrameworkVersion
from ladders.library.services import framework_publish

pytestmark = pytest.mark.django_db


def test_publishing_numbers_versions_and_writes_a_changelog() -> None:
    doc = load_starter().framework
    first = framework_publish(document=doc)
    assert first.number == 1 and first.changelog == ""
    data = doc.to_document()
    data["skills"][0]["name"] = "Code craft"  # type: ignore[index]
    second = framework_publish(document=framework_from_data(data))
    assert second.number == 2
    assert "- Skill code-quality\n  - name: Code quality → Code craft" in second.changelog
    assert second.framework.name == doc.name


def test_publishing_the_same_content_again_creates_no_version() -> None:
    doc = load_starter().framework
    first = framework_publish(document=doc)
    again = framework_publish(document=doc)
    assert again.pk == first.pk
    assert FrameworkVersion.objects.count() == 1


def test_stored_document_is_validated_once_per_content(django_assert_num_queries: object) -> None:
    version = framework_publish(document=load_starter().framework)
    first = selectors.framework_document(version)
    reloaded = FrameworkVersion.objects.get(pk=version.pk)
    assert selectors.framework_document(reloaded) is first
    assert first == load_starter().framework


def test_a_release_note_leads_the_changelog_and_shows_on_the_versions_page(
    persona_client: object,
) -> None:
    doc = load_starter().framework
    framework_publish(document=doc)
    data = doc.to_document()
    data["skills"][0]["name"] = "Code craft"  # type: ignore[index]
    second = framework_publish(document=framework_from_data(data), note="Renamed after the review.")
    assert second.changelog.startswith("Renamed after the review.\n\n## Renamed")
    page = persona_client("member").get("/frameworks/ladders-starter/versions/")  # type: ignore[operator]
    assert '<p class="release-note">Renamed after the review.</p>' in page.content.decode()


def test_reading_a_version_document_asks_the_database_nothing(
    db, django_assert_num_queries
) -> None:
    from ladders.frameworks.starter import load_starter
    from ladders.library import selectors
    from ladders.library.models import FrameworkVersion
    from ladders.library.services import framework_publish

    framework_publish(document=load_starter().framework)
    version = FrameworkVersion.objects.get()  # the framework itself is not loaded
    selectors._documents.clear()  # a cache miss: parse the stored document
    with django_assert_num_queries(0):
        assert selectors.framework_document(version).skills
