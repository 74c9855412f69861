"""The Jinja2 environment the page renderers share: autoescaped templates and filters."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
STATIC_URL = "/static/dashboards"


@cache
def _asset_version(name: str) -> str:
    path = STATIC / name
    if not path.is_file():
        return "0"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """The URL of a file in dashboards/static, versioned by its content."""
    return f"{STATIC_URL}/{name}?v={_asset_version(name)}"


def when(value: datetime | date | None, style: str = "datetime") -> str:
    """A date or time as people read it: `2026-03-01 09:30 UTC`, or `2026-03-01`."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        if style == "date":
            return value.date().isoformat()
        moment = value if value.tzinfo is None else value.astimezone(UTC)
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


NAMES = {"todo": "To do", "in_progress": "In progress", "in_review": "In review"}


def label(value: Any) -> str:
    """`in_progress` -> `In progress`, `todo` -> `To do`."""
    text = str(getattr(value, "value", value) or "")
    return NAMES.get(text, text.replace("_", " ").capitalize())


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static_url"] = static_url
    env.filters["when"] = when
    env.filters["label"] = label
    return env


def render(template: str, **context: Any) -> str:
    """Render a template from dashboards/templates with `context`."""
    return environment().get_template(template).render(**context)
