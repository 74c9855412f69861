"""The personal morning DM: opt in or out, at 08:30 in the person's own time zone, once a
day, with quick actions that update the message in place."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import workspace_clients
from bot.blocks import ids
from core.enums import TaskStatus
from core.models import ScheduledSend, Task  # only to set due dates and read outcomes
from core.services import magic_links, morning, slack_links, tasks
from scheduler.morning import run_mornings
from tests.e2e.slack_harness import slack_settings, text_of

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
# Tuesday 1 December 2026, 08:30 in Berlin (Alice, U1), 02:30 in New York (Bob, U2).
MORNING = datetime(2026, 12, 1, 8, 30, tzinfo=BERLIN).astimezone(UTC)


async def _seed(slack) -> None:
    """Alice: WEB-1 overdue, WEB-2 due today, WEB-3 in three days, WEB-4 in three weeks,
    WEB-5 done; Bob: WEB-6 due today in New York."""
    await slack.command("project create WEB Website")
    for title in ("Late", "Today", "Thursday", "Far away", "Finished", "Bob's"):
        await slack.command(f"add {title} #WEB")
    await slack.command("list", user_id="U2")  # Bob's first contact links him
    alice = await slack_links.linked_actor("T1", "U1")
    bob = await slack_links.linked_actor("T1", "U2")
    for number, days in ((1, -2), (2, 0), (3, 2), (4, 21), (5, 0)):
        await tasks.assign_task(alice, f"WEB-{number}", assignee_id=alice.user_id)
        due = datetime(2026, 12, 1, 17, 0, tzinfo=BERLIN) + timedelta(days=days)
        await Task.filter(number=number).update(due_at=due)
    await tasks.complete_task(alice, "WEB-5")
    await tasks.assign_task(alice, "WEB-6", assignee_id=bob.user_id)
    await Task.filter(number=6).update(due_at=datetime(2026, 12, 1, 18, 0, tzinfo=NEW_YORK))
    slack.fake.reset()


async def _run(slack, now: datetime, *, default_on: bool = False) -> int:
    clients = workspace_clients(slack_settings(slack.fake))
    return await run_mornings(
        now=now, client_for=clients, default_on=default_on, dashboard_url="http://tf/dashboard"
    )


async def test_the_morning_command_turns_it_on_and_off_and_says_when(slack):
    reply = await slack.command("morning on 08:30")
    assert "morning message on weekdays at 08:30 (Europe/Berlin)" in text_of(reply)
    assert "every day at 07:15" in text_of(await slack.command("morning on 7:15 daily"))
    assert "every day at 07:15" in text_of(await slack.command("morning"))
    assert "no morning message" in text_of(await slack.command("morning off"))
    assert "Use `/task morning on" in text_of(await slack.command("morning sometimes"))
    assert "not a time" in text_of(await slack.command("morning on 25:99"))


async def test_an_opted_in_person_gets_one_dm_at_their_local_time_with_their_tasks(slack):
    await _seed(slack)
    await slack.command("morning on 08:30")
    slack.fake.reset()

    assert await _run(slack, MORNING - timedelta(minutes=1)) == 0  # 08:29 in Berlin: not yet
    assert await _run(slack, MORNING + timedelta(seconds=20)) == 1
    assert await _run(slack, MORNING + timedelta(minutes=1)) == 0  # once a day

    (post,) = slack.fake.calls("chat.postMessage")
    assert post.params["channel"] == "U1"  # Bob did not opt in
    text = text_of(post)
    assert "Overdue" in text and "WEB-1" in text
    assert "Due today" in text and "WEB-2" in text
    assert "Due this week" in text and "WEB-3" in text
    for absent in ("WEB-4", "WEB-5", "WEB-6"):
        assert absent not in text
    menus = [b["accessory"] for b in post.params["blocks"] if "accessory" in b]
    assert {m["action_id"] for m in menus} == {ids.MORNING_TASK} and len(menus) == 3
    assert "http://tf/dashboard" in str(post.params["blocks"])

    tomorrow = MORNING + timedelta(days=1)
    assert await _run(slack, tomorrow + timedelta(seconds=20)) == 1  # Wednesday, a new day


async def test_by_default_on_everyone_gets_it_in_their_own_zone_unless_they_opted_out(slack):
    await _seed(slack)
    await slack.command("morning off")  # Alice opts out
    bob_morning = datetime(2026, 12, 1, 9, 0, tzinfo=NEW_YORK).astimezone(UTC)

    assert await _run(slack, MORNING + timedelta(seconds=20), default_on=True) == 0
    assert await _run(slack, bob_morning + timedelta(seconds=20), default_on=True) == 1
    (post,) = slack.fake.calls("chat.postMessage")
    assert post.params["channel"] == "U2" and "WEB-6" in text_of(post)


async def test_a_person_with_nothing_due_gets_no_dm_and_the_send_is_recorded_skipped(slack):
    await slack.command("project create WEB Website")
    await slack.command("morning on 08:30")
    slack.fake.reset()
    assert await _run(slack, MORNING + timedelta(seconds=20)) == 0
    assert slack.fake.calls("chat.postMessage") == []
    send = await ScheduledSend.get(kind=morning.KIND)
    assert (send.status, send.period) == ("skipped", "2026-12-01")


async def test_after_downtime_a_recent_morning_is_caught_up_and_an_old_one_recorded_missed(slack):
    await _seed(slack)
    await slack.command("morning on 08:30")
    slack.fake.reset()
    assert await _run(slack, MORNING + timedelta(minutes=10)) == 1
    assert await _run(slack, MORNING + timedelta(days=1, hours=3)) == 0  # 11:30 Wednesday
    statuses = dict(await ScheduledSend.filter(kind=morning.KIND).values_list("period", "status"))
    assert statuses == {"2026-12-01": "sent", "2026-12-02": "missed"}


async def _morning_dm(slack) -> list[dict]:
    await _seed(slack)
    await slack.command("morning on 08:30")
    await _run(slack, MORNING + timedelta(seconds=20))
    return slack.fake.calls("chat.postMessage")[-1].params["blocks"]


def _block_of(blocks: list[dict], task_key: str) -> str:
    return next(b["block_id"] for b in blocks if task_key in b.get("text", {}).get("text", ""))


async def test_done_from_the_morning_dm_completes_the_task_and_redraws_the_list(slack):
    blocks = await _morning_dm(slack)
    sent, where = await slack.action(
        action_id=ids.MORNING_TASK,
        block_id=_block_of(blocks, "WEB-1"),
        selected_option=ids.MORNING_DONE,
        message_blocks=blocks,
        channel_id="D1",
    )
    assert sent.status == 200
    (redrawn,) = await slack.fake.wait_for(where)
    assert redrawn.params["replace_original"] is True
    assert "WEB-1" not in text_of(redrawn) and "WEB-2" in text_of(redrawn)
    assert (await Task.get(number=1)).status == TaskStatus.DONE


async def test_due_tomorrow_from_the_morning_dm_moves_the_due_date_in_the_persons_zone(slack):
    blocks = await _morning_dm(slack)
    _, where = await slack.action(
        action_id=ids.MORNING_TASK,
        block_id=_block_of(blocks, "WEB-2"),
        selected_option=ids.MORNING_TOMORROW,
        message_blocks=blocks,
        channel_id="D1",
    )
    await slack.fake.wait_for(where)
    due = (await Task.get(number=2)).due_at.astimezone(BERLIN)
    today = datetime.now(BERLIN).date()
    assert (due.date() - today).days == 1 and (due.hour, due.minute) == (23, 59)


async def test_someone_elses_task_cannot_be_completed_from_a_forwarded_menu(slack):
    blocks = await _morning_dm(slack)
    _, where = await slack.action(
        action_id=ids.MORNING_TASK,
        block_id=_block_of(blocks, "WEB-1"),
        selected_option=ids.MORNING_DONE,
        message_blocks=blocks,
        user_id="U3",
        team_id="T2",  # another workspace, so another organization
    )
    (answer,) = await slack.fake.wait_for(where)
    assert "No task" in text_of(answer) and answer.params["replace_original"] is False
    assert (await Task.get(number=1)).status != TaskStatus.DONE


async def test_the_stop_button_turns_the_morning_dm_off(slack):
    blocks = await _morning_dm(slack)
    _, where = await slack.action(action_id=ids.MORNING_OFF, message_blocks=blocks)
    (answer,) = await slack.fake.wait_for(where)
    assert "Morning messages are off" in text_of(answer)
    alice = await slack_links.linked_actor("T1", "U1")
    assert not (await morning.morning_setting(alice, default_on=True)).enabled


async def test_the_dashboard_command_gives_a_one_time_sign_in_link_to_the_caller_alone(slack):
    reply = await slack.command("dashboard")
    assert reply.params["response_type"] == "ephemeral"
    (button,) = [b["accessory"] for b in reply.params["blocks"] if "accessory" in b]
    assert button["url"].startswith("http://127.0.0.1:8000/login/magic/")
    token = button["url"].rsplit("/", 1)[1]
    alice = await slack_links.linked_actor("T1", "U1")
    redeemed = await magic_links.redeem_magic_link(token, now=datetime.now(UTC))
    assert (redeemed.user_id, redeemed.organization_id) == (alice.user_id, alice.organization_id)
