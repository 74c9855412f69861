"""Creating, validating, moving and deleting tasks as a user would."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.clock import utcnow
from core.enums import Role, TaskPriority, TaskStatus
from core.errors import NotFound, ValidationFailed
from core.models import Task  # only to age due dates, as time would
from core.services import projects, tasks
from core.services.task_queries import TaskFilter, get_task, list_tasks
from tests.factories import in_days, new_org, person, project


@pytest.fixture
async def owner(db):
    actor = await new_org()
    await project(actor, "WEB")
    return actor


async def test_new_task_has_defaults_and_reporter(owner):
    task = await tasks.create_task(owner, project="web", title="  Fix login redirect  ")
    assert task.key == "WEB-1"
    assert task.title == "Fix login redirect"
    assert task.status is TaskStatus.TODO
    assert task.priority is TaskPriority.MEDIUM
    assert task.reporter and task.reporter.id == owner.user_id
    assert task.assignee is None and task.completed_at is None and task.version == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"description": "d" * 2001}, "description"),
        ({"priority": "extreme"}, "priority"),
        ({"status": "blocked"}, "status"),
        ({"due_at": datetime(2020, 1, 1, tzinfo=UTC)}, "due_at"),
        ({"due_at": datetime(2099, 1, 1)}, "due_at"),
        ({"labels": ["has space!"]}, "labels"),
        ({"labels": [f"l{i}" for i in range(21)]}, "labels"),
    ],
)
async def test_invalid_fields_are_refused_with_the_field_named(owner, kwargs, field):
    values = {"title": "Valid"} | kwargs
    with pytest.raises(ValidationFailed) as caught:
        await tasks.create_task(owner, project="WEB", **values)
    assert caught.value.details[0].field == field
    assert (await list_tasks(owner)).items == []


async def test_boundaries_are_accepted(owner):
    task = await tasks.create_task(
        owner,
        project="WEB",
        title="x" * 255,
        description="d" * 2000,
        due_at=datetime(2099, 1, 1, 9, tzinfo=ZoneInfo("Europe/Berlin")),
        labels=["+Bug", "#UX", "bug", "needs review"],
    )
    assert len(task.title) == 255 and len(task.description) == 2000
    assert task.due_at == datetime(2099, 1, 1, 8, tzinfo=UTC)
    assert task.labels == ("bug", "needs-review", "ux")


async def test_completed_at_follows_the_status(owner):
    task = await tasks.create_task(owner, project="WEB", title="Ship it")
    started = await tasks.move_task(owner, task.id, status="in_progress")
    assert started.started_at is not None and started.completed_at is None
    done = await tasks.complete_task(owner, task.key)
    assert done.status is TaskStatus.DONE and done.completed_at is not None
    again = await tasks.complete_task(owner, task.key)
    assert again.version == done.version, "completing a done task is a no-op"
    edited = await tasks.update_task(owner, task.id, tasks.TaskChanges(title="Shipped"))
    assert edited.completed_at == done.completed_at
    reopened = await tasks.reopen_task(owner, task.key)
    assert reopened.status is TaskStatus.TODO and reopened.completed_at is None
    assert reopened.started_at == started.started_at
    cancelled = await tasks.move_task(owner, task.id, status=TaskStatus.CANCELLED)
    assert cancelled.completed_at is None


async def test_assign_and_unassign(owner):
    alice = await person(owner, Role.MEMBER, "Alice")
    task = await tasks.create_task(owner, project="WEB", title="Review")
    assigned = await tasks.assign_task(owner, task.key, assignee_id=alice.user_id)
    assert assigned.assignee and assigned.assignee.name == "Alice"
    assert (await tasks.assign_task(owner, task.key, assignee_id=None)).assignee is None


async def test_an_unchanged_past_due_date_does_not_block_other_edits(owner, db):
    task = await tasks.create_task(owner, project="WEB", title="Old", due_at=in_days(1))
    await Task.filter(id=task.id).update(due_at=utcnow() - timedelta(days=3))
    current = await get_task(owner, task.id)
    edited = await tasks.update_task(
        owner, task.id, tasks.TaskChanges(title="Still old", due_at=current.due_at)
    )
    assert edited.title == "Still old"
    with pytest.raises(ValidationFailed):
        await tasks.update_task(
            owner, task.id, tasks.TaskChanges(due_at=utcnow() - timedelta(days=1))
        )


async def test_soft_deleted_tasks_disappear_from_every_read(owner):
    keep = await tasks.create_task(owner, project="WEB", title="Keep")
    gone = await tasks.create_task(owner, project="WEB", title="Gone", labels=["bug"])
    await tasks.delete_task(owner, gone.key)

    assert [t.key for t in (await list_tasks(owner)).items] == [keep.key]
    assert (await list_tasks(owner, TaskFilter(label="bug"))).items == []
    for ref in (gone.id, gone.key):
        with pytest.raises(NotFound):
            await get_task(owner, ref)
    with pytest.raises(NotFound):
        await tasks.update_task(owner, gone.id, tasks.TaskChanges(title="back"))
    with pytest.raises(NotFound):
        await tasks.delete_task(owner, gone.id)
    nxt = await tasks.create_task(owner, project="WEB", title="Next")
    assert nxt.key == "WEB-3", "a deleted task's key is never reused"


async def test_archived_project_takes_no_new_tasks(owner):
    await projects.set_archived(owner, ref="WEB", archived=True)
    with pytest.raises(ValidationFailed):
        await tasks.create_task(owner, project="WEB", title="Late")
    assert [p.key for p in await projects.list_projects(owner)] == ["INBOX"]
    assert "WEB" in [p.key for p in await projects.list_projects(owner, include_archived=True)]


async def test_filters(owner):
    alice = await person(owner, Role.MEMBER, "Alice")
    await project(owner, "API", "Public API")
    a = await tasks.create_task(
        owner,
        project="WEB",
        title="Fix login redirect",
        assignee_id=alice.user_id,
        priority="high",
        labels=["bug"],
        due_at=in_days(2),
    )
    b = await tasks.create_task(
        owner,
        project="API",
        title="Paginate tasks",
        description="cursor based login-free",
        priority="low",
        due_at=in_days(10),
    )
    c = await tasks.create_task(owner, project="WEB", title="Dark mode", labels=["ux"])
    await tasks.move_task(owner, c.id, status="in_progress")
    overdue = await tasks.create_task(owner, project="WEB", title="Renew TLS", due_at=in_days(1))
    await Task.filter(id=overdue.id).update(due_at=utcnow() - timedelta(hours=3))

    async def keys(**kw):
        return sorted(t.key for t in (await list_tasks(owner, TaskFilter(**kw))).items)

    assert await keys(project="WEB") == sorted([a.key, c.key, overdue.key])
    assert await keys(assignee_id=alice.user_id) == [a.key]
    assert await keys(unassigned=True) == sorted([b.key, c.key, overdue.key])
    assert await keys(statuses=(TaskStatus.IN_PROGRESS,)) == [c.key]
    assert await keys(priorities=(TaskPriority.HIGH, TaskPriority.LOW)) == sorted([a.key, b.key])
    assert await keys(label="BUG") == [a.key]
    assert await keys(due_before=in_days(5)) == sorted([a.key, overdue.key])
    assert await keys(due_after=in_days(5)) == [b.key]
    assert await keys(text="LOGIN") == sorted([a.key, b.key])
    assert await keys(overdue=True) == [overdue.key]
    await tasks.complete_task(owner, overdue.id)
    assert await keys(overdue=True) == []


async def test_list_search_is_literal_and_names_only_live_projects(owner):
    """`%` and `_` in a search are plain characters; labels come back sorted; a project
    named by key or id that does not exist is a 404, not an empty list."""
    web = await projects.get_project(owner, "WEB")
    done = await tasks.create_task(
        owner, project="WEB", title="Reach 100% coverage", labels=["qa", "ci"]
    )
    await tasks.create_task(owner, project="WEB", title="Reach 1000 users")
    await tasks.create_task(owner, project="WEB", title="snake_case names")
    await tasks.create_task(owner, project="WEB", title="snakeXcase names")

    async def titles(**kw):
        return sorted(t.title for t in (await list_tasks(owner, TaskFilter(**kw))).items)

    assert await titles(text="100%") == ["Reach 100% coverage"]
    assert await titles(text="E_C") == ["snake_case names"]
    assert await titles(project=str(web.id), text="reach") == [
        "Reach 100% coverage",
        "Reach 1000 users",
    ]
    page = await list_tasks(owner, TaskFilter(project="web", label="ci"))
    assert [(t.key, t.labels) for t in page.items] == [(done.key, ("ci", "qa"))]
    assert (await list_tasks(owner, TaskFilter(project="WEB", text="nothing"))).items == []
    for missing in ("NOPE", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(NotFound):
            await list_tasks(owner, TaskFilter(project=missing))


@pytest.mark.parametrize(
    "sort",
    ["-created_at", "created_at", "priority", "-priority", "due_at", "-due_at", "updated_at"],
)
async def test_cursor_pages_cover_every_task_once_in_order(owner, sort):
    for i in range(23):
        await tasks.create_task(
            owner,
            project="WEB",
            title=f"T{i}",
            priority=list(TaskPriority)[i % 4],
            due_at=in_days(1 + i % 5) if i % 3 else None,
        )
    seen, cursor = [], None
    while True:
        page = await list_tasks(owner, sort=sort, limit=5, cursor=cursor)
        seen.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(t.key for t in seen) == sorted(f"WEB-{n}" for n in range(1, 24))
    assert len(seen) == 23
    field = sort.lstrip("-")
    with_value = [getattr(t, field) for t in seen if getattr(t, field) is not None]
    assert with_value == sorted(with_value, reverse=sort.startswith("-"))
    if field == "due_at":
        assert all(t.due_at is None for t in seen[len(with_value) :]), "no due date sorts last"


async def test_bad_cursor_and_sort_are_validation_errors(owner):
    with pytest.raises(ValidationFailed):
        await list_tasks(owner, cursor="not-a-cursor")
    with pytest.raises(ValidationFailed):
        await list_tasks(owner, sort="title")
