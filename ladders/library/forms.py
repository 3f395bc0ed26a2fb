"""Forms for installing and editing frameworks.

Each editing form covers one part of a document and turns what was typed into that part's
plain data (`values()`); lists are typed one item per line. Whether the result is a valid
framework is decided by the draft services, whose problems `attach_problems` puts back next to
the field they are about.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from ladders.frameworks.errors import Path, Problem, format_path
from ladders.frameworks.importers import importers
from ladders.frameworks.importers.base import MAX_IMPORT_BYTES
from ladders.frameworks.model import KEY_PATTERN, Framework, Level, Milestone, Scoring, Skill

from .drafts import Template, plain_message, problem_text

AUTO = "auto"
key_validator = RegexValidator(
    KEY_PATTERN,
    "Use lowercase letters and digits joined by '-' or '_', for example 'backend-ladder'.",
)
_MIB = 1024 * 1024


def format_choices() -> list[tuple[str, str]]:
    return [(AUTO, "Detect the format"), *((n, i.label) for n, i in importers().items())]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _text_size_ok(text: str) -> None:
    if len(text.encode("utf-8", errors="ignore")) > MAX_IMPORT_BYTES:
        raise forms.ValidationError(
            f"The text is larger than {MAX_IMPORT_BYTES // _MIB} MiB; split it into parts first."
        )


class LinesField(forms.CharField):
    """A list of strings, typed one per line; blank lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return _lines(super().to_python(value) or "")


# ------------------------------------------------------------------ installing


class ImportOptionsForm(forms.Form):
    format = forms.ChoiceField(label="Format", initial=AUTO)
    key = forms.CharField(
        label="Key (optional)",
        required=False,
        max_length=64,
        validators=[key_validator],
        help_text="A short stable name such as 'backend-ladder'. Left empty, it is made from "
        "the framework's name.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = format_choices()


class InstallUploadForm(ImportOptionsForm):
    file = forms.FileField(label="File", help_text=f"At most {MAX_IMPORT_BYTES // _MIB} MiB.")
    field_order = ["file", "format", "key"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / _MIB:.1f} MiB; the limit is "
                f"{MAX_IMPORT_BYTES // _MIB} MiB."
            )
        raw = upload.read()
        try:
            self.cleaned_data["text"] = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                f"The file is not UTF-8 text (byte {exc.start} cannot be read). "
                "Save it as UTF-8 text, Markdown, HTML, YAML or JSON and try again."
            ) from None
        return upload

    def source(self) -> tuple[str, str]:
        name = re.split(r"[\\/]", self.cleaned_data["file"].name)[-1][:200] or "upload"
        return name, self.cleaned_data["text"]


class InstallPasteForm(ImportOptionsForm):
    text = forms.CharField(
        label="Text",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Paste a ladder as plain text, Markdown, HTML, YAML or JSON.",
    )
    field_order = ["text", "format", "key"]

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        _text_size_ok(text)
        if not text.strip():
            raise forms.ValidationError("Paste the text of a framework.")
        return text

    def source(self) -> tuple[str, str]:
        return "pasted text", self.cleaned_data["text"]


class InstallSaveForm(forms.Form):
    """The pending import, sent back with the preview so the server keeps nothing meanwhile."""

    text = forms.CharField(strip=False, widget=forms.HiddenInput)
    filename = forms.CharField(max_length=200, widget=forms.HiddenInput)
    format = forms.ChoiceField(widget=forms.HiddenInput)
    key = forms.CharField(
        label="Save under the key",
        max_length=64,
        validators=[key_validator],
        help_text="Pages and people's records refer to the framework by this key.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = format_choices()

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        _text_size_ok(text)
        return text


class InstallTemplateForm(forms.Form):
    template = forms.ChoiceField(label="Template", widget=forms.RadioSelect)
    key = forms.CharField(
        label="Key for your copy",
        max_length=64,
        validators=[key_validator],
        help_text="For example 'acme-engineering'.",
    )
    name = forms.CharField(label="Name for your copy (optional)", required=False, max_length=200)

    def __init__(self, *args: Any, templates: list[Template], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.choice, t.name) for t in templates]
        if templates:
            self.fields["template"].initial = templates[0].choice


