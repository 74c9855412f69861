"""Reactions file messages as tasks once; task links and keys are shown as cards."""

from core.services import slack_links
from core.services.task_queries import list_tasks
from tests.e2e.slack_harness import text_of
from tests.fakes import slack_requests


async def _titles():
    actor = await slack_links.linked_actor("T1", "U1")
    return [t.title for t in (await list_tasks(actor)).items]


async def test_a_ticket_reaction_files_the_message_once(slack):
    await slack.command("project list")  # U1 sets up the workspace
    slack.fake.set_answer(
        "conversations.history",
        {
            "ok": True,
            "messages": [
                {
                    "type": "message",
                    "user": "U2",
                    "ts": "1700000005.000100",
                    "text": "Checkout fails with a 500 for EU cards\nSeen since 09:00",
                }
            ],
        },
    )
    for user, event_id in (("U1", "Ev1"), ("U2", "Ev2"), ("U1", "Ev3")):
        reaction = slack_requests.reaction_added(
            "ticket", user=user, item_channel="C1", item_ts="1700000005.000100"
        )
        body, kind = slack_requests.event(reaction, event_id=event_id)
        assert (await slack.post(body, kind)).status == 200
    reply = (await slack.fake.wait_for("chat.postMessage"))[-1]
    assert reply.params["thread_ts"] == "1700000005.000100"
    assert "INBOX-1" in text_of(reply)
    assert await _titles() == ["Checkout fails with a 500 for EU cards"]
    assert len(slack.fake.calls("chat.postMessage")) == 1


async def test_other_reactions_are_ignored(slack):
    await slack.command("project list")
    body, kind = slack_requests.event(
        slack_requests.reaction_added(
            "thumbsup", user="U1", item_channel="C1", item_ts="1700000006.000100"
        )
    )
    assert (await slack.post(body, kind)).status == 200
    assert await _titles() == []


async def test_task_links_unfurl_as_cards(slack):
    await slack.command("add Unfurl me")
    link = "http://127.0.0.1:8000/tasks/INBOX-1"
    body, kind = slack_requests.event(
        slack_requests.link_shared([link], channel="C1", message_ts="1700000007.000100")
    )
    await slack.post(body, kind)
    unfurl = (await slack.fake.wait_for("chat.unfurl"))[-1]
    assert "Unfurl me" in str(unfurl.params["unfurls"][link])


async def test_task_keys_in_a_message_get_a_card_in_the_thread(slack):
    await slack.command("add Keyed task")
    message = {
        "type": "message",
        "user": "U1",
        "channel": "C1",
        "ts": "1700000008.000100",
        "text": "Is INBOX-1 done yet? (not NOPE-3)",
    }
    body, kind = slack_requests.event(message)
    await slack.post(body, kind)
    posted = (await slack.fake.wait_for("chat.postMessage"))[-1]
    assert posted.params["thread_ts"] == "1700000008.000100"
    assert "Keyed task" in text_of(posted)
    bot_echo = dict(message, bot_id="B1", ts="1700000009.000100")
    body, kind = slack_requests.event(bot_echo, event_id="Ev9")
    await slack.post(body, kind)
    assert len(slack.fake.calls("chat.postMessage")) == 1, "our own cards are not answered"


async def test_rate_limited_slack_is_retried_after_retry_after(slack):
    await slack.command("add Rate limited card")
    slack.fake.fail("chat.postMessage", error="ratelimited", status=429, retry_after=1, times=1)
    message = {
        "type": "message",
        "user": "U1",
        "channel": "C1",
        "ts": "1700000010.000100",
        "text": "see INBOX-1",
    }
    body, kind = slack_requests.event(message, event_id="Ev10")
    await slack.post(body, kind)
    calls = await slack.fake.wait_for("chat.postMessage", count=2, timeout=6)
    assert calls[1].at - calls[0].at >= 0.9, "waited for Retry-After before trying again"
