"""The weekly manager report: scheduled with `/task report`, posted once a week in the
report's time zone, with a chart image (or text bars) and the numbers of a known week."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import workspace_clients
from core.enums import TaskStatus
from core.models import ScheduledSend, Task  # only to build a known history and read outcomes
from core.services import reports, slack_links, tasks
from scheduler.reports import run_reports
from tests.e2e.slack_harness import slack_settings, text_of

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 30 November 2026, 09:00 in Berlin: the report covers Mon 23 to Sun 29 November.
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN).astimezone(UTC)


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=BERLIN)


# number: (created, started, completed) — three done this week (cycle 24 h, 6 h, 72 h),
# one done the week before, two still open.
HISTORY = {
    1: (_at(18, 9), _at(23, 10), _at(24, 10)),
    2: (_at(20, 9), _at(25, 8), _at(25, 14)),
    3: (_at(24, 9), _at(24, 9), _at(27, 9)),
    4: (_at(10, 9), _at(16, 9), _at(17, 9)),
    5: (datetime(2026, 11, 1, 9, 0, tzinfo=BERLIN), None, None),
    6: (_at(26, 9), _at(26, 10), None),
}


async def _seed(slack) -> None:
    await slack.command("project create WEB Website")
    for title in ("Login page", "Signup", "Search", "Old one", "Ancient bug", "Billing"):
        await slack.command(f"add {title} #WEB")
    await slack.command("list", user_id="U2")  # links Bob
    alice = await slack_links.linked_actor("T1", "U1")
    bob = await slack_links.linked_actor("T1", "U2")
    for number in (1, 2, 3, 4, 5):
        await tasks.assign_task(alice, f"WEB-{number}", assignee_id=alice.user_id)
    await tasks.assign_task(alice, "WEB-6", assignee_id=bob.user_id)
    for number, (created, started, completed) in HISTORY.items():
        status = TaskStatus.DONE if completed else TaskStatus.TODO
        if started and not completed:
            status = TaskStatus.IN_PROGRESS
        await Task.filter(number=number).update(
            created_at=created, started_at=started, completed_at=completed, status=status
        )
    slack.fake.reset()


async def _run(slack, now: datetime, *, charts: str = "image") -> int:
    clients = workspace_clients(slack_settings(slack.fake))
    return await run_reports(
        now=now, client_for=clients, charts=charts, dashboard_url="http://tf/dashboard"
    )


async def test_the_report_command_schedules_it_here_or_to_a_person_and_turns_it_off(slack):
    reply = await slack.command("report weekly monday 09:00 Europe/Berlin")
    assert "This channel gets the weekly report every Monday at 09:00 (Europe/Berlin)" in text_of(
        reply
    )
    reply = await slack.command("report weekly friday 16:30 <@U2|bob>")
    assert "<@U2> gets the weekly report every Friday at 16:30" in text_of(reply)
    assert (await reports.report_for("T1", "U2")).weekday == "friday"
    assert "No more weekly reports" in text_of(await slack.command("report off <@U2|bob>"))
    assert await reports.report_for("T1", "U2") is None
    assert "Use `/task report weekly" in text_of(await slack.command("report sometimes"))


async def test_only_admins_and_owners_schedule_the_manager_report(slack):
    await slack.command("list")  # Alice, the first user, owns the organization
    reply = await slack.command("report weekly", user_id="U2")
    assert "Only admins and owners" in text_of(reply)
    assert await reports.report_for("T1", "C1") is None


async def test_the_report_is_posted_once_with_the_weeks_numbers_and_a_chart(slack):
    await _seed(slack)
    await slack.command("report weekly monday 09:00 Europe/Berlin")
    slack.fake.reset()

    assert await _run(slack, MONDAY - timedelta(minutes=1)) == 0
    assert await _run(slack, MONDAY + timedelta(seconds=30)) == 1
    assert await _run(slack, MONDAY + timedelta(minutes=1)) == 0

    (post,) = slack.fake.calls("chat.postMessage")
    assert post.params["channel"] == "C1"
    text = text_of(post)
    assert "Mon 23 Nov to Sun 29 Nov" in text
    assert "3 (+2 vs 1 last week)" in text  # completed this week vs last
    assert "2 created, 3 completed" in text  # WEB-3 and WEB-6 were created this week
    assert "median 24.0 h" in text and "(3 tasks)" in text  # cycle times 6, 24, 72 h
    assert "Alice Adams: 1 open" in text and "Bob Brown: 1 open" in text
    assert "WEB-5" in text and "Ancient bug" in text  # the oldest open task
    assert "http://tf/dashboard" in str(post.params["blocks"])
    assert "```" not in text  # the chart image stands in for the text bars

    (upload,) = await slack.fake.wait_for("files.completeUploadExternal")
    assert upload.params["channel_id"] == "C1"
    assert re.fullmatch(r"\d+\.\d+", upload.params["thread_ts"])  # in the report's thread
    (png,) = slack.fake.uploads.values()
    assert png.startswith(b"\x89PNG")
    send = await ScheduledSend.get(kind=reports.KIND)
    assert (send.target, send.period, send.status) == ("T1:C1", "2026-11-30", "sent")


async def test_with_images_off_the_report_carries_text_bars_and_uploads_nothing(slack):
    await _seed(slack)
    await slack.command("report weekly")
    slack.fake.reset()
    assert await _run(slack, MONDAY + timedelta(seconds=30), charts="text") == 1
    text = text_of(slack.fake.calls("chat.postMessage")[0])
    assert "completed" in text and "█" in text
    assert slack.fake.calls("files.getUploadURLExternal") == []


async def test_a_report_to_a_person_goes_to_their_dm_and_preview_shows_the_same_numbers(slack):
    await _seed(slack)
    await slack.command("report weekly monday 09:00 Europe/Berlin @me")
    preview = await slack.command("report preview @me")
    assert "Weekly report" in text_of(preview)
    slack.fake.reset()
    assert await _run(slack, MONDAY + timedelta(seconds=30), charts="text") == 1
    (post,) = slack.fake.calls("chat.postMessage")
    assert post.params["channel"] == "U1"


async def test_one_archived_channel_never_stops_the_other_reports(slack):
    await _seed(slack)
    slack.fake.add_channel("C3", name="old-news", is_archived=True)
    for channel in ("C1", "C3"):
        await slack.command("report weekly monday 09:00 Europe/Berlin", channel_id=channel)
    slack.fake.reset()
    assert await _run(slack, MONDAY + timedelta(seconds=30), charts="text") == 1
    outcome = dict(await ScheduledSend.filter(kind=reports.KIND).values_list("target", "status"))
    assert outcome == {"T1:C1": "sent", "T1:C3": "failed"}
    assert "is_archived" in (await ScheduledSend.get(target="T1:C3")).error
