"""Slack's Block Kit limits; a payload over any of them is rejected as `invalid_blocks`."""

from __future__ import annotations

BLOCKS_PER_MESSAGE = 50
BLOCKS_PER_VIEW = 100
SECTION_TEXT = 3000
SECTION_FIELDS = 10
FIELD_TEXT = 2000
CONTEXT_ELEMENTS = 10
CONTEXT_TEXT = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTIONS_PER_SELECT = 100
ACTIONS_ELEMENTS = 25
VALUE = 2000
PLACEHOLDER = 150
INPUT_LABEL = 2000
MODAL_TITLE = 24
MODAL_BUTTON = 24
PRIVATE_METADATA = 3000
ID = 255
URL = 3000
ERROR_MESSAGE = 2000
FALLBACK_TEXT = 3000

ELLIPSIS = "…"


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)] + ELLIPSIS
