"""Channel digests through Slack: `/task digest`, then the scheduler posting to the fake."""

import asyncio
import os
import subprocess
import sys
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.app import workspace_clients
from core.clock import utcnow
from core.enums import TaskStatus
from core.models import ScheduledSend, Task  # only to read outcomes and age tasks
from core.services import digests, slack_links, tasks
from scheduler.digests import run_digests
from tests.e2e.slack_harness import SECRET, slack_settings, text_of
from tests.fakes import workspace


async def _soon(slack, channel: str = "C1") -> tuple[str, object]:
    """Schedule the channel's digest a few minutes from now; returns (HH:MM, fire time)."""
    zone = "America/New_York"
    at = (utcnow() + timedelta(minutes=3)).astimezone(ZoneInfo(zone)).strftime("%H:%M")
    await slack.command(f"digest daily {at} {zone}", channel_id=channel)
    moment = digests.fire_time(
        days="daily", time_of_day=at, timezone=zone, now=utcnow() + timedelta(minutes=4)
    )
    return at, moment


async def test_digest_command_sets_shows_and_turns_off_the_schedule(slack):
    reply = await slack.command("digest daily 09:00", channel_id="C1")
    assert "every day at 09:00" in text_of(reply)
    schedule = await digests.schedule_for("T1", "C1")
    assert (schedule.days, schedule.time_of_day) == ("daily", "09:00")
    reply = await slack.command("digest weekdays 08:30 Europe/Berlin", channel_id="C1")
    assert "on weekdays at 08:30 (Europe/Berlin)" in text_of(reply)
    assert "TeamFlow digest" in text_of(await slack.command("digest preview", channel_id="C1"))
    assert "Use `/task digest" in text_of(await slack.command("digest sometimes", channel_id="C1"))
    assert "No more digests" in text_of(await slack.command("digest off", channel_id="C1"))
    assert await digests.schedule_for("T1", "C1") is None


async def _seed(slack) -> None:
    await slack.command("project create WEB Website")
    for title in ("Ship it", "Late one", "Stuck one", "Due soon"):
        await slack.command(f"add {title} #WEB")
    await slack.command("done WEB-1")
    owner = await slack_links.linked_actor("T1", "U1")
    await Task.filter(number=2).update(due_at=utcnow() - timedelta(days=2))  # as time would
    await tasks.update_task(owner, "WEB-4", tasks.TaskChanges(due_at=utcnow() + timedelta(days=1)))
    await tasks.move_task(owner, "WEB-3", status=TaskStatus.IN_PROGRESS)
    await Task.filter(number=3).update(updated_at=utcnow() - timedelta(days=5))


async def test_the_digest_is_posted_once_at_its_time_with_its_sections(slack):
    await _seed(slack)
    _, moment = await _soon(slack)
    clients = workspace_clients(slack_settings(slack.fake))
    slack.fake.reset()

    assert await run_digests(now=moment + timedelta(seconds=30), client_for=clients) == 1
    assert await run_digests(now=moment + timedelta(minutes=1), client_for=clients) == 0

    posts = slack.fake.calls("chat.postMessage")
    assert [c.params["channel"] for c in posts] == ["C1"]
    text = text_of(posts[0])
    for section in ("Completed", "New", "Overdue", "Due today and soon", "In progress"):
        assert section in text, section
    assert "WEB-1" in text and "Late one" in text and "Stuck one" in text
    assert len(posts[0].params["blocks"]) <= 50


async def test_a_rate_limited_digest_waits_for_retry_after_and_is_sent(slack):
    await _seed(slack)
    _, moment = await _soon(slack)
    slack.fake.reset()
    slack.fake.fail("chat.postMessage", status=429, retry_after=1, times=1)
    clients = workspace_clients(slack_settings(slack.fake))

    assert await run_digests(now=moment + timedelta(seconds=30), client_for=clients) == 1
    first, second = slack.fake.calls("chat.postMessage")
    assert second.at - first.at >= 0.9
    assert (await ScheduledSend.get()).status == "sent"


async def test_one_archived_channel_never_stops_the_healthy_ones(slack):
    await _seed(slack)
    slack.fake.add_channel("C3", name="old-news", is_archived=True)
    moments = [(await _soon(slack, channel))[1] for channel in ("C1", "C2", "C3")]
    slack.fake.reset()
    clients = workspace_clients(slack_settings(slack.fake))

    sent = await run_digests(now=max(moments) + timedelta(seconds=30), client_for=clients)

    assert sent == 2
    posted = {c.params["channel"] for c in slack.fake.calls("chat.postMessage")}
    assert posted == {"C1", "C2", "C3"}  # C3 was tried and refused
    outcome = dict(await ScheduledSend.all().values_list("target", "status"))
    assert outcome == {"T1:C1": "sent", "T1:C2": "sent", "T1:C3": "failed"}
    failed = await ScheduledSend.get(target="T1:C3")
    assert "is_archived" in failed.error


async def _cli(db, fake, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}}
    env |= {"DATABASE_URL": db, "TEAMFLOW_ENV": "development"}
    env |= {"SLACK_BOT_TOKEN": workspace.BOT_TOKEN, "SLACK_API_URL": fake.base_url}
    env |= {"SLACK_SIGNING_SECRET": SECRET}
    command = [sys.executable, "-m", "teamflow.cli", *args]
    return await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, env=env, timeout=120
    )


async def test_cli_previews_sends_and_lists_runs(slack, db):
    await _seed(slack)
    slack.fake.reset()

    preview = await _cli(db, slack.fake, "digest", "preview", "--channel", "C7")
    assert preview.returncode == 0, preview.stderr
    assert "Overdue" in preview.stdout and "Late one" in preview.stdout
    sent = await _cli(db, slack.fake, "digest", "send", "--channel", "C7", "--team", "T1")
    assert sent.returncode == 0, sent.stderr
    assert [c.params["channel"] for c in slack.fake.calls("chat.postMessage")] == ["C7"]
    runs = await _cli(db, slack.fake, "scheduler", "runs", "--limit", "5")
    assert runs.returncode == 0, runs.stderr
    assert "channel_digest T1:C7 manual-" in runs.stdout and " sent " in runs.stdout
