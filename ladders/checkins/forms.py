"""Forms for check-ins, built from the snapshot's skills. They only parse; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.library.models import Framework


class CheckInCreateForm(forms.Form):
    as_of = forms.DateField(label="As of", widget=forms.DateInput(attrs={"type": "date"}))
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.filter(versions__isnull=False).distinct(),
        required=False,
        to_field_name="key",
        help_text="Only used when the person has no current position.",
    )


def _choices(skill: Any) -> list[tuple[int | str, str]]:
    return [("", "— choose —"), (0, "0 · not started")] + [
        (m.number, f"{m.number} · {m.summary[:60]}" if m.summary else str(m.number))
        for m in skill.milestones
    ]


class RatingsForm(forms.Form):
    """One milestone and comment per skill: `m-<key>` and `c-<key>`."""

    def __init__(self, *args: Any, document: FrameworkDoc, with_comments: bool = True, **kw: Any):
        super().__init__(*args, **kw)
        self.skill_keys = [s.key for s in document.skills]
        for skill in document.skills:
            self.fields[f"m-{skill.key}"] = forms.TypedChoiceField(
                label=skill.name,
                choices=_choices(skill),
                coerce=int,
                required=False,
                empty_value=None,
            )
            if with_comments:
                self.fields[f"c-{skill.key}"] = forms.CharField(
                    label=f"Comment on {skill.name}",
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def ratings(self) -> dict[str, tuple[int, str]]:
        """The skills given a milestone, with their comments."""
        out = {}
        for key in self.skill_keys:
            milestone = self.cleaned_data.get(f"m-{key}")
            if milestone is not None:
                out[key] = (milestone, self.cleaned_data.get(f"c-{key}", ""))
        return out


class AgreeForm(RatingsForm):
    summary = forms.CharField(
        required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, document: FrameworkDoc, **kw: Any):
        super().__init__(*args, document=document, with_comments=False, **kw)

    def agreed(self) -> dict[str, int]:
        return {key: milestone for key, (milestone, _) in self.ratings().items()}
