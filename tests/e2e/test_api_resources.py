"""Every resource's happy path, through HTTP."""

from datetime import UTC, datetime, timedelta

from webhooks.api.outputs import TaskOut
from webhooks.envelope import PageEnvelope


async def test_organizations(api, owner):
    created = await api.call(
        "POST",
        "/api/v1/organizations",
        token=owner.access,
        body={"name": "Side project", "timezone": "Europe/Berlin"},
    )
    assert created.status == 201 and created.data["role"] == "owner"
    org_id = created.data["id"]
    mine = await api.call("GET", "/api/v1/organizations", token=owner.access)
    assert sorted(o["name"] for o in mine.data) == ["Acme", "Side project"]
    got = await api.call("GET", f"/api/v1/organizations/{org_id}", token=owner.access)
    assert got.data["timezone"] == "Europe/Berlin"
    renamed = await api.call(
        "PATCH", f"/api/v1/organizations/{org_id}", token=owner.access, body={"name": "Renamed"}
    )
    assert renamed.data["name"] == "Renamed"
    deleted = await api.call("DELETE", f"/api/v1/organizations/{org_id}", token=owner.access)
    assert deleted.status == 200
    gone = await api.call("GET", f"/api/v1/organizations/{org_id}", token=owner.access)
    assert gone.status == 404
    assert [
        o["name"] for o in (await api.call("GET", "/api/v1/organizations", token=owner.access)).data
    ] == ["Acme"]


async def test_members(api, owner):
    base = f"/api/v1/organizations/{owner.org}/members"
    invited = await api.call(
        "POST",
        base,
        token=owner.access,
        body={"email": "Dana@Example.com", "name": "Dana", "role": "member"},
    )
    assert invited.status == 201 and invited.data["user"]["email"] == "dana@example.com"
    dana = invited.data["user"]["id"]
    listed = await api.call("GET", base, token=owner.access)
    assert sorted(m["user"]["name"] for m in listed.data) == ["Dana", "Olive"]
    promoted = await api.call("PATCH", f"{base}/{dana}", token=owner.access, body={"role": "admin"})
    assert promoted.data["role"] == "admin"
    again = await api.call("POST", base, token=owner.access, body={"email": "dana@example.com"})
    assert again.status == 409
    removed = await api.call("DELETE", f"{base}/{dana}", token=owner.access)
    assert removed.status == 200
    assert len((await api.call("GET", base, token=owner.access)).data) == 1


async def test_role_change_is_seen_on_the_next_request(api, owner):
    member = await api.join(owner, "member")
    ok = await api.call(
        "POST", "/api/v1/tasks", token=member.access, body={"project": "INBOX", "title": "a"}
    )
    assert ok.status == 201
    await api.call(
        "PATCH",
        f"/api/v1/organizations/{owner.org}/members/{member.user_id}",
        token=owner.access,
        body={"role": "viewer"},
    )
    refused = await api.call(
        "POST", "/api/v1/tasks", token=member.access, body={"project": "INBOX", "title": "b"}
    )
    assert refused.status == 403
    await api.call(
        "DELETE", f"/api/v1/organizations/{owner.org}/members/{member.user_id}", token=owner.access
    )
    gone = await api.call("GET", "/api/v1/tasks", token=member.access)
    assert gone.status == 404


async def test_projects(api, owner):
    base = f"/api/v1/organizations/{owner.org}/projects"
    created = await api.call(
        "POST",
        base,
        token=owner.access,
        body={"key": "web", "name": "Website", "description": "Marketing site"},
    )
    assert created.status == 201 and created.data["key"] == "WEB"
    pid = created.data["id"]
    assert sorted(p["key"] for p in (await api.call("GET", base, token=owner.access)).data) == [
        "INBOX",
        "WEB",
    ]
    by_key = await api.call("GET", "/api/v1/projects/WEB", token=owner.access)
    assert by_key.data["id"] == pid
    updated = await api.call(
        "PATCH", f"/api/v1/projects/{pid}", token=owner.access, body={"name": "Web"}
    )
    assert updated.data["name"] == "Web"
    archived = await api.call("POST", f"/api/v1/projects/{pid}/archive", token=owner.access)
    assert archived.data["status"] == "archived"
    late = await api.call(
        "POST", f"/api/v1/projects/{pid}/tasks", token=owner.access, body={"title": "late"}
    )
    assert late.status == 422
    restored = await api.call("DELETE", f"/api/v1/projects/{pid}/archive", token=owner.access)
    assert restored.data["status"] == "active"


