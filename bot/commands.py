"""The `/task` command words: one handler each, all calling `core` services.

The same handlers serve the slash command, `@TeamFlow ...` mentions and `teamflow chat`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import blocks
from bot.dates import DueDateError, parse_due
from bot.identity import SlackContext
from bot.people import resolve_mention
from bot.quickadd import QuickAddError, parse_mention_token, parse_quick_add
from bot.replies import Reply, UsageError
from core.enums import TaskStatus
from core.errors import DomainError
from core.services import (
    comments,
    digests,
    magic_links,
    morning,
    organizations,
    projects,
    reports,
    slack_channels,
    slack_links,
    tasks,
)
from core.services.task_queries import TaskFilter, get_task, list_tasks
from core.views import TaskView
from dashboards.analytics import weekly_report
from dashboards.slack import report_text, weekly_report_blocks

Handler = Callable[[SlackContext, str], Awaitable[Reply]]
PAGE_SIZE = 20
STATUS_WORDS = {
    "todo": TaskStatus.TODO,
    "to-do": TaskStatus.TODO,
    "open": TaskStatus.TODO,
    "doing": TaskStatus.IN_PROGRESS,
    "progress": TaskStatus.IN_PROGRESS,
    "in_progress": TaskStatus.IN_PROGRESS,
    "in-progress": TaskStatus.IN_PROGRESS,
    "review": TaskStatus.IN_REVIEW,
    "in_review": TaskStatus.IN_REVIEW,
    "in-review": TaskStatus.IN_REVIEW,
    "done": TaskStatus.DONE,
    "cancelled": TaskStatus.CANCELLED,
    "canceled": TaskStatus.CANCELLED,
}


async def run(ctx: SlackContext, text: str, *, command: str = "/task") -> Reply:
    """Dispatch on the first word; domain and usage errors become a message to the caller."""
    word, _, rest = text.strip().partition(" ")
    if not word:
        return Reply(text="Opening the new task form", open_create_modal=True)
    handler = COMMANDS.get(word.lower())
    if handler is None:
        suggestion = next(iter(difflib.get_close_matches(word.lower(), COMMANDS, n=1)), None)
        hint = f" Did you mean `{command} {suggestion}`?" if suggestion else ""
        return Reply(
            text=f"I don't know `{word}`.{hint}",
            blocks=blocks.help_blocks(command=command, suggestion=suggestion, unknown=word),
        )
    try:
        return await handler(ctx, rest.strip())
    except DomainError as exc:
        detail = "; ".join(d.message for d in exc.details if d.message != exc.message)
        return Reply.error(f"{exc.message}{' (' + detail + ')' if detail else ''}")
    except (QuickAddError, DueDateError, UsageError) as exc:
        return Reply.error(str(exc))


async def add(ctx: SlackContext, text: str) -> Reply:
    if not text:
        return Reply(text="Opening the new task form", open_create_modal=True)
    parsed = parse_quick_add(text, now=ctx.now, timezone=ctx.timezone)
    assignee = await resolve_mention(ctx, parsed.assignee) if parsed.assignee else None
    project = parsed.project_key or await default_project(ctx)
    task = await tasks.create_task(
        ctx.actor,
        project=project,
        title=parsed.title,
        assignee_id=assignee,
        priority=parsed.priority or "medium",
        due_at=parsed.due_at,
        labels=parsed.labels,
    )
    return await card_reply(ctx, task, public=True, prefix=f"Created {task.key}")


async def list_command(ctx: SlackContext, text: str, *, cursor: str | None = None) -> Reply:
    filters, title = await _list_filter(ctx, text)
    page = await list_tasks(ctx.actor, filters, sort="due_at", limit=PAGE_SIZE, cursor=cursor)
    more = json.dumps({"q": text, "c": page.next_cursor}) if page.next_cursor else None
    ids = await slack_links.slack_ids(ctx.team_id, _people(page.items))
    return Reply(
        text=f"{title}: {len(page.items)} task(s)",
        blocks=blocks.task_list(
            page.items,
            title=title,
            now=ctx.now,
            timezone=ctx.timezone,
            more_value=more,
            slack_ids=ids,
        ),
    )


async def search(ctx: SlackContext, text: str) -> Reply:
    if not text:
        raise UsageError("Say what to look for: `/task search login redirect`")
    page = await list_tasks(ctx.actor, TaskFilter(text=text), limit=PAGE_SIZE)
    ids = await slack_links.slack_ids(ctx.team_id, _people(page.items))
    return Reply(
        text=f"{len(page.items)} task(s) matching {text}",
        blocks=blocks.task_list(
            page.items,
            title=f"Tasks matching “{text}”",
            now=ctx.now,
            timezone=ctx.timezone,
            more_value=None,
            slack_ids=ids,
        ),
    )


async def show(ctx: SlackContext, text: str) -> Reply:
    return await card_reply(ctx, await get_task(ctx.actor, _key(text, "show")))


async def done(ctx: SlackContext, text: str) -> Reply:
    task = await tasks.complete_task(ctx.actor, _key(text, "done"))
    return await card_reply(ctx, task, prefix=f"{task.key} is done")


async def reopen(ctx: SlackContext, text: str) -> Reply:
    task = await tasks.reopen_task(ctx.actor, _key(text, "reopen"))
    return await card_reply(ctx, task, prefix=f"{task.key} is open again")


async def assign(ctx: SlackContext, text: str) -> Reply:
    key, _, who = text.partition(" ")
    who = who.strip()
    if not key or not who:
        raise UsageError("Use `/task assign WEB-42 @alice` (or `me`, or `nobody`)")
    if who.lower() in {"nobody", "none", "-"}:
        task = await tasks.assign_task(ctx.actor, key, assignee_id=None)
        return await card_reply(ctx, task, prefix=f"{task.key} is unassigned")
    mention = parse_mention_token(who)
    if mention is None:
        raise UsageError(f"`{who}` is not a person. Use `/task assign {key} @alice`")
    task = await tasks.assign_task(ctx.actor, key, assignee_id=await resolve_mention(ctx, mention))
    return await card_reply(ctx, task, prefix=f"{task.key} assigned")


async def due(ctx: SlackContext, text: str) -> Reply:
    key, _, when = text.partition(" ")
    if not key or not when.strip():
        raise UsageError("Use `/task due WEB-42 friday` (or a date like 2026-12-01, or `none`)")
    due_at = (
        None
        if when.strip().lower() in {"none", "never", "-"}
        else parse_due(when.strip(), now=ctx.now, timezone=ctx.timezone)
    )
    task = await tasks.update_task(ctx.actor, key, tasks.TaskChanges(due_at=due_at))
    return await card_reply(ctx, task, prefix=f"{task.key} due date updated")


async def move(ctx: SlackContext, text: str) -> Reply:
    key, _, word = text.partition(" ")
    status = STATUS_WORDS.get(word.strip().lower().replace(" ", "_"))
    if not key or status is None:
        choices = ", ".join(s.value for s in TaskStatus)
        raise UsageError(f"Use `/task move WEB-42 in_progress` (one of: {choices})")
    task = await tasks.move_task(ctx.actor, key, status=status)
    return await card_reply(ctx, task, prefix=f"{task.key} moved to {status.value}")


async def priority(ctx: SlackContext, text: str) -> Reply:
    key, _, level = text.partition(" ")
    if not key or not level.strip():
        raise UsageError("Use `/task priority WEB-42 high` (low, medium, high or urgent)")
    task = await tasks.update_task(
        ctx.actor, key, tasks.TaskChanges(priority=level.strip().lower())
    )
    return await card_reply(ctx, task, prefix=f"{task.key} priority is {task.priority.label}")


async def comment(ctx: SlackContext, text: str) -> Reply:
    key, _, body = text.partition(" ")
    if not key or not body.strip():
        raise UsageError("Use `/task comment WEB-42 Deployed to staging`")
    await comments.add_comment(ctx.actor, key, body=body.strip())
    return Reply.info(f"Comment added to {key.upper()}")


async def project(ctx: SlackContext, text: str) -> Reply:
    word, _, rest = text.partition(" ")
    word = word.lower()
    if word in {"", "list"}:
        found = await projects.list_projects(ctx.actor)
        lines = [f"*{p.key}*  {p.name}" for p in found]
        return Reply.info("Projects:\n" + "\n".join(lines))
    if word == "create":
        key, _, name = rest.strip().partition(" ")
        if not key or not name.strip():
            raise UsageError("Use `/task project create WEB Website`")
        made = await projects.create_project(ctx.actor, key=key, name=name.strip())
        return Reply.info(f"Project *{made.key}* ({made.name}) created")
    if word == "default":
        if not ctx.channel_id or not rest.strip():
            raise UsageError("Use `/task project default WEB` in the channel it is for")
        key = await slack_links.set_channel_project(
            ctx.actor, team_id=ctx.team_id, channel_id=ctx.channel_id, project=rest.strip()
        )
        return Reply.info(f"`/task add` in this channel now files into *{key}*")
    raise UsageError("Use `/task project list`, `project create KEY Name` or `project default KEY`")


async def subscribe(ctx: SlackContext, text: str) -> Reply:
    """`/task subscribe #WEB [created,assigned,completed,commented]` in the channel to tell."""
    words = text.split()
    if not words or not ctx.channel_id:
        raise UsageError(
            "Use `/task subscribe #WEB` (optionally `created,assigned,completed,commented`)"
        )
    key = _project_word(words[0])
    kinds = tuple(k.strip().lower() for k in ",".join(words[1:]).split(",") if k.strip())
    sub = await slack_channels.subscribe(
        ctx.actor, team_id=ctx.team_id, channel_id=ctx.channel_id, project=key, events=kinds
    )
    return Reply.info(f"This channel now hears about *{sub.project_key}*: {', '.join(sub.events)}")


async def unsubscribe(ctx: SlackContext, text: str) -> Reply:
    if not text.strip() or not ctx.channel_id:
        raise UsageError("Use `/task unsubscribe #WEB` in the channel that follows it")
    key = _project_word(text.split()[0])
    gone = await slack_channels.unsubscribe(
        ctx.actor, team_id=ctx.team_id, channel_id=ctx.channel_id, project=key
    )
    return Reply.info(
        f"No more updates about *{key}* here" if gone else f"This channel did not follow {key}"
    )


def _project_word(word: str) -> str:
    """`#WEB`, `WEB`, or Slack's channel escape `<#C123|web>` when a channel has that name."""
    if word.startswith("<#") and "|" in word:
        word = word.split("|", 1)[1].rstrip(">")
    return word.lstrip("#").upper()


