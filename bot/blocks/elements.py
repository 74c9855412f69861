"""Block Kit blocks and elements as dicts, each cut to Slack's limits on the way in.

Text passed as `mrkdwn` must already be escaped (see `bot.blocks.mrkdwn`); plain_text
is shown literally by Slack, so it needs no escaping, only truncation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.blocks import limits
from bot.blocks.limits import truncate

Block = dict[str, Any]


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = limits.SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(text, limit) or " "}


def _with_id(block: Block, block_id: str | None) -> Block:
    if block_id is not None:
        block["block_id"] = block_id[: limits.ID]
    return block


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, limits.HEADER_TEXT)}


def section(
    text: str | None = None,
    *,
    fields: list[str] | None = None,
    accessory: dict[str, Any] | None = None,
    block_id: str | None = None,
) -> Block:
    block: Block = {"type": "section"}
    if text is not None:
        block["text"] = mrkdwn(text)
    if fields:
        block["fields"] = [mrkdwn(f, limits.FIELD_TEXT) for f in fields[: limits.SECTION_FIELDS]]
    if accessory is not None:
        block["accessory"] = accessory
    return _with_id(block, block_id)


def context(*texts: str) -> Block:
    elements = [mrkdwn(t, limits.CONTEXT_TEXT) for t in texts[: limits.CONTEXT_ELEMENTS]]
    return {"type": "context", "elements": elements}


def divider() -> Block:
    return {"type": "divider"}


def actions(elements: list[dict[str, Any]], *, block_id: str | None = None) -> Block:
    block = {"type": "actions", "elements": elements[: limits.ACTIONS_ELEMENTS]}
    return _with_id(block, block_id)


def button(
    text: str,
    *,
    action_id: str,
    value: str | None = None,
    style: str | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, limits.BUTTON_TEXT),
        "action_id": action_id[: limits.ID],
    }
    if value is not None:
        element["value"] = value[: limits.VALUE]
    if style is not None:
        element["style"] = style
    if url is not None:
        element["url"] = url[: limits.URL]
    return element


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, limits.OPTION_TEXT), "value": value[: limits.OPTION_VALUE]}


def overflow(*, action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """A "⋯" menu of 2 to 5 options (Slack's bounds for an overflow)."""
    return {"type": "overflow", "action_id": action_id[: limits.ID], "options": options[:5]}


def static_select(
    *,
    action_id: str,
    options: list[dict[str, Any]],
    placeholder: str,
    initial_value: str | None = None,
) -> dict[str, Any]:
    """A select of at most 100 options; `initial_value` picks one of them by value."""
    kept = options[: limits.OPTIONS_PER_SELECT]
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id[: limits.ID],
        "placeholder": plain(placeholder, limits.PLACEHOLDER),
        "options": kept,
    }
    initial = next((o for o in kept if o["value"] == initial_value), None)
    if initial is not None:
        element["initial_option"] = initial
    return element


def datepicker(*, action_id: str, placeholder: str, initial: date | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "datepicker",
        "action_id": action_id[: limits.ID],
        "placeholder": plain(placeholder, limits.PLACEHOLDER),
    }
    if initial is not None:
        element["initial_date"] = initial.isoformat()
    return element


def users_select(
    *, action_id: str, placeholder: str, initial_user: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "users_select",
        "action_id": action_id[: limits.ID],
        "placeholder": plain(placeholder, limits.PLACEHOLDER),
    }
    if initial_user:
        element["initial_user"] = initial_user
    return element


def text_input(
    *,
    action_id: str,
    max_length: int,
    placeholder: str,
    multiline: bool = False,
    initial: str = "",
) -> dict[str, Any]:
    """A plain_text_input; an initial value longer than `max_length` would be refused."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": action_id[: limits.ID],
        "max_length": max_length,
        "multiline": multiline,
        "placeholder": plain(placeholder, limits.PLACEHOLDER),
    }
    if initial:
        element["initial_value"] = truncate(initial, max_length)
    return element


def input_block(
    *,
    block_id: str,
    label: str,
    element: dict[str, Any],
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id[: limits.ID],
        "label": plain(label, limits.INPUT_LABEL),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, limits.INPUT_LABEL)
    return block
