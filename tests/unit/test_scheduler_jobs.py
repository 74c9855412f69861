"""The scheduler's jobs: a ticker per kind of message, registered only with Slack configured."""

from core.cache import create_cache
from core.config import load_settings
from scheduler.runner import DIGEST_TICK_SECONDS, Jobs, build_scheduler

TICKERS = {"digests", "reminders", "mornings", "reports"}


async def _no_client(team_id: str):
    return None


async def test_every_ticker_runs_every_minute_when_slack_is_configured():
    cache = create_cache(None)
    with_slack = build_scheduler(cache, Jobs(client_for=_no_client))
    without = build_scheduler(cache)
    assert {job.id for job in with_slack.get_jobs()} == {"heartbeat"} | TICKERS
    assert {job.id for job in without.get_jobs()} == {"heartbeat"}
    for name in TICKERS:
        assert with_slack.get_job(name).trigger.interval.total_seconds() == DIGEST_TICK_SECONDS
    await cache.close()


def test_the_jobs_take_their_settings_from_the_environment():
    settings = load_settings(
        TEAMFLOW_DIGEST_GRACE_MINUTES=30,
        TEAMFLOW_MORNING_DM_DEFAULT_ON=True,
        TEAMFLOW_REPORT_CHARTS="text",
        TEAMFLOW_STALE_DAYS=5,
        TEAMFLOW_BASE_URL="https://tasks.example.com/",
    )
    jobs = Jobs.from_settings(settings, _no_client)
    assert jobs.grace.total_seconds() == 30 * 60
    assert jobs.morning_default_on and jobs.charts == "text" and jobs.stale_days == 5
    assert jobs.dashboard_url == "https://tasks.example.com/dashboard"


def test_the_web_process_runs_the_scheduler_on_the_embedded_setup_only():
    assert load_settings(DATABASE_URL="sqlite://x.db").scheduler_in_web
    assert not load_settings(DATABASE_URL="postgres://db/teamflow").scheduler_in_web
    assert load_settings(
        DATABASE_URL="postgres://db/teamflow", TEAMFLOW_RUN_SCHEDULER="yes"
    ).scheduler_in_web
    assert not load_settings(TEAMFLOW_RUN_SCHEDULER="no").scheduler_in_web
