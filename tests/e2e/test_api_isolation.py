"""Another organization's resources are 404 for every route; viewers cannot write."""

import asyncio

import pytest


@pytest.fixture
async def two_orgs(api, owner):
    other = await api.register(org="Globex", name="Gina")
    project = await api.call(
        "POST",
        f"/api/v1/organizations/{other.org}/projects",
        token=other.access,
        body={"key": "SEC", "name": "Secret"},
    )
    task = await api.call(
        "POST", "/api/v1/projects/SEC/tasks", token=other.access, body={"title": "Plans"}
    )
    token = await api.call(
        "POST",
        f"/api/v1/organizations/{other.org}/api-tokens",
        token=other.access,
        body={"name": "bot"},
    )
    return other, project.data, task.data, token.data


async def test_every_route_of_another_organization_is_not_found(api, owner, two_orgs):
    other, project, task, token = two_orgs
    org = other.org
    attempts = [
        ("GET", f"/api/v1/organizations/{org}", None),
        ("PATCH", f"/api/v1/organizations/{org}", {"name": "mine"}),
        ("DELETE", f"/api/v1/organizations/{org}", None),
        ("GET", f"/api/v1/organizations/{org}/members", None),
        ("POST", f"/api/v1/organizations/{org}/members", {"email": "spy@example.com"}),
        ("PATCH", f"/api/v1/organizations/{org}/members/{other.user_id}", {"role": "viewer"}),
        ("DELETE", f"/api/v1/organizations/{org}/members/{other.user_id}", None),
        ("GET", f"/api/v1/organizations/{org}/projects", None),
        ("POST", f"/api/v1/organizations/{org}/projects", {"key": "HACK", "name": "x"}),
        ("GET", f"/api/v1/organizations/{org}/api-tokens", None),
        ("POST", f"/api/v1/organizations/{org}/api-tokens", {"name": "x"}),
        ("DELETE", f"/api/v1/organizations/{org}/api-tokens/{token['id']}", None),
        ("GET", f"/api/v1/projects/{project['id']}", None),
        ("GET", "/api/v1/projects/SEC", None),
        ("PATCH", f"/api/v1/projects/{project['id']}", {"name": "x"}),
        ("POST", f"/api/v1/projects/{project['id']}/archive", None),
        ("GET", f"/api/v1/projects/{project['id']}/tasks", None),
        ("POST", f"/api/v1/projects/{project['id']}/tasks", {"title": "x"}),
        ("POST", "/api/v1/tasks", {"project": "SEC", "title": "x"}),
        ("GET", f"/api/v1/tasks/{task['id']}", None),
        ("GET", "/api/v1/tasks/SEC-1", None),
        ("PATCH", f"/api/v1/tasks/{task['id']}", {"title": "x"}),
        ("PUT", f"/api/v1/tasks/{task['id']}", {"title": "x"}),
        ("DELETE", f"/api/v1/tasks/{task['id']}", None),
        ("GET", f"/api/v1/tasks/{task['id']}/comments", None),
        ("POST", f"/api/v1/tasks/{task['id']}/comments", {"body": "x"}),
        ("GET", f"/api/v1/tasks/{task['id']}/activity", None),
    ]
    for method, path, body in attempts:
        reply = await api.call(method, path, token=owner.access, body=body)
        assert reply.status == 404, (method, path, reply.status)
        assert "Plans" not in str(reply.body) and "Secret" not in str(reply.body)

    for header_org in (org,):
        sneaky = await api.call(
            "GET",
            f"/api/v1/tasks/{task['id']}",
            token=owner.access,
            headers={"X-Organization-ID": header_org},
        )
        assert sneaky.status == 404
    listed = await api.call("GET", "/api/v1/tasks", token=owner.access)
    assert listed.data == []
    intact = await api.call("GET", f"/api/v1/tasks/{task['id']}", token=other.access)
    assert intact.data["title"] == "Plans" and intact.data["version"] == 1


async def test_an_api_token_cannot_reach_another_organization(api, owner, two_orgs):
    other, _, task, _ = two_orgs
    mine = await api.call(
        "POST",
        f"/api/v1/organizations/{owner.org}/api-tokens",
        token=owner.access,
        body={"name": "bot", "role": "admin"},
    )
    secret = mine.data["token"]
    for path in (f"/api/v1/tasks/{task['id']}", f"/api/v1/organizations/{other.org}/projects"):
        assert (await api.call("GET", path, token=secret)).status == 404


async def test_viewer_reads_but_cannot_write(api, owner):
    await api.call(
        "POST", "/api/v1/tasks", token=owner.access, body={"project": "INBOX", "title": "Read me"}
    )
    viewer = await api.join(owner, "viewer", "Vic")
    assert (await api.call("GET", "/api/v1/tasks/INBOX-1", token=viewer.access)).status == 200
    assert (
        await api.call("GET", "/api/v1/tasks/INBOX-1/activity", token=viewer.access)
    ).status == 200
    writes = [
        ("POST", "/api/v1/tasks", {"project": "INBOX", "title": "x"}),
        ("PATCH", "/api/v1/tasks/INBOX-1", {"title": "x"}),
        ("PUT", "/api/v1/tasks/INBOX-1", {"title": "x"}),
        ("DELETE", "/api/v1/tasks/INBOX-1", None),
        ("POST", "/api/v1/tasks/INBOX-1/comments", {"body": "x"}),
        ("POST", f"/api/v1/organizations/{owner.org}/projects", {"key": "NEW", "name": "x"}),
        ("POST", f"/api/v1/organizations/{owner.org}/members", {"email": "x@example.com"}),
        ("PATCH", f"/api/v1/organizations/{owner.org}", {"name": "x"}),
    ]
    for method, path, body in writes:
        reply = await api.call(method, path, token=viewer.access, body=body)
        assert reply.status == 403, (method, path)
    task = await api.call("GET", "/api/v1/tasks/INBOX-1", token=owner.access)
    assert task.data["title"] == "Read me" and task.data["version"] == 1


async def test_pages_hold_every_task_once_while_tasks_are_added(api, owner):
    for i in range(30):
        await api.call(
            "POST",
            "/api/v1/tasks",
            token=owner.access,
            body={"project": "INBOX", "title": f"Old {i}"},
        )
    seen: list[str] = []
    cursor = None
    added = 0
    while True:
        page = await api.call(
            "GET", "/api/v1/tasks", token=owner.access, query={"limit": 7, "cursor": cursor}
        )
        assert page.status == 200
        seen.extend(t["key"] for t in page.data)
        await asyncio.gather(
            *(
                api.call(
                    "POST",
                    "/api/v1/tasks",
                    token=owner.access,
                    body={"project": "INBOX", "title": f"New {added + j}"},
                )
                for j in range(2)
            )
        )
        added += 2
        cursor = page.body["meta"]["next_cursor"]
        assert page.body["meta"]["has_more"] is (cursor is not None)
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "no task twice"
    assert {f"INBOX-{n}" for n in range(1, 31)} <= set(seen), "every task that existed, once"
