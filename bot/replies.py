"""What a command answers: blocks plus fallback text, shown to the caller or the channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.blocks import error_notice, notice


@dataclass(frozen=True)
class Reply:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    public: bool = False
    open_create_modal: bool = False
    create_title: str = ""

    @classmethod
    def info(cls, text: str) -> Reply:
        return cls(text=text, blocks=notice(text))

    @classmethod
    def error(cls, text: str) -> Reply:
        return cls(text=text, blocks=error_notice(text))


class UsageError(Exception):
    """A command word with arguments it cannot use; the message says what was expected."""
