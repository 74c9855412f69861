"""The benchmark database: created fresh, migrated by `teamflow migrate`, then seeded in bulk.

A million tasks through the ORM would take an hour; `INSERT ... SELECT generate_series`
straight into the migrated schema takes well under a minute and keeps every invariant
the services rely on: each task's number is unique in its project and the project's
task_counter is the highest one, completed tasks have completed_at (and started_at
before it), labels are rows of task_labels. `setseed` makes the data the same each run.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import asyncpg

ADMIN_DSN = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE = "teamflow_bench"
MARKER_TABLE = "bench_seed"
USERS = 20
PROJECTS = 10
LABELS = ("bug", "feature", "chore", "docs", "ux", "backend", "frontend", "ops")
DIGEST_TEAM = "TBENCHDIGEST"
DIGEST_PROJECTS = 20
DIGEST_USERS = 10


@dataclass
class Seeded:
    """Ids of what was seeded, for the scenarios to aim at."""

    database_url: str
    organization_id: uuid.UUID
    owner_id: uuid.UUID
    owner_email: str
    project_ids: dict[str, uuid.UUID]  # key -> id: BIG (the listed one), P01.., SLK, GH
    tasks: int
    digest_organization_id: uuid.UUID
    digest_channels: int
    seconds: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)


def database_url(name: str = DATABASE) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


async def recreate_database(name: str = DATABASE) -> None:
    """Drop and create the benchmark's own database; no other database is touched."""
    if not name.startswith("teamflow_bench"):
        raise ValueError("the benchmark only ever drops databases named teamflow_bench*")
    conn = await asyncpg.connect(ADMIN_DSN)
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def migrate(url: str) -> None:
    """The real schema, by TeamFlow's own command."""
    env = {**os.environ, "DATABASE_URL": url, "TEAMFLOW_ENV": "development"}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "teamflow.cli", "migrate"], env=env, check=True, capture_output=True
    )


async def existing_seed(url: str, *, tasks: int) -> Seeded | None:
    """The seed already in the database when it was made with the same size, else None."""
    try:
        conn = await asyncpg.connect(url)
    except asyncpg.InvalidCatalogNameError:
        return None
    try:
        found = await conn.fetchval("SELECT to_regclass($1)", MARKER_TABLE)
        if found is None:
            return None
        row = await conn.fetchrow(f"SELECT * FROM {MARKER_TABLE}")
        if row is None or row["tasks"] != tasks:
            return None
        keys = await conn.fetch(
            "SELECT key, id FROM projects WHERE organization_id = $1", row["organization_id"]
        )
        return Seeded(
            database_url=url,
            organization_id=row["organization_id"],
            owner_id=row["owner_id"],
            owner_email=row["owner_email"],
            project_ids={r["key"]: r["id"] for r in keys},
            tasks=row["tasks"],
            digest_organization_id=row["digest_organization_id"],
            digest_channels=row["digest_channels"],
        )
    finally:
        await conn.close()


async def seed(url: str, *, tasks: int, digest_channels: int, now: datetime) -> Seeded:
    started = asyncio.get_running_loop().time()
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SELECT setseed(0.42)")
        org, users = await _organization(conn, "bench", "Benchmark Org", USERS, now)
        keys = ["BIG", *[f"P{i:02d}" for i in range(1, PROJECTS)]]
        project_ids = await _projects(conn, org, keys, now)
        await _tasks(
            conn, org, [project_ids[k] for k in keys], users, count=tasks, days=365, now=now
        )
        project_ids.update(await _projects(conn, org, ["SLK", "GH"], now))
        await _labels(conn, org)
        digest_org, digest_users = await _organization(
            conn, "bench-digests", "Digest Org", DIGEST_USERS, now
        )
        digest_keys = [f"D{i:02d}" for i in range(1, DIGEST_PROJECTS + 1)]
        digest_projects = await _projects(conn, digest_org, digest_keys, now)
        await _tasks(
            conn,
            digest_org,
            [digest_projects[k] for k in digest_keys],
            digest_users,
            count=1500 * DIGEST_PROJECTS,
            days=30,
            now=now,
        )
        await _labels(conn, digest_org)
        await _task_counters(conn)
        await _digest_schedules(
            conn, digest_org, [digest_projects[k] for k in digest_keys], digest_channels, now
        )
        owner_email = "bench-0@bench.teamflow.dev"
        await conn.execute(
            f"""CREATE TABLE {MARKER_TABLE} (tasks int, organization_id uuid, owner_id uuid,
                owner_email text, digest_organization_id uuid, digest_channels int)"""
        )
        await conn.execute(
            f"INSERT INTO {MARKER_TABLE} VALUES ($1, $2, $3, $4, $5, $6)",
            tasks,
            org,
            users[0],
            owner_email,
            digest_org,
            digest_channels,
        )
    finally:
        await conn.close()
    await _vacuum(url)
    return Seeded(
        database_url=url,
        organization_id=org,
        owner_id=users[0],
        owner_email=owner_email,
        project_ids=project_ids,
        tasks=tasks,
        digest_organization_id=digest_org,
        digest_channels=digest_channels,
        seconds=asyncio.get_running_loop().time() - started,
    )