async def test_task_lifecycle_with_etags(api, owner):
    await api.call(
        "POST",
        f"/api/v1/organizations/{owner.org}/projects",
        token=owner.access,
        body={"key": "WEB", "name": "Website"},
    )
    due = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    created = await api.call(
        "POST",
        "/api/v1/projects/WEB/tasks",
        token=owner.access,
        body={
            "title": "Fix login redirect",
            "priority": "high",
            "labels": ["bug"],
            "due_at": due,
            "assignee_id": owner.user_id,
        },
    )
    assert created.status == 201
    assert created.data["key"] == "WEB-1" and created.headers["ETag"] == '"1"'
    assert created.data["assignee"]["id"] == owner.user_id

    got = await api.call("GET", "/api/v1/tasks/web-1", token=owner.access)
    assert got.data["id"] == created.data["id"] and got.headers["ETag"] == '"1"'

    patched = await api.call(
        "PATCH",
        "/api/v1/tasks/WEB-1",
        token=owner.access,
        headers={"If-Match": '"1"'},
        body={"status": "done"},
    )
    assert patched.status == 200 and patched.data["completed_at"] is not None
    assert patched.headers["ETag"] == '"2"'

    stale = await api.call(
        "PATCH",
        "/api/v1/tasks/WEB-1",
        token=owner.access,
        headers={"If-Match": '"1"'},
        body={"title": "Overwrite"},
    )
    assert stale.status == 412 and stale.error["code"] == "PRECONDITION_FAILED"
    assert stale.headers["ETag"] == '"2"'
    assert (await api.call("GET", "/api/v1/tasks/WEB-1", token=owner.access)).data[
        "title"
    ] == "Fix login redirect"

    replaced = await api.call(
        "PUT",
        f"/api/v1/tasks/{created.data['id']}",
        token=owner.access,
        headers={"If-Match": '"2"'},
        body={"title": "Replaced"},
    )
    assert replaced.status == 200
    assert (replaced.data["title"], replaced.data["status"], replaced.data["labels"]) == (
        "Replaced",
        "todo",
        [],
    )
    assert replaced.data["assignee"] is None and replaced.data["completed_at"] is None

    unassign = await api.call(
        "PATCH", "/api/v1/tasks/WEB-1", token=owner.access, body={"assignee_id": None}
    )
    assert unassign.status == 200

    comment = await api.call(
        "POST",
        "/api/v1/tasks/WEB-1/comments",
        token=owner.access,
        body={"body": "Deployed to staging"},
    )
    assert comment.status == 201 and comment.data["author"]["id"] == owner.user_id
    comments = await api.call("GET", "/api/v1/tasks/WEB-1/comments", token=owner.access)
    assert [c["body"] for c in comments.data] == ["Deployed to staging"]

    activity = await api.call("GET", "/api/v1/tasks/WEB-1/activity", token=owner.access)
    assert [a["action"] for a in activity.data] == [
        "task.created",
        "task.updated",
        "task.updated",
        "comment.added",
    ]
    assert activity.data[1]["changes"]["status"] == {"from": "todo", "to": "done"}

    deleted = await api.call("DELETE", "/api/v1/tasks/WEB-1", token=owner.access)
    assert deleted.status == 200
    assert (await api.call("GET", "/api/v1/tasks/WEB-1", token=owner.access)).status == 404
    assert (await api.call("GET", "/api/v1/tasks", token=owner.access)).data == []


