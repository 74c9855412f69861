"""The digest's Block Kit stays within Slack's limits and escapes task titles."""

from datetime import UTC, datetime, timedelta

from bot.blocks import blocks_to_text, digest_blocks, digest_text
from core.services.digest_content import Digest, DigestItem, DigestSection

NOW = datetime(2026, 11, 26, 9, tzinfo=UTC)


def _digest(items: int, total: int, title: str = "Fix it") -> Digest:
    rows = tuple(
        DigestItem(f"WEB-{n}", title, "Ann", NOW + timedelta(days=1)) for n in range(items)
    )
    names = ("completed", "created", "overdue", "due_soon", "stale")
    sections = tuple(DigestSection(name, rows, total) for name in names)
    return Digest("WEB", "Europe/Berlin", NOW - timedelta(days=1), NOW, sections)


def test_sections_are_capped_with_and_n_more_and_fit_slack_limits():
    blocks = digest_blocks(_digest(10, 42, title="<!channel> " + "x" * 500))
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    text = blocks_to_text(blocks)
    assert text.count("and 32 more") == 5
    assert "<!channel>" not in str(blocks)


def test_an_empty_digest_says_so():
    empty = _digest(0, 0)
    assert empty.is_empty
    assert "Nothing new" in blocks_to_text(digest_blocks(empty))
    assert "Nothing new" in digest_text(empty)