async def _organization(
    conn: asyncpg.Connection, slug: str, name: str, people: int, now: datetime
) -> tuple[uuid.UUID, list[uuid.UUID]]:
    org = uuid.uuid4()
    await conn.execute(
        """INSERT INTO organizations (id, created_at, updated_at, name, slug, timezone, is_active)
           VALUES ($1, $2, $2, $3, $4, 'UTC', true)""",
        org,
        now - timedelta(days=400),
        name,
        slug,
    )
    users = [uuid.uuid4() for _ in range(people)]
    await conn.executemany(
        """INSERT INTO users (id, created_at, updated_at, email, name, timezone, is_active)
           VALUES ($1, $2, $2, $3, $4, 'UTC', true)""",
        [
            (uid, now - timedelta(days=400), f"{slug}-{i}@bench.teamflow.dev", f"{name} {i}")
            for i, uid in enumerate(users)
        ],
    )
    await conn.executemany(
        """INSERT INTO memberships (id, created_at, updated_at, role, is_active,
               organization_id, user_id)
           VALUES ($1, $2, $2, $3, true, $4, $5)""",
        [
            (uuid.uuid4(), now - timedelta(days=400), "owner" if i == 0 else "member", org, uid)
            for i, uid in enumerate(users)
        ],
    )
    return org, users


async def _projects(
    conn: asyncpg.Connection, org: uuid.UUID, keys: list[str], now: datetime
) -> dict[str, uuid.UUID]:
    ids = {key: uuid.uuid4() for key in keys}
    await conn.executemany(
        """INSERT INTO projects (id, created_at, updated_at, key, name, description, status,
               task_counter, is_active, organization_id)
           VALUES ($1, $2, $2, $3, $4, '', 'active', 0, true, $5)""",
        [(pid, now - timedelta(days=400), key, f"Project {key}", org) for key, pid in ids.items()],
    )
    return ids


# Old tasks are mostly closed; the last 60 days hold most of the open work, as in a team
# that keeps its backlog in check. Columns r1..r5 are the row's dice.
_TASKS_SQL = """
WITH base AS (
    SELECT g,
        (g - 1) % $3 AS pi,
        (g - 1) / $3 + 1 AS num,
        $6::float8 * (1 - g::float8 / $4) + 0.0005 AS age,
        random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
    FROM generate_series(1, $4) AS g
),
shaped AS (
    SELECT b.*,
        $5::timestamptz - b.age * interval '1 day' AS created,
        CASE
            WHEN b.age > 60 THEN
                CASE WHEN b.r1 < 0.92 THEN 'done' WHEN b.r1 < 0.97 THEN 'cancelled'
                     WHEN b.r1 < 0.985 THEN 'todo' WHEN b.r1 < 0.995 THEN 'in_progress'
                     ELSE 'in_review' END
            ELSE
                CASE WHEN b.r1 < 0.2 + 0.6 * b.age / 60 THEN 'done'
                     WHEN b.r1 < 0.23 + 0.6 * b.age / 60 THEN 'cancelled'
                     WHEN b.r1 < 0.45 + 0.5 * b.age / 60 THEN 'in_progress'
                     WHEN b.r1 < 0.55 + 0.4 * b.age / 60 THEN 'in_review'
                     ELSE 'todo' END
        END AS status,
        LEAST(b.age, 10) * interval '1 day' AS span
    FROM base b
)
INSERT INTO tasks (id, created_at, updated_at, number, title, description, status, priority,
    due_at, started_at, completed_at, version, is_active, assignee_id, organization_id,
    project_id, reporter_id)
SELECT gen_random_uuid(),
    s.created,
    CASE WHEN s.status IN ('done', 'cancelled') THEN s.created + s.r2 * s.span
         WHEN s.status = 'todo' THEN s.created
         ELSE s.created + s.r2 * 0.4 * s.span END,
    s.num,
    'Benchmark task ' || s.num || ' of project ' || (s.pi + 1),
    '',
    s.status,
    1 + floor(s.r3 * 4)::int,
    CASE WHEN s.r4 < 0.3 THEN s.created + (2 + s.r4 * 60) * interval '1 day' END,
    CASE WHEN s.status IN ('done', 'in_progress', 'in_review')
         THEN s.created + s.r2 * 0.4 * s.span END,
    CASE WHEN s.status = 'done' THEN s.created + s.r2 * s.span END,
    1,
    true,
    CASE WHEN s.r5 < 0.9 THEN ($7::uuid[])[1 + floor(s.r5 / 0.9 * array_length($7, 1))::int] END,
    $1,
    ($2::uuid[])[s.pi + 1],
    ($7::uuid[])[1 + floor(s.r3 * array_length($7, 1))::int]
FROM shaped s
"""


