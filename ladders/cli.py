"""The `ladders` command: framework-as-code tools, and a door to Django's management commands.

Exit codes: 0 fine, 1 findings (lint problems, fmt --check differences), 2 bad input or usage.
Errors are one clear message on stderr, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from .frameworks import diff as framework_diff
from .frameworks import health as framework_health
from .frameworks import scoring
from .frameworks.errors import FrameworkInvalid, LaddersError, Problem, Severity
from .frameworks.health import Finding
from .frameworks.lint import lint_framework
from .frameworks.loader import load_file, read_file
from .frameworks.model import Framework

app = typer.Typer(
    name="ladders",
    help="Engineering career frameworks as code: lint, format, diff, score and export them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain usage errors: one message, no boxes
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"ladders {version('ladders')}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Engineering career frameworks as code: lint, format, diff, score and export them."""


out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXPORT_FORMATS = ("yaml", "json", "md", "html", "csv")


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"ladders: {message}", markup=False)
    raise typer.Exit(code)


def _load(path: Path) -> Framework:
    try:
        return load_file(path).framework
    except FrameworkInvalid as exc:
        fail(f"{path} is not a valid framework:\n{exc}")


def _write_text(text: str, output: Path | None, suffix: str = ".txt") -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    target = output.resolve()  # write through a symlink, not over it
    if target.is_dir():
        fail(f"{output} is a folder; name the file to write, e.g. {output / ('out' + suffix)}")
    if target.exists() and not target.is_file():
        fail(f"{output} is not a regular file; refusing to replace it")
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        if target.exists():
            shutil.copymode(target, tmp)
        tmp.replace(target)  # atomic: a failed write never leaves half a file
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        fail(f"cannot write {output}: {exc.strerror or exc}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@app.command()
def lint(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Framework files (YAML or JSON).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    health: Annotated[
        bool,
        typer.Option(
            "--health",
            help="Also check framework health: unreachable or shrinking levels, milestones "
            "without signals or examples, vague, repeated, misspelt or overlong text.",
        ),
    ] = False,
) -> None:
    """Validate framework files and check their structure; every problem with FILE:LINE:COL."""
    report = []
    errors = warnings = notes = 0
    unreadable = False
    for path in files:
        problems, found = _lint_one(path, health)
        unreadable = unreadable or any(p.rule in ("io", "too-large") for p in problems)
        errors += sum(p.severity is Severity.ERROR for p in problems)
        warnings += sum(p.severity is Severity.WARNING for p in problems)
        # health findings keep their own severity; an "info" note never fails the run
        errors += sum(f.severity == "error" for _, f in found)
        warnings += sum(f.severity == "warning" for _, f in found)
        notes += sum(f.severity == "info" for _, f in found)
        rows = [p.as_dict(str(path)) for p in problems]
        rows += [_health_row(str(path), problem, finding) for problem, finding in found]
        rows.sort(key=lambda r: (r["line"], r["column"]))
        report.append({"file": str(path), "problems": rows})
        if not as_json:
            lines = [(p.line, p.column, p.render(str(path))) for p in problems]
            lines += [(p.line, p.column, _health_line(str(path), p, f)) for p, f in found]
            for *_, line in sorted(lines, key=lambda x: (x[0], x[1])):
                out.print(line, markup=False)
    if as_json:
        out.print_json(
            data={"files": report, "errors": errors, "warnings": warnings, "notes": notes}
        )
    else:
        status = (
            f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
            if errors + warnings
            else "no problems"
        )
        if notes:
            status += f" ({_count(notes, 'note')})"
        err.print(f"{_count(len(files), 'file')} checked: {status}")
    raise typer.Exit(2 if unreadable else 1 if errors or warnings else 0)


def _lint_one(path: Path, health: bool) -> tuple[list[Problem], list[tuple[Problem, Finding]]]:
    """Lint problems of one file and, with --health, its health findings located in the file
    (each as a warning, paired with the finding for its text)."""
    try:
        loaded = load_file(path)
    except FrameworkInvalid as exc:
        return exc.problems, []
    problems = lint_framework(loaded)
    if not health:
        return problems, []
    found = []
    for finding in framework_health.beyond_lint(loaded.framework):
        line, column = loaded.source.locate(finding.location)
        problem = Problem(
            finding.message, finding.location, finding.rule, Severity.WARNING, line, column
        )
        found.append((problem, finding))
    return problems, found


def _quoted(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return f"“{flat[: limit - 1]}…”" if len(flat) > limit else f"“{flat}”"


def _health_line(filename: str, problem: Problem, finding: Finding) -> str:
    where = f"{filename}:{problem.line}:{problem.column}" if problem.line else filename
    text = f" {_quoted(finding.text)}" if finding.text else ""
    label = "note" if finding.severity == "info" else finding.severity
    return f"{where}: {label}: {finding.message} [{finding.rule}] ({finding.path}){text}"


def _health_row(filename: str, problem: Problem, finding: Finding) -> dict[str, object]:
    return {
        **problem.as_dict(filename),
        "path": finding.path,
        "kind": finding.kind,
        "severity": finding.severity,
        "text": finding.text,
    }


@app.command()
def fmt(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A framework file to format.")],
    write: Annotated[
        bool, typer.Option("--write", "-w", help="Rewrite the file in place.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if the file is not formatted; change nothing.")
    ] = False,
) -> None:
    """Print a framework file in canonical form (key order, indentation), keeping comments."""
    from .frameworks.formatting import format_text

    try:
        text = read_file(file)
        formatted = format_text(text, str(file), as_json=file.suffix.lower() == ".json")
    except FrameworkInvalid as exc:
        fail(str(exc))
    if check:
        if formatted != text:
            err.print(f"{file} would be reformatted")
            raise typer.Exit(1)
        return
    if write:
        if formatted != text:
            _write_text(formatted, file)
            err.print(f"{file} reformatted")
        return
    sys.stdout.write(formatted)


@app.command()
def export(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A framework file.")],
    to: Annotated[
        str, typer.Option("--to", metavar="FORMAT", help=f"One of: {', '.join(EXPORT_FORMATS)}.")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="Output file ('-' for stdout); a folder for html.",
        ),
    ] = None,
) -> None:
    """Write a framework as YAML, JSON, Markdown, CSV or a static HTML site."""
    if to not in EXPORT_FORMATS:
        fail(f"unknown export format '{to}'; use one of: {', '.join(EXPORT_FORMATS)}")
    fw = _load(file)
    if to == "html":
        from .frameworks.formats.html import write_site

        if output is None or str(output) == "-":
            fail("--to html writes a folder of pages: name it with -o FOLDER")
        if output.exists() and not output.is_dir():
            fail(f"{output} exists and is not a folder")
        try:
            written = write_site(fw, output)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
        err.print(f"wrote {_count(len(written), 'page')} to {output}; open {output / 'index.html'}")
        return
    from .frameworks.formats import document, markdown, table

    writers = {
        "yaml": document.to_yaml,
        "json": document.to_json,
        "md": markdown.to_markdown,
        "csv": table.to_csv,
    }
    _write_text(writers[to](fw), output, suffix=f".{to}")


@app.command(name="diff")
def diff_command(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The earlier version.")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The later version.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show what changed between two versions of a framework, as a changelog."""
    changes = framework_diff.diff(_load(old), _load(new))
    if as_json:
        out.print_json(
            data={
                "old": str(old),
                "new": str(new),
                "summary": framework_diff.summary(changes),
                "changes": [c.as_dict() for c in changes],
            }
        )
    else:
        out.print(f"# Changes from {old} to {new}\n", markup=False)
        out.print(framework_diff.render_changelog(changes), markup=False)


def _parse_sets(values: list[str]) -> dict[str, int]:
    milestones: dict[str, int] = {}
    for value in values:
        key, sep, number = value.partition("=")
        if not sep or not key.strip() or not number.strip().isdigit():
            fail(f"--set {value!r}: expected SKILL=MILESTONE, for example --set servers=3")
        if key.strip() in milestones:
            fail(f"--set {key.strip()} is given twice; give each skill once")
        milestones[key.strip()] = int(number)
    return milestones


@app.command()
def score(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A framework file.")],
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="SKILL=N",
            help="A skill's milestone reached, as SKILL=N; repeat for each skill.",
        ),
    ] = None,
    track: Annotated[
        str | None, typer.Option("--track", metavar="KEY", help="Track key (default: the first).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Points, level, eligible titles and readiness for the next level of a milestone map."""
    fw = _load(file)
    milestones = _parse_sets(sets or [])
    try:
        result = scoring.score(fw, milestones, track)
    except LaddersError as exc:
        fail(str(exc))
    if as_json:
        out.print_json(data=_score_json(fw, milestones, result))
        return
    _print_score(fw, milestones, result)


def _score_json(
    fw: Framework, milestones: dict[str, int], result: scoring.Score
) -> dict[str, object]:
    return {
        "framework": fw.key,
        "mode": fw.scoring.mode,
        "milestones": {s.key: milestones.get(s.key, 0) for s in fw.skills},
        "skill_points": result.skill_points,
        "category_points": result.category_points,
        "points": result.points,
        "level": result.level_code,
        "titles": [t.name for t in result.titles],
        "track": result.track.key if result.track else None,
        "track_level": result.track_level.code if result.track_level else None,
        "next_level": result.next.as_dict() if result.next else None,
    }


def _print_score(fw: Framework, milestones: dict[str, int], result: scoring.Score) -> None:
    table = Table(title=f"{fw.name} ({fw.scoring.mode} scoring)")
    table.add_column("Skill")
    table.add_column("Category")
    table.add_column("Milestone", justify="right")
    table.add_column("Points", justify="right")
    for skill in fw.skills:
        category = fw.category(skill.category)
        table.add_row(
            skill.name,
            category.name if category else skill.category,
            str(milestones.get(skill.key, 0)),
            str(result.skill_points[skill.key]),
        )
    out.print(table)
    out.print(f"Total points: {result.points}", markup=False)
    if fw.scoring.levels:
        owner = next(
            (t for t in fw.tracks if result.level_code and t.level(result.level_code)), None
        )
        scope = f" ({owner.name} track)" if owner and owner is not result.track else ""
        out.print(f"Level by points: {result.level_code or 'none'}{scope}", markup=False)
    titles = ", ".join(t.name for t in result.titles) or "none"
    out.print(f"Eligible titles: {titles}", markup=False)
    if result.track:
        reached = result.track_level.code if result.track_level else "none"
        out.print(f"Track {result.track.name}: level reached {reached}", markup=False)
    if result.next:
        r = result.next
        state = "ready" if r.ready else "not yet"
        out.print(f"Readiness for {r.level.code} {r.level.title}: {state}".rstrip(), markup=False)
        for req in r.results:
            mark = "✓" if req.met else "✗"
            gap = "" if req.met else f" (has {req.actual}, needs {req.missing} more)"
            out.print(f"  {mark} {req.label}{gap}", markup=False)
        if r.points_missing > 0:
            out.print(f"  Points still missing: {r.points_missing}", markup=False)
    elif result.track:
        out.print("This is the top level of the track.", markup=False)


@app.command(name="import")
def import_command(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="Files to import; several merge into one."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="PATH", help="Where to write the framework (.yaml or .json)."
        ),
    ] = None,
    format_name: Annotated[
        str,
        typer.Option(
            "--format", metavar="NAME", help="auto, or a format name (see `ladders formats`)."
        ),
    ] = "auto",
    key: Annotated[
        str | None, typer.Option("--key", metavar="KEY", help="Key of the new framework.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Turn existing ladders (seed pages, Snowflake, Monzo, Markdown, HTML) into ladders/v1."""
    from .frameworks.formats.document import to_json, to_yaml
    from .frameworks.importers import import_documents

    if output is not None and output.suffix.lower() not in (".yaml", ".yml", ".json"):
        fail(f"-o {output}: name a .yaml or .json file")
    inputs = []
    for path in files:
        try:
            inputs.append((str(path), read_file(path)))
        except FrameworkInvalid as exc:
            fail(str(exc))
    result = import_documents(inputs, format_name=format_name, key=key)
    as_json_file = output is not None and output.suffix.lower() == ".json"
    text = to_json(result.framework) if as_json_file else to_yaml(result.framework)
    if output is not None:
        _write_text(text, output)
    if as_json:
        out.print_json(data={"output": str(output) if output else None, **result.report.as_dict()})
    else:
        if output is None:
            sys.stdout.write(text)
        err.print(result.report.render(), markup=False)
        fw = result.framework
        if output is not None:
            err.print(
                f"wrote {output}: {_count(len(fw.skills), 'skill')}, "
                f"{_count(len(fw.tracks), 'track')}, "
                f"{_count(sum(len(t.levels) for t in fw.tracks), 'level')}",
                markup=False,
            )


@app.command(name="formats")
def formats_command() -> None:
    """List the formats `ladders import` reads."""
    from .frameworks.importers import importers

    for name, importer in importers().items():
        out.print(f"{name:16} {importer.label}", markup=False)


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="PATH", help="Write to a file.")
    ] = None,
) -> None:
    """Print the JSON Schema of the ladders/v1 format, for editors to validate and complete."""
    from .frameworks.jsonschema import framework_json_schema

    _write_text(json.dumps(framework_json_schema(), indent=2) + "\n", output, suffix=".json")


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (migrate, demo_load, createsuperuser, ...)."""
    _django(ctx.args)


def _django(args: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ladders.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["ladders manage", *args])
    except ImproperlyConfigured as exc:
        fail(f"configuration: {exc}")


_PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True}


@app.command(context_settings=_PASS_THROUGH, add_help_option=False)
def createadmin(ctx: typer.Context) -> None:
    """Create an organisation admin (--username, --email, --name; password prompted)."""
    _django(["createadmin", *ctx.args])


@app.command(name="people-import", context_settings=_PASS_THROUGH, add_help_option=False)
def people_import(ctx: typer.Context) -> None:
    """Load people from CSV (name,email,team,manager_email,track,level), all or nothing."""
    _django(["people_import", *ctx.args])


@app.command(context_settings=_PASS_THROUGH, add_help_option=False)
def token(ctx: typer.Context) -> None:
    """API tokens: create --user U --name N [--read-only] [--expires-in-days D] | list | revoke."""
    _django(["token", *ctx.args])


def main() -> None:
    try:
        app(prog_name="ladders")
    except LaddersError as exc:  # raised outside a command's own handling, e.g. in `manage`
        err.print(f"ladders: {exc}", markup=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("ladders: interrupted")
        sys.exit(130)
