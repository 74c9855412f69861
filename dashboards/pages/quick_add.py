"""The quick-add preview: exactly what saving will create, or why it cannot be saved.

The preview's save form carries the resolved values (not the text again), so a due date
such as `tomorrow` cannot mean another day by the time the button is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass

EXAMPLE = "Fix login @alice !high due:friday +bug"


@dataclass(frozen=True, kw_only=True)
class QuickAddPreview:
    text: str
    error: str | None = None
    title: str = ""
    project_key: str = ""
    project_name: str = ""
    assignee_id: str = ""
    assignee_name: str = ""
    priority: str = "medium"
    due_at: str = ""  # ISO 8601 in UTC, what is saved
    due_text: str = ""  # the same moment in the reader's time zone
    timezone: str = "UTC"
    labels: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def labels_value(self) -> str:
        return ",".join(self.labels)