# ------------------------------------------------------------------ editing


class PartForm(forms.Form):
    """A form for one part of a document; by default its fields are the part's fields."""

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def field_for(self, rest: Path) -> tuple[str | None, str]:
        """The field a problem at `rest` (a path inside the part) belongs to, and a prefix
        for its message such as 'line 2: '."""
        if rest and rest[0] in self.fields:
            line = f"line {rest[1] + 1}: " if len(rest) > 1 and isinstance(rest[1], int) else ""
            return str(rest[0]), line
        return None, ""


def attach_problems(
    form: PartForm, problems: list[Problem], prefix: Path, document: dict[str, Any]
) -> None:
    """Show each problem next to the field it is about, the others above the form.

    `document` is the one that was refused: the places problems name are said in its words,
    never as raw paths like `tracks[0].levels[2].code`.
    """
    # A duplicate may be reported where the value was first used and name the other use
    # ("first used at tracks[0].levels[1].code"): when that is this part, it belongs here.
    mentioned = re.compile(re.escape(format_path(prefix)) + r"\.(\w+)") if prefix else None
    shown: set[tuple[str | None, str]] = set()
    for problem in problems:
        path = problem.path
        field, lead = (
            form.field_for(path[len(prefix) :]) if path[: len(prefix)] == prefix else (None, "")
        )
        found = mentioned.search(problem.message) if mentioned and field is None else None
        if found:
            field, lead = form.field_for((found.group(1),))
        elif field is None and _is_duplicate(problem) and str(path[-1]) in form.fields:
            # The other use of a value this part now repeats: the fix is this part's field.
            field, lead = str(path[-1]), ""
        message = plain_message(document, problem.message)
        if field is None:
            message = problem_text(document, problem)
        text = f"{lead}{message}"
        if (field, text) not in shown:
            shown.add((field, text))
            form.add_error(field, text)


def _is_duplicate(problem: Problem) -> bool:
    return bool(problem.path) and problem.rule.startswith("duplicate")


