"""Safe mrkdwn from user text: Slack reads `&`, `<` and `>` as control characters.

Without escaping, a task titled `<!channel>` would ping a whole channel and
`<https://evil|click>` would render as a link.
"""

from __future__ import annotations

from bot.blocks.limits import ELLIPSIS

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_URL_UNSAFE = {"<": "%3C", ">": "%3E", "|": "%7C", " ": "%20"}


def escape(text: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in text)


def escape_fit(text: str, limit: int) -> str:
    """`text` escaped, cut so that the escaped form (ellipsis included) fits `limit`.

    Cutting before escaping keeps entities like `&amp;` whole.
    """
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    kept: list[str] = []
    size = 0
    for char in text:
        piece = _ESCAPES.get(char, char)
        if size + len(piece) > limit - len(ELLIPSIS):
            break
        kept.append(piece)
        size += len(piece)
    return "".join(kept) + ELLIPSIS


def link(url: str, label: str) -> str:
    """A link; `label` must already be escaped."""
    safe_url = "".join(_URL_UNSAFE.get(char, char) for char in url)
    return f"<{safe_url}|{label}>"


def bold(text: str) -> str:
    return f"*{text}*" if text else text


def code(text: str) -> str:
    """Inline code; a backtick inside would end it early, so it becomes a quote."""
    quoted = text.replace("`", "'")
    return f"`{quoted}`"


def mention(slack_user_id: str) -> str:
    return f"<@{slack_user_id}>"