async def _tasks(
    conn: asyncpg.Connection,
    org: uuid.UUID,
    projects: list[uuid.UUID],
    users: list[uuid.UUID],
    *,
    count: int,
    days: int,
    now: datetime,
) -> None:
    await conn.execute(
        _TASKS_SQL, org, projects, len(projects), count, now, float(days), users, timeout=1800
    )


async def _labels(conn: asyncpg.Connection, org: uuid.UUID) -> None:
    """About 30% of tasks carry one label, a few of them a second one."""
    await conn.execute(
        """INSERT INTO task_labels (id, created_at, updated_at, name, organization_id, task_id)
           SELECT gen_random_uuid(), t.created_at, t.created_at, l.name, t.organization_id, t.id
           FROM tasks t
           CROSS JOIN LATERAL (
               SELECT ($2::text[])[1 + (hashtext(t.id::text) & 7)] AS name
               UNION
               SELECT ($2::text[])[1 + ((hashtext(t.id::text) >> 3) & 7)]
               WHERE (hashtext(t.id::text) >> 10) & 7 = 0
           ) AS l
           WHERE t.organization_id = $1 AND (hashtext(t.id::text) >> 13) & 1023 < 300""",
        org,
        list(LABELS),
        timeout=1800,
    )


async def _task_counters(conn: asyncpg.Connection) -> None:
    await conn.execute(
        """UPDATE projects p SET task_counter = m.top
           FROM (SELECT project_id, max(number) AS top FROM tasks GROUP BY project_id) m
           WHERE m.project_id = p.id""",
        timeout=600,
    )


async def _digest_schedules(
    conn: asyncpg.Connection,
    org: uuid.UUID,
    projects: list[uuid.UUID],
    channels: int,
    now: datetime,
) -> None:
    """Channels whose daily digest is due a minute before `now` (UTC); the scenario moves
    the time of day to its own start before each run."""
    await conn.execute(
        """INSERT INTO slack_workspaces (id, created_at, updated_at, team_id, team_name,
               bot_user_id, is_active, organization_id)
           VALUES ($1, $2, $2, $3, 'Digest bench', 'UBOT', true, $4)""",
        uuid.uuid4(),
        now,
        DIGEST_TEAM,
        org,
    )
    await conn.executemany(
        """INSERT INTO digest_schedules (id, created_at, updated_at, team_id, channel_id,
               time_of_day, timezone, days, include_empty, is_active, organization_id, project_id)
           VALUES ($1, $2, $2, $3, $4, '09:00', 'UTC', 'daily', false, true, $5, $6)""",
        [
            (uuid.uuid4(), now, DIGEST_TEAM, f"C{i:05d}", org, projects[i % len(projects)])
            for i in range(channels)
        ],
    )


async def _vacuum(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM ANALYZE", timeout=1800)
    finally:
        await conn.close()


def utc_now() -> datetime:
    return datetime.now(UTC)
