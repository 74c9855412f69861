"""What fuzzing found once, pinned as plain requests: each answers the error envelope, never 5xx."""

from __future__ import annotations

from typing import Any

import pytest

from webhooks.envelope import ErrorEnvelope

FINDINGS = [
    # Quart decodes the body as UTF-8 before parsing JSON; the error escaped as 500.
    pytest.param("POST", "/api/v1/auth/login", b'{"\xff": 1}', {}, 400, None, id="non-utf8-body"),
    # PostgreSQL refuses NUL in text: 500 on every text field and query parameter.
    pytest.param(
        "POST",
        "/api/v1/tasks",
        {"project": "WEB", "title": "a\x00b"},
        {},
        422,
        "title",
        id="nul-in-body",
    ),
    pytest.param(
        "POST",
        "/api/v1/auth/register",
        {"email": "a\x00@b.co", "password": "12345678", "name": "n", "organization_name": "o"},
        {},
        422,
        "email",
        id="nul-in-unauthenticated-body",
    ),
    pytest.param("GET", "/api/v1/tasks", None, {"q": "\x00"}, 422, "q", id="nul-in-query"),
    # A time with an offset that has no UTC equivalent: OverflowError, 500.
    pytest.param(
        "POST",
        "/api/v1/tasks",
        {"project": "WEB", "title": "t", "due_at": "9999-12-31T23:59:59-01:00"},
        {},
        422,
        "due_at",
        id="due-at-past-year-9999",
    ),
    pytest.param(
        "POST",
        "/api/v1/organizations/{org}/api-tokens",
        {"name": "t", "expires_at": "9999-12-31T23:59:59-01:00"},
        {},
        422,
        "expires_at",
        id="expires-at-past-year-9999",
    ),
    pytest.param(
        "GET",
        "/api/v1/tasks",
        None,
        {"due_before": "0001-01-01T00:00:00+01:00"},
        422,
        "due_before",
        id="due-before-year-0",
    ),
    # Project refs that cannot be a key.
    # A project reference that cannot be a key (too long, NUL) was looked up anyway: 500.
    pytest.param(
        "GET",
        "/api/v1/projects/ABCDEFGHIJKL",
        None,
        {},
        404,
        None,
        id="long-project-ref-in-path",
    ),
    pytest.param(
        "GET",
        "/api/v1/tasks",
        None,
        {"project": "Z" * 30},
        404,
        None,
        id="long-project-ref-in-query",
    ),
    pytest.param(
        "POST",
        "/api/v1/tasks",
        {"project": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "title": "t"},
        {},
        404,
        None,
        id="long-project-ref-in-body",
    ),
    pytest.param(
        "GET",
        "/api/v1/projects/%00",
        None,
        {},
        404,
        None,
        id="nul-project-ref-in-path",
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "query", "status", "field"), FINDINGS)
async def test_bad_input_gets_the_error_envelope(
    method: str,
    path: str,
    body: Any,
    query: dict[str, str],
    status: int,
    field: str | None,
    app,
    world,
):
    headers = {"Authorization": f"Bearer {world.token}", "Content-Type": "application/json"}
    sent: dict[str, Any] = {"headers": headers, "query_string": query}
    if isinstance(body, bytes):
        sent["data"] = body
    elif body is not None:
        sent["json"] = body
    path = path.replace("{org}", world.organization_id)
    response = await app.test_client().open(path, method=method, **sent)
    reply = await response.get_json()
    assert response.status_code == status, reply
    error = ErrorEnvelope.model_validate(reply).error
    if field is not None:
        assert field in {detail.field for detail in error.details}, error
