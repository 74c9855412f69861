"""Signing in, staying signed in, and signing out, as an API client does it."""

from datetime import UTC, datetime, timedelta

import jwt

from core.config import load_settings
from tests.e2e.conftest import Api
from webhooks.app import create_app


async def test_register_then_me(api, owner):
    me = await api.call("GET", "/api/v1/auth/me", token=owner.access)
    assert me.status == 200
    assert me.data["user"]["email"] == owner.email
    assert [(o["name"], o["role"]) for o in me.data["organizations"]] == [("Acme", "owner")]
    assert me.data["via"] == "access_token"


async def test_register_with_a_taken_email_is_a_conflict(api, owner):
    again = await api.call(
        "POST",
        "/api/v1/auth/register",
        body={
            "email": owner.email.upper(),
            "password": "long enough pw",
            "name": "X",
            "organization_name": "Other",
        },
    )
    assert again.status == 409
    assert again.error["code"] == "CONFLICT"


async def test_registration_can_be_switched_off(db, app_cache):
    settings = load_settings(TEAMFLOW_ALLOW_REGISTRATION="false")
    closed = Api(create_app(settings, cache=app_cache, manage_database=False))
    reply = await closed.call(
        "POST",
        "/api/v1/auth/register",
        body={
            "email": "new@example.com",
            "password": "long enough pw",
            "name": "N",
            "organization_name": "Org",
        },
    )
    assert reply.status == 403
    assert "switched off" in reply.error["message"]


async def test_login_with_wrong_password_and_unknown_email_look_the_same(api, owner):
    wrong = await api.call(
        "POST", "/api/v1/auth/login", body={"email": owner.email, "password": "nope"}
    )
    unknown = await api.call(
        "POST", "/api/v1/auth/login", body={"email": "ghost@example.com", "password": "nope"}
    )
    assert wrong.status == unknown.status == 401
    assert wrong.error["message"] == unknown.error["message"]


async def test_refresh_rotates_and_reuse_revokes_the_sign_in(api, owner):
    first = await api.call("POST", "/api/v1/auth/refresh", body={"refresh_token": owner.refresh})
    assert first.status == 200
    rotated = first.data["refresh_token"]
    assert rotated != owner.refresh
    me = await api.call("GET", "/api/v1/auth/me", token=first.data["access_token"])
    assert me.status == 200

    reused = await api.call("POST", "/api/v1/auth/refresh", body={"refresh_token": owner.refresh})
    assert reused.status == 401
    assert "reuse" in reused.error["message"].lower()
    after_theft = await api.call("POST", "/api/v1/auth/refresh", body={"refresh_token": rotated})
    assert after_theft.status == 401, "the whole family is revoked, the newest token too"


async def test_another_sign_in_survives_a_reuse_elsewhere(api, owner):
    second = await api.call(
        "POST", "/api/v1/auth/login", body={"email": owner.email, "password": owner.password}
    )
    await api.call("POST", "/api/v1/auth/refresh", body={"refresh_token": owner.refresh})
    await api.call("POST", "/api/v1/auth/refresh", body={"refresh_token": owner.refresh})
    other = await api.call(
        "POST", "/api/v1/auth/refresh", body={"refresh_token": second.data["refresh_token"]}
    )
    assert other.status == 200


async def test_logout_revokes_access_and_refresh(api, owner):
    out = await api.call(
        "POST", "/api/v1/auth/logout", token=owner.access, body={"refresh_token": owner.refresh}
    )
    assert out.status == 200
    me = await api.call("GET", "/api/v1/auth/me", token=owner.access)
    assert me.status == 401
    assert "revoked" in me.error["message"]
    refreshed = await api.call(
        "POST", "/api/v1/auth/refresh", body={"refresh_token": owner.refresh}
    )
    assert refreshed.status == 401


