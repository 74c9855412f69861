"""Stopping the app while acknowledged Slack work is still going on.

Slack gets its acknowledgement at once and the listener carries on afterwards; Slack
does not resend an acknowledged command, so shutdown must let that work finish.
"""

import time

from core.models import Task
from tests.e2e.slack_harness import SECRET, build
from tests.fakes import slack_requests

SLOW_SLACK_SECONDS = 0.5


async def test_shutdown_waits_for_acknowledged_commands_to_finish(db, app_cache, fake_slack):
    app = build(fake_slack, app_cache).app
    url = fake_slack.response_url("r1")
    body, kind = slack_requests.slash_command(text="add Finish me first", response_url=url)
    fake_slack.latency = SLOW_SLACK_SECONDS  # the work is still waiting on Slack at shutdown
    async with app.test_app() as running:
        reply = await running.test_client().post(
            "/slack/events", data=body, headers=signed(body, kind)
        )
        assert reply.status_code == 200
        assert fake_slack.calls("response_url:r1") == []

    assert await Task.filter(title="Finish me first").count() == 1
    assert len(fake_slack.calls("response_url:r1")) == 1


async def test_shutdown_gives_up_on_work_that_outlasts_the_drain(db, app_cache, fake_slack):
    app = build(fake_slack, app_cache, TEAMFLOW_SHUTDOWN_DRAIN_SECONDS="0.2").app
    url = fake_slack.response_url("r1")
    body, kind = slack_requests.slash_command(text="add Too slow", response_url=url)
    async with app.test_app() as running:
        client = running.test_client()
        warm_up, _ = slack_requests.slash_command(text="help", response_url=url)
        await client.post("/slack/events", data=warm_up, headers=signed(warm_up, kind))
        await fake_slack.wait_for("response_url:r1")  # Bolt and the person are known now
        fake_slack.latency = 5.0  # the answer to the next command would take 5 s
        reply = await client.post("/slack/events", data=body, headers=signed(body, kind))
        assert reply.status_code == 200
        stopping = time.monotonic()
    stopped_after = time.monotonic() - stopping

    assert stopped_after < 1.5, f"shutdown took {stopped_after:.1f} s with a 0.2 s drain"


def signed(body: bytes, kind: str) -> dict[str, str]:
    return slack_requests.signed_headers(body, kind, secret=SECRET)
