"""Channel and personal notifications, driven by the activity log.

Reads every change after its cursor, whichever door it came through (Slack, the API, a
webhook), and tells the channels following the task's project and the people concerned.
Delivery is at least once: the cursor advances after a change was handled, so a crash in
between repeats that change rather than losing it. A cache lock keeps several web
processes from posting the same change twice.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks, slack_errors
from core.background_work import pause
from core.cache import Cache, LockNotAcquired
from core.clock import utcnow
from core.errors import NotFound
from core.services import activity_feed, slack_channels, slack_links
from core.services.task_queries import get_task
from core.views import ActivityView, TaskView

log = logging.getLogger(__name__)
CURSOR = "slack-notifications"
LOCK = "slack-notifier"
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
VERBS = {
    "created": "created",
    "assigned": "assigned",
    "completed": "completed",
    "commented": "commented on",
}
SOURCES = {"api": " via the API", "webhook": " via a webhook", "web": " on the web"}

ClientFor = Callable[[str], Awaitable[AsyncWebClient | None]]
HomeRefresher = Callable[[str, str], Awaitable[None]]  # (team id, Slack user id)


def kind_of(event: ActivityView) -> str | None:
    """Which kind of change a channel may follow this activity row is, if any."""
    status = (event.changes.get("status") or {}).get("to")
    if event.action == "task.created":
        return "created"
    if event.action == "comment.added":
        return "commented"
    if event.action == "task.completed" or (event.action.startswith("task.") and status == "done"):
        return "completed"
    if "assignee_id" in event.changes and event.changes["assignee_id"].get("to"):
        return "assigned"
    return None


class Notifier:
    def __init__(
        self, client_for: ClientFor, cache: Cache, *, refresh_home: HomeRefresher | None = None
    ) -> None:
        self._client_for = client_for
        self._cache = cache
        self._refresh_home = refresh_home

    async def run_once(self, *, limit: int = 200) -> int:
        """Handle the changes waiting; returns how many. Another process busy: 0."""
        try:
            async with self._cache.lock(LOCK, timeout=120):
                events = await activity_feed.read_after(CURSOR, limit=limit)
                for event in events:
                    await self._deliver(event)
                    await activity_feed.advance(CURSOR, to=event)
                return len(events)
        except LockNotAcquired:
            return 0

    async def run_forever(self, *, interval: float) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # a bad change must not stop notifications for good
                log.exception("notification round failed")
            await pause(interval)

    async def _deliver(self, event: ActivityView) -> None:
        if event.task_id is None:
            return
        try:
            task = await get_task(activity_feed.reader(event.organization_id), event.task_id)
        except NotFound:
            return  # deleted since
        await self._refresh_homes(event, task)
        kind = kind_of(event)
        if kind is None:
            return
        line = _line(event, task, kind)
        for sub in await slack_channels.subscribers(task.project_id, kind):
            await self._post(sub.team_id, sub.channel_id, task, line)
        for team_id in await slack_channels.teams_of(event.organization_id):
            for slack_user in await self._people_to_tell(team_id, event, task, kind):
                await self._post(team_id, slack_user, task, line)

    async def _refresh_homes(self, event: ActivityView, task: TaskView) -> None:
        """The Home tabs that list this task (its assignee's, before and after) go stale."""
        if self._refresh_home is None:
            return
        people = {task.assignee.id} if task.assignee else set()
        before = (event.changes.get("assignee_id") or {}).get("from")
        if before:
            people.add(uuid.UUID(before))
        for team_id in await slack_channels.teams_of(event.organization_id):
            for slack_user in (await slack_links.slack_ids(team_id, people)).values():
                await self._refresh_home(team_id, slack_user)

    async def _people_to_tell(
        self, team_id: str, event: ActivityView, task: TaskView, kind: str
    ) -> set[str]:
        actor_id = event.actor.id if event.actor else None
        wanted: set[uuid.UUID] = set()
        if kind in {"assigned", "created"} and task.assignee and task.assignee.id != actor_id:
            if kind == "assigned" or event.changes.get("assignee_id", {}).get("to"):
                wanted.add(task.assignee.id)
        ids = await slack_links.slack_ids(team_id, wanted)
        people = set(ids.values())
        if kind == "commented":
            body = str((event.changes.get("body") or {}).get("to") or "")
            author = await slack_links.slack_ids(team_id, {actor_id} if actor_id else set())
            people |= set(MENTION.findall(body)) - set(author.values())
        return people

    async def _post(self, team_id: str, channel: str, task: TaskView, line: str) -> None:
        client = await self._client_for(team_id)
        if client is None:
            return
        card = blocks.task_card(task, now=utcnow(), timezone="UTC", viewer_user_id=None)
        try:
            await slack_errors.call(
                client.chat_postMessage,
                channel=channel,
                text=line,
                blocks=[*blocks.notice(line), *card],
            )
        except SlackApiError as exc:
            category = slack_errors.classify(exc)
            log.warning(
                "notification to %s/%s not sent (%s: %s)",
                team_id,
                channel,
                category.value,
                exc.response.get("error"),
            )


def _line(event: ActivityView, task: TaskView, kind: str) -> str:
    who = event.actor.name if event.actor else "Someone"
    where = SOURCES.get(event.source, "")
    return f"{blocks.escape(who)} {VERBS[kind]} *{task.key}*{where}: {blocks.escape(task.title)}"
