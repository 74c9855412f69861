"""Every error code, produced by a real bad request, in the one error envelope."""

import pytest

from core.config import load_settings
from tests.e2e.conftest import Api
from webhooks.app import create_app


def assert_envelope(reply, status, code):
    assert reply.status == status, reply.body
    assert reply.body["success"] is False
    assert reply.error["code"] == code
    assert reply.error["message"]
    assert isinstance(reply.error["details"], list)
    assert reply.body["meta"]["request_id"] == reply.headers["X-Request-ID"]
    assert "timestamp" in reply.body["meta"]


async def test_validation_error_names_each_field(api, owner):
    reply = await api.call(
        "POST",
        "/api/v1/tasks",
        token=owner.access,
        body={"project": "INBOX", "title": "", "priority": "extreme", "bogus": 1},
    )
    assert_envelope(reply, 422, "VALIDATION_ERROR")
    fields = {d["field"] for d in reply.error["details"]}
    assert {"title", "priority", "bogus"} <= fields


async def test_domain_validation_error_names_the_field(api, owner):
    reply = await api.call(
        "POST",
        "/api/v1/tasks",
        token=owner.access,
        body={"project": "INBOX", "title": "x", "due_at": "2001-01-01T00:00:00Z"},
    )
    assert_envelope(reply, 422, "VALIDATION_ERROR")
    assert reply.error["details"] == [{"field": "due_at", "message": "due date is in the past"}]


async def test_bad_query_parameters(api, owner):
    for query in (
        {"limit": "0"},
        {"sort": "title"},
        {"status": "blocked"},
        {"cursor": "zzz"},
        {"assignee": "someone"},
        {"due_before": "yesterday"},
    ):
        reply = await api.call("GET", "/api/v1/tasks", token=owner.access, query=query)
        assert_envelope(reply, 422, "VALIDATION_ERROR")


async def test_malformed_json_wrong_type_and_oversized_body(db, app_cache, owner, api):
    bad_json = await api.call(
        "POST",
        "/api/v1/tasks",
        token=owner.access,
        data=b'{"title": ',
        headers={"Content-Type": "application/json"},
    )
    assert_envelope(bad_json, 400, "BAD_REQUEST")

    as_form = await api.call(
        "POST",
        "/api/v1/tasks",
        token=owner.access,
        data="title=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_envelope(as_form, 415, "UNSUPPORTED_MEDIA_TYPE")

    small = Api(
        create_app(
            load_settings(TEAMFLOW_MAX_BODY_BYTES="2048"), cache=app_cache, manage_database=False
        )
    )
    big = await small.call(
        "POST",
        "/api/v1/tasks",
        token=owner.access,
        body={"project": "INBOX", "title": "x", "description": "d" * 5000},
    )
    assert_envelope(big, 413, "PAYLOAD_TOO_LARGE")
    assert (await api.call("GET", "/api/v1/tasks", token=owner.access)).data == []


async def test_unauthorized_forbidden_not_found_conflict(api, owner):
    assert_envelope(await api.call("GET", "/api/v1/tasks"), 401, "UNAUTHORIZED")
    viewer = await api.join(owner, "viewer")
    assert_envelope(
        await api.call(
            "POST", "/api/v1/tasks", token=viewer.access, body={"project": "INBOX", "title": "x"}
        ),
        403,
        "FORBIDDEN",
    )
    assert_envelope(
        await api.call("GET", "/api/v1/tasks/NOPE-1", token=owner.access), 404, "NOT_FOUND"
    )
    assert_envelope(
        await api.call("GET", "/api/v1/no-such-route", token=owner.access), 404, "NOT_FOUND"
    )
    projects = f"/api/v1/organizations/{owner.org}/projects"
    assert_envelope(
        await api.call("POST", projects, token=owner.access, body={"key": "INBOX", "name": "Dup"}),
        409,
        "CONFLICT",
    )


async def test_precondition_failed_and_bad_if_match(api, owner):
    await api.call(
        "POST", "/api/v1/tasks", token=owner.access, body={"project": "INBOX", "title": "x"}
    )
    stale = await api.call(
        "DELETE", "/api/v1/tasks/INBOX-1", token=owner.access, headers={"If-Match": '"7"'}
    )
    assert_envelope(stale, 412, "PRECONDITION_FAILED")
    junk = await api.call(
        "PATCH",
        "/api/v1/tasks/INBOX-1",
        token=owner.access,
        headers={"If-Match": "banana"},
        body={"title": "y"},
    )
    assert_envelope(junk, 400, "BAD_REQUEST")
    assert (await api.call("GET", "/api/v1/tasks/INBOX-1", token=owner.access)).data["title"] == "x"


async def test_rate_limited_with_retry_after(db, app_cache):
    settings = load_settings(TEAMFLOW_RATE_LIMIT_PER_MINUTE="3")
    api = Api(create_app(settings, cache=app_cache, manage_database=False))
    owner = await api.register()
    statuses = [
        (await api.call("GET", "/api/v1/tasks", token=owner.access)).status for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    limited = await api.call("GET", "/api/v1/tasks", token=owner.access)
    assert_envelope(limited, 429, "RATE_LIMITED")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60


async def test_internal_error_never_shows_a_stack_trace(app, api, owner):
    @app.get("/api/v1/explode")
    async def explode():
        raise RuntimeError("secret internals: password=hunter2")

    reply = await api.call("GET", "/api/v1/explode", token=owner.access)
    assert_envelope(reply, 500, "INTERNAL_ERROR")
    assert "hunter2" not in str(reply.body) and "Traceback" not in str(reply.body)


async def test_request_id_timing_and_version_headers(api, owner):
    reply = await api.call(
        "GET",
        "/api/v1/auth/me",
        token=owner.access,
        headers={"X-Request-ID": "trace-abc-123", "API-Version": "1"},
    )
    assert reply.headers["X-Request-ID"] == "trace-abc-123"
    assert reply.body["meta"]["request_id"] == "trace-abc-123"
    assert reply.headers["X-Process-Time"].endswith("ms")
    assert reply.headers["API-Version"] == "1"
    generated = await api.call(
        "GET", "/api/v1/auth/me", token=owner.access, headers={"X-Request-ID": "bad id with spaces"}
    )
    assert generated.headers["X-Request-ID"] != "bad id with spaces"
    unsupported = await api.call(
        "GET", "/api/v1/auth/me", token=owner.access, headers={"API-Version": "2"}
    )
    assert_envelope(unsupported, 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    "origin, allowed", [("https://app.example.com", True), ("https://evil.example", False)]
)
async def test_cors_for_configured_origins(db, app_cache, origin, allowed):
    settings = load_settings(TEAMFLOW_CORS_ORIGINS="https://app.example.com")
    api = Api(create_app(settings, cache=app_cache, manage_database=False))
    reply = await api.call(
        "OPTIONS",
        "/api/v1/tasks",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert (reply.headers.get("Access-Control-Allow-Origin") == origin) is allowed
