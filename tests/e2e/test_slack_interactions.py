"""Card buttons and selects, modal submissions, shortcuts, mentions, signatures and retries."""

import time

import pytest

from core.cache.redis import RedisCache
from core.services import slack_links
from core.services.task_queries import get_task, list_tasks
from core.services.task_sources import task_sources
from tests.e2e.slack_harness import SECRET, build, text_of
from tests.fakes import slack_requests as slack_requests


async def _task(slack, text="add Review the pricing page"):
    reply = await slack.command(text)
    blocks = reply.params["blocks"]
    actor = await slack_links.linked_actor("T1", "U1")
    return blocks, actor


async def test_done_button_updates_the_card_in_place(slack):
    blocks, actor = await _task(slack)
    sent, where = await slack.action(action_id="task_done", message_blocks=blocks)
    assert sent.status == 200
    update = (await slack.fake.wait_for(where))[-1]
    assert update.params["replace_original"] is True
    assert "Reopen" in text_of(update)
    assert (await get_task(actor, "INBOX-1")).status.value == "done"


async def test_assign_to_me_status_select_and_due_picker(slack):
    blocks, actor = await _task(slack)
    await slack.command("list", user_id="U2")  # Bob joins
    _, where = await slack.action(action_id="task_assign_me", message_blocks=blocks, user_id="U2")
    await slack.fake.wait_for(where)
    assert (await get_task(actor, "INBOX-1")).assignee.name == "Bob Brown"

    _, where = await slack.action(
        action_id="task_status", message_blocks=blocks, selected_option="in_progress"
    )
    await slack.fake.wait_for(where)
    assert (await get_task(actor, "INBOX-1")).status.value == "in_progress"

    _, where = await slack.action(
        action_id="task_due", message_blocks=blocks, selected_date="2099-05-06"
    )
    await slack.fake.wait_for(where)
    due = (await get_task(actor, "INBOX-1")).due_at
    assert due is not None and (due.year, due.month, due.day) == (2099, 5, 6)


async def test_a_refused_action_leaves_the_card_and_tells_only_the_clicker(slack):
    blocks, actor = await _task(slack)
    from core.enums import Role
    from core.services import members

    await slack.command("list", user_id="U3")
    carol = await slack_links.linked_actor("T1", "U3")
    await members.change_role(actor, user_id=carol.user_id, role=Role.VIEWER)
    _, where = await slack.action(action_id="task_done", message_blocks=blocks, user_id="U3")
    answer = (await slack.fake.wait_for(where))[-1]
    assert answer.params["replace_original"] is False
    assert answer.params["response_type"] == "ephemeral"
    assert (await get_task(actor, "INBOX-1")).status.value == "todo"


async def test_edit_button_opens_the_modal_and_submission_saves(slack):
    blocks, actor = await _task(slack)
    await slack.action(action_id="task_edit", message_blocks=blocks)
    view = (await slack.fake.wait_for("views.open"))[-1].params["view"]
    assert view["callback_id"] == "task_edit"
    state = {
        "title": "Review pricing v2",
        "description": "new copy",
        "priority": "urgent",
        "labels": "ux, web",
    }
    sent = await slack.submit(
        slack_requests.view_submission(
            callback_id="task_edit",
            state_values=_form(state),
            private_metadata=view["private_metadata"],
        )
    )
    assert sent.status == 200 and not sent.body
    task = await get_task(actor, "INBOX-1")
    assert (task.title, task.priority.label, task.labels) == (
        "Review pricing v2",
        "urgent",
        ("ux", "web"),
    )


async def test_edit_submission_with_a_stale_version_shows_an_inline_error(slack):
    blocks, actor = await _task(slack)
    await slack.action(action_id="task_edit", message_blocks=blocks)
    view = (await slack.fake.wait_for("views.open"))[-1].params["view"]
    await slack.command("priority INBOX-1 low")  # someone else saves first
    sent = await slack.submit(
        slack_requests.view_submission(
            callback_id="task_edit",
            state_values=_form({"title": "Mine wins?"}),
            private_metadata=view["private_metadata"],
        )
    )
    assert sent.body["response_action"] == "errors"
    assert "changed" in sent.body["errors"]["title"]
    assert (await get_task(actor, "INBOX-1")).title == "Review the pricing page"


