"""Hostile credentials on every operation in /openapi.json, and refresh tokens reused.

tests/e2e/test_api_auth.py shows `/auth/me` refuses a forged, unsigned or expired token;
here every protected operation is tried with each kind of bad token (aimed at real data
of the account the token claims to be), and a refresh token is raced and reused.
"""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from core.config import load_settings
from tests.e2e.conftest import Api, Session
from tests.reliability.hostile import every_operation, generic_delivery, hostile_app
from tests.reliability.test_hostile_tenancy import BODIES
from webhooks.envelope import ErrorEnvelope

UNAUTHENTICATED = {
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
}


def forged_tokens(owner: Session, secret: str) -> dict[str, str]:
    """Tokens that claim to be `owner` and must all be refused."""
    now = datetime.now(UTC)
    claims = {
        "sub": owner.user_id,
        "org": owner.org,
        "type": "access",
        "iss": "teamflow",
        "jti": secrets.token_hex(12),
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    header, payload, signature = owner.access.split(".")
    other_claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    other_claims["sub"] = "00000000-0000-0000-0000-000000000001"
    tampered = base64.urlsafe_b64encode(json.dumps(other_claims).encode()).rstrip(b"=")
    return {
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "alg none, no signature dot": jwt.encode(claims, None, algorithm="none").rstrip("."),
        "wrong key": jwt.encode(claims, "another-secret-" + "k" * 32, algorithm="HS256"),
        "HS512 with the right key": jwt.encode(claims, secret, algorithm="HS512"),
        "expired": jwt.encode(
            claims | {"iat": now - timedelta(hours=1), "exp": now - timedelta(minutes=1)},
            secret,
            algorithm="HS256",
        ),
        "not yet valid (iat in the future is fine, nbf is not)": jwt.encode(
            claims | {"nbf": now + timedelta(hours=1)}, secret, algorithm="HS256"
        ),
        "a refresh-type JWT": jwt.encode(claims | {"type": "refresh"}, secret, algorithm="HS256"),
        "missing exp": jwt.encode(
            {k: v for k, v in claims.items() if k != "exp"}, secret, algorithm="HS256"
        ),
        "wrong issuer": jwt.encode(claims | {"iss": "evil"}, secret, algorithm="HS256"),
        "payload swapped, signature kept": f"{header}.{tampered.decode()}.{signature}",
        "the refresh token as a bearer": owner.refresh,
        "an API token that does not exist": "tf_" + secrets.token_urlsafe(32),
        "garbage": "not-a-token",
    }


@pytest.fixture
async def signed_in(db, app_cache):
    """An owner with one of everything the API addresses; the bad tokens claim to be them,
    so a token that got through would reach real data."""
    api = Api(hostile_app(app_cache))
    owner = await api.register(org="Acme", name="Olive")
    own = await victim_like(api, owner)
    return api, owner, own


async def victim_like(api: Api, owner: Session) -> dict[str, str]:
    async def post(path: str, body: Any) -> dict[str, Any]:
        reply = await api.call("POST", f"/api/v1{path}", token=owner.access, body=body)
        assert reply.status in (200, 201), (path, reply.body)
        return reply.data

    project = await post(f"/organizations/{owner.org}/projects", {"key": "SEC", "name": "Sec"})
    task = await post("/projects/SEC/tasks", {"title": "Plans"})
    member = await post(
        f"/organizations/{owner.org}/members",
        {"email": f"pat-{secrets.token_hex(3)}@example.com", "name": "Pat", "role": "member"},
    )
    token = await post(f"/organizations/{owner.org}/api-tokens", {"name": "bot"})
    endpoint = await post(
        f"/organizations/{owner.org}/webhook-endpoints",
        {"provider": "generic", "project_id": "SEC"},
    )
    outbound = await post(
        f"/organizations/{owner.org}/outbound-webhooks",
        {"url": "https://hooks.example.com/in", "events": ["created"]},
    )
    delivery = await generic_delivery(api, endpoint, {"action": "create", "title": "Alarm"})
    return {
        "organization_id": owner.org,
        "user_id": member["user"]["id"],
        "project_ref": project["id"],
        "ref": task["id"],
        "provider": "github",
        "token_id": token["id"],
        "webhook_id": outbound["id"],
        "delivery_id": delivery,
        "endpoint_id": endpoint["id"],
    }


def concrete(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    assert "{" not in template, template
    return template


@pytest.mark.filterwarnings("ignore:The HMAC key is .* below the minimum recommended length")
async def test_every_protected_operation_refuses_forged_and_stale_tokens(signed_in, figures):
    """Every protected operation in /openapi.json, with an unsigned (`alg: none`) token, a
    wrong key, another algorithm, an expired or not-yet-valid token, a tampered payload,
    a refresh token and garbage: 401 in the error envelope, and nothing changes."""
    api, owner, own = signed_in
    secret = load_settings().secret_key
    tokens = forged_tokens(owner, secret)
    wrong: list[tuple[str, str, str, int]] = []
    for method, template in sorted(every_operation() - UNAUTHENTICATED):
        path = concrete(template, own)
        body = (
            BODIES
            | {
                ("POST", "/api/v1/auth/logout"): {"refresh_token": owner.refresh},
                ("POST", "/api/v1/organizations"): {"name": "Planted"},
            }
        ).get((method, template))
        for name, token in tokens.items():
            reply = await api.call(method, path, token=token, body=body)
            figures.add(requests=1, inputs=1)
            if reply.status != 401 or ErrorEnvelope.model_validate(reply.body).error.code != (
                "UNAUTHORIZED"
            ):
                wrong.append((name, method, path, reply.status))
    figures.set(refused=figures.counts["requests"] - len(wrong), server_errors=0, lost=0)
    figures.note(f"{len(tokens)} kinds of bad token")

    assert wrong == [], "\n".join(map(str, wrong))
    after = await api.call("GET", f"/api/v1/tasks/{own['ref']}", token=owner.access)
    assert (after.data["title"], after.data["version"]) == ("Plans", 1)
    orgs = await api.call("GET", "/api/v1/organizations", token=owner.access)
    assert [o["name"] for o in orgs.data] == ["Acme"]
    # The forged logouts carried the real refresh token: it must still work.
    refreshed = await api.call(
        "POST", "/api/v1/auth/refresh", body={"refresh_token": owner.refresh}
    )
    assert refreshed.status == 200


async def test_a_refresh_token_raced_or_reused_signs_everyone_out(signed_in, figures):
    """The same refresh token presented ten times at once: exactly one rotation wins; the
    other nine count as reuse, which revokes the whole sign-in, the winner's new token
    included. A used refresh token presented later is refused, as is one after logout."""
    api, owner, _ = signed_in

    async def refresh(token: str) -> Any:
        return await api.call("POST", "/api/v1/auth/refresh", body={"refresh_token": token})

    raced = await asyncio.gather(*(refresh(owner.refresh) for _ in range(10)))
    winners = [r for r in raced if r.status == 200]
    figures.add(requests=len(raced), inputs=len(raced))
    assert len(winners) == 1, [r.status for r in raced]
    assert sorted(r.status for r in raced) == [200] + [401] * 9
    after_race = await refresh(winners[0].data["refresh_token"])
    assert after_race.status == 401, "reuse during the race revoked the whole sign-in"

    second = await api.call(
        "POST", "/api/v1/auth/login", body={"email": owner.email, "password": owner.password}
    )
    rotated = await refresh(second.data["refresh_token"])
    reused = await refresh(second.data["refresh_token"])
    newest = await refresh(rotated.data["refresh_token"])
    figures.add(requests=4, inputs=3)
    assert (rotated.status, reused.status, newest.status) == (200, 401, 401)

    third = await api.call(
        "POST", "/api/v1/auth/login", body={"email": owner.email, "password": owner.password}
    )
    out = await api.call(
        "POST",
        "/api/v1/auth/logout",
        token=third.data["access_token"],
        body={"refresh_token": third.data["refresh_token"]},
    )
    after_logout = await refresh(third.data["refresh_token"])
    access_after = await api.call("GET", "/api/v1/auth/me", token=third.data["access_token"])
    access_as_refresh = await refresh(third.data["access_token"])
    figures.add(requests=5, inputs=3)
    assert out.status == 200
    assert (after_logout.status, access_after.status) == (401, 401)
    assert access_as_refresh.status in (401, 422)
    figures.set(refused=figures.counts["requests"] - 4, server_errors=0, lost=0)
