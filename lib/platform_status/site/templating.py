"""The one Jinja2 environment for the public files: templates from templates/, autoescaping always on."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape


@cache
def template_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def load_templates() -> None:
    """Compile every template now (they are kept with the environment): a run does this while it waits for its
    sources, so rendering the page later costs only the rendering."""
    environment = template_environment()
    for name in environment.list_templates():
        environment.get_template(name)
