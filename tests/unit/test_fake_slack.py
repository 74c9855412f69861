"""The Slack fakes behave like Slack for the real slack_sdk client, signer and Bolt."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qs

import aiohttp
import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes import slack_requests as slack
from tests.fakes.slack_api import FakeSlack

SECRET = "test-signing-secret"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*TF-1* Fix the login"}}]

# Slack's published worked example (docs.slack.dev "Verifying requests from Slack",
# reproduced in python-slack-sdk's signature tests): byte-exact, do not reformat.
DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DOC_TIMESTAMP = 1531420618
DOC_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    b"&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    b"&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
    b"%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=fake.base_url)


async def test_auth_test_names_the_bot_and_records_the_bearer_token(fake, client):
    answer = await client.auth_test(team_id="T1")
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == ("T1", "UBOT", "B1")
    assert answer["url"] == "https://acme.slack.com/"
    [call] = fake.calls("auth.test")
    assert call.token == "xoxb-test"
    assert call.params == {"team_id": "T1"}


async def test_users_info_answers_from_the_directory(fake, client):
    fake.add_user("U7", name="bob", real_name="Bob Ross", email="bob@acme.test", tz="Asia/Tokyo")
    user = (await client.users_info(user="U7"))["user"]
    assert user["profile"]["email"] == "bob@acme.test"
    assert (user["real_name"], user["tz"], user["tz_offset"]) == (
        "Bob Ross",
        "Asia/Tokyo",
        9 * 3600,
    )
    assert user["team_id"] == "T1"


async def test_users_info_for_an_unknown_user_is_user_not_found(fake, client):
    with pytest.raises(SlackApiError) as caught:
        await client.users_info(user="U404")
    assert caught.value.response["error"] == "user_not_found"
    assert fake.calls("users.info")[0].params == {"user": "U404"}


async def test_post_message_records_decoded_blocks_and_answers_increasing_ts(fake, client):
    first = await client.chat_postMessage(channel="C1", text="TF-1", blocks=BLOCKS)
    second = await client.chat_postMessage(channel="C1", text="TF-2")
    assert first["channel"] == "C1"
    assert first["message"]["blocks"] == BLOCKS
    assert float(second["ts"]) > float(first["ts"])
    assert fake.calls("chat.postMessage")[0].params["blocks"] == BLOCKS


async def test_blocks_sent_as_a_form_string_are_recorded_decoded(fake, client):
    await client.api_call("chat.postMessage", data={"channel": "C1", "blocks": json.dumps(BLOCKS)})
    assert fake.calls("chat.postMessage")[0].params["blocks"] == BLOCKS


async def test_views_open_returns_a_view_with_an_id(fake, client):
    view = {
        "type": "modal",
        "callback_id": "new_task",
        "title": {"type": "plain_text", "text": "T"},
    }
    answer = await client.views_open(trigger_id="t1", view=view)
    assert answer["view"]["id"].startswith("V")
    assert answer["view"]["callback_id"] == "new_task"
    assert fake.calls("views.open")[0].params["view"] == view


async def test_permalink_and_unknown_methods(fake, client):
    answer = await client.chat_getPermalink(channel="C1", message_ts="1700000000.000100")
    assert answer["permalink"] == "https://fake.slack.com/archives/C1/p1700000000000100"
    assert (await client.api_call("pins.add", json={"channel": "C1"}))["ok"] is True
    assert fake.calls("pins.add")[0].params == {"channel": "C1"}


async def test_programmed_rate_limit_is_a_429_with_retry_after_once(fake, client):
    fake.fail("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as caught:
        await client.chat_postMessage(channel="C1", text="hi")
    assert caught.value.response.status_code == 429
    assert caught.value.response["error"] == "ratelimited"
    assert caught.value.response.headers["Retry-After"] == "7"
    assert (await client.chat_postMessage(channel="C1", text="hi"))["ok"] is True
    assert len(fake.calls("chat.postMessage")) == 2


async def test_errors_with_status_200_have_no_retry_after(fake, client):
    fake.fail("chat.postMessage", error="channel_not_found", status=200, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as caught:
            await client.chat_postMessage(channel="C9", text="hi")
        assert caught.value.response.status_code == 200
        assert caught.value.response["error"] == "channel_not_found"
        assert "Retry-After" not in caught.value.response.headers


async def test_channels_the_bot_cannot_post_in_answer_as_slack_does(fake, client):
    fake.add_channel("C2", name="old", is_archived=True)
    fake.add_channel("C3", name="elsewhere", is_member=False)
    for channel, error in (("C2", "is_archived"), ("C3", "not_in_channel")):
        with pytest.raises(SlackApiError) as caught:
            await client.chat_postMessage(channel=channel, text="hi")
        assert caught.value.response["error"] == error
    await client.conversations_join(channel="C3")
    assert (await client.chat_postMessage(channel="C3", text="hi"))["ok"] is True


async def test_wait_for_waits_for_calls_made_later(fake, client):
    async def post_later() -> None:
        await asyncio.sleep(0.05)
        await client.chat_postMessage(channel="C1", text="later")

    task = asyncio.create_task(post_later())
    [call] = await fake.wait_for("chat.postMessage", timeout=2)
    await task
    assert call.params["text"] == "later"


async def test_wait_for_timeout_says_what_did_arrive(fake, client):
    await client.auth_test()
    with pytest.raises(AssertionError) as caught:
        await fake.wait_for("chat.postMessage", count=2, timeout=0.05)
    message = str(caught.value)
    assert "2 call(s) to chat.postMessage" in message
    assert "got 0" in message
    assert "auth.test x1" in message


async def test_response_url_posts_are_recorded(fake):
    url = fake.response_url("r7")
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"text": "Done", "response_type": "ephemeral"}) as res:
            assert res.status == 200
    [call] = fake.calls("response_url:r7")
    assert call.params == {"text": "Done", "response_type": "ephemeral"}
    assert call.token is None


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
async def test_oauth_answer_is_configurable_and_auth_test_knows_the_new_token(fake, client):
    fake.set_oauth(team_id="T2", team_name="Beta", bot_token="xoxb-beta", bot_user_id="UB2")
    answer = await client.oauth_v2_access(client_id="cid", client_secret="shh", code="c1")
    assert (answer["team"], answer["access_token"]) == ({"id": "T2", "name": "Beta"}, "xoxb-beta")
    assert answer["bot_user_id"] == "UB2"
    assert fake.calls("oauth.v2.access")[0].params["client_id"] == "cid"
    assert (await client.auth_test(token="xoxb-beta"))["team_id"] == "T2"


async def test_socket_url_latency_and_reset(fake, client):
    fake.socket_url = "ws://127.0.0.1:1/link"
    assert (await client.apps_connections_open(app_token="xapp-1"))["url"] == fake.socket_url
    fake.latency = 0.05
    started = time.monotonic()
    await client.reactions_add(channel="C1", timestamp="1.2", name="white_check_mark")
    assert time.monotonic() - started >= 0.05
    fake.reset()
    assert fake.calls() == []


def test_signed_slash_command_verifies_with_slack_sdk():
    body, content_type = slack.slash_command(text="add Fix login", response_url="http://x/r")
    headers = slack.sign(body, secret=SECRET)
    verifier = SignatureVerifier(SECRET)
    assert content_type == "application/x-www-form-urlencoded"
    assert verifier.is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )
    fields = parse_qs(body.decode())
    assert fields["command"] == ["/task"]
    assert fields["text"] == ["add Fix login"]
    assert not verifier.is_valid(
        body + b"x", headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )


def test_signature_matches_slacks_published_example():
    headers = slack.sign(DOC_BODY, secret=DOC_SECRET, timestamp=DOC_TIMESTAMP)
    assert headers == {
        "X-Slack-Request-Timestamp": "1531420618",
        "X-Slack-Signature": DOC_SIGNATURE,
    }


def test_interaction_and_event_bodies_are_encoded_as_slack_sends_them():
    payload = slack.block_action(
        action_id="task_done",
        value="TF-1",
        message_blocks=[
            {"type": "actions", "block_id": "b1", "elements": [{"action_id": "task_done"}]}
        ],
        response_url="http://x/r",
    )
    body, content_type = slack.interaction(payload)
    assert content_type == "application/x-www-form-urlencoded"
    assert json.loads(parse_qs(body.decode())["payload"][0]) == payload
    assert payload["actions"][0]["block_id"] == "b1"
    body, content_type = slack.event(slack.app_mention("<@UBOT> list"), event_id="Ev9")
    envelope = json.loads(body)
    assert content_type == "application/json"
    assert (envelope["type"], envelope["event_id"], envelope["event"]["type"]) == (
        "event_callback",
        "Ev9",
        "app_mention",
    )
    assert slack.retry_headers(1) == {
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
    }


async def test_bolt_runs_a_signed_slash_command_against_the_fake(fake, client):
    app = AsyncApp(client=client, signing_secret=SECRET)

    @app.command("/task")
    async def task(ack, say, respond) -> None:
        await ack()
        await say("Created TF-1")
        await respond("Done")

    body, content_type = slack.slash_command(text="add x", response_url=fake.response_url())
    headers = slack.signed_headers(body, content_type, secret=SECRET)
    response = await app.async_dispatch(AsyncBoltRequest(body=body.decode(), headers=headers))
    assert response.status == 200
    [posted] = await fake.wait_for("chat.postMessage")
    assert (posted.params["channel"], posted.params["text"]) == ("C1", "Created TF-1")
    assert (await fake.wait_for("response_url:r1"))[0].params["text"] == "Done"
