"""Manager analytics against a hand-built task history, with answers worked out by hand.

Tasks are created through the service, then their timestamps are set directly to build
a known history. Every datetime is written in UTC, with the local time alongside where
a time zone matters.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.enums import Role
from core.errors import ValidationFailed
from core.models import Task  # only to set a known history
from core.services import analytics, analytics_scope, tasks
from core.services.activity_feed import reader
from core.services.analytics import AgeBucket, AnalyticsScope, Breakdown, DurationStats
from core.services.analytics_scope import local_midnight
from core.services.projects import list_projects
from dashboards.analytics import default_filters, manager_dashboard, weekly_report
from tests.factories import new_org, person, project

BERLIN = "Europe/Berlin"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def days(first: date, last: date, **filters) -> AnalyticsScope:
    return AnalyticsScope.for_dates(first, last, **filters)


async def add(
    owner,
    *,
    created: datetime,
    status: str = "todo",
    started: datetime | None = None,
    completed: datetime | None = None,
    due: datetime | None = None,
    project_key: str = "WEB",
    assignee: uuid.UUID | None = None,
    labels: tuple[str, ...] = (),
    priority: str = "medium",
    active: bool = True,
) -> str:
    """One task with the given history; returns its key."""
    made = await tasks.create_task(
        owner,
        project=project_key,
        title="t",
        assignee_id=assignee,
        labels=labels,
        priority=priority,
    )
    await Task.filter(id=made.id).update(
        status=status,
        created_at=created,
        started_at=started,
        completed_at=completed,
        due_at=due,
        is_active=active,
    )
    return made.key


async def project_ids(owner) -> dict[str, uuid.UUID]:
    return {p.key: p.id for p in await list_projects(owner)}


async def done(owner, *, completed: datetime, hours: float | None = None, **more) -> str:
    """A task completed at `completed`, started `hours` before it (never started if None)."""
    started = None if hours is None else completed - timedelta(hours=hours)
    more.setdefault("created", (started or completed) - timedelta(days=1))
    return await add(owner, status="done", started=started, completed=completed, **more)


@pytest.fixture
async def owner(db):
    actor = await new_org("Acme")
    await project(actor, "WEB")
    await project(actor, "APP", "Mobile app")
    return actor


@pytest.fixture
async def stranger(db):
    """The owner of another organization, with tasks of its own that must never count."""
    actor = await new_org("Globex")
    await project(actor, "WEB")
    await done(actor, completed=utc(2026, 3, 4), hours=1000)
    await add(actor, created=utc(2026, 3, 1), due=utc(2026, 3, 2), labels=("bug",))
    return actor


# Durations ---------------------------------------------------------------------------


async def test_cycle_and_lead_time_percentiles(owner, stranger):
    ada = await person(owner, Role.MEMBER, "Ada")
    week = days(date(2026, 3, 2), date(2026, 3, 8))  # [03-02 00:00, 03-09 00:00) UTC
    start = utc(2026, 3, 4)
    for hours in (1, 2, 3, 4):  # created 2026-03-02 00:00: lead = 48 h + cycle
        await done(owner, completed=start + timedelta(hours=hours), hours=hours,
                   created=utc(2026, 3, 2), assignee=ada.user_id)  # fmt: skip
    await done(owner, completed=start + timedelta(hours=10), hours=10, created=utc(2026, 3, 2))
    # Never started: no cycle time, lead 72 h.
    await done(owner, completed=utc(2026, 3, 5), created=utc(2026, 3, 2))
    # Not counted: completed at the scope's exclusive end, deleted, still in progress.
    await done(owner, completed=utc(2026, 3, 9), hours=50)
    await done(owner, completed=utc(2026, 3, 6), hours=70, active=False)
    await add(owner, status="in_progress", created=utc(2026, 3, 2), started=utc(2026, 3, 3))

    # Cycle 1, 2, 3, 4, 10 h. Rank of the p-th value = 1 + (n - 1) * p:
    # median rank 3 -> 3; p85 rank 4.4 -> 4 + 0.4 * (10 - 4) = 6.4; p95 rank 4.8 -> 8.8.
    assert await analytics.cycle_time(owner, week) == DurationStats(5, 3.0, 6.4, 8.8)
    # Lead 49, 50, 51, 52, 58, 72 h: median rank 3.5 -> 51.5;
    # p85 rank 5.25 -> 58 + 0.25 * 14 = 61.5; p95 rank 5.75 -> 58 + 0.75 * 14 = 68.5.
    assert await analytics.lead_time(owner, week) == DurationStats(6, 51.5, 61.5, 68.5)
    # Ada's 1, 2, 3, 4 h: median 2.5; p85 rank 3.55 -> 3.55; p95 rank 3.85 -> 3.85.
    mine = days(date(2026, 3, 2), date(2026, 3, 8), assignee_id=ada.user_id)
    assert await analytics.cycle_time(owner, mine) == DurationStats(4, 2.5, 3.55, 3.85)


async def test_durations_of_one_task_and_of_none(owner):
    await done(owner, completed=utc(2026, 3, 4, 12), hours=7, project_key="APP")
    app = (await project_ids(owner))["APP"]
    one = days(date(2026, 3, 2), date(2026, 3, 8), project_id=app)
    assert await analytics.cycle_time(owner, one) == DurationStats(1, 7.0, 7.0, 7.0)
    empty = days(date(2026, 4, 1), date(2026, 4, 7))
    assert await analytics.lead_time(owner, empty) == DurationStats(0, None, None, None)


# Over time ---------------------------------------------------------------------------


async def test_throughput_and_created_per_day_are_zero_filled(owner, stranger):
    week = days(date(2026, 3, 2), date(2026, 3, 8))  # Monday..Sunday, UTC
    for moment in (utc(2026, 3, 2, 9), utc(2026, 3, 2, 17), utc(2026, 3, 4, 12),
                   utc(2026, 3, 8, 23, 59, 59), utc(2026, 3, 9)):  # fmt: skip
        await done(owner, completed=moment, created=utc(2026, 2, 20))
    await add(owner, created=utc(2026, 3, 3, 10))
    await add(owner, created=utc(2026, 3, 3, 11), status="cancelled")
    await add(owner, created=utc(2026, 3, 7), active=False)

    per_day = await analytics.throughput(owner, week)
    assert [(b.start.day, b.count) for b in per_day] == [
        (2, 2), (3, 0), (4, 1), (5, 0), (6, 0), (7, 0), (8, 1)
    ]  # fmt: skip
    both = await analytics.created_vs_completed(owner, week)
    assert [(row.created, row.completed) for row in both] == [
        (0, 2), (2, 0), (0, 1), (0, 0), (0, 0), (0, 0), (0, 1)
    ]  # fmt: skip
    weekly = await analytics.throughput(owner, week, bucket="week")
    assert [(b.start, b.count) for b in weekly] == [(date(2026, 3, 2), 4)]
    # Wednesday..Tuesday touches two ISO weeks; each is labelled by its Monday.
    split = days(date(2026, 3, 4), date(2026, 3, 10))
    weekly = await analytics.throughput(owner, split, bucket="week")
    assert [(b.start, b.count) for b in weekly] == [(date(2026, 3, 2), 2), (date(2026, 3, 9), 1)]


async def test_local_days_across_the_spring_dst_change_in_berlin(owner):
    # 2026-03-29 in Berlin runs from 03-28 23:00 to 03-29 22:00 UTC: 23 hours.
    for moment in (
        utc(2026, 3, 27, 22, 59),  # 03-27 23:59 CET: before the scope
        utc(2026, 3, 27, 23, 0),  # 03-28 00:00 CET
        utc(2026, 3, 28, 22, 30),  # 03-28 23:30 CET
        utc(2026, 3, 28, 23, 0),  # 03-29 00:00 CET
        # 03-29 03:30 CEST, just after the change, saved with its +02:00 offset.
        datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo(BERLIN)),
        utc(2026, 3, 29, 21, 59),  # 03-29 23:59 CEST
        utc(2026, 3, 29, 22, 0),  # 03-30 00:00 CEST
        utc(2026, 3, 30, 21, 59),  # 03-30 23:59 CEST
        utc(2026, 3, 30, 22, 0),  # 03-31 00:00 CEST: after the scope
    ):
        await done(owner, completed=moment, created=utc(2026, 3, 1))
    scope = days(date(2026, 3, 28), date(2026, 3, 30), timezone=BERLIN)
    per_day = await analytics.throughput(owner, scope)
    assert [(b.start, b.count) for b in per_day] == [
        (date(2026, 3, 28), 2), (date(2026, 3, 29), 3), (date(2026, 3, 30), 2)
    ]  # fmt: skip
    weekly = await analytics.throughput(owner, scope, bucket="week")
    assert [(b.start, b.count) for b in weekly] == [(date(2026, 3, 23), 5), (date(2026, 3, 30), 2)]


async def test_the_autumn_dst_day_in_berlin_has_25_hours(owner):
    # 2026-10-25 in Berlin runs from 10-24 22:00 to 10-25 23:00 UTC.
    for moment in (utc(2026, 10, 24, 21, 59), utc(2026, 10, 24, 22), utc(2026, 10, 25, 22, 30),
                   utc(2026, 10, 25, 23)):  # fmt: skip
        await done(owner, completed=moment, created=utc(2026, 10, 1))
    scope = days(date(2026, 10, 25), date(2026, 10, 25), timezone=BERLIN)
    assert [b.count for b in await analytics.throughput(owner, scope)] == [2]


async def test_cumulative_flow_rebuilds_statuses_at_each_days_end(owner, stranger):
    await done(owner, created=utc(2026, 2, 20), completed=utc(2026, 2, 25), hours=96)  # T1
    await done(owner, created=utc(2026, 2, 27), completed=utc(2026, 3, 3, 12), hours=26)  # T2
    await add(owner, created=utc(2026, 3, 2, 9))  # T3, never started
    await add(owner, created=utc(2026, 3, 3, 9), status="in_review", started=utc(2026, 3, 4, 9))
    await add(owner, created=utc(2026, 3, 4, 23))  # T5
    await add(owner, created=utc(2026, 3, 5))  # after the scope
    await add(owner, created=utc(2026, 3, 1), status="cancelled")  # cancelled: left out
    await done(owner, created=utc(2026, 3, 1), completed=utc(2026, 3, 2, 5))  # T8, no start
    await add(owner, created=utc(2026, 3, 1), active=False)

    flow = await analytics.cumulative_flow(owner, days(date(2026, 3, 2), date(2026, 3, 4)))
    # End of 03-02: done T1 T8, in progress T2 (started 03-02 10:00), todo T3.
    # End of 03-03: done T1 T2 T8, todo T3 T4.
    # End of 03-04: done T1 T2 T8, in progress T4 (in review counts here), todo T3 T5.
    assert [(p.day.day, p.by_status, p.created_total, p.done_total) for p in flow] == [
        (2, {"todo": 1, "in_progress": 1, "done": 2}, 4, 2),
        (3, {"todo": 2, "in_progress": 0, "done": 3}, 5, 3),
        (4, {"todo": 2, "in_progress": 1, "done": 3}, 6, 3),
    ]


async def test_cumulative_flow_across_the_autumn_dst_day_with_filters(owner, stranger):
    # Berlin 10-24 ends at 10-24 22:00 UTC, 10-25 (25 hours) at 10-25 23:00, 10-26 at 10-26 23:00.
    bob = (await person(owner, Role.MEMBER, "Bob")).user_id
    app = (await project_ids(owner))["APP"]
    await done(owner, created=utc(2026, 10, 1), completed=utc(2026, 10, 22), hours=48)  # A
    await done(owner, created=utc(2026, 10, 10), completed=utc(2026, 10, 25, 12), hours=117,
               assignee=bob)  # B: started before the scope, done inside it  # fmt: skip
    await add(owner, created=utc(2026, 10, 15), status="in_progress",
              started=utc(2026, 10, 25, 22, 30))  # C: 23:30 CET, still on 10-25  # fmt: skip
    await add(owner, created=utc(2026, 10, 24, 21, 30))  # D: 23:30 CEST on 10-24
    await add(owner, created=utc(2026, 10, 26, 22, 59))  # E: 23:59 on the last day
    await add(owner, created=utc(2026, 10, 26, 23), status="in_progress",
              started=utc(2026, 10, 24))  # F: created after the scope: left out  # fmt: skip
    await done(owner, created=utc(2026, 10, 20), completed=utc(2026, 10, 24, 12))  # G: no start
    await add(owner, created=utc(2026, 10, 1), status="done", completed=utc(2026, 10, 20),
              started=utc(2026, 10, 25, 12))  # H: started after it was done  # fmt: skip
    await add(owner, created=utc(2026, 10, 24), status="cancelled", started=utc(2026, 10, 24, 1))
    await add(owner, created=utc(2026, 10, 24), status="in_progress", active=False)
    await add(owner, created=utc(2026, 10, 1), started=utc(2026, 10, 21))  # K: reopened, to do
    await done(owner, created=utc(2026, 10, 24, 6), completed=utc(2026, 10, 26, 10), hours=50,
               project_key="APP", assignee=bob)  # L  # fmt: skip

    def points(flow):
        return [(p.day.day, p.by_status, p.created_total, p.done_total) for p in flow]

    scope = days(date(2026, 10, 24), date(2026, 10, 26), timezone=BERLIN)
    # K was started before the scope and never done: in progress throughout.
    assert points(await analytics.cumulative_flow(owner, scope)) == [
        (24, {"todo": 2, "in_progress": 3, "done": 3}, 8, 3),  # todo C D; B K L; A G H
        (25, {"todo": 1, "in_progress": 3, "done": 4}, 8, 4),  # todo D; C K L; A B G H
        (26, {"todo": 2, "in_progress": 2, "done": 5}, 9, 5),  # todo D E; C K; A B G H L
    ]
    app_only = days(date(2026, 10, 24), date(2026, 10, 26), timezone=BERLIN, project_id=app)
    assert [p.by_status for p in await analytics.cumulative_flow(owner, app_only)] == [
        {"todo": 0, "in_progress": 1, "done": 0},
        {"todo": 0, "in_progress": 1, "done": 0},
        {"todo": 0, "in_progress": 0, "done": 1},
    ]
    bobs = days(date(2026, 10, 24), date(2026, 10, 26), timezone=BERLIN, assignee_id=bob)
    assert [p.by_status for p in await analytics.cumulative_flow(owner, bobs)] == [
        {"todo": 0, "in_progress": 2, "done": 0},
        {"todo": 0, "in_progress": 1, "done": 1},
        {"todo": 0, "in_progress": 0, "done": 2},
    ]
    theirs = await analytics.cumulative_flow(stranger, scope)
    assert [(p.created_total, p.done_total) for p in theirs] == [(2, 1)] * 3


async def test_cumulative_flow_matches_a_day_by_day_recount(owner, stranger):
    """Random histories, odd ones included (done before started, started but back to do,
    created after the scope, moments on the day edges), against a plain recount."""
    rng = random.Random(20261025)
    bob = (await person(owner, Role.MEMBER, "Bob")).user_id
    ids = await project_ids(owner)
    first, last = date(2026, 10, 20), date(2026, 10, 28)
    edges = [local_midnight(first + timedelta(days=i), ZoneInfo(BERLIN)) for i in range(10)]

    def moment() -> datetime | None:
        if rng.random() < 0.25:
            return None
        if rng.random() < 0.2:
            return rng.choice(edges)  # exactly a day's end: counted from the next day
        at = edges[0] + timedelta(minutes=rng.randrange(-12 * 24 * 60, 11 * 24 * 60))
        return at.astimezone(ZoneInfo(BERLIN)) if rng.random() < 0.3 else at

    history = []
    for _ in range(60):
        status = rng.choice(["todo", "in_progress", "in_review", "done", "cancelled"])
        task = {
            "created": moment() or edges[0] - timedelta(days=1),
            "started": moment(),
            "completed": moment(),
            "status": status,
            "project": rng.choice(["WEB", "APP"]),
            "assignee": rng.choice([bob, None]),
            "active": rng.random() < 0.9,
        }
        history.append(task)
        await add(owner, created=task["created"], status=status, started=task["started"],
                  completed=task["completed"], project_key=task["project"],
                  assignee=task["assignee"], active=task["active"])  # fmt: skip

    for scope in (
        days(first, last),
        days(first, last, timezone=BERLIN),
        days(first, last, timezone="Asia/Kolkata", project_id=ids["APP"]),
        days(first, last, timezone="America/St_Johns", assignee_id=bob),
        days(date(2026, 10, 25), date(2026, 10, 25), timezone=BERLIN),
    ):
        flow = await analytics.cumulative_flow(owner, scope)
        got = [(p.created_total, p.by_status["in_progress"], p.done_total) for p in flow]
        assert got == recount(history, scope, ids), scope
        assert all(sum(p.by_status.values()) == p.created_total for p in flow)


def recount(
    history: list[dict], scope: AnalyticsScope, ids: dict[str, uuid.UUID]
) -> list[tuple[int, int, int]]:
    """(created, in progress, done) at each day's end, straight from FlowPoint's definition."""
    counted = [
        t for t in history
        if t["active"] and t["status"] != "cancelled" and t["created"] < scope.end
        and scope.project_id in (None, ids[t["project"]])
        and scope.assignee_id in (None, t["assignee"])
    ]  # fmt: skip
    points = []
    for bucket in analytics_scope.buckets(scope):
        created = started = ended = done = 0
        for t in counted:
            was_started = t["started"] is not None and t["started"] < bucket.hi
            completed = t["completed"] if t["status"] == "done" else None
            was_done = completed is not None and completed < bucket.hi
            created += t["created"] < bucket.hi
            started += was_started
            done += was_done
            ended += was_started and was_done
        points.append((created, started - ended, done))
    return points


# The present -------------------------------------------------------------------------

NOW = utc(2026, 3, 10, 12)


@pytest.fixture
async def team(owner, stranger):
    """Ada, Bob and unassigned work, with due dates around NOW (answers in the tests)."""
    ada = (await person(owner, Role.MEMBER, "Ada")).user_id
    bob = (await person(owner, Role.MEMBER, "bob")).user_id
    hour = timedelta(hours=1)
    day = timedelta(days=1)
    keys = [
        await add(owner, created=utc(2026, 2, 1), assignee=ada, due=NOW - 2 * hour,
                  priority="urgent", labels=("bug",)),  # A1: 1 day
        await add(owner, created=utc(2026, 2, 2), assignee=ada, due=NOW - day,
                  status="in_progress", priority="high", labels=("bug", "ui")),  # A2: 1 day
        await add(owner, created=utc(2026, 2, 3), assignee=ada, due=NOW - 3 * day - hour,
                  status="in_review"),  # A3: 4-7 days
        await add(owner, created=utc(2026, 2, 4), assignee=bob, due=NOW - 3 * day,
                  status="in_progress", priority="low", labels=("ui",)),  # B1: 2-3 days
        await add(owner, created=utc(2026, 2, 5), assignee=bob, due=NOW - 20 * day),  # B2: 15+
        await add(owner, created=utc(2026, 2, 6), due=NOW + day),  # U1: not due yet
        await add(owner, created=utc(2026, 2, 7), due=NOW, priority="low"),  # U2: due right now
        await add(owner, created=utc(2026, 2, 8), due=NOW - 8 * day, status="in_progress",
                  priority="high", project_key="APP"),  # U3: 8-14 days
    ]  # fmt: skip
    await done(owner, completed=utc(2026, 3, 5), assignee=bob, priority="urgent", labels=("bug",))
    await done(owner, completed=utc(2026, 2, 20), assignee=ada, labels=("bug",))  # too early
    await add(owner, created=utc(2026, 1, 1), status="cancelled", assignee=ada, due=NOW - day)
    await add(owner, created=utc(2026, 1, 1), assignee=bob, due=NOW - day, active=False)
    return {"ada": ada, "bob": bob, "keys": keys}


MARCH = (date(2026, 3, 1), date(2026, 3, 10))


async def test_work_in_progress_counts_each_open_status(owner, team):
    scope = days(*MARCH)
    assert await analytics.work_in_progress(owner, scope) == {
        "todo": 4, "in_progress": 3, "in_review": 1
    }  # fmt: skip
    bobs = days(*MARCH, assignee_id=team["bob"])
    assert await analytics.work_in_progress(owner, bobs) == {
        "todo": 1, "in_progress": 1, "in_review": 0
    }  # fmt: skip


async def test_workload_per_person_most_open_first(owner, team):
    rows = await analytics.workload(owner, days(*MARCH), now=NOW)
    assert [(w.user_id, w.name, w.open, w.in_progress, w.overdue, w.completed) for w in rows] == [
        (team["ada"], "Ada", 3, 1, 3, 0),
        (None, "Unassigned", 3, 1, 1, 0),  # U2 is due exactly now: not overdue yet
        (team["bob"], "bob", 2, 1, 2, 1),
    ]


async def test_overdue_by_how_long(owner, team):
    assert await analytics.overdue_by_age(owner, days(*MARCH), now=NOW) == [
        AgeBucket("1 day", 2),
        AgeBucket("2-3 days", 1),
        AgeBucket("4-7 days", 1),
        AgeBucket("8-14 days", 1),
        AgeBucket("15+ days", 1),
    ]


async def test_breakdowns_by_label_and_priority(owner, team):
    scope = days(*MARCH)
    assert await analytics.by_label(owner, scope) == [Breakdown("bug", 2, 1), Breakdown("ui", 2, 0)]
    assert await analytics.by_priority(owner, scope) == [
        Breakdown("urgent", 1, 1),
        Breakdown("high", 2, 0),
        Breakdown("medium", 3, 0),
        Breakdown("low", 2, 0),
    ]


async def test_oldest_open_tasks(owner, team):
    oldest = await analytics.oldest_open(owner, days(*MARCH), now=NOW, limit=3)
    a1, a2, a3 = team["keys"][:3]
    # A1 was created 02-01 00:00, 37.5 days before NOW.
    assert [(t.key, t.assignee, t.status, t.age_days) for t in oldest] == [
        (a1, "Ada", "todo", 37),
        (a2, "Ada", "in_progress", 36),
        (a3, "Ada", "in_review", 35),
    ]
    assert oldest[0].created_at == utc(2026, 2, 1)


async def test_project_filter(owner, team):
    app = days(*MARCH, project_id=(await project_ids(owner))["APP"])
    assert await analytics.work_in_progress(owner, app) == {
        "todo": 0, "in_progress": 1, "in_review": 0
    }  # fmt: skip
    assert [b.count for b in await analytics.overdue_by_age(owner, app, now=NOW)] == [0, 0, 0, 1, 0]
    assert [t.key for t in await analytics.oldest_open(owner, app, now=NOW)] == ["APP-1"]


# Who sees what ------------------------------------------------------------------------


async def test_a_viewer_and_the_system_reader_see_the_same_numbers(owner, team):
    viewer = await person(owner, Role.VIEWER, "Vic")
    scope = days(*MARCH)
    expected = await analytics.by_priority(owner, scope)
    assert await analytics.by_priority(viewer, scope) == expected
    assert await analytics.by_priority(reader(owner.organization_id), scope) == expected


async def test_another_organization_sees_none_of_it(owner, team, stranger):
    ours = (await project_ids(owner))["WEB"]
    for scope in (days(*MARCH), days(*MARCH, project_id=ours)):
        assert await analytics.work_in_progress(stranger, scope) == {
            "todo": 1 if scope.project_id is None else 0, "in_progress": 0, "in_review": 0
        }  # fmt: skip
    # With our project as a filter the stranger's own task drops out too: nothing at all.
    theirs = days(*MARCH, project_id=ours)
    assert await analytics.workload(stranger, theirs, now=NOW) == []
    assert await analytics.by_label(stranger, theirs) == []
    assert await analytics.oldest_open(stranger, theirs, now=NOW) == []
    assert [b.open + b.done for b in await analytics.by_priority(stranger, theirs)] == [0] * 4


# Reports -----------------------------------------------------------------------------


async def test_weekly_report_on_monday_morning_in_berlin(owner, stranger):
    now = utc(2026, 3, 30, 7)  # Monday 09:00 CEST
    created = utc(2026, 3, 1)
    await done(owner, completed=utc(2026, 3, 15, 22, 30), created=created)  # Sun 03-15: too early
    await done(owner, completed=utc(2026, 3, 16, 10), created=created)  # last week
    await done(owner, completed=utc(2026, 3, 20, 10), created=created)  # last week
    await done(owner, completed=utc(2026, 3, 22, 22, 59), created=created)  # Sun 23:59: last
    await done(owner, completed=utc(2026, 3, 22, 23), hours=2, created=created)  # Mon 00:00
    await done(owner, completed=utc(2026, 3, 29, 21, 30), hours=5, created=created)  # Sun 23:30
    await done(owner, completed=utc(2026, 3, 29, 22, 30), created=created)  # Mon 03-30: too late
    fresh = await add(owner, created=utc(2026, 3, 25, 12))  # Wednesday, still open

    report = await weekly_report(reader(owner.organization_id), now=now, timezone=BERLIN)
    assert (report.week_start, report.week_end) == (date(2026, 3, 23), date(2026, 3, 29))
    assert (report.completed_this_week, report.completed_last_week) == (2, 3)
    assert report.throughput_change == -1
    assert report.created_this_week == 1
    assert [(d.start.day, d.created, d.completed) for d in report.daily] == [
        (23, 0, 1), (24, 0, 0), (25, 1, 0), (26, 0, 0), (27, 0, 0), (28, 0, 0), (29, 0, 1)
    ]  # fmt: skip
    # Cycle 2 h and 5 h: median 3.5; p85 rank 1.85 -> 4.55; p95 rank 1.95 -> 4.85.
    assert report.cycle_time == DurationStats(2, 3.5, 4.55, 4.85)
    assert [(w.name, w.open, w.completed) for w in report.workload] == [("Unassigned", 1, 2)]
    # Created Wed 12:00 UTC, now Mon 07:00 UTC: 4 days 19 hours.
    assert [(t.key, t.age_days) for t in report.oldest_open] == [(fresh, 4)]


async def test_manager_dashboard_puts_the_panels_together(owner, team):
    filters = default_filters(NOW, BERLIN, days=10)
    board = await manager_dashboard(owner, filters, now=NOW)
    assert (filters.start, filters.end) == (date(2026, 3, 1), date(2026, 3, 10))
    assert len(board.throughput) == len(board.cumulative_flow) == 10
    assert [b.count for b in board.throughput] == [c.completed for c in board.created_vs_completed]
    assert sum(b.count for b in board.throughput) == 1  # Bob's task on 03-05
    assert board.wip == {"todo": 4, "in_progress": 3, "in_review": 1}
    assert [a.count for a in board.overdue_by_age] == [2, 1, 1, 1, 1]
    assert len(board.oldest_open) == 5


async def test_bad_questions_are_refused(owner):
    with pytest.raises(ValidationFailed):
        AnalyticsScope(utc(2026, 3, 2), utc(2026, 3, 1))
    with pytest.raises(ValidationFailed):
        AnalyticsScope(datetime(2026, 3, 1), utc(2026, 3, 2))  # naive
    with pytest.raises(ValidationFailed):
        days(date(2026, 3, 1), date(2026, 3, 2), timezone="Mars/Olympus")
    with pytest.raises(ValidationFailed):
        days(date(2025, 1, 1), date(2026, 3, 2))  # more than 400 days
    with pytest.raises(ValidationFailed):
        await analytics.throughput(owner, days(*MARCH), bucket="month")
    with pytest.raises(ValidationFailed):
        await analytics.oldest_open(owner, days(*MARCH), now=NOW, limit=0)
