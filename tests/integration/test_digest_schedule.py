"""Digest timing and exactly-once sending, with an injected clock and the fake Slack."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from core.models import ScheduledSend  # only to read the outcome rows
from core.services import digests
from scheduler.digests import run_digests
from tests.factories import new_org
from tests.fakes import workspace
from tests.fakes.slack_api import FakeSlack


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def fire(days: str, zone: str, now: datetime, at: str = "09:00") -> datetime:
    return digests.fire_time(days=days, time_of_day=at, timezone=zone, now=now)


@pytest.mark.parametrize(
    ("zone", "local_day", "expected_utc"),
    [
        ("America/New_York", (2026, 3, 7), utc(2026, 3, 7, 14)),  # EST
        ("America/New_York", (2026, 3, 8), utc(2026, 3, 8, 13)),  # the change day
        ("America/New_York", (2026, 3, 9), utc(2026, 3, 9, 13)),  # EDT
        ("America/New_York", (2026, 10, 31), utc(2026, 10, 31, 13)),
        ("America/New_York", (2026, 11, 2), utc(2026, 11, 2, 14)),
        ("Europe/Berlin", (2026, 3, 28), utc(2026, 3, 28, 8)),  # CET
        ("Europe/Berlin", (2026, 3, 30), utc(2026, 3, 30, 7)),  # CEST
        ("Europe/Berlin", (2026, 10, 24), utc(2026, 10, 24, 7)),
        ("Europe/Berlin", (2026, 10, 26), utc(2026, 10, 26, 8)),
    ],
)
def test_nine_local_is_nine_local_on_both_sides_of_dst(zone, local_day, expected_utc):
    assert fire("daily", zone, expected_utc + timedelta(minutes=1)) == expected_utc
    day_before = fire("daily", zone, expected_utc - timedelta(minutes=1))
    assert day_before < expected_utc - timedelta(hours=22)
    assert digests.period_of(expected_utc, zone) == datetime(*local_day).date().isoformat()


def test_weekdays_skip_the_weekend():
    monday_early = utc(2026, 3, 9, 12)  # 08:00 in New York, before the digest
    assert fire("weekdays", "America/New_York", monday_early) == utc(2026, 3, 6, 14)  # Friday
    assert fire("daily", "America/New_York", monday_early) == utc(2026, 3, 8, 13)  # Sunday


def test_a_weekly_send_fires_on_its_weekday_at_local_time_across_dst():
    # Mondays 09:00 in Berlin: 26 Oct 2026 is the first Monday after the change to CET.
    assert fire("monday", "Europe/Berlin", utc(2026, 10, 21, 12)) == utc(2026, 10, 19, 7)
    assert fire("monday", "Europe/Berlin", utc(2026, 10, 27, 12)) == utc(2026, 10, 26, 8)
    # Fridays 16:30 in New York, either side of 1 Nov 2026 (EDT to EST).
    assert fire("friday", "America/New_York", utc(2026, 11, 1), "16:30") == utc(
        2026, 10, 30, 20, 30
    )
    assert fire("friday", "America/New_York", utc(2026, 11, 7), "16:30") == utc(2026, 11, 6, 21, 30)


@pytest.fixture
async def fake():
    async with FakeSlack() as running:
        yield running


@pytest.fixture
def client_for(fake):
    client = AsyncWebClient(token=workspace.BOT_TOKEN, base_url=fake.base_url)

    async def lookup(team_id: str) -> AsyncWebClient:
        return client

    return lookup


@pytest.fixture
async def owner(db):
    return await new_org()


async def schedule(owner, channel="C1", days="daily", at="09:00", zone="UTC"):
    return await digests.set_schedule(
        owner,
        team_id="T1",
        channel_id=channel,
        days=days,
        time_of_day=at,
        timezone=zone,
        include_empty=True,
    )


NINE = utc(2026, 11, 26, 9)


async def rows():
    return await ScheduledSend.all().order_by("scheduled_for").values("period", "status")


async def test_catch_up_after_ten_minutes_goes_out_once(owner, fake, client_for):
    await schedule(owner)
    assert await run_digests(now=NINE + timedelta(minutes=10), client_for=client_for) == 1
    assert await run_digests(now=NINE + timedelta(minutes=11), client_for=client_for) == 0
    assert len(fake.calls("chat.postMessage")) == 1
    assert await rows() == [{"period": "2026-11-26", "status": "sent"}]


async def test_no_catch_up_after_a_day_the_send_is_recorded_missed(owner, fake, client_for):
    await schedule(owner)
    next_morning_early = NINE + timedelta(hours=23, minutes=55)
    assert await run_digests(now=next_morning_early, client_for=client_for) == 0
    assert await rows() == [{"period": "2026-11-26", "status": "missed"}]
    assert await run_digests(now=NINE + timedelta(days=1, minutes=1), client_for=client_for) == 1
    assert [r["status"] for r in await rows()] == ["missed", "sent"]
    assert len(fake.calls("chat.postMessage")) == 1


async def test_two_schedulers_at_once_post_once(owner, fake, client_for):
    await schedule(owner, "C1")
    await schedule(owner, "C2")
    other = AsyncWebClient(token=workspace.BOT_TOKEN, base_url=fake.base_url)

    async def other_lookup(team_id: str) -> AsyncWebClient:
        return other

    now = NINE + timedelta(seconds=30)
    await asyncio.gather(
        run_digests(now=now, client_for=client_for),
        run_digests(now=now, client_for=other_lookup),
    )
    channels = sorted(c.params["channel"] for c in fake.calls("chat.postMessage"))
    assert channels == ["C1", "C2"]
    assert await ScheduledSend.filter(status="sent").count() == 2


async def test_a_crash_between_claim_and_post_is_retried_once(owner, fake, client_for):
    await schedule(owner)
    claimed = await digests.due_sends(NINE + timedelta(minutes=1))  # then the process dies
    assert len(claimed) == 1
    # Within the claim's lease another tick leaves it alone: it may still be posting.
    assert await run_digests(now=NINE + timedelta(minutes=2), client_for=client_for) == 0
    assert await run_digests(now=NINE + timedelta(minutes=4), client_for=client_for) == 1
    assert await run_digests(now=NINE + timedelta(minutes=5), client_for=client_for) == 0
    assert len(fake.calls("chat.postMessage")) == 1
    row = await ScheduledSend.get()
    assert (row.status, row.attempts) == ("sent", 2)


async def test_failures_are_retried_a_bounded_number_of_times(owner, fake, client_for):
    await schedule(owner)
    fake.fail("chat.postMessage", error="is_archived", status=200, times=10)
    for minute in range(1, 8):
        await run_digests(now=NINE + timedelta(minutes=minute), client_for=client_for)
    assert len(fake.calls("chat.postMessage")) == digests.MAX_ATTEMPTS
    row = await ScheduledSend.get()
    assert (row.status, row.attempts) == ("failed", digests.MAX_ATTEMPTS)
    assert "is_archived" in row.error


async def test_a_failed_send_succeeds_on_the_next_tick(owner, fake, client_for):
    await schedule(owner)
    fake.fail("chat.postMessage", error="internal_error", status=200, times=1)
    assert await run_digests(now=NINE + timedelta(minutes=1), client_for=client_for) == 0
    assert await run_digests(now=NINE + timedelta(minutes=2), client_for=client_for) == 1
    assert (await ScheduledSend.get()).status == "sent"


async def test_an_empty_digest_is_skipped_unless_asked_for(owner, fake, client_for):
    await digests.set_schedule(
        owner, team_id="T1", channel_id="C1", days="daily", time_of_day="09:00", timezone="UTC"
    )
    assert await run_digests(now=NINE + timedelta(minutes=1), client_for=client_for) == 0
    assert fake.calls("chat.postMessage") == []
    assert await rows() == [{"period": "2026-11-26", "status": "skipped"}]


async def test_schedule_validation_and_off(owner):
    from core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        await schedule(owner, at="25:00")
    with pytest.raises(ValidationFailed):
        await schedule(owner, zone="Mars/Olympus")
    made = await digests.set_schedule(
        owner, team_id="T1", channel_id="C1", days="weekdays", time_of_day="8:30"
    )
    assert (made.time_of_day, made.timezone) == ("08:30", "UTC")  # the organization's zone
    assert await digests.turn_off(owner, team_id="T1", channel_id="C1")
    assert await digests.schedule_for("T1", "C1") is None
