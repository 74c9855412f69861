"""Schemathesis against the real app, one test per API operation, bounded and reproducible.

Each operation gets a few positive and negative requests generated from `/openapi.json`,
sent as a signed-in owner whose organization has project WEB, tasks, a member and an API
token; path parameters (and a few body and query fields) point at that data some of the
time. Every answer must be no 5xx, a documented status, the documented content type, and
conform to the documented schema (the error envelope for 4xx).

The app runs in-process through schemathesis's ASGI transport. That transport drives the
app from its own event-loop thread, while the database and Redis connections belong to
the test session's loop; `on_loop` hands each request over to the session loop, and the
test waits in a worker thread so that loop stays free to serve it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from quart import Quart
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.contract.conftest import World, api_routes

MAX_EXAMPLES = 8
SECONDS_PER_OPERATION = 60
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # the same requests on every run and in CI
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: report the first failure as is
    report_multiple_bugs=False,
    print_blob=False,
    # Schema-driven strategies for big bodies can be slow to draw; not a bug in the API.
    suppress_health_check=[HealthCheck.too_slow],
)
KEEP = object()

ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Any]


@pytest.fixture(scope="session")
def schema(openapi_document: dict[str, Any]):
    config = schemathesis.Config.from_dict(
        # Our own `Authorization` header, not generated credentials.
        {"generation": {"with-security-parameters": False}}
    )
    return schemathesis.openapi.from_dict(openapi_document, config=config)


@pytest.fixture
def no_project_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same requests whichever tests were collected alongside.

    Hypothesis mixes string and number literals from every project module imported so far
    into what it draws, so `pytest tests/contract` and the full suite would send different
    requests. Keep that pool empty. (Internal names: if they move, this does nothing.)
    """
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
    except ImportError:  # pragma: no cover
        return
    monkeypatch.setattr(providers, "_get_local_constants", Constants, raising=False)
    monkeypatch.setattr(providers, "CONSTANTS_CACHE", {}, raising=False)


def on_loop(app: Quart, loop: asyncio.AbstractEventLoop) -> ASGIApp:
    """An ASGI app that runs each request of `app` on `loop`, from whichever loop calls it."""

    async def bridged(scope: dict, receive, send) -> None:
        if scope["type"] == "lifespan":  # the fixtures own startup and shutdown
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        caller = asyncio.get_running_loop()

        def back(call):
            async def on_caller(*args):
                future = asyncio.run_coroutine_threadsafe(call(*args), caller)
                return await asyncio.wrap_future(future)

            return on_caller

        future = asyncio.run_coroutine_threadsafe(app(scope, back(receive), back(send)), loop)
        await asyncio.wrap_future(future)

    return bridged


def real_data(world: World) -> dict[str, dict[str, list[Any]]]:
    """Values that name the owner's data, by where they go and the parameter's name."""
    return {
        "path_parameters": {
            "organization_id": [world.organization_id],
            "user_id": [world.member_id, world.owner_id],
            "token_id": [world.api_token_id],
            "ref": [world.task_keys[0], world.task_ids[1]],
            "project_ref": [world.project_key, world.project_id],
        },
        "query": {
            "project": [world.project_key],
            "assignee": ["me", world.member_id],
        },
        "body": {
            "project": [world.project_key, world.project_id],
            "assignee_id": [world.member_id],
        },
    }


def requests_for(operation, world: World) -> st.SearchStrategy:
    generated = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )
    known = real_data(world)

    @st.composite
    def with_real_data(draw):
        case = draw(generated)
        for location, values in known.items():
            container = getattr(case, location)
            if not isinstance(container, dict):
                continue
            for name, options in values.items():
                if name in container:
                    # Real data first: the simplest examples reach existing resources.
                    pick = draw(st.sampled_from([*options, KEEP]))
                    if pick is not KEEP:
                        container[name] = pick
        return case

    return with_real_data()


def fuzz(operation, asgi_app: ASGIApp, world: World) -> None:
    headers = {"Authorization": f"Bearer {world.token}"}

    @FUZZ
    @given(case=requests_for(operation, world))
    def check(case) -> None:
        response = case.call(app=asgi_app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


ROUTES = api_routes()


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m.upper()} {p}" for m, p in ROUTES])
async def test_operation_keeps_its_contract(method, path, schema, app, world, no_project_constants):
    operation = schema[path][method.upper()]
    asgi_app = on_loop(app, asyncio.get_running_loop())
    await asyncio.wait_for(
        asyncio.to_thread(fuzz, operation, asgi_app, world), timeout=SECONDS_PER_OPERATION
    )
