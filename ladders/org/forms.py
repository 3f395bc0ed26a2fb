"""Forms only parse what was posted; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ladders.library.models import Framework, FrameworkVersion
from ladders.library.selectors import framework_document

from .models import Person, Role, Team


def _active_people() -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(
        queryset=Person.objects.filter(is_active=True).order_by("name"),
        to_field_name="uuid",
        required=False,
        empty_label="(nobody)",
    )


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(max_length=254)
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="(no team)",
    )


class PersonCreateForm(PersonForm):
    manager = _active_people()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class ManagerForm(forms.Form):
    manager = _active_people()

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["manager"]
        field.queryset = field.queryset.exclude(pk=person.pk)  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200)


def level_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every level of every framework's latest version, grouped by framework and track.

    A value is "framework-key:track-key:level-code"; keys and codes never contain a colon.
    """
    newest = FrameworkVersion.objects.filter(framework=OuterRef("framework")).order_by("-number")
    latest = (
        FrameworkVersion.objects.filter(number=Subquery(newest.values("number")[:1]))
        .select_related("framework")
        .order_by("framework__name")
    )
    groups = []
    for version in latest:
        framework, doc = version.framework, framework_document(version)
        for track in doc.tracks:
            options = [
                (
                    f"{framework.key}:{track.key}:{level.code}",
                    f"{level.code} {level.title}".strip(),
                )
                for level in track.levels
            ]
            groups.append((f"{framework.name} — {track.name}", options))
    return groups


class PositionForm(forms.Form):
    level = forms.ChoiceField(label="Track and level")
    started_on = forms.DateField(
        label="Since", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices()

    def parsed(self) -> tuple[str, str, str]:
        framework_key, track_key, level_code = self.cleaned_data["level"].split(":", 2)
        return framework_key, track_key, level_code


class ImportForm(forms.Form):
    file = forms.FileField(required=False, label="CSV file")
    text = forms.CharField(
        required=False,
        label="or paste the CSV",
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "wrap": "off"}),
    )
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.filter(versions__isnull=False).distinct().order_by("name"),
        to_field_name="key",
        required=False,
        empty_label="(none: no track or level in the file)",
        help_text="The framework whose tracks and levels the file names.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            try:
                data["csv_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(
                    "the file is not UTF-8 text; save it as 'CSV UTF-8' and try again"
                ) from exc
        elif data.get("text", "").strip():
            data["csv_text"] = data["text"]
        else:
            raise forms.ValidationError("choose a CSV file or paste its contents")
        return data
