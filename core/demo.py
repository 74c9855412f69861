"""Demo data: an organization with people, projects and eight weeks of believable history.

History needs past timestamps, which no service would accept, so this module writes
rows directly; it is part of `core` and used only by `teamflow demo`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from core.clock import utcnow
from core.enums import Role, Source, TaskPriority, TaskStatus
from core.models import Activity, Comment, Membership, Organization, Project, Task, TaskLabel, User
from core.passwords import hash_password

DEMO_SLUG = "acme-demo"
DEMO_PASSWORD = "teamflow-demo"
WEEKS = 8

PEOPLE = [
    ("Maya Manager", "maya@demo.teamflow.dev", Role.OWNER, "Europe/Berlin"),
    ("Adam Admin", "adam@demo.teamflow.dev", Role.ADMIN, "Europe/London"),
    ("Alice Dev", "alice@demo.teamflow.dev", Role.MEMBER, "America/New_York"),
    ("Bob Dev", "bob@demo.teamflow.dev", Role.MEMBER, "Europe/Berlin"),
    ("Chen Designer", "chen@demo.teamflow.dev", Role.MEMBER, "Asia/Singapore"),
    ("Dara QA", "dara@demo.teamflow.dev", Role.MEMBER, "Europe/Madrid"),
    ("Vic Viewer", "vic@demo.teamflow.dev", Role.VIEWER, "UTC"),
]
PROJECTS = [
    (
        "WEB",
        "Website",
        ["Fix", "Redesign", "Speed up", "Add", "Polish"],
        [
            "login redirect",
            "pricing page",
            "signup form",
            "image loading",
            "footer links",
            "dark mode",
            "search results",
            "checkout flow",
            "cookie banner",
            "404 page",
        ],
    ),
    (
        "API",
        "Public API",
        ["Add", "Document", "Paginate", "Rate-limit", "Fix"],
        [
            "tasks endpoint",
            "webhook retries",
            "token refresh",
            "error envelope",
            "project listing",
            "OpenAPI schema",
            "bulk import",
            "audit export",
        ],
    ),
    (
        "OPS",
        "Operations",
        ["Upgrade", "Monitor", "Back up", "Rotate", "Automate"],
        [
            "PostgreSQL",
            "Redis",
            "TLS certificates",
            "deploy pipeline",
            "log retention",
            "on-call rota",
            "disk alerts",
            "staging database",
        ],
    ),
]
LABELS = ["bug", "feature", "chore", "ux", "backend", "frontend", "security", "customer"]


@dataclass(frozen=True)
class DemoSummary:
    organization: str
    people: int
    projects: int
    tasks: int
    created: bool


async def seed_demo(*, tasks_per_project: int = 110, seed: int = 7) -> DemoSummary:
    """Create the demo organization once; running it again leaves the data as it is."""
    existing = await Organization.get_or_none(slug=DEMO_SLUG)
    if existing is not None:
        return DemoSummary(
            existing.name,
            len(PEOPLE),
            len(PROJECTS) + 1,
            await Task.filter(organization_id=existing.id).count(),
            False,
        )
    rng = random.Random(seed)
    now = utcnow()
    async with in_transaction():
        org = await Organization.create(
            name="Acme Product", slug=DEMO_SLUG, timezone="Europe/Berlin"
        )
        users = await _people(org)
        total = 0
        await Project.create(
            organization=org, key="INBOX", name="Inbox", description="Tasks without a project"
        )
        for key, name, verbs, objects in PROJECTS:
            project = await Project.create(
                organization=org, key=key, name=name, created_at=now - timedelta(weeks=WEEKS + 1)
            )
            total += await _history(
                org, project, users, verbs, objects, count=tasks_per_project, rng=rng, now=now
            )
    return DemoSummary(org.name, len(users), len(PROJECTS) + 1, total, True)


async def _people(org: Organization) -> list[User]:
    password_hash = hash_password(DEMO_PASSWORD)
    users = []
    for name, email, role, tz in PEOPLE:
        user = await User.get_or_none(email=email)
        if user is None:
            user = await User.create(
                name=name, email=email, timezone=tz, password_hash=password_hash
            )
        await Membership.create(organization=org, user=user, role=role)
        users.append(user)
    return users


async def _history(
    org: Organization,
    project: Project,
    users: list[User],
    verbs: list[str],
    objects: list[str],
    *,
    count: int,
    rng: random.Random,
    now: datetime,
) -> int:
    workers = [u for u, p in zip(users, PEOPLE, strict=True) if p[2] is not Role.VIEWER]
    tasks, labels, activities, comments = [], [], [], []
    for number in range(1, count + 1):
        created = _working_time(now - timedelta(days=rng.uniform(0, WEEKS * 7)), rng)
        created = min(created, now - timedelta(hours=2))
        task = _task(org, project, number, created, workers, verbs, objects, rng, now)
        tasks.append(task)
        for name in rng.sample(LABELS, rng.choice([0, 1, 1, 2])):
            labels.append(TaskLabel(organization=org, task_id=task.id, name=name))
        activities.extend(_trail(org, project, task))
        if rng.random() < 0.3:
            comments.append(
                Comment(
                    organization=org,
                    task_id=task.id,
                    author=rng.choice(workers),
                    body=rng.choice(
                        [
                            "Looking into it.",
                            "Blocked on review.",
                            "Shipped to staging.",
                            "Can we pair on this?",
                        ]
                    ),
                    source=Source.SLACK.value,
                    created_at=created + (now - created) * rng.random(),
                )
            )
    await Task.bulk_create(tasks, batch_size=500)
    await TaskLabel.bulk_create(labels, batch_size=500)
    await Activity.bulk_create(activities, batch_size=500)
    await Comment.bulk_create(comments, batch_size=500)
    project.task_counter = count
    await project.save(update_fields=["task_counter"])
    return count


def _task(org, project, number, created, workers, verbs, objects, rng, now) -> Task:
    age_days = (now - created).total_seconds() / 86400
    lead_days = math.exp(rng.gauss(math.log(3), 0.8))  # log-normal, median three days
    status, started, completed = TaskStatus.TODO, None, None
    if lead_days < age_days and rng.random() < 0.9:
        status = TaskStatus.DONE if rng.random() < 0.93 else TaskStatus.CANCELLED
        started = created + timedelta(days=lead_days * rng.uniform(0.1, 0.5))
        completed = _working_time(created + timedelta(days=lead_days), rng)
        completed = min(max(completed, created + timedelta(hours=1)), now - timedelta(minutes=5))
        started = min(started, completed)
    elif age_days > 1 and rng.random() < 0.55:
        status = rng.choice([TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS, TaskStatus.IN_REVIEW])
        started = created + (now - created) * rng.uniform(0.1, 0.6)
    due = None
    if rng.random() < 0.6:
        due = created + timedelta(days=rng.uniform(2, 21))
    return Task(
        organization=org,
        project=project,
        number=number,
        title=f"{rng.choice(verbs)} {rng.choice(objects)}",
        description="Imported from the demo backlog.",
        status=status,
        priority=rng.choices(list(TaskPriority), weights=[2, 5, 3, 1])[0],
        assignee=rng.choice(workers) if rng.random() < 0.85 else None,
        reporter=rng.choice(workers),
        due_at=due,
        started_at=started,
        completed_at=completed if status is TaskStatus.DONE else None,
        created_at=created,
        version=1 + (status is not TaskStatus.TODO) + (completed is not None),
    )


def _trail(org: Organization, project: Project, task: Task) -> list[Activity]:
    """The activity rows a real history would have left: created, started, closed."""
    entries = [
        (
            "task.created",
            task.created_at,
            {"key": {"from": None, "to": f"{project.key}-{task.number}"}},
        )
    ]
    if task.started_at:
        entries.append(
            ("task.moved", task.started_at, {"status": {"from": "todo", "to": "in_progress"}})
        )
    if task.status.is_closed:
        when = task.completed_at or task.started_at or task.created_at
        entries.append(
            (
                "task.completed" if task.status is TaskStatus.DONE else "task.moved",
                when,
                {"status": {"from": "in_progress", "to": task.status.value}},
            )
        )
    return [
        Activity(
            organization=org,
            actor=task.reporter,
            source=Source.SLACK.value,
            action=action,
            entity_type="task",
            entity_id=task.id,
            task_id=task.id,
            project_id=project.id,
            changes=changes,
            created_at=when,
        )
        for action, when, changes in entries
    ]


def _working_time(moment: datetime, rng: random.Random) -> datetime:
    """Move a moment onto a weekday between 08:00 and 18:00 UTC."""
    while moment.weekday() >= 5:
        moment -= timedelta(days=1)
    hour = rng.uniform(8, 18)
    return moment.replace(
        hour=int(hour),
        minute=int((hour % 1) * 60),
        second=rng.randrange(60),
        microsecond=rng.randrange(1_000_000),
    )
