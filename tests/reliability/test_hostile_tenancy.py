"""Cross-tenant attempts on every operation in /openapi.json: 404, and nothing of the other
organization in the answer or changed in the database.

tests/e2e/test_api_isolation.py checks a hand-picked list; this one is driven by the
OpenAPI document, so a new route without a cross-tenant case fails here until it has one.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Api
from tests.reliability.hostile import Victim, every_operation, hostile_app, victim

# Not about another organization's resources: signing in and out, your own organizations
# (the second test checks that list shows nothing of another one).
NOT_TENANT_SCOPED = {
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/auth/me"),
    ("GET", "/api/v1/organizations"),
    ("POST", "/api/v1/organizations"),
}

BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/api/v1/organizations/{organization_id}"): {"name": "Mine now"},
    ("POST", "/api/v1/organizations/{organization_id}/api-tokens"): {"name": "spy"},
    ("POST", "/api/v1/organizations/{organization_id}/members"): {
        "email": "spy@example.com",
        "name": "Spy",
        "role": "member",
    },
    ("PATCH", "/api/v1/organizations/{organization_id}/members/{user_id}"): {"role": "viewer"},
    (
        "PUT",
        "/api/v1/organizations/{organization_id}/members/{user_id}/identities/{provider}",
    ): {"login": "spy"},
    ("POST", "/api/v1/organizations/{organization_id}/outbound-webhooks"): {
        "url": "https://spy.example.com/hook",
        "events": ["created"],
    },
    ("POST", "/api/v1/organizations/{organization_id}/projects"): {"key": "HACK", "name": "x"},
    ("POST", "/api/v1/organizations/{organization_id}/webhook-endpoints"): {
        "provider": "github",
        "project_id": "SEC",
    },
    ("PATCH", "/api/v1/outbound-webhooks/{webhook_id}"): {"is_active": False},
    ("PATCH", "/api/v1/projects/{project_ref}"): {"name": "Hacked"},
    ("POST", "/api/v1/projects/{project_ref}/tasks"): {"title": "Planted"},
    ("POST", "/api/v1/tasks"): {"project": "SEC", "title": "Planted"},
    ("PATCH", "/api/v1/tasks/{ref}"): {"title": "Hacked"},
    ("PUT", "/api/v1/tasks/{ref}"): {"title": "Hacked"},
    ("POST", "/api/v1/tasks/{ref}/comments"): {"body": "Planted"},
    ("PATCH", "/api/v1/webhook-endpoints/{endpoint_id}"): {"name": "Hacked"},
}


def path_values(other: Victim) -> dict[str, list[str]]:
    """Each path parameter, pointed at the other organization (by id and by key)."""
    return {
        "organization_id": [other.session.org],
        "user_id": [other.member_id],
        "token_id": [other.token_id],
        "provider": ["github"],
        "webhook_id": [other.outbound_id],
        "project_ref": [other.project_id, "SEC"],
        "ref": [other.task_id, "SEC-1"],
        "delivery_id": [other.delivery_id],
        "endpoint_id": [other.endpoint_id],
    }


def attempts(other: Victim) -> list[tuple[str, str, str, dict[str, str]]]:
    """(method, OpenAPI path, concrete path, extra headers) for every tenant operation."""
    values = path_values(other)
    found = []
    for method, template in sorted(every_operation() - NOT_TENANT_SCOPED):
        paths = [template]
        for name, options in values.items():
            if "{" + name + "}" in template:
                paths = [p.replace("{" + name + "}", v) for p in paths for v in options]
        assert all("{" not in p for p in paths), f"no value for a parameter of {template}"
        for path in paths:
            # A route without a parameter acts in your own organization unless the header
            # or the body (a project key) names another one.
            if path != template or (method, template) in BODIES:
                found.append((method, template, path, {}))
            # Naming the other organization in the header must not open its door either.
            found.append((method, template, path, {"X-Organization-ID": other.session.org}))
    return found


@pytest.fixture
async def world(db, app_cache):
    api = Api(hostile_app(app_cache))
    attacker = await api.register(org="Acme", name="Mallory")
    token = await api.call(
        "POST",
        f"/api/v1/organizations/{attacker.org}/api-tokens",
        token=attacker.access,
        body={"name": "mallory-bot", "role": "admin"},
    )
    return api, attacker, token.data["token"], await victim(api)


async def test_every_operation_of_another_organization_is_not_found(world, figures):
    """Every operation in /openapi.json aimed at another organization's resources (by id,
    by key, and with its X-Organization-ID), as its owner's JWT and as an admin API token:
    404, and no name, title, email or secret of the other organization in the answer."""
    api, attacker, api_token, other = world
    tried = attempts(other)
    covered = {(method, template) for method, template, _, _ in tried}
    assert covered == every_operation() - NOT_TENANT_SCOPED

    wrong: list[tuple[str, str, int]] = []
    leaked: list[tuple[str, str]] = []
    for credential in (attacker.access, api_token):
        for method, template, path, headers in tried:
            body = BODIES.get((method, template))
            reply = await api.call(method, path, token=credential, body=body, headers=headers)
            figures.add(requests=1, inputs=1)
            if reply.status != 404:
                wrong.append((method, path, reply.status))
            text = str(reply.body)
            leaked += [(path, word) for word in other.secrets if word in text]
    figures.set(refused=len(tried) * 2 - len(wrong), lost=0, server_errors=0)
    figures.note(f"{len(covered)} operations, {len(tried)} attempts per credential")

    assert wrong == [], "\n".join(map(str, wrong))
    assert leaked == []
    await assert_untouched(api, other)


async def test_lists_of_your_own_show_nothing_of_another_organization(world, figures):
    """The routes that list what is yours (organizations, tasks, the member list) show
    nothing of another organization, even when asked for it by name or key."""
    api, attacker, api_token, other = world
    checks = [
        ("GET", "/api/v1/organizations", {}),
        ("GET", "/api/v1/tasks", {"q": "secret"}),
        ("GET", "/api/v1/tasks", {"project": "SEC"}),
        ("GET", "/api/v1/auth/me", {}),
        ("GET", f"/api/v1/organizations/{attacker.org}/members", {}),
        ("GET", f"/api/v1/organizations/{attacker.org}/projects", {}),
    ]
    for credential in (attacker.access, api_token):
        for method, path, query in checks:
            reply = await api.call(method, path, token=credential, query=query)
            figures.add(requests=1, inputs=1)
            assert reply.status in (200, 404), (path, reply.status)
            assert [w for w in other.secrets if w in str(reply.body)] == [], path
    await assert_untouched(api, other)


async def assert_untouched(api: Api, other: Victim) -> None:
    """The other organization's data is as it was."""
    token = other.session.access
    task = await api.call("GET", f"/api/v1/tasks/{other.task_id}", token=token)
    assert (task.status, task.data["title"], task.data["version"]) == (
        200,
        "Plans for the secret launch",
        1,
    )
    org = await api.call("GET", f"/api/v1/organizations/{other.session.org}", token=token)
    assert org.status == 200 and org.data["name"] == "Globex Secretorg"
    project = await api.call("GET", f"/api/v1/projects/{other.project_id}", token=token)
    assert project.data["name"] == "Secret project" and project.data["status"] == "active"
    comments = await api.call("GET", f"/api/v1/tasks/{other.task_id}/comments", token=token)
    assert [c["body"] for c in comments.data] == ["Whisper the launch date"]
    members = await api.call(
        "GET", f"/api/v1/organizations/{other.session.org}/members", token=token
    )
    assert sorted(m["role"] for m in members.data) == ["member", "owner"]
    tokens = await api.call(
        "GET", f"/api/v1/organizations/{other.session.org}/api-tokens", token=token
    )
    assert [t.get("revoked_at") for t in tokens.data] == [None]
    endpoint = await api.call("GET", f"/api/v1/webhook-endpoints/{other.endpoint_id}", token=token)
    assert endpoint.data["is_active"] is True and endpoint.data["name"] != "Hacked"
    outbound = await api.call("GET", f"/api/v1/outbound-webhooks/{other.outbound_id}", token=token)
    assert outbound.data["is_active"] is True
    tasks = await api.call("GET", "/api/v1/projects/SEC/tasks", token=token)
    assert sorted(t["title"] for t in tasks.data) == ["Alarm", "Plans for the secret launch"]
