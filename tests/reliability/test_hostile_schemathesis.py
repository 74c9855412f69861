"""Schemathesis over the wire: every operation in /openapi.json against a real `teamflow
serve`, signed in with an API token.

tests/contract/test_schemathesis.py fuzzes every operation in-process with a JWT (8
examples each, run on every pass). This runs the same generated requests, bounded to
TEAMFLOW_RELIABILITY_FUZZ_EXAMPLES (default 8) per operation, through Hypercorn and a
real socket, as an admin API token (`tf_...`), the credential tools use: no 5xx, every
answer a documented status with the documented schema.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import aiohttp
import requests
import schemathesis
from hypothesis import given

from tests.contract.conftest import World
from tests.contract.test_schemathesis import (
    CHECKS,
    FUZZ,
    no_project_constants,  # noqa: F401  (a fixture, used by name)
    requests_for,
)
from tests.reliability import deployment as deploy
from tests.reliability.hostile import every_operation
from tests.reliability.load import PASSWORD

EXAMPLES = int(os.environ.get("TEAMFLOW_RELIABILITY_FUZZ_EXAMPLES", "8"))
SECONDS = 240


async def seed(base: str) -> tuple[World, str]:
    """The contract tests' world, built through the real server's API; and an API token."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        headers: dict[str, str] = {}

        async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
            async with http.post(f"{base}{path}", json=body, headers=headers) as reply:
                data = await reply.json()
                assert reply.status == 201, (path, data)
                return data["data"]

        session = await post(
            "/api/v1/auth/register",
            {
                "email": "fuzz@example.com",
                "password": PASSWORD,
                "name": "Olive",
                "organization_name": "Fuzz Co",
            },
        )
        headers["Authorization"] = f"Bearer {session['access_token']}"
        org = session["organization_id"]
        project = await post(f"/api/v1/organizations/{org}/projects", {"key": "WEB", "name": "W"})
        member = await post(
            f"/api/v1/organizations/{org}/members",
            {"email": "pat@example.com", "name": "Pat", "role": "member"},
        )
        tool = await post(
            f"/api/v1/organizations/{org}/api-tokens", {"name": "fuzz", "role": "admin"}
        )
        spare = await post(f"/api/v1/organizations/{org}/api-tokens", {"name": "spare"})
        world = World(
            token=tool["token"],
            organization_id=org,
            owner_id=session["user"]["id"],
            member_id=member["user"]["id"],
            project_id=project["id"],
            project_key=project["key"],
            api_token_id=spare["id"],  # fuzzing may revoke this one, never its own
        )
        for title in ("Fix login", "Write docs"):
            task = await post("/api/v1/projects/WEB/tasks", {"title": title})
            world.task_ids.append(task["id"])
            world.task_keys.append(task["key"])
        async with http.get(f"{base}/openapi.json") as reply:
            document = await reply.json()
    return world, document


async def test_every_operation_over_the_wire_with_an_api_token(
    db,
    fake_slack,
    processes,
    figures,
    tmp_path,
    no_project_constants,  # noqa: F811
):
    """Schemathesis on every operation of /openapi.json, through the real server and
    signed in with an admin API token: no 5xx, documented statuses, content types and
    schemas (the error envelope for every refusal)."""
    deployment = await deploy.start(
        database_url=db,
        workdir=tmp_path,
        fake=fake_slack,
        started=processes,
        multi=False,
        TEAMFLOW_LOGIN_FAILURES_PER_ACCOUNT="1000000",
    )
    base = deployment.targets[0]
    world, document = await seed(base)
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_dict(document, config=config)
    headers = {"Authorization": f"Bearer {world.token}"}
    statuses: dict[int, int] = {}
    failures: list[str] = []

    def fuzz_all() -> None:
        with requests.Session() as http:
            for method, path in sorted(every_operation()):
                operation = schema[path][method]

                @FUZZ.__class__(parent=FUZZ, max_examples=EXAMPLES)
                @given(case=requests_for(operation, world))
                def check(case) -> None:
                    response = case.call(base_url=base, session=http, headers=headers, timeout=30)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    case.validate_response(response, checks=CHECKS, headers=headers)

                try:
                    check()
                except Exception as exc:  # keep fuzzing the others; all failures are listed
                    failures.append(f"{method} {path}: {type(exc).__name__}: {exc}"[:2000])

    await asyncio.wait_for(asyncio.to_thread(fuzz_all), timeout=SECONDS)
    sent = sum(statuses.values())
    figures.set(
        requests=sent,
        inputs=sent,
        accepted=sum(n for s, n in statuses.items() if 200 <= s < 300),
        refused=sum(n for s, n in statuses.items() if 400 <= s < 500),
        server_errors=sum(n for s, n in statuses.items() if s >= 500),
        lost=0,
    )
    figures.note(
        f"{len(every_operation())} operations, up to {EXAMPLES} generated requests each; "
        f"answers by status {dict(sorted(statuses.items()))}"
    )

    assert failures == [], "\n\n".join(failures)
    assert not any(s >= 500 for s in statuses)
