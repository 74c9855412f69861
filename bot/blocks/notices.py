"""One-line replies: confirmations and errors."""

from __future__ import annotations

from bot.blocks import elements as el
from bot.blocks.mrkdwn import escape
from bot.blocks.text import ERROR_PREFIX


def notice(text: str) -> list[dict]:
    """A single section of mrkdwn; escape any user text in it first (mentions stay live)."""
    return [el.section(text)]


def error_notice(text: str) -> list[dict]:
    """An error, escaped: domain error messages quote what the user typed."""
    return [el.section(ERROR_PREFIX + escape(text))]
