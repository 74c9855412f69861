"""A form as a page shows it: the values to put back in its fields and a message per
field that was refused, so each error is printed next to its own field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FormState:
    """`values` by field name (what the person typed, or the stored values); `errors`
    by field name. `prefix` keeps the ids of two forms on one page apart."""

    prefix: str
    values: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return str(self.values.get(name) or "")

    def error(self, name: str) -> str:
        return str(self.errors.get(name) or "")

    def id(self, name: str) -> str:
        return f"{self.prefix}-{name.replace('_', '-')}"

    @property
    def invalid(self) -> bool:
        return bool(self.errors)


def sentence(message: str) -> str:
    """A service message (`due date is in the past`) as a sentence for the page."""
    text = message.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