async def digest(ctx: SlackContext, text: str) -> Reply:
    """`/task digest daily 09:00 [Europe/Berlin] [#WEB]`, `weekdays 09:00`, `off`, `preview`."""
    if not ctx.channel_id:
        raise UsageError(DIGEST_USAGE)
    words = text.split()
    word = words[0].lower() if words else ""
    if word == "off":
        gone = await digests.turn_off(ctx.actor, team_id=ctx.team_id, channel_id=ctx.channel_id)
        return Reply.info("No more digests here" if gone else "This channel had no digest")
    if word == "preview":
        found = await digests.preview(ctx.team_id, ctx.channel_id, now=ctx.now)
        return Reply(text=blocks.digest_text(found), blocks=blocks.digest_blocks(found))
    if word not in digests.DAYS or len(words) < 2:
        raise UsageError(DIGEST_USAGE)
    extra = [w for w in words[2:] if w.lower() not in ALWAYS_WORDS]
    always = len(extra) < len(words[2:])
    project = next((_project_word(w) for w in extra if w.startswith(("#", "<#"))), None)
    zone = next((w for w in extra if not w.startswith(("#", "<#"))), None)
    made = await digests.set_schedule(
        ctx.actor,
        team_id=ctx.team_id,
        channel_id=ctx.channel_id,
        days=word,
        time_of_day=words[1],
        timezone=zone,
        project=project,
        include_empty=always,
    )
    scope = f" for *{made.project_key}*" if made.project_key else ""
    when = "every day" if made.days == "daily" else "on weekdays"
    empty = ", even when there is nothing to report" if made.include_empty else ""
    return Reply.info(
        f"This channel gets a digest{scope} {when} at {made.time_of_day} ({made.timezone}){empty}"
    )


