import asyncio

from core.services import tasks
from core.services.task_queries import list_tasks
from tests.factories import new_org, project


async def test_fifty_concurrent_creates_get_unique_gapless_keys(db):
    owner = await new_org()
    await project(owner, "WEB")

    created = await asyncio.gather(
        *(tasks.create_task(owner, project="WEB", title=f"Task {i}") for i in range(50))
    )

    numbers = sorted(task.number for task in created)
    assert numbers == list(range(1, 51))
    assert len({task.key for task in created}) == 50
    page = await list_tasks(owner, limit=200)
    assert sorted(task.key for task in page.items) == sorted(f"WEB-{n}" for n in range(1, 51))


async def test_keys_are_counted_per_project(db):
    owner = await new_org()
    await project(owner, "WEB")
    await project(owner, "API", "Public API")

    results = await asyncio.gather(
        *(tasks.create_task(owner, project=key, title="Work") for key in ["WEB", "API"] * 10)
    )

    assert sorted(t.key for t in results if t.project_key == "WEB") == sorted(
        f"WEB-{n}" for n in range(1, 11)
    )
    assert sorted(t.number for t in results if t.project_key == "API") == list(range(1, 11))


async def test_same_project_key_in_two_organizations_numbers_independently(db):
    acme, globex = await new_org("Acme"), await new_org("Globex")
    await project(acme, "WEB")
    await project(globex, "WEB")

    first = await tasks.create_task(acme, project="WEB", title="Acme work")
    other = await tasks.create_task(globex, project="WEB", title="Globex work")

    assert first.key == other.key == "WEB-1"
    assert first.organization_id != other.organization_id
