"""Blocks rendered as plain text for a terminal (`teamflow chat`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

DIVIDER = "-" * 40
_ANGLE = re.compile(r"<([^<>]*)>")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def blocks_to_text(blocks: list[dict] | dict) -> str:
    """Headers underlined, sections with their fields, `[Buttons]` and `<select: value>`.

    A view (a dict with `blocks`) renders as its title, its blocks and `[Submit]`.
    """
    if isinstance(blocks, dict):
        return _view(blocks)
    rendered = (_RENDERERS.get(block.get("type", ""), _unknown)(block) for block in blocks)
    return "\n".join(chunk for chunk in rendered if chunk)


def _view(view: dict) -> str:
    parts = [_header({"text": view.get("title")}), blocks_to_text(view.get("blocks", []))]
    buttons = [f"[{_text(view[key])}]" for key in ("submit", "close") if view.get(key)]
    return "\n".join([*parts, " ".join(buttons)]).rstrip()


def mrkdwn_to_text(text: str) -> str:
    """`*bold*` -> bold, `<url|label>` -> `label (url)`, `<@U1>` -> `@U1`, entities decoded."""
    plain = _BOLD.sub(r"\1", _ANGLE.sub(_angle, text))
    for entity, char in _ENTITIES:
        plain = plain.replace(entity, char)
    return plain


def _angle(match: re.Match[str]) -> str:
    target, _, label = match.group(1).partition("|")
    if target.startswith(("@", "#")):
        return target[0] + label.lstrip("@#") if label else target
    if target.startswith("!"):
        return label or "@" + target[1:].split("^")[0]
    return f"{label} ({target})" if label and label != target else target


def _text(obj: dict[str, Any] | None) -> str:
    if not obj:
        return ""
    raw = obj.get("text", "")
    return mrkdwn_to_text(raw) if obj.get("type") == "mrkdwn" else raw


def _header(block: dict) -> str:
    title = _text(block.get("text"))
    return f"{title}\n{'=' * len(title)}"


def _section(block: dict) -> str:
    lines = [_text(block.get("text"))]
    lines += [": ".join(_text(f).split("\n")) for f in block.get("fields", [])]
    if block.get("accessory"):
        lines.append(_element(block["accessory"]))
    return "\n".join(line for line in lines if line)


def _context(block: dict) -> str:
    texts = (_text(e) if "text" in e else e.get("alt_text", "") for e in block["elements"])
    return "  ".join(t for t in texts if t)


def _actions(block: dict) -> str:
    return " ".join(_element(e) for e in block.get("elements", []))


def _input(block: dict) -> str:
    element = block.get("element", {})
    return f"{_text(block.get('label'))}: {_current(element) or _element(element)}"


def _element(element: dict[str, Any]) -> str:
    kind = element.get("type", "")
    if kind == "button":
        return f"[{_text(element.get('text'))}]"
    name = _text(element.get("placeholder")).lower() or element.get("action_id", kind)
    current = _current(element)
    return f"<{name}: {current}>" if current else f"<{name}>"


def _current(element: dict[str, Any]) -> str:
    option = element.get("initial_option")
    if option:
        return option.get("value", "")
    if element.get("initial_user"):
        return "@" + element["initial_user"]
    return element.get("initial_date") or element.get("initial_value") or ""


def _rich_text(block: dict) -> str:
    def walk(node: Any) -> str:
        if isinstance(node, list):
            return "".join(walk(n) for n in node)
        if isinstance(node, dict):
            return node.get("text", "") + walk(node.get("elements", []))
        return ""

    return walk(block.get("elements", []))


def _unknown(block: dict) -> str:
    return _text(block.get("text")) if isinstance(block.get("text"), dict) else ""


_RENDERERS: dict[str, Callable[[dict], str]] = {
    "header": _header,
    "section": _section,
    "context": _context,
    "divider": lambda _: DIVIDER,
    "actions": _actions,
    "input": _input,
    "image": lambda block: f"[image: {block.get('alt_text', '')}]",
    "rich_text": _rich_text,
}