async def test_create_modal_good_and_bad_input(slack):
    await slack.command("project list")  # link U1
    bad = await slack.submit(
        slack_requests.view_submission(
            callback_id="task_create",
            state_values=_form({"title": "   ", "project": "INBOX"}),
            private_metadata='{"channel": "C1"}',
        )
    )
    assert bad.body["response_action"] == "errors" and "title" in bad.body["errors"]

    good = await slack.submit(
        slack_requests.view_submission(
            callback_id="task_create",
            state_values=_form({"title": "From the form", "project": "INBOX", "assignee": "U2"}),
            private_metadata='{"channel": "C1"}',
        )
    )
    assert good.status == 200 and not good.body
    posted = (await slack.fake.wait_for("chat.postMessage"))[-1]
    assert posted.params["channel"] == "C1" and "INBOX-1" in text_of(posted)
    actor = await slack_links.linked_actor("T1", "U1")
    assert (await get_task(actor, "INBOX-1")).assignee.name == "Bob Brown"


async def test_message_shortcut_prefills_and_replies_in_thread(slack):
    await slack.command("project list")
    payload = slack_requests.message_shortcut(
        callback_id="task_shortcut_from_message",
        message_text="Checkout 500s since 10:00\nsee logs",
        message_ts="1700000001.000200",
        response_url=slack.fake.response_url("s1"),
    )
    await slack.submit(payload)
    view = (await slack.fake.wait_for("views.open"))[-1].params["view"]
    assert "Checkout 500s since 10:00" in str(view)
    assert "fake.slack.com/archives" in str(view), "the description links back to the message"
    await slack.submit(
        slack_requests.view_submission(
            callback_id="task_create",
            state_values=_form({"title": "Checkout 500s", "project": "INBOX"}),
            private_metadata=view["private_metadata"],
        )
    )
    posted = (await slack.fake.wait_for("chat.postMessage"))[-1]
    assert posted.params["thread_ts"] == "1700000001.000200"
    actor = await slack_links.linked_actor("T1", "U1")
    links = await task_sources(actor, "INBOX-1")
    assert [(s.provider, s.url.startswith("https://fake.slack.com/archives")) for s in links] == [
        ("slack", True)
    ], "the task remembers the message it was made from"


async def test_global_shortcut_opens_the_form(slack):
    await slack.submit(slack_requests.global_shortcut(callback_id="task_shortcut_new"))
    view = (await slack.fake.wait_for("views.open"))[-1].params["view"]
    assert view["callback_id"] == "task_create"


async def test_app_mention_uses_the_same_grammar_and_answers_in_thread(slack):
    body, kind = slack_requests.event(
        slack_requests.app_mention("<@UBOT> add Mentioned task", ts="1700000002.000300")
    )
    sent = await slack.post(body, kind)
    assert sent.status == 200
    posted = (await slack.fake.wait_for("chat.postMessage"))[-1]
    assert posted.params["thread_ts"] == "1700000002.000300"
    assert "INBOX-1" in text_of(posted)


async def test_a_retried_event_is_handled_once(slack):
    mention = slack_requests.app_mention("<@UBOT> add Only once", ts="1700000003.000400")
    body, kind = slack_requests.event(mention, event_id="EvSame")
    await slack.post(body, kind)
    await slack.fake.wait_for("chat.postMessage")
    retry = await slack.post(body, kind, headers=slack_requests.retry_headers(1))
    assert retry.status == 200
    actor = await slack_links.linked_actor("T1", "U1")
    assert [t.title for t in (await list_tasks(actor)).items] == ["Only once"]


