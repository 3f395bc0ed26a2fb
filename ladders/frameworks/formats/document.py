"""The framework document written back out as canonical YAML or JSON."""

from __future__ import annotations

import io
import json
from typing import Any

from ruamel.yaml import YAML

from ..model import Framework


def yaml_writer() -> YAML:
    """The one YAML style Ladders writes: block style, two-space maps, indented lists."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold long text: folding leaves trailing spaces and noisy diffs
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    return yaml


def dump_yaml(data: Any) -> str:
    out = io.StringIO()
    yaml_writer().dump(data, out)
    return out.getvalue()


def to_yaml(fw: Framework) -> str:
    return dump_yaml(fw.to_document())


def to_json(fw: Framework) -> str:
    return json.dumps(fw.to_document(), indent=2, ensure_ascii=False) + "\n"
