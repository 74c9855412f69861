"""What an inbound webhook asks TeamFlow to do, as plain data.

Provider adapters (`webhooks/inbound/*`) turn a GitHub, GitLab or generic payload into a
list of these; `core.services.inbound_apply` carries them out through the task and
comment services. An empty list means the event is not one TeamFlow uses (ignored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

# `Fixes WEB-42`, `closes: WEB-1, WEB-2 and WEB-3`, `Resolved api-7`: the verb, then keys.
_KEY = r"[A-Za-z][A-Za-z0-9]{1,9}-\d{1,9}"
CLOSING_REFERENCE = re.compile(
    rf"\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?)\b[:\s]+"
    rf"({_KEY}(?:\s*(?:,|&|\band\b)\s*{_KEY})*)",
    re.IGNORECASE,
)
KEY = re.compile(rf"\b({_KEY})\b")
# A bare mention in a commit message: upper case only, so `utf-8` is not a task.
MENTION = re.compile(r"\b([A-Z][A-Z0-9]{1,9}-\d{1,9})\b")


def closing_keys(*texts: str | None) -> tuple[str, ...]:
    """Task keys named after Fixes/Closes/Resolves in any of the texts, upper-cased, in order."""
    found: list[str] = []
    for text in texts:
        for group in CLOSING_REFERENCE.findall(text or ""):
            for key in KEY.findall(group):
                if key.upper() not in found:
                    found.append(key.upper())
    return tuple(found)


def mentioned_keys(text: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(MENTION.findall(text or "")))


@dataclass(frozen=True, kw_only=True)
class ExternalRef:
    """An issue, merge request or alert outside TeamFlow: `octo/repo#7`, `alert-123`."""

    provider: str
    external_id: str
    url: str = ""
    title: str = ""


@dataclass(frozen=True, kw_only=True)
class Acknowledge:
    """Nothing to change, but the event is understood (GitHub's `ping`)."""


@dataclass(frozen=True, kw_only=True)
class UpsertIssue:
    """Create the task mirroring an issue, or update it when it already exists."""

    ref: ExternalRef
    title: str
    description: str = ""
    labels: tuple[str, ...] | None = None
    sender: str | None = None


@dataclass(frozen=True, kw_only=True)
class CloseIssue:
    ref: ExternalRef
    sender: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReopenIssue:
    ref: ExternalRef
    sender: str | None = None


@dataclass(frozen=True, kw_only=True)
class AssignIssue:
    """`login` is the provider login now assigned; None with `unassigned` = that login left."""

    ref: ExternalRef
    login: str | None
    unassigned: str | None = None
    sender: str | None = None


@dataclass(frozen=True, kw_only=True)
class SetIssueLabels:
    ref: ExternalRef
    labels: tuple[str, ...]
    sender: str | None = None


@dataclass(frozen=True, kw_only=True)
class CommentOnIssue:
    ref: ExternalRef
    body: str
    author: str
    url: str = ""
    sender: str | None = None


@dataclass(frozen=True, kw_only=True)
class PullRequestChanged:
    """A pull/merge request that closes task keys: `open` (opened, edited, reopened),
    `merged`, or `closed` (closed without merging)."""

    ref: ExternalRef
    keys: tuple[str, ...]
    state: str
    sender: str | None = None


@dataclass(frozen=True, kw_only=True)
class Commit:
    sha: str
    url: str
    message: str
    keys: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class CommitsPushed:
    commits: tuple[Commit, ...]
    sender: str | None = None


GENERIC_ACTIONS = ("create", "update", "comment", "complete", "reopen")


@dataclass(frozen=True, kw_only=True)
class GenericRequest:
    """The generic JSON schema, already validated: a task by key or by external id."""

    action: str
    task: str | None = None
    external_id: str | None = None
    title: str | None = None
    description: str | None = None
    priority: str | None = None
    labels: tuple[str, ...] | None = None
    due_at: datetime | None = None
    body: str | None = None
    sender: str | None = None
    fields_given: tuple[str, ...] = field(default=())


Action = (
    Acknowledge
    | UpsertIssue
    | CloseIssue
    | ReopenIssue
    | AssignIssue
    | SetIssueLabels
    | CommentOnIssue
    | PullRequestChanged
    | CommitsPushed
    | GenericRequest
)
