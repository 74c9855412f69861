"""Charts for Slack: a PNG drawn with matplotlib, and compact text bars where images are off."""

from __future__ import annotations

import io
from collections.abc import Sequence

BAR = "█"
HALF = "▌"
BAR_WIDTH = 12
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def text_bar(value: int, *, peak: int, width: int = BAR_WIDTH) -> str:
    """`value` as a bar of at most `width` blocks, scaled so `peak` fills it."""
    if value <= 0 or peak <= 0:
        return ""
    halves = max(1, round(2 * width * value / peak))
    return BAR * (halves // 2) + HALF * (halves % 2)


def text_bars(rows: Sequence[tuple[str, int]], *, width: int = BAR_WIDTH) -> str:
    """One line per (label, value): `Mon ████▌ 9`, in a code block so the bars line up."""
    peak = max((value for _, value in rows), default=0)
    label_width = max((len(label) for label, _ in rows), default=0)
    lines = [
        f"{label:<{label_width}} {text_bar(value, peak=peak, width=width):<{width}} {value}"
        for label, value in rows
    ]
    return "```\n" + "\n".join(lines) + "\n```"


def created_vs_completed_png(
    labels: Sequence[str], created: Sequence[int], completed: Sequence[int], *, title: str
) -> bytes:
    """Side-by-side bars per day, as PNG bytes (matplotlib's headless Agg backend)."""
    from matplotlib.figure import Figure  # a Figure needs no pyplot and no display

    figure = Figure(figsize=(6.4, 3.2), dpi=100)
    axes = figure.subplots()
    positions = range(len(labels))
    axes.bar([p - 0.2 for p in positions], created, width=0.4, label="Created", color="#8e9aaf")
    axes.bar([p + 0.2 for p in positions], completed, width=0.4, label="Completed", color="#2b9348")
    axes.set_xticks(list(positions), list(labels))
    axes.set_title(title)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
