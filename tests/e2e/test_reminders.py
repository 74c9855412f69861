"""Due-date reminders and overdue nudges: DMs to the assignee, each exactly once."""

from datetime import UTC, datetime, timedelta

from bot.app import workspace_clients
from core.enums import TaskStatus
from core.models import ScheduledSend, Task  # only to read outcomes and set due dates
from core.services import reminders, slack_links, tasks
from scheduler.reminders import run_reminders
from tests.e2e.slack_harness import slack_settings, text_of

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # 11:00 in Berlin, Alice's time zone
LEAD = timedelta(hours=24)


async def _seed(slack, *, due: timedelta) -> None:
    """WEB-1 assigned to Alice (U1), WEB-2 unassigned, WEB-3 Alice's but done, WEB-4
    Alice's but cancelled, WEB-5 Alice's and due beyond the lead time: all but WEB-5 due
    at NOW + `due`."""
    await slack.command("project create WEB Website")
    for title in ("Mine", "Nobody's", "Finished", "Dropped", "Later"):
        await slack.command(f"add {title} #WEB")
    owner = await slack_links.linked_actor("T1", "U1")
    for key in ("WEB-1", "WEB-3", "WEB-4", "WEB-5"):
        await tasks.assign_task(owner, key, assignee_id=owner.user_id)
    await tasks.complete_task(owner, "WEB-3")
    await tasks.move_task(owner, "WEB-4", status=TaskStatus.CANCELLED)
    await Task.filter(number__in=[1, 2, 3, 4]).update(due_at=NOW + due)
    await Task.filter(number=5).update(due_at=NOW + LEAD + timedelta(days=2))
    slack.fake.reset()


async def _run(slack, now: datetime) -> int:
    clients = workspace_clients(slack_settings(slack.fake))
    return await run_reminders(now=now, client_for=clients, lead=LEAD)


async def test_a_task_due_soon_gets_exactly_one_reminder_dm(slack):
    await _seed(slack, due=timedelta(hours=3))

    assert await _run(slack, NOW) == 1
    assert await _run(slack, NOW + timedelta(minutes=1)) == 0

    (post,) = slack.fake.calls("chat.postMessage")
    assert post.params["channel"] == "U1"
    text = text_of(post)
    assert "WEB-1" in text and "is due" in text and "Mine" in text
    assert post.params["blocks"]  # the task card
    send = await ScheduledSend.get()
    assert (send.kind, send.status) == (reminders.DUE_REMINDER, "sent")
    task = await Task.get(number=1)
    assert send.target == str(task.id)
    assert send.period == task.due_at.astimezone(UTC).isoformat()


async def test_a_new_due_date_earns_a_new_reminder(slack):
    await _seed(slack, due=timedelta(hours=3))
    assert await _run(slack, NOW) == 1
    await Task.filter(number=1).update(due_at=NOW + timedelta(hours=20))
    assert await _run(slack, NOW + timedelta(minutes=1)) == 1
    assert await _run(slack, NOW + timedelta(minutes=2)) == 0


async def test_an_overdue_task_is_nudged_once_per_local_day(slack):
    await _seed(slack, due=-timedelta(days=2))

    assert await _run(slack, NOW) == 1
    assert await _run(slack, NOW + timedelta(hours=5)) == 0  # 16:00 in Berlin, same day
    # 23:30 UTC is already 00:30 on 2 December in Berlin: a new local day.
    assert await _run(slack, NOW + timedelta(hours=13, minutes=30)) == 1
    assert await _run(slack, NOW + timedelta(hours=14)) == 0

    posts = slack.fake.calls("chat.postMessage")
    assert [p.params["channel"] for p in posts] == ["U1", "U1"]
    assert all("WEB-1" in text_of(p) and "overdue" in text_of(p) for p in posts)
    periods = await ScheduledSend.filter(kind=reminders.OVERDUE_NUDGE).values_list(
        "period", flat=True
    )
    assert sorted(periods) == ["2026-12-01", "2026-12-02"]


async def test_unassigned_done_and_cancelled_tasks_get_nothing(slack):
    await _seed(slack, due=timedelta(hours=3))
    owner = await slack_links.linked_actor("T1", "U1")
    await tasks.assign_task(owner, "WEB-1", assignee_id=None)

    assert await _run(slack, NOW) == 0
    await Task.filter(number__in=[1, 2, 3, 4]).update(due_at=NOW - timedelta(days=1))
    assert await _run(slack, NOW) == 0

    assert slack.fake.calls("chat.postMessage") == []
    assert await ScheduledSend.all().count() == 0


async def test_a_rate_limited_reminder_waits_for_retry_after_and_is_sent(slack):
    await _seed(slack, due=timedelta(hours=3))
    slack.fake.fail("chat.postMessage", status=429, retry_after=1, times=1)

    assert await _run(slack, NOW) == 1

    first, second = slack.fake.calls("chat.postMessage")
    assert second.at - first.at >= 0.9
    assert (await ScheduledSend.get()).status == "sent"


async def test_a_failed_reminder_is_recorded_and_retried_on_a_later_tick(slack):
    await _seed(slack, due=timedelta(hours=3))
    slack.fake.fail("chat.postMessage", status=200, error="internal_error", times=1)

    assert await _run(slack, NOW) == 0
    failed = await ScheduledSend.get()
    assert failed.status == "failed" and "internal_error" in failed.error

    assert await _run(slack, NOW + timedelta(minutes=1)) == 1
    sent = await ScheduledSend.get()
    assert (sent.status, sent.attempts) == ("sent", 2)