ALWAYS_WORDS = {"always", "+empty"}
DIGEST_USAGE = (
    "Use `/task digest daily 09:00 [Europe/Berlin] [#WEB] [always]` (or `weekdays 09:00`, "
    "`off`, `preview`) in a channel; `always` posts even an empty digest"
)


async def morning_command(ctx: SlackContext, text: str) -> Reply:
    """`/task morning [on [08:30] [daily|weekdays] | off | preview]`: my own morning DM."""
    words = [w.lower() for w in text.split()]
    word = words[0] if words else ""
    if word == "preview":
        found = await morning.morning_of(
            organization_id=ctx.actor.organization_id,
            user_id=ctx.actor.user_id,
            timezone=ctx.timezone,
            now=ctx.now,
        )
        return Reply(text=blocks.morning_text(found), blocks=blocks.morning_blocks(found))
    if word in ("on", "off"):
        rest = words[1:]
        days = next((w for w in rest if w in digests.DAYS), None)
        at = next((w for w in rest if w not in digests.DAYS), None)
        await morning.set_morning(ctx.actor, enabled=word == "on", time_of_day=at, days=days)
    elif word:
        raise UsageError(MORNING_USAGE)
    setting = await morning.morning_setting(ctx.actor, default_on=ctx.morning_default_on)
    return Reply.info(_describe_morning(setting))


