"""The App Home tab: published on `app_home_opened`, with quick actions that work."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from itertools import count
from zoneinfo import ZoneInfo

from bot.blocks import blocks_to_text, ids, text
from core.clock import utcnow
from core.models import Task  # only to move due dates where services refuse to put them
from core.services import slack_links
from core.services.task_queries import get_task
from tests.fakes import slack_requests
from tests.fakes.slack_api import Call

_events = count(1)
KEY = re.compile(r"\*([A-Z]+-\d+)\*")


async def open_home(slack, user: str) -> dict:
    """Open the Home tab as `user`; returns the view TeamFlow published for them."""
    before = len(slack.fake.calls("views.publish"))
    event = slack_requests.app_home_opened(user)
    sent = await slack.post(*slack_requests.event(event, event_id=f"EvHome{next(_events)}"))
    assert sent.status == 200
    published: Call = (await slack.fake.wait_for("views.publish", count=before + 1))[-1]
    assert published.params["user_id"] == user
    return published.params["view"]


def groups(view: dict) -> dict[str, list[str]]:
    """Task keys under each group title, in the order shown."""
    titles = {f"*{title}*": name for name, title in text.HOME_GROUPS.items()}
    found: dict[str, list[str]] = {}
    current = None
    for block in view["blocks"]:
        line = (block.get("text") or {}).get("text", "")
        title = next((name for prefix, name in titles.items() if line.startswith(prefix)), None)
        if title:
            current = found.setdefault(title, [])
        elif block.get("block_id", "").startswith(ids.TASK_BLOCK_PREFIX):
            assert current is not None, "a task row before any group title"
            current.append(KEY.search(line).group(1))
    return found


def done_buttons(view: dict) -> dict[str, dict]:
    return {
        block["block_id"]: block["accessory"]
        for block in view["blocks"]
        if block.get("accessory", {}).get("action_id") == ids.TASK_DONE
    }


async def set_due(key: str, when) -> None:
    actor = await slack_links.linked_actor("T1", "U1")
    task = await get_task(actor, key)
    await Task.filter(id=task.id).update(due_at=when)


def a_moment_later_today(zone: str):
    """Between now and midnight where the person is, whatever the time of day."""
    now = utcnow()
    local = now.astimezone(ZoneInfo(zone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return now + (midnight - now) / 2


async def tasks_for_alice_and_bob(slack) -> None:
    await slack.command("add Fix the invoice totals @me !urgent due:tomorrow")  # INBOX-1
    await slack.command("add Call the bank @me due:tomorrow")  # INBOX-2
    await slack.command("add Plan the offsite @me due:2099-12-01")  # INBOX-3
    await slack.command("add Tidy the wiki @me")  # INBOX-4
    await slack.command("add Review the roadmap @me due:2099-01-01", user_id="U2")  # INBOX-5
    await slack.command("add Nobody's job")  # INBOX-6, unassigned
    await set_due("INBOX-1", utcnow() - timedelta(days=2))
    await set_due("INBOX-2", a_moment_later_today("Europe/Berlin"))  # Alice's zone


async def test_home_shows_my_tasks_by_group_with_a_done_button_each(slack):
    await tasks_for_alice_and_bob(slack)
    view = await open_home(slack, "U1")

    assert view["type"] == "home"
    assert groups(view) == {
        "overdue": ["INBOX-1"],
        "today": ["INBOX-2"],
        "upcoming": ["INBOX-3"],
        "no_date": ["INBOX-4"],
    }
    buttons = done_buttons(view)
    assert len(buttons) == 4
    for block_id, button in buttons.items():
        assert button["value"] == block_id.removeprefix(ids.TASK_BLOCK_PREFIX)
    new_task = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [e["action_id"] for e in new_task] == [ids.TASK_NEW]
    assert "Hi @U1" in blocks_to_text(view["blocks"])


async def test_the_owner_sees_the_team_summary_and_a_member_does_not(slack):
    await tasks_for_alice_and_bob(slack)
    shown = blocks_to_text((await open_home(slack, "U1"))["blocks"])
    summary = shown[shown.index(text.HOME_TEAM_TITLE) :]
    assert "Open tasks: 6" in summary and "Overdue: 1" in summary
    assert "Created, last 7 days: 6" in summary and "Completed, last 7 days: 0" in summary
    assert summary.index("Alice Adams · 4") < summary.index("Bob Brown · 1")

    bob = await open_home(slack, "U2")
    assert groups(bob) == {"upcoming": ["INBOX-5"]}
    assert text.HOME_TEAM_TITLE not in blocks_to_text(bob["blocks"])


async def test_someone_new_with_nothing_to_do_gets_a_friendly_home(slack):
    await slack.command("project list")  # Alice founds the workspace
    view = await open_home(slack, "U3")  # Carol's first contact is the Home tab
    assert groups(view) == {}
    assert "Nothing on your plate" in blocks_to_text(view["blocks"])
    assert await slack_links.linked_actor("T1", "U3") is not None


async def test_other_tabs_publish_nothing(slack):
    await slack.command("project list")
    event = slack_requests.app_home_opened("U1") | {"tab": "messages"}
    sent = await slack.post(*slack_requests.event(event, event_id="EvMessagesTab"))
    assert sent.status == 200
    await asyncio.sleep(0.2)
    assert slack.fake.calls("views.publish") == []


async def test_done_on_a_home_row_completes_the_task(slack):
    await tasks_for_alice_and_bob(slack)
    view = await open_home(slack, "U1")
    block_id = next(iter(done_buttons(view)))
    await slack.submit(home_click(view, block_id=block_id, action_id=ids.TASK_DONE))

    actor = await slack_links.linked_actor("T1", "U1")
    task_id = ids.task_id_from_block_id(block_id)
    for _ in range(200):
        if (await get_task(actor, task_id)).status.value == "done":
            break
        await asyncio.sleep(0.025)
    assert (await get_task(actor, task_id)).status.value == "done"


async def test_done_on_a_home_row_redraws_the_home(slack):
    await tasks_for_alice_and_bob(slack)
    view = await open_home(slack, "U1")
    block_id = next(iter(done_buttons(view)))
    sent = await slack.submit(home_click(view, block_id=block_id, action_id=ids.TASK_DONE))
    assert sent.status == 200

    redrawn = (await slack.fake.wait_for("views.publish", count=2))[-1].params
    assert redrawn["user_id"] == "U1"
    assert block_id not in done_buttons(redrawn["view"])
    assert groups(redrawn["view"]) == {
        "today": ["INBOX-2"],
        "upcoming": ["INBOX-3"],
        "no_date": ["INBOX-4"],
    }


def home_click(view: dict, *, block_id: str, action_id: str) -> dict:
    """A button click inside the Home tab: the container is the view, and no response_url."""
    payload = slack_requests.block_action(
        action_id=action_id, message_blocks=view["blocks"], block_id=block_id, response_url=""
    )
    for key in ("response_url", "message", "channel"):
        payload.pop(key)
    button = done_buttons(view)[block_id]
    payload["actions"][0]["value"] = button["value"]
    payload["container"] = {"type": "view", "view_id": "VHOMEU1"}
    payload["view"] = {
        **view,
        "id": "VHOMEU1",
        "team_id": "T1",
        "state": {"values": {}},
        "hash": "1700000000.home",
    }
    return payload