async def test_task_list_filters(api, owner):
    member = await api.join(owner, "member", "Alice")
    for body in (
        {
            "title": "Mine urgent",
            "priority": "urgent",
            "assignee_id": member.user_id,
            "labels": ["bug"],
        },
        {"title": "Unassigned", "status": "in_progress"},
        {"title": "Search me please", "description": "needle"},
    ):
        assert (
            await api.call(
                "POST", "/api/v1/tasks", token=owner.access, body={"project": "INBOX", **body}
            )
        ).status == 201

    async def titles(token, **query):
        reply = await api.call("GET", "/api/v1/tasks", token=token, query=query)
        assert reply.status == 200, reply.body
        return sorted(t["title"] for t in reply.data)

    assert await titles(member.access, assignee="me") == ["Mine urgent"]
    assert await titles(owner.access, assignee="none") == ["Search me please", "Unassigned"]
    assert await titles(owner.access, status="in_progress,in_review") == ["Unassigned"]
    assert await titles(owner.access, priority="urgent") == ["Mine urgent"]
    assert await titles(owner.access, label="bug") == ["Mine urgent"]
    assert await titles(owner.access, q="needle") == ["Search me please"]
    assert await titles(owner.access, project="INBOX", sort="-priority", limit=1) == ["Mine urgent"]
    assert await titles(owner.access, overdue="true") == []


async def test_a_task_list_answers_in_its_documented_shape(api, owner):
    """The list is written straight to JSON: it still parses as the documented envelope,
    and each task reads the same as the single-task answer."""
    member = await api.join(owner, "member", "Alice")
    due = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    created = await api.call(
        "POST",
        "/api/v1/tasks",
        token=owner.access,
        body={
            "project": "INBOX",
            "title": "Ünïcode — ok",
            "assignee_id": member.user_id,
            "labels": ["ui", "bug"],
            "due_at": due,
        },
    )
    listed = await api.call("GET", "/api/v1/tasks", token=owner.access, query={"limit": 1})
    one = await api.call("GET", f"/api/v1/tasks/{created.data['key']}", token=owner.access)

    page = PageEnvelope[TaskOut].model_validate(listed.body)
    assert page.meta.limit == 1 and page.meta.request_id
    assert listed.data == [one.data]
    assert listed.data[0]["labels"] == ["bug", "ui"]
    assert listed.data[0]["assignee"]["name"] == "Alice"


async def test_metrics_count_requests_and_tasks(api, owner):
    await api.call(
        "POST",
        "/api/v1/tasks",
        token=owner.access,
        body={"project": "INBOX", "title": "Counted", "status": "done"},
    )
    reply = await api.client.get("/metrics")
    text = (await reply.get_data()).decode()
    assert reply.status_code == 200
    assert 'teamflow_tasks_created_total{source="api"} 1.0' in text
    assert 'teamflow_tasks_completed_total{source="api"} 1.0' in text
    assert 'route="/api/v1/tasks",status="201"' in text


async def test_project_metadata_is_cached_and_forgotten_on_change(api, owner):
    from core.services import members, projects

    base = f"/api/v1/organizations/{owner.org}/projects"
    await api.call("POST", base, token=owner.access, body={"key": "WEB", "name": "Website"})
    first = await api.call("GET", "/api/v1/projects/WEB", token=owner.access)
    assert first.data["name"] == "Website"

    import uuid as uuid_module

    actor = await members.actor_for(uuid_module.UUID(owner.user_id), uuid_module.UUID(owner.org))
    await projects.update_project(actor, ref="WEB", name="Renamed elsewhere")
    cached = await api.call("GET", f"/api/v1/projects/{first.data['id']}", token=owner.access)
    assert cached.data["name"] == "Website", "served from the cache within its TTL"

    renamed = await api.call(
        "PATCH", "/api/v1/projects/WEB", token=owner.access, body={"name": "Web"}
    )
    assert renamed.data["name"] == "Web"
    fresh = await api.call("GET", "/api/v1/projects/web", token=owner.access)
    assert fresh.data["name"] == "Web", "a change through the API clears the cached entry"
    listed = await api.call("GET", "/api/v1/projects/WEB/tasks", token=owner.access)
    assert listed.status == 200 and listed.data == []