def _describe_morning(setting: morning.MorningSetting) -> str:
    if not setting.enabled:
        return "You get no morning message. Turn it on with `/task morning on 09:00`"
    when = "every day" if setting.days == "daily" else "on weekdays"
    return (
        f"You get a morning message {when} at {setting.time_of_day} ({setting.timezone}): "
        "your overdue tasks, what is due today and this week. Stop it with `/task morning off`"
    )


async def report(ctx: SlackContext, text: str) -> Reply:
    """`/task report weekly [monday] [09:00] [zone] [#WEB] [@person]`, `off [@person]`,
    `preview`: the weekly manager report, to this channel or to a person."""
    words = text.split()
    word = words[0].lower() if words else ""
    people = [w for w in words[1:] if parse_mention_token(w) and w.startswith(("<@", "@"))]
    rest = [w for w in words[1:] if w not in people]
    target = await _report_target(ctx, people[0] if people else None)
    if word == "preview":
        found = await reports.report_for(ctx.team_id, target) or await reports.unscheduled_report(
            ctx.team_id, target
        )
        return await report_preview(ctx, found)
    if word == "off":
        gone = await reports.turn_off_report(ctx.actor, team_id=ctx.team_id, target=target)
        return Reply.info("No more weekly reports there" if gone else "No weekly report went there")
    if word != "weekly":
        raise UsageError(REPORT_USAGE)
    day = next((w.lower() for w in rest if w.lower() in digests.WEEKDAYS), reports.DEFAULT_DAY)
    at = next((w for w in rest if ":" in w), reports.DEFAULT_TIME)
    project = next((_project_word(w) for w in rest if w.startswith(("#", "<#"))), None)
    zone = next((w for w in rest if "/" in w or w.upper() == "UTC"), None)
    made = await reports.set_report(
        ctx.actor,
        team_id=ctx.team_id,
        target=target,
        weekday=day,
        time_of_day=at,
        timezone=zone,
        project=project,
    )
    where = f"<@{made.target}>" if made.to_person else "This channel"
    scope = f" for *{made.project_key}*" if made.project_key else ""
    return Reply.info(
        f"{where} gets the weekly report{scope} every {made.weekday.capitalize()} "
        f"at {made.time_of_day} ({made.timezone})"
    )


async def _report_target(ctx: SlackContext, person: str | None) -> str:
    if person is None:
        if not ctx.channel_id:
            raise UsageError(REPORT_USAGE)
        return ctx.channel_id
    mention = parse_mention_token(person)
    assert mention is not None
    if mention.name == "me":
        return ctx.slack_user_id
    if mention.slack_user_id:
        return mention.slack_user_id
    user_id = await resolve_mention(ctx, mention)
    slack_id = (await slack_links.slack_ids(ctx.team_id, {user_id})).get(user_id)
    if slack_id is None:
        raise UsageError(f"{person} has no Slack account in this workspace")
    return slack_id


async def report_preview(ctx: SlackContext, found: reports.ReportView) -> Reply:
    """The report as it would be posted now, with its numbers as text bars."""
    made = await weekly_report(
        ctx.actor,
        now=ctx.now,
        timezone=found.timezone,
        project_id=found.project_id,
        project_key=found.project_key,
    )
    return Reply(text=report_text(made), blocks=weekly_report_blocks(made, with_text_bars=True))