async def test_expired_and_forged_access_tokens_are_refused(api, owner):
    secret = load_settings().secret_key
    now = datetime.now(UTC)
    base = {"sub": owner.user_id, "type": "access", "iss": "teamflow", "jti": "x"}
    expired = jwt.encode(
        base | {"iat": now - timedelta(hours=1), "exp": now - timedelta(minutes=1)},
        secret,
        algorithm="HS256",
    )
    forged = jwt.encode(
        base | {"iat": now, "exp": now + timedelta(minutes=5)},
        "another-secret-that-is-long-enough-000",
        algorithm="HS256",
    )
    unsigned = jwt.encode(
        base | {"iat": now, "exp": now + timedelta(minutes=5)}, None, algorithm="none"
    )
    refresh_type = jwt.encode(
        base | {"type": "refresh", "iat": now, "exp": now + timedelta(minutes=5)},
        secret,
        algorithm="HS256",
    )

    reply = await api.call("GET", "/api/v1/auth/me", token=expired)
    assert reply.status == 401 and "expired" in reply.error["message"]
    for token in (forged, unsigned, refresh_type, "garbage"):
        reply = await api.call("GET", "/api/v1/auth/me", token=token)
        assert reply.status == 401, token
        assert reply.error["code"] == "UNAUTHORIZED"
    missing = await api.call("GET", "/api/v1/auth/me")
    assert missing.status == 401 and "Bearer" in missing.error["message"]


async def test_access_tokens_last_fifteen_minutes(api, owner):
    claims = jwt.decode(owner.access, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 15 * 60


async def test_repeated_failed_logins_are_slowed_down(db, app_cache):
    settings = load_settings(TEAMFLOW_LOGIN_FAILURES_PER_ACCOUNT="3")
    api = Api(create_app(settings, cache=app_cache, manage_database=False))
    owner = await api.register()
    for _ in range(3):
        failed = await api.call(
            "POST", "/api/v1/auth/login", body={"email": owner.email, "password": "guess"}
        )
        assert failed.status == 401
    locked = await api.call(
        "POST", "/api/v1/auth/login", body={"email": owner.email, "password": owner.password}
    )
    assert locked.status == 429
    assert locked.error["code"] == "RATE_LIMITED"
    assert int(locked.headers["Retry-After"]) > 0


async def test_api_tokens_act_in_their_organization_with_their_role(api, owner):
    created = await api.call(
        "POST",
        f"/api/v1/organizations/{owner.org}/api-tokens",
        token=owner.access,
        body={"name": "CI bot", "role": "viewer"},
    )
    assert created.status == 201
    secret = created.data["token"]
    assert secret.startswith("tf_")

    listed = await api.call(
        "GET", f"/api/v1/organizations/{owner.org}/api-tokens", token=owner.access
    )
    assert [t["name"] for t in listed.data] == ["CI bot"]
    assert "token" not in listed.data[0] and secret not in str(listed.body)

    me = await api.call("GET", "/api/v1/auth/me", token=secret)
    assert me.status == 200 and me.data["via"] == "api_token"
    assert me.data["organizations"][0]["role"] == "viewer"
    read = await api.call("GET", "/api/v1/tasks", token=secret)
    assert read.status == 200
    write = await api.call(
        "POST", "/api/v1/tasks", token=secret, body={"project": "INBOX", "title": "x"}
    )
    assert write.status == 403

    used = await api.call(
        "GET", f"/api/v1/organizations/{owner.org}/api-tokens", token=owner.access
    )
    assert used.data[0]["last_used_at"] is not None

    revoked = await api.call(
        "DELETE",
        f"/api/v1/organizations/{owner.org}/api-tokens/{created.data['id']}",
        token=owner.access,
    )
    assert revoked.status == 200 and revoked.data["revoked_at"] is not None
    after = await api.call("GET", "/api/v1/tasks", token=secret)
    assert after.status == 401


async def test_members_cannot_create_api_tokens(api, owner):
    member = await api.join(owner, "member")
    refused = await api.call(
        "POST",
        f"/api/v1/organizations/{owner.org}/api-tokens",
        token=member.access,
        body={"name": "mine"},
    )
    assert refused.status == 403
