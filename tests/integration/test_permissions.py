"""The role matrix, exercised through the services: what each role may and may not do."""

import pytest

from core.enums import Role
from core.errors import Conflict, PermissionDenied
from core.services import comments, members, organizations, projects, tasks
from core.services.task_queries import get_task, list_tasks
from tests.factories import new_org, person, project


async def _setup(role: Role):
    owner = await new_org()
    await project(owner, "WEB")
    actor = owner if role is Role.OWNER else await person(owner, role, "Riley")
    task = await tasks.create_task(owner, project="WEB", title="Existing")
    bystander = await person(owner, Role.MEMBER, "Sam")
    return owner, actor, task, bystander


OPERATIONS = {
    "read task": lambda a, t, b: get_task(a, t.id),
    "list tasks": lambda a, t, b: list_tasks(a),
    "read comments": lambda a, t, b: comments.list_comments(a, t.id),
    "list projects": lambda a, t, b: projects.list_projects(a),
    "list members": lambda a, t, b: members.list_members(a),
    "create task": lambda a, t, b: tasks.create_task(a, project="WEB", title="New"),
    "edit task": lambda a, t, b: tasks.update_task(a, t.id, tasks.TaskChanges(title="Edited")),
    "assign task": lambda a, t, b: tasks.assign_task(a, t.id, assignee_id=b.user_id),
    "complete task": lambda a, t, b: tasks.complete_task(a, t.id),
    "comment": lambda a, t, b: comments.add_comment(a, t.id, body="On it"),
    "delete others' task": lambda a, t, b: tasks.delete_task(a, t.id),
    "create project": lambda a, t, b: projects.create_project(a, key="NEW", name="New"),
    "archive project": lambda a, t, b: projects.set_archived(a, ref="WEB", archived=True),
    "invite member": lambda a, t, b: members.add_member(a, email="new@example.com"),
    "change a role": lambda a, t, b: members.change_role(a, user_id=b.user_id, role=Role.VIEWER),
    "remove member": lambda a, t, b: members.remove_member(a, user_id=b.user_id),
    "rename organization": lambda a, t, b: organizations.update_organization(a, name="Renamed"),
    "delete organization": lambda a, t, b: organizations.delete_organization(a),
}

READS = {"read task", "list tasks", "read comments", "list projects", "list members"}
TASK_WORK = {"create task", "edit task", "assign task", "complete task", "comment"}
MANAGEMENT = {
    "delete others' task",
    "create project",
    "archive project",
    "invite member",
    "change a role",
    "remove member",
    "rename organization",
}
ALLOWED = {
    Role.VIEWER: READS,
    Role.MEMBER: READS | TASK_WORK,
    Role.ADMIN: READS | TASK_WORK | MANAGEMENT,
    Role.OWNER: set(OPERATIONS),
}

CASES = [(role, op) for role in Role for op in OPERATIONS]


@pytest.mark.parametrize(("role", "operation"), CASES, ids=[f"{r.value}-{o}" for r, o in CASES])
async def test_role_matrix(db, role, operation):
    _, actor, task, bystander = await _setup(role)
    call = OPERATIONS[operation]
    if operation in ALLOWED[role]:
        await call(actor, task, bystander)
    else:
        with pytest.raises(PermissionDenied):
            await call(actor, task, bystander)


async def test_a_refused_change_leaves_the_task_as_it_was(db):
    owner, viewer, task, _ = await _setup(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        await tasks.update_task(viewer, task.id, tasks.TaskChanges(title="Edited"))
    assert (await get_task(owner, task.id)).title == "Existing"


async def test_member_may_delete_only_tasks_they_reported(db):
    owner, member, others, _ = await _setup(Role.MEMBER)
    mine = await tasks.create_task(member, project="WEB", title="Mine")
    await tasks.delete_task(member, mine.id)
    with pytest.raises(PermissionDenied):
        await tasks.delete_task(member, others.id)
    assert (await get_task(owner, others.id)).title == "Existing"


async def test_only_owners_grant_ownership_and_the_last_owner_stays(db):
    owner, admin, _, bystander = await _setup(Role.ADMIN)
    with pytest.raises(PermissionDenied):
        await members.change_role(admin, user_id=bystander.user_id, role=Role.OWNER)
    with pytest.raises(PermissionDenied):
        await members.change_role(admin, user_id=owner.user_id, role=Role.MEMBER)
    with pytest.raises(Conflict):
        await members.change_role(owner, user_id=owner.user_id, role=Role.ADMIN)
    promoted = await members.change_role(owner, user_id=bystander.user_id, role=Role.OWNER)
    assert promoted.role is Role.OWNER
    demoted = await members.change_role(owner, user_id=owner.user_id, role=Role.ADMIN)
    assert demoted.role is Role.ADMIN


async def test_role_change_takes_effect_for_the_next_call(db):
    owner, member, task, _ = await _setup(Role.MEMBER)
    await members.change_role(owner, user_id=member.user_id, role=Role.VIEWER)
    refreshed = await members.actor_for(member.user_id, member.organization_id)
    with pytest.raises(PermissionDenied):
        await tasks.update_task(refreshed, task.id, tasks.TaskChanges(title="x"))