REPORT_USAGE = (
    "Use `/task report weekly [monday] [09:00] [Europe/Berlin] [#WEB] [@person]`, "
    "`/task report off [@person]` or `/task report preview`"
)
MORNING_USAGE = "Use `/task morning on [08:30] [daily|weekdays]`, `off` or `preview`"


async def dashboard(ctx: SlackContext, text: str) -> Reply:
    """`/task dashboard`: a sign-in link for the web dashboard, for the caller alone,
    good once and for a few minutes (Slack shows it only to them)."""
    if not ctx.base_url:
        raise UsageError("The web dashboard's address is not set (TEAMFLOW_BASE_URL)")
    token = await magic_links.issue_magic_link(ctx.actor, now=ctx.now)
    url = f"{ctx.base_url.rstrip('/')}/login/magic/{token}"
    minutes = int(magic_links.LIFETIME.total_seconds() // 60)
    return Reply(
        text=f"Your sign-in link for the TeamFlow dashboard: {url}",
        blocks=blocks.dashboard_link_blocks(url, minutes=minutes),
    )


async def help_command(ctx: SlackContext, text: str) -> Reply:
    return Reply(text="How to use TeamFlow", blocks=blocks.help_blocks())


COMMANDS: dict[str, Handler] = {
    "add": add,
    "list": list_command,
    "show": show,
    "done": done,
    "reopen": reopen,
    "assign": assign,
    "due": due,
    "move": move,
    "priority": priority,
    "comment": comment,
    "search": search,
    "project": project,
    "subscribe": subscribe,
    "unsubscribe": unsubscribe,
    "digest": digest,
    "morning": morning_command,
    "report": report,
    "dashboard": dashboard,
    "help": help_command,
}


async def card_reply(
    ctx: SlackContext, task: TaskView, *, public: bool = False, prefix: str | None = None
) -> Reply:
    ids = await slack_links.slack_ids(ctx.team_id, _people([task]))
    card = blocks.task_card(
        task,
        now=ctx.now,
        timezone=ctx.timezone,
        viewer_user_id=ctx.actor.user_id,
        assignee_slack_id=ids.get(task.assignee.id) if task.assignee else None,
        can_edit=ctx.actor.can("task:update"),
    )
    return Reply(text=prefix or blocks.card_fallback_text(task), blocks=card, public=public)


async def default_project(ctx: SlackContext) -> str:
    """The channel's project for `add`, else the organization's Inbox."""
    if ctx.channel_id:
        key = await slack_links.channel_project(ctx.team_id, ctx.channel_id)
        if key:
            return key
    return organizations.INBOX_KEY


async def _list_filter(ctx: SlackContext, text: str) -> tuple[TaskFilter, str]:
    """`mine` (the default), `@user`, a project key, `overdue`, `today`, a status, `all`."""
    kwargs: dict = {"open_only": True}
    title_parts: list[str] = []
    words = text.split()
    if not words or words == ["mine"]:
        words = ["mine"]
    for word in words:
        lower = word.lower()
        if lower == "mine":
            kwargs["assignee_id"] = ctx.actor.user_id
            title_parts.append("My tasks")
        elif lower == "all":
            kwargs["open_only"] = False
            title_parts.append("all")
        elif lower == "overdue":
            kwargs["overdue"] = True
            title_parts.append("overdue")
        elif lower == "today":
            kwargs["due_before"] = _end_of_today(ctx)
            title_parts.append("due today")
        elif lower in STATUS_WORDS:
            kwargs["statuses"] = (STATUS_WORDS[lower],)
            kwargs["open_only"] = False
            title_parts.append(STATUS_WORDS[lower].value)
        elif (mention := parse_mention_token(word)) is not None:
            kwargs["assignee_id"] = await resolve_mention(ctx, mention)
            title_parts.append(f"assigned to {word}")
        else:
            kwargs["project"] = word.upper()
            title_parts.append(word.upper())
    return TaskFilter(**kwargs), " · ".join(title_parts) or "Tasks"


def _end_of_today(ctx: SlackContext) -> datetime:
    local = ctx.now.astimezone(ZoneInfo(ctx.timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


def _key(text: str, word: str) -> str:
    key = text.strip().split(" ")[0] if text.strip() else ""
    if not key:
        raise UsageError(f"Which task? Use `/task {word} WEB-42`")
    return key


def _people(items: list[TaskView]) -> set:
    return {t.assignee.id for t in items if t.assignee}
