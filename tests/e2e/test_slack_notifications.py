"""Channels following a project hear about changes from every door; people get DMs."""

from core.enums import Role
from core.services import slack_links, tokens
from tests.e2e.slack_harness import text_of


async def _notifier(slack):
    return slack.app.extensions["teamflow_notifier"]


async def test_changes_from_the_api_reach_subscribed_channels_and_assignees(slack):
    await slack.command("project create WEB Website")
    await slack.command("list", user_id="U2")  # Bob joins
    reply = await slack.command("subscribe #WEB", channel_id="C9")
    assert "WEB" in text_of(reply)
    notifier = await _notifier(slack)
    await notifier.run_once()  # starts the cursor: history is not replayed

    owner = await slack_links.linked_actor("T1", "U1")
    bob = await slack_links.linked_actor("T1", "U2")
    secret, _ = await tokens.create_api_token(owner, name="ci", role=Role.MEMBER)
    client = slack.app.test_client()
    created = await client.post(
        "/api/v1/tasks",
        headers={"Authorization": f"Bearer {secret}"},
        json={"project": "WEB", "title": "From a script", "assignee_id": str(bob.user_id)},
    )
    assert created.status_code == 201
    slack.fake.reset()
    assert await notifier.run_once() >= 1

    posts = slack.fake.calls("chat.postMessage")
    channel_post = [c for c in posts if c.params["channel"] == "C9"]
    dm = [c for c in posts if c.params["channel"] == "U2"]
    assert len(channel_post) == 1
    assert "created *WEB-1* via the API" in channel_post[0].params["text"]
    assert len(dm) == 1 and "WEB-1" in dm[0].params["text"]

    slack.fake.reset()
    await notifier.run_once()
    assert slack.fake.calls("chat.postMessage") == [], "each change is announced once"


async def test_subscription_kinds_and_mentions_in_comments(slack):
    await slack.command("project create WEB Website")
    await slack.command("subscribe #WEB completed", channel_id="C9")
    notifier = await _notifier(slack)
    await notifier.run_once()
    await slack.command("add Ship #WEB")
    await slack.command("comment WEB-1 can you check <@U3>?")
    await slack.command("done WEB-1")
    slack.fake.reset()
    await notifier.run_once()
    posts = slack.fake.calls("chat.postMessage")
    assert [c.params["channel"] for c in posts if c.params["channel"].startswith("C")] == ["C9"]
    to_channel = next(c for c in posts if c.params["channel"] == "C9")
    assert "completed *WEB-1*" in to_channel.params["text"]
    assert any(c.params["channel"] == "U3" and "commented" in c.params["text"] for c in posts)


async def test_unsubscribe_and_a_gone_channel_never_crash(slack):
    await slack.command("project create WEB Website")
    await slack.command("subscribe #WEB", channel_id="C9")
    notifier = await _notifier(slack)
    await notifier.run_once()
    slack.fake.fail("chat.postMessage", error="channel_not_found", status=200, times=5)
    await slack.command("add Lost #WEB")
    await notifier.run_once()  # logged, not raised
    assert "No more updates" in text_of(await slack.command("unsubscribe #WEB", channel_id="C9"))
    await slack.command("add Quiet #WEB")
    slack.fake.reset()
    await notifier.run_once()
    assert [c for c in slack.fake.calls("chat.postMessage") if c.params["channel"] == "C9"] == []


async def test_home_tabs_refresh_after_a_change_made_elsewhere(slack):
    await slack.command("list", user_id="U2")  # Bob joins
    notifier = await _notifier(slack)
    await notifier.run_once()
    await slack.command("add Bob's job @me", user_id="U2")
    await slack.command("done INBOX-1")  # Alice completes Bob's task
    slack.fake.reset()
    await notifier.run_once()
    published = [c for c in slack.fake.calls("views.publish") if c.params["user_id"] == "U2"]
    assert published, "Bob's Home is republished"
    assert "Bob's job" not in str(published[-1].params["view"]), "done tasks leave My tasks"
