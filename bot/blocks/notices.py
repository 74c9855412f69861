"""One-line replies: confirmations and errors."""

from __future__ import annotations

from bot.blocks import elements as el
from bot.blocks import ids
from bot.blocks.mrkdwn import escape
from bot.blocks.text import DASHBOARD_BUTTON, ERROR_PREFIX


def notice(text: str) -> list[dict]:
    """A single section of mrkdwn; escape any user text in it first (mentions stay live)."""
    return [el.section(text)]


def error_notice(text: str) -> list[dict]:
    """An error, escaped: domain error messages quote what the user typed."""
    return [el.section(ERROR_PREFIX + escape(text))]


def dashboard_link_blocks(url: str, *, minutes: int) -> list[dict]:
    """A button to the web dashboard that signs the person in (the link works once)."""
    return [
        el.section(
            f"Here is your sign-in link to the TeamFlow dashboard. It works once, "
            f"for {minutes} minutes, and only you can see it.",
            accessory=el.button(DASHBOARD_BUTTON, action_id=ids.DASHBOARD_LINK, url=url),
        )
    ]
