"""A channel digest as Block Kit: a header, one section per non-empty part, a footer."""

from __future__ import annotations

from bot.blocks.dates import format_when
from bot.blocks.limits import BLOCKS_PER_MESSAGE, FALLBACK_TEXT, SECTION_TEXT, truncate
from bot.blocks.mrkdwn import bold, escape, escape_fit, link
from core.services.digest_content import Digest, DigestItem, DigestSection

TITLE = "TeamFlow digest"
EMPTY = "Nothing new, nothing overdue, nothing due soon."
DASHBOARD = "Open the dashboard"
SECTION_TITLES = {
    "completed": "✅ Completed",
    "created": "🆕 New",
    "overdue": "🔥 Overdue",
    "due_soon": "📅 Due today and soon",
    "stale": "⏳ In progress, no change for a while",
}
TITLE_LIMIT = 120


def digest_text(digest: Digest) -> str:
    """The notification text: what the digest counts, in one line."""
    counts = [
        f"{SECTION_TITLES[s.name].split(' ', 1)[1].lower()}: {s.total}"
        for s in digest.sections
        if s.total
    ]
    head = f"{TITLE}{' for ' + digest.project_key if digest.project_key else ''}"
    return truncate(f"{head}: {', '.join(counts) or EMPTY}", FALLBACK_TEXT)


def digest_blocks(digest: Digest, *, dashboard_url: str | None = None) -> list[dict]:
    header = f"{TITLE}{' · ' + digest.project_key if digest.project_key else ''}"
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": header}}]
    for section in digest.sections:
        if section.total:
            blocks.append(_section(section, digest))
    if digest.is_empty:
        blocks.append(_mrkdwn(EMPTY))
    if dashboard_url:
        footer = link(dashboard_url, DASHBOARD)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    return blocks[:BLOCKS_PER_MESSAGE]


def _section(section: DigestSection, digest: Digest) -> dict:
    lines = [bold(SECTION_TITLES[section.name])]
    lines += [_line(item, digest) for item in section.items]
    if section.more:
        lines.append(f"_and {section.more} more_")
    return _mrkdwn(truncate("\n".join(lines), SECTION_TEXT))


def _line(item: DigestItem, digest: Digest) -> str:
    parts = [f"• {bold(item.key)} {escape_fit(item.title, TITLE_LIMIT)}"]
    if item.assignee:
        parts.append(f"({escape(item.assignee)})")
    if item.due_at:
        parts.append(f"due {format_when(item.due_at, now=digest.now, timezone=digest.timezone)}")
    return " ".join(parts)


def _mrkdwn(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