class AboutForm(PartForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def of(cls, doc: Framework, **kwargs: Any) -> AboutForm:
        return cls(initial={"name": doc.name, "description": doc.description}, **kwargs)


class CategoryForm(PartForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AddForm(PartForm):
    """Adding a category, skill or track: a name and an optional key."""

    name = forms.CharField(max_length=200)
    key = forms.CharField(
        label="Key (optional)",
        required=False,
        max_length=64,
        validators=[key_validator],
        help_text="Made from the name when left empty. It cannot change later.",
    )

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


def _category_field(doc: Framework) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[(c.key, c.name) for c in doc.categories])


class SkillAddForm(AddForm):
    def __init__(self, *args: Any, doc: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"] = _category_field(doc)


class SkillForm(PartForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, doc: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"] = _category_field(doc)

    @classmethod
    def of(cls, doc: Framework, skill: Skill, **kwargs: Any) -> SkillForm:
        initial = {"name": skill.name, "description": skill.description, "category": skill.category}
        return cls(initial=initial, doc=doc, **kwargs)


class MilestoneForm(PartForm):
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    signals = LinesField(help_text="One behaviour per line.")
    examples = LinesField(help_text="One example per line.")
    points = forms.IntegerField(
        label="Points (optional)",
        required=False,
        min_value=0,
        help_text="Overrides the scoring table for this milestone.",
    )

    @classmethod
    def of(cls, milestone: Milestone, **kwargs: Any) -> MilestoneForm:
        fields = ["summary", "signals", "examples", "points"]
        form = cls(initial={f: getattr(milestone, f) for f in fields}, **kwargs)
        for name in ("signals", "examples"):
            rows = len(getattr(milestone, name)) + 1
            form.fields[name].widget.attrs["rows"] = min(max(rows, 3), 15)
        return form


class TrackForm(PartForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LevelAddForm(PartForm):
    code = forms.CharField(max_length=32, help_text="For example L3, IC3 or 2.1.")
    title = forms.CharField(required=False, max_length=200)


def expectations_text(groups: list[dict[str, Any]]) -> str:
    out: list[str] = []
    for group in groups:
        if group.get("topic"):
            out.append(f"# {group['topic']}")
        out += group.get("items", [])
    return "\n".join(out)


def expectations_from_text(text: str) -> list[dict[str, Any]]:
    """'# Topic' lines start a group; every other line is an item ('- ' bullets allowed)."""
    groups: list[dict[str, Any]] = []
    for line in _lines(text):
        if line.startswith("#"):
            groups.append({"topic": line.lstrip("#").strip(), "items": []})
            continue
        if not groups:
            groups.append({"topic": "", "items": []})
        groups[-1]["items"].append(re.sub(r"^[-*•]\s+", "", line))
    return groups


class LevelForm(PartForm):
    code = forms.CharField(max_length=32)
    title = forms.CharField(required=False, max_length=200)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    experience = forms.CharField(required=False)
    responsibility = forms.CharField(label="Area of responsibility", required=False)
    expectations = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One expectation per line; a line starting with '#' starts a topic, "
        "such as '# Impact'.",
    )
    min_points = forms.IntegerField(label="Minimum total points", required=False, min_value=0)

    def __init__(self, *args: Any, doc: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skills = [(s.key, f"req_{s.key}") for s in doc.skills]
        self.categories = [(c.key, f"cat_{c.key}") for c in doc.categories]
        for skill in doc.skills:
            choices = [("", "—"), *((str(m.number), str(m.number)) for m in skill.milestones)]
            self.fields[f"req_{skill.key}"] = forms.TypedChoiceField(
                label=skill.name, choices=choices, coerce=int, empty_value=None, required=False
            )
        for category in doc.categories:
            self.fields[f"cat_{category.key}"] = forms.IntegerField(
                label=category.name, required=False, min_value=0
            )

    @classmethod
    def of(cls, doc: Framework, level: Level, **kwargs: Any) -> LevelForm:
        req = level.requirements
        initial: dict[str, Any] = {
            f: getattr(level, f)
            for f in ["code", "title", "summary", "experience", "responsibility"]
        }
        initial["expectations"] = expectations_text([g.model_dump() for g in level.expectations])
        initial["min_points"] = req.min_points
        initial |= {f"req_{k}": str(v) for k, v in req.milestones.items()}
        initial |= {f"cat_{k}": v for k, v in req.category_points.items()}
        return cls(initial=initial, doc=doc, **kwargs)

    def requirement_fields(self) -> list[forms.BoundField]:
        return [self[name] for _, name in self.skills]

    def category_fields(self) -> list[forms.BoundField]:
        return [self[name] for _, name in self.categories]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {f: data[f] for f in ["code", "title", "summary", "experience", "responsibility"]}
        values["expectations"] = expectations_from_text(data["expectations"])
        requirements: dict[str, Any] = {
            "milestones": {k: data[f] for k, f in self.skills if data.get(f) is not None},
            "category_points": {k: data[f] for k, f in self.categories if data.get(f) is not None},
        }
        if data["min_points"] is not None:
            requirements["min_points"] = data["min_points"]
        values["requirements"] = requirements
        return values

    def field_for(self, rest: Path) -> tuple[str | None, str]:
        if rest[:2] == ("requirements", "milestones") and len(rest) > 2:
            name = f"req_{rest[2]}"
            return (name, "") if name in self.fields else (None, "")
        if rest[:2] == ("requirements", "category_points") and len(rest) > 2:
            name = f"cat_{rest[2]}"
            return (name, "") if name in self.fields else (None, "")
        if rest[:2] == ("requirements", "min_points"):
            return "min_points", ""
        if rest[:1] == ("expectations",):
            return "expectations", ""
        return super().field_for(rest)


def _pairs(text: str, what: str, left: type, right: type) -> list[tuple[Any, Any]]:
    """'a: b' lines into typed pairs, with the line number of any line that does not fit."""
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        a, sep, b = line.partition(":")
        try:
            if not sep or not a.strip() or not b.strip():
                raise ValueError
            pairs.append((left(a.strip()), right(b.strip())))
        except ValueError:
            raise forms.ValidationError(
                f"line {number}: '{line.strip()}' is not of the form {what}"
            ) from None
    return pairs


class ScoringForm(PartForm):
    mode = forms.ChoiceField(
        choices=[
            ("highest", "highest: a skill is worth the points of its highest milestone"),
            ("cumulative", "cumulative: every milestone reached adds its points"),
        ]
    )
    points = forms.CharField(
        label="Points per milestone",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One 'milestone: points' per line, e.g. '3: 6'.",
    )
    thresholds = forms.CharField(
        label="Level thresholds",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One 'points: level code' per line: from that many points the code applies.",
    )
    titles = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One 'name | min points | max points | track key' per line; max and track "
        "are optional, e.g. 'Senior Engineer | 36 | 57'.",
    )
    category_caps = forms.CharField(
        label="Category caps",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One 'category key: most points' per line.",
    )

    @classmethod
    def of(cls, scoring: Scoring, **kwargs: Any) -> ScoringForm:
        titles = []
        for t in scoring.titles:
            parts = [t.name, str(t.min_points), "" if t.max_points is None else str(t.max_points)]
            if t.track:
                parts.append(t.track)
            titles.append(" | ".join(parts).rstrip(" |"))
        initial = {
            "mode": scoring.mode,
            "points": "\n".join(f"{k}: {v}" for k, v in sorted(scoring.points.items())),
            "thresholds": "\n".join(f"{t.min_points}: {t.code}" for t in scoring.levels),
            "titles": "\n".join(titles),
            "category_caps": "\n".join(f"{k}: {v}" for k, v in scoring.category_caps.items()),
        }
        form = cls(initial=initial, **kwargs)
        for name in ("points", "thresholds", "titles", "category_caps"):
            rows = str(initial[name]).count("\n") + 2
            form.fields[name].widget.attrs["rows"] = min(max(rows, 3), 20)
        return form

    def clean_points(self) -> dict[str, int]:
        pairs = _pairs(self.cleaned_data["points"], "'milestone: points'", int, int)
        return {str(k): v for k, v in pairs}

    def clean_thresholds(self) -> list[dict[str, Any]]:
        pairs = _pairs(self.cleaned_data["thresholds"], "'points: level code'", int, str)
        return [{"min_points": p, "code": c} for p, c in pairs]

    def clean_category_caps(self) -> dict[str, int]:
        pairs = _pairs(self.cleaned_data["category_caps"], "'category key: points'", str, int)
        return dict(pairs)

    def clean_titles(self) -> list[dict[str, Any]]:
        titles = []
        for number, line in enumerate(self.cleaned_data["titles"].splitlines(), start=1):
            cells = [c.strip() for c in line.split("|")]
            if not any(cells):
                continue
            try:
                if len(cells) > 4 or not cells[0]:
                    raise ValueError
                title: dict[str, Any] = {"name": cells[0]}
                if len(cells) > 1 and cells[1]:
                    title["min_points"] = int(cells[1])
                if len(cells) > 2 and cells[2]:
                    title["max_points"] = int(cells[2])
                if len(cells) > 3 and cells[3]:
                    title["track"] = cells[3]
            except ValueError:
                raise forms.ValidationError(
                    f"line {number}: '{line.strip()}' is not of the form "
                    "'name | min points | max points | track key'"
                ) from None
            titles.append(title)
        return titles

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "mode": data["mode"],
            "points": data["points"],
            "levels": data["thresholds"],
            "titles": data["titles"],
            "category_caps": data["category_caps"],
        }

    def field_for(self, rest: Path) -> tuple[str | None, str]:
        names = {"levels": "thresholds", "points": "points", "titles": "titles"}
        names |= {"category_caps": "category_caps", "mode": "mode"}
        if rest and rest[0] in names:
            lead = ""
            if len(rest) > 1 and isinstance(rest[1], int) and rest[0] in ("levels", "titles"):
                lead = f"line {rest[1] + 1}: "
            elif len(rest) > 1:
                lead = f"{rest[1]}: "
            return names[str(rest[0])], lead
        return None, ""


# ------------------------------------------------------------------ publishing


class PublishForm(forms.Form):
    """The publish button: the revision that was reviewed travels with it."""

    revision = forms.CharField(max_length=64, widget=forms.HiddenInput)
    note = forms.CharField(
        label="Release note (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why this version, in your words: it goes at the top of the version's "
        "changelog, above the list of changes.",
    )
