"""Forms only parse what was posted; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.org.models import Person

from .models import Visibility

NO_MILESTONE = "any"
PREFIX = "skill_"


def _milestone_choices(skill: Any) -> list[tuple[str, str]]:
    choices = [("", "—"), (NO_MILESTONE, "Evidenced, no milestone")]
    for m in skill.milestones:
        summary = m.summary if len(m.summary) <= 70 else m.summary[:69] + "…"
        choices.append((str(m.number), f"Milestone {m.number}: {summary}".rstrip(": ")))
    return choices


class ObservationForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, _italic_, lists and [links](https://example.com).",
    )
    observed_on = forms.DateField(
        label="Date it happened", widget=forms.DateInput(attrs={"type": "date"})
    )
    link = forms.URLField(required=False, max_length=500, assume_scheme="https")
    visibility = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, initial=Visibility.PRIVATE
    )

    def __init__(
        self,
        *args: Any,
        doc: FrameworkDoc,
        picks: list[tuple[str, int | None]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observed_on"].initial = timezone.localdate
        self.doc = doc
        chosen = dict(picks or [])
        for skill in doc.skills:
            initial = ""
            if skill.key in chosen:
                number = chosen[skill.key]
                initial = str(number) if number else NO_MILESTONE
            self.fields[PREFIX + skill.key] = forms.ChoiceField(
                label=skill.name, choices=_milestone_choices(skill), required=False, initial=initial
            )

    def skill_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The skill fields grouped by category, in the framework's order."""
        groups = []
        for category in self.doc.categories:
            fields = [self[PREFIX + s.key] for s in self.doc.skills if s.category == category.key]
            if fields:
                groups.append((category.name, fields))
        return groups

    def skill_picks(self) -> list[tuple[str, int | None]]:
        picks: list[tuple[str, int | None]] = []
        for skill in self.doc.skills:
            value = self.cleaned_data.get(PREFIX + skill.key)
            if value:
                picks.append((skill.key, None if value == NO_MILESTONE else int(value)))
        return picks


class FeedbackRequestForm(forms.Form):
    peers = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (⌘ on a Mac) to pick several people.",
    )
    skills = forms.MultipleChoiceField(choices=[], widget=forms.CheckboxSelectMultiple)
    message = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you would like them to look at, in a sentence or two.",
    )

    def __init__(self, *args: Any, doc: FrameworkDoc, subject: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peers"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(is_active=True).exclude(pk=subject.pk).order_by("name")
        )
        self.fields["skills"].choices = [(s.key, s.name) for s in doc.skills]  # type: ignore[attr-defined]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal beside the field it is about, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
