"""Optimistic concurrency and all-or-nothing changes."""

import asyncio

import pytest

from core.errors import StaleVersion
from core.services import activity as activity_service
from core.services import tasks
from core.services.activity import list_organization_activity, list_task_activity
from core.services.task_queries import get_task, list_tasks
from tests.factories import new_org, project


@pytest.fixture
async def owner_with_task(db):
    owner = await new_org()
    await project(owner, "WEB")
    task = await tasks.create_task(owner, project="WEB", title="Original", labels=["bug"])
    return owner, task


async def test_stale_version_is_refused_and_changes_nothing(owner_with_task):
    owner, task = owner_with_task
    saved = await tasks.update_task(
        owner, task.id, tasks.TaskChanges(title="First edit"), expected_version=task.version
    )
    assert saved.version == task.version + 1
    history_before = await list_task_activity(owner, task_id=task.id)

    with pytest.raises(StaleVersion) as caught:
        await tasks.update_task(
            owner,
            task.id,
            tasks.TaskChanges(title="Second edit", labels=["ux"], priority="urgent"),
            expected_version=task.version,
        )

    assert caught.value.current_version == saved.version
    current = await get_task(owner, task.id)
    assert (current.title, current.labels, current.priority.label) == (
        "First edit",
        ("bug",),
        "medium",
    )
    assert current.version == saved.version
    assert await list_task_activity(owner, task_id=task.id) == history_before


async def test_two_simultaneous_edits_from_the_same_version_one_wins(owner_with_task):
    owner, task = owner_with_task
    outcomes = await asyncio.gather(
        *(
            tasks.update_task(
                owner, task.id, tasks.TaskChanges(title=f"Edit {i}"), expected_version=task.version
            )
            for i in range(5)
        ),
        return_exceptions=True,
    )
    winners = [o for o in outcomes if not isinstance(o, BaseException)]
    losers = [o for o in outcomes if isinstance(o, StaleVersion)]
    assert len(winners) == 1 and len(losers) == 4
    assert (await get_task(owner, task.id)).title == winners[0].title


async def test_failure_inside_a_change_rolls_back_change_and_activity(owner_with_task, monkeypatch):
    owner, task = owner_with_task
    feed_before = await list_organization_activity(owner)

    async def activity_write_fails(*args, **kwargs):
        raise RuntimeError("disk full while writing the audit trail")

    monkeypatch.setattr(tasks, "record", activity_write_fails)
    with pytest.raises(RuntimeError):
        await tasks.update_task(owner, task.id, tasks.TaskChanges(title="Lost", labels=["ux"]))
    with pytest.raises(RuntimeError):
        await tasks.create_task(owner, project="WEB", title="Never saved")
    monkeypatch.setattr(tasks, "record", activity_service.record)

    current = await get_task(owner, task.id)
    assert (current.title, current.labels, current.version) == ("Original", ("bug",), task.version)
    assert [t.title for t in (await list_tasks(owner)).items] == ["Original"]
    assert await list_organization_activity(owner) == feed_before
    after = await tasks.create_task(owner, project="WEB", title="Next")
    assert after.key == "WEB-2", "a rolled-back create must not burn a key"


async def test_every_change_leaves_one_activity_row_with_before_and_after(owner_with_task):
    owner, task = owner_with_task
    await tasks.update_task(owner, task.id, tasks.TaskChanges(title="Renamed", priority="high"))
    await tasks.complete_task(owner, task.id)
    await tasks.reopen_task(owner, task.id)

    trail = await list_task_activity(owner, task_id=task.id)

    assert [a.action for a in trail] == [
        "task.created",
        "task.updated",
        "task.completed",
        "task.reopened",
    ]
    assert trail[1].changes == {
        "title": {"from": "Original", "to": "Renamed"},
        "priority": {"from": "medium", "to": "high"},
    }
    assert trail[2].changes["status"] == {"from": "todo", "to": "done"}
    assert all(a.actor and a.actor.id == owner.user_id for a in trail)
    assert all(a.source == "api" for a in trail)


async def test_an_update_that_changes_nothing_writes_nothing(owner_with_task):
    owner, task = owner_with_task
    same = await tasks.update_task(
        owner, task.id, tasks.TaskChanges(title="Original", labels=["BUG"])
    )
    assert same.version == task.version
    assert len(await list_task_activity(owner, task_id=task.id)) == 1
