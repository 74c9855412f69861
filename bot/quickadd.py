"""`/task add` quick-add: `Fix login redirect @alice #WEB !high due:friday +bug +ux`.

Slack sends the slash command text with `should_escape` on, which shapes what arrives:
people picked with the @ picker come as `<@U123ABC>` (older clients add `|name`),
channels as `<#C123ABC|web>` (newer clients leave the name empty: `<#C123ABC|>`),
and a literal `&`, `<` or `>` as `&amp;`, `&lt;`, `&gt;`. A word the user typed by
hand, like `@alice`, comes through as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.dates import DueDateError, parse_due
from core.enums import TaskPriority
from core.services.task_fields import LABEL_MAX, LABEL_PATTERN, TITLE_MAX

TOKEN = re.compile(r'(?i:due:)(?:"[^"]*"|“[^”]*”)|\S+')
SLACK_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
PLAIN_USER = re.compile(r"^@([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?)$")
SLACK_CHANNEL = re.compile(r"^<#C[A-Z0-9]+\|([^>]*)>$")
PROJECT_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]{1,9}$")
PRIORITY_WORD = re.compile(r"^![A-Za-z0-9]+$")
LABEL_TOKEN = re.compile(r"^\+([A-Za-z0-9][A-Za-z0-9_\-.:/]*)$")
PRIORITIES = {
    "!low": TaskPriority.LOW, "!medium": TaskPriority.MEDIUM, "!med": TaskPriority.MEDIUM,
    "!normal": TaskPriority.MEDIUM, "!high": TaskPriority.HIGH, "!urgent": TaskPriority.URGENT,
    "!!": TaskPriority.HIGH, "!!!": TaskPriority.URGENT,
}  # fmt: skip
SLACK_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))

NO_TITLE = "Give the task a title, e.g. /task add Fix login @alice #WEB"
TITLE_TOO_LONG = "The title is {length} characters long; keep it to {limit}."
FIELD_NAMES = {
    "assignee": "assignee", "project_key": "project", "priority": "priority", "due_at": "due date",
}  # fmt: skip
ONLY_ONE = "A task has only one {what}: {token} is a second one."
UNKNOWN_PRIORITY = (
    "{token} is not a priority. Use !low, !medium, !high or !urgent (!! is high, !!! urgent)."
)
EMPTY_DUE = 'due: needs a date, e.g. due:friday, due:2026-12-01 or due:"next monday 9am".'
LABEL_TOO_LONG = "Label {token} is too long: labels take up to {limit} characters."
HELP = """\
*Quick add:* `/task add Fix login redirect @alice #WEB !high due:friday +bug`
• `@alice`, `@me`: who does it
• `#WEB`: the project key
• `!low`, `!medium`, `!high`, `!urgent` (`!!` high, `!!!` urgent): priority
• `due:friday`, `due:2026-12-01`, `due:"next monday 9am"` or `due:next_monday`: due date \
in your Slack time zone; a day without a time means the end of that day
• `+bug`: a label, as many as you like
Everything else is the title."""


@dataclass(frozen=True)
class Mention:
    """Who to assign: a Slack user ID from the @ picker, or a typed name the caller resolves."""

    slack_user_id: str | None
    name: str | None


@dataclass(frozen=True)
class QuickAdd:
    title: str
    assignee: Mention | None
    project_key: str | None
    priority: str | None
    due_at: datetime | None
    labels: tuple[str, ...]


class QuickAddError(ValueError):
    """A quick-add token that cannot be used; the message names it and what is allowed."""


@dataclass
class _Draft:
    words: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    assignee: Mention | None = None
    project_key: str | None = None
    priority: str | None = None
    due_at: datetime | None = None

    def set_once(self, name: str, value: object, *, token: str) -> None:
        if getattr(self, name) is not None:
            raise QuickAddError(ONLY_ONE.format(what=FIELD_NAMES[name], token=token))
        setattr(self, name, value)

    def add_label(self, label: str) -> None:
        if label not in self.labels:
            self.labels.append(label)


def parse_quick_add(text: str, *, now: datetime, timezone: str) -> QuickAdd:
    """Split quick-add text into task fields; words that are no token form the title."""
    draft = _Draft()
    for token in TOKEN.findall(text):
        _take(draft, token, now=now, timezone=timezone)
    return QuickAdd(
        title=_title(draft.words),
        assignee=draft.assignee,
        project_key=draft.project_key,
        priority=draft.priority,
        due_at=draft.due_at,
        labels=tuple(draft.labels),
    )


def parse_mention_token(token: str) -> Mention | None:
    """A person in a command argument: `<@U123>`, `@alice`, `@me`, or a bare `me`."""
    if token.strip().lower() == "me":
        return Mention(slack_user_id=None, name="me")
    return _mention(token.strip())


def format_quick_add_help() -> str:
    """The quick-add syntax for `/task help`, in Slack mrkdwn."""
    return HELP


def _take(draft: _Draft, token: str, *, now: datetime, timezone: str) -> None:
    if token[:4].lower() == "due:":
        draft.set_once("due_at", _due(token[4:], now=now, timezone=timezone), token=token)
        return
    if (label := _label(token)) is not None:
        draft.add_label(label)
        return
    for name, read in READERS:
        if (value := read(token)) is not None:
            draft.set_once(name, value, token=token)
            return
    draft.words.append(token)


def _mention(token: str) -> Mention | None:
    """Only a whole token counts, so `x@y.com` stays in the title."""
    if match := SLACK_USER.match(token):
        return Mention(slack_user_id=match[1], name=None)
    if match := PLAIN_USER.match(token):
        name = match[1]
        return Mention(slack_user_id=None, name="me" if name.lower() == "me" else name)
    return None


def _project(token: str) -> str | None:
    """`#WEB`, or a channel picked in Slack whose name is a project key (`<#C1|web>`)."""
    match = SLACK_CHANNEL.match(token)
    key = match[1] if match else token[1:] if token.startswith("#") else ""
    return key.upper() if PROJECT_KEY.match(key) else None


def _priority(token: str) -> str | None:
    priority = PRIORITIES.get(token.lower())
    if priority is not None:
        return priority.label
    if PRIORITY_WORD.match(token):
        raise QuickAddError(UNKNOWN_PRIORITY.format(token=token))
    return None


def _label(token: str) -> str | None:
    """`+bug`; at least one letter, so a `+1` in a title stays text."""
    match = LABEL_TOKEN.match(token)
    if match is None or not re.search(r"[A-Za-z]", match[1]):
        return None
    label = match[1].lower()
    if len(label) > LABEL_MAX or not LABEL_PATTERN.match(label):
        raise QuickAddError(LABEL_TOO_LONG.format(token=token, limit=LABEL_MAX))
    return label


def _due(value: str, *, now: datetime, timezone: str) -> datetime:
    """`due:friday`, `due:"next monday"` or `due:next_monday` (no quotes needed)."""
    words = value.strip('"“”').replace("_", " ").strip()
    if not words:
        raise QuickAddError(EMPTY_DUE)
    try:
        return parse_due(words, now=now, timezone=timezone)
    except DueDateError as exc:
        raise QuickAddError(str(exc)) from exc


def _title(words: list[str]) -> str:
    title = " ".join(words)
    for escaped, character in SLACK_ESCAPES:
        title = title.replace(escaped, character)
    if not title:
        raise QuickAddError(NO_TITLE)
    if len(title) > TITLE_MAX:
        raise QuickAddError(TITLE_TOO_LONG.format(length=len(title), limit=TITLE_MAX))
    return title


READERS: tuple[tuple[str, Callable[[str], object | None]], ...] = (
    ("assignee", _mention),
    ("project_key", _project),
    ("priority", _priority),
)
