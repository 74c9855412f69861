"""A member of one organization can neither read nor change another organization's rows."""

import pytest

from core.enums import Role
from core.errors import NotFound
from core.services import comments, members, projects, tasks
from core.services.activity import list_organization_activity
from core.services.task_queries import TaskFilter, get_task, list_tasks
from tests.factories import new_org, person, project


@pytest.fixture
async def two_tenants(db):
    acme = await new_org("Acme")
    globex = await new_org("Globex")
    await project(globex, "SECRET", "Globex secret project")
    secret = await tasks.create_task(globex, project="SECRET", title="Globex plans")
    await comments.add_comment(globex, secret.id, body="confidential")
    acme_admin = await person(acme, Role.ADMIN, "Ann")
    return acme, acme_admin, globex, secret


async def test_other_tenants_task_is_not_found_by_id_or_key(two_tenants):
    acme, acme_admin, _, secret = two_tenants
    for actor in (acme, acme_admin):
        with pytest.raises(NotFound):
            await get_task(actor, secret.id)
        with pytest.raises(NotFound):
            await get_task(actor, secret.key)


async def test_other_tenants_task_cannot_be_changed(two_tenants):
    acme, _, globex, secret = two_tenants
    attempts = [
        tasks.update_task(acme, secret.id, tasks.TaskChanges(title="pwned")),
        tasks.assign_task(acme, secret.id, assignee_id=acme.user_id),
        tasks.move_task(acme, secret.id, status="done"),
        tasks.complete_task(acme, secret.id),
        tasks.reopen_task(acme, secret.id),
        tasks.delete_task(acme, secret.id),
        comments.add_comment(acme, secret.id, body="hello"),
        comments.list_comments(acme, secret.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            await attempt
    unchanged = await get_task(globex, secret.id)
    assert unchanged.title == "Globex plans"
    assert unchanged.version == secret.version
    assert [c.body for c in await comments.list_comments(globex, secret.id)] == ["confidential"]


async def test_other_tenants_project_is_invisible(two_tenants):
    acme, acme_admin, globex, _ = two_tenants
    with pytest.raises(NotFound):
        await projects.get_project(acme_admin, "SECRET")
    with pytest.raises(NotFound):
        await projects.update_project(acme_admin, ref="SECRET", name="mine now")
    with pytest.raises(NotFound):
        await projects.set_archived(acme_admin, ref="SECRET", archived=True)
    with pytest.raises(NotFound):
        await tasks.create_task(acme, project="SECRET", title="sneaky")
    assert [p.key for p in await projects.list_projects(acme)] == ["INBOX"]
    assert (await projects.get_project(globex, "SECRET")).name == "Globex secret project"


async def test_lists_and_feeds_hold_only_own_rows(two_tenants):
    acme, _, globex, _ = two_tenants
    await project(acme, "WEB")
    await tasks.create_task(acme, project="WEB", title="Acme work")

    assert [t.title for t in (await list_tasks(acme)).items] == ["Acme work"]
    assert [t.title for t in (await list_tasks(acme, TaskFilter(text="plans"))).items] == []
    with pytest.raises(NotFound):
        await list_tasks(acme, TaskFilter(project="SECRET"))
    assert all(
        a.organization_id == acme.organization_id for a in await list_organization_activity(acme)
    )
    assert {m.user.id for m in await members.list_members(acme)}.isdisjoint(
        {m.user.id for m in await members.list_members(globex)}
    )


async def test_cannot_assign_someone_from_another_organization(two_tenants):
    acme, _, globex, _ = two_tenants
    await project(acme, "WEB")
    with pytest.raises(Exception) as caught:
        await tasks.create_task(acme, project="WEB", title="x", assignee_id=globex.user_id)
    assert "not a member" in str(caught.value)


async def test_members_of_another_organization_cannot_be_managed(two_tenants):
    acme_owner, _, globex, _ = two_tenants
    with pytest.raises(NotFound):
        await members.change_role(acme_owner, user_id=globex.user_id, role=Role.VIEWER)
    with pytest.raises(NotFound):
        await members.remove_member(acme_owner, user_id=globex.user_id)
    with pytest.raises(NotFound):
        await members.actor_for(acme_owner.user_id, globex.organization_id)