async def test_bad_missing_and_stale_signatures_are_refused(slack):
    _, url = slack.new_response_url()
    body, kind = slack_requests.slash_command(text="add Sneaky", response_url=url)
    wrong = await slack.post(body, kind, secret="not-the-secret-at-all-0000000000")
    stale = await slack.post(body, kind, timestamp=int(time.time()) - 600)
    unsigned = await slack.client.post("/slack/events", data=body, headers={"Content-Type": kind})
    assert wrong.status == stale.status == unsigned.status_code == 401
    assert wrong.body["error"]["code"] == "UNAUTHORIZED"
    assert slack.fake.calls() == []


async def test_a_timestamp_that_is_not_a_number_is_refused_saying_so(slack):
    _, url = slack.new_response_url()
    body, kind = slack_requests.slash_command(text="add Sneaky", response_url=url)
    sent = await slack.post(body, kind, headers={"X-Slack-Request-Timestamp": "1.7e9"})
    assert sent.status == 401
    assert sent.body["error"]["message"] == (
        "X-Slack-Request-Timestamp must be a Unix time in whole seconds"
    )
    assert slack.fake.calls() == []


async def test_a_click_replayed_byte_for_byte_runs_once(slack):
    """Slack signs no nonce: the same signed request sent again within its five minutes
    verifies again, so TeamFlow remembers the signatures it has seen."""
    blocks, _ = await _task(slack)
    name, url = slack.new_response_url()
    payload = slack_requests.block_action(
        action_id="task_done", message_blocks=blocks, response_url=url
    )
    body, kind = slack_requests.interaction(payload)
    headers = slack_requests.signed_headers(body, kind, secret=SECRET)
    first = await slack.client.post("/slack/events", data=body, headers=headers)
    await slack.fake.wait_for(f"response_url:{name}")
    again = await slack.client.post("/slack/events", data=body, headers=headers)
    assert (first.status_code, again.status_code) == (200, 200)
    assert await again.get_data(as_text=True) == ""
    with pytest.raises(AssertionError, match="got 1"):
        await slack.fake.wait_for(f"response_url:{name}", count=2, timeout=1)


async def test_the_same_command_signed_anew_by_slack_runs_again(slack):
    """A new timestamp means Slack signed it again: not a replay, so it runs."""
    name, url = slack.new_response_url()
    body, kind = slack_requests.slash_command(text="add Twice on purpose", response_url=url)
    now = int(time.time())
    for count, stamp in enumerate((now - 1, now), start=1):
        assert (await slack.post(body, kind, timestamp=stamp)).status == 200
        await slack.fake.wait_for(f"response_url:{name}", count=count)
    actor = await slack_links.linked_actor("T1", "U1")
    titles = [t.title for t in (await list_tasks(actor)).items]
    assert titles == ["Twice on purpose", "Twice on purpose"]


async def test_slacks_unsigned_certificate_probe_is_answered(slack):
    body, kind = slack_requests.ssl_check()
    reply = await slack.client.post("/slack/events", data=body, headers={"Content-Type": kind})
    assert reply.status_code == 200
    assert slack.fake.calls() == []


async def test_commands_still_run_while_the_cache_is_unreachable(db, fake_slack):
    """Redis down: replays are not caught, but Slack's real requests still run."""
    cache = RedisCache.from_url("redis://127.0.0.1:1/0")
    try:
        reply = await build(fake_slack, cache).command("add Works without Redis")
    finally:
        await cache.close()
    assert "INBOX-1" in text_of(reply)


def _form(values: dict[str, str]) -> dict:
    """view.state.values as Slack sends them for our create/edit modal."""
    state: dict = {}
    kinds = {
        "project": "static_select",
        "priority": "static_select",
        "assignee": "users_select",
        "due": "datepicker",
    }
    for block_id, value in values.items():
        kind = kinds.get(block_id, "plain_text_input")
        if kind == "static_select":
            entry = {
                "type": kind,
                "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
            }
        elif kind == "users_select":
            entry = {"type": kind, "selected_user": value}
        elif kind == "datepicker":
            entry = {"type": kind, "selected_date": value}
        else:
            entry = {"type": kind, "value": value}
        state[block_id] = {"value": entry}
    return state
