"""The scheduler's jobs: the digest ticker is registered only with a Slack client lookup."""

from core.cache import create_cache
from scheduler.runner import DIGEST_TICK_SECONDS, build_scheduler


async def _no_client(team_id: str):
    return None


async def test_the_digest_ticker_runs_every_minute_when_slack_is_configured():
    cache = create_cache(None)
    with_slack = build_scheduler(cache, client_for=_no_client)
    without = build_scheduler(cache)
    assert {job.id for job in with_slack.get_jobs()} == {"heartbeat", "digests", "reminders"}
    assert {job.id for job in without.get_jobs()} == {"heartbeat"}
    ticker = with_slack.get_job("digests")
    assert ticker.trigger.interval.total_seconds() == DIGEST_TICK_SECONDS
    reminders = with_slack.get_job("reminders")
    assert reminders.trigger.interval.total_seconds() == DIGEST_TICK_SECONDS
    await cache.close()
