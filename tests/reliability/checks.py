"""What the database must hold after a run: every accepted write exactly once, nothing
twice, task keys unique and without gaps.

The state is read once into a `Snapshot`, through the test's own Tortoise connection
(the suite's database, which the processes share) or through asyncpg (a private
PostgreSQL cluster the test owns), and judged by the same plain functions.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import asyncpg

from core.models import Comment, Project, Task, WebhookDelivery
from tests.reliability.load import (
    API_COMMENT,
    API_TASK,
    SLASH,
    WEBHOOK,
    WRITE_KINDS,
    Outcome,
    Tally,
)


@dataclass
class Snapshot:
    titles: Counter  # task titles in the organization
    bodies: Counter  # comment bodies
    deliveries: dict[str, list[str]]  # webhook delivery id -> statuses of its rows
    numbers: list[int]  # task numbers in the project


@dataclass
class Verdict:
    checked: int = 0
    lost: list[Outcome] = field(default_factory=list)
    duplicated: list[tuple[Outcome, int]] = field(default_factory=list)
    unprocessed: list[tuple[Outcome, str]] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"{len(self.lost)} lost, {len(self.duplicated)} applied twice"]
        lines += [f"  lost: {o.kind} {o.marker} {o.ref} (answered {o.status})" for o in self.lost]
        lines += [f"  {n}x: {o.kind} {o.marker} {o.ref}" for o, n in self.duplicated]
        lines += [f"  not processed: {o.ref} ({status})" for o, status in self.unprocessed]
        return "\n".join(lines)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.unprocessed)


def judge(tally: Tally, snapshot: Snapshot) -> Verdict:
    """Every 2xx write is there once; a write that got no 2xx is there at most once."""
    verdict = Verdict()
    for outcome in tally.outcomes:
        if outcome.kind not in WRITE_KINDS:
            continue
        found = (snapshot.bodies if outcome.kind == API_COMMENT else snapshot.titles)[
            outcome.marker
        ]
        if outcome.accepted:
            verdict.checked += 1
            if found == 0:
                verdict.lost.append(outcome)
        if found > 1:
            verdict.duplicated.append((outcome, found))
        if outcome.kind == WEBHOOK:
            _judge_delivery(outcome, snapshot.deliveries.get(outcome.ref, []), verdict)
    return verdict


def _judge_delivery(outcome: Outcome, statuses: list[str], verdict: Verdict) -> None:
    if len(statuses) > 1:
        verdict.duplicated.append((outcome, len(statuses)))
    if outcome.accepted:
        if not statuses:
            verdict.lost.append(outcome)
        elif statuses[0] != "processed":
            verdict.unprocessed.append((outcome, statuses[0]))


def key_problems(numbers: list[int]) -> list[str]:
    """Keys are unique and gapless: the numbers are exactly 1..N."""
    problems = []
    repeated = [n for n, count in Counter(numbers).items() if count > 1]
    if repeated:
        problems.append(f"numbers used twice: {repeated[:20]}")
    missing = sorted(set(range(1, (max(numbers) if numbers else 0) + 1)) - set(numbers))
    if missing:
        problems.append(f"gaps: {missing[:20]}")
    return problems


# --- through Tortoise: the suite's database ------------------------------------------


async def snapshot(tally: Tally, organization_id: str, project_key: str) -> Snapshot:
    org = uuid.UUID(organization_id)
    markers = [o.marker for o in tally.of(API_COMMENT)]
    deliveries: dict[str, list[str]] = {}
    rows = await WebhookDelivery.filter(organization_id=org).values_list("delivery_id", "status")
    for delivery_id, status in rows:
        deliveries.setdefault(delivery_id, []).append(status)
    project = await Project.get(organization_id=org, key=project_key)
    return Snapshot(
        titles=Counter(await Task.filter(organization_id=org).values_list("title", flat=True)),
        bodies=Counter(await Comment.filter(body__in=markers).values_list("body", flat=True)),
        deliveries=deliveries,
        numbers=sorted(await Task.filter(project_id=project.id).values_list("number", flat=True)),
    )


async def verify_writes(tally: Tally, organization_id: str, project_key: str = "LOAD") -> Verdict:
    return judge(tally, await snapshot(tally, organization_id, project_key))


async def keys_problems(organization_id: str, project_key: str) -> list[str]:
    org = uuid.UUID(organization_id)
    project = await Project.get(organization_id=org, key=project_key)
    return key_problems(await Task.filter(project_id=project.id).values_list("number", flat=True))


async def wait_for_tasks(markers: list[str], organization_id: str, *, timeout: float) -> None:
    """Slash commands are acknowledged before the task is created: wait until they are."""
    org = uuid.UUID(organization_id)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await Task.filter(organization_id=org, title__in=markers).count()
        if found >= len(markers):
            return
        await asyncio.sleep(0.25)


# --- through asyncpg: a database the test owns --------------------------------------


async def snapshot_from(url: str, organization_id: str, project_key: str) -> Snapshot:
    connection = await asyncpg.connect("postgresql://" + url.partition("://")[2])
    try:
        org = uuid.UUID(organization_id)
        titles = await connection.fetch("SELECT title FROM tasks WHERE organization_id = $1", org)
        bodies = await connection.fetch(
            "SELECT c.body FROM comments c JOIN tasks t ON t.id = c.task_id "
            "WHERE t.organization_id = $1",
            org,
        )
        deliveries: dict[str, list[str]] = {}
        for row in await connection.fetch(
            "SELECT delivery_id, status FROM webhook_deliveries WHERE organization_id = $1", org
        ):
            deliveries.setdefault(row["delivery_id"], []).append(row["status"])
        numbers = await connection.fetch(
            "SELECT t.number FROM tasks t JOIN projects p ON p.id = t.project_id "
            "WHERE p.organization_id = $1 AND p.key = $2",
            org,
            project_key,
        )
    finally:
        await connection.close()
    return Snapshot(
        titles=Counter(r["title"] for r in titles),
        bodies=Counter(r["body"] for r in bodies),
        deliveries=deliveries,
        numbers=sorted(r["number"] for r in numbers),
    )


def accepted_slash(tally: Tally) -> list[str]:
    return [o.marker for o in tally.accepted(SLASH)]


def by_kind(tally: Tally) -> dict[str, int]:
    return {kind: len(tally.accepted(kind)) for kind in (SLASH, API_TASK, API_COMMENT, WEBHOOK)}
