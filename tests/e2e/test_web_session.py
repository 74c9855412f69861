"""Signing in to the web pages: cookies, redirects, refresh, sign-out, organizations."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from core.config import load_settings
from tests.e2e.web import WebClient
from webhooks.app import create_app

SESSION_COOKIES = ("tf_access", "tf_refresh")


@pytest.fixture
def browser(app) -> WebClient:
    return WebClient(app)


async def test_home_sends_a_stranger_to_sign_in(browser):
    reply = await browser.get("/")
    assert reply.status == 303 and reply.location.endswith("/login")
    page = await browser.get("/login")
    assert page.status == 200
    assert '<label for="email">Email</label>' in page.text
    assert 'name="csrf_token"' in page.text


async def test_a_page_asks_for_sign_in_and_comes_back_after(browser, owner):
    reply = await browser.get("/projects?x=1")
    assert reply.status == 303
    assert reply.location == "/login?next=/projects%3Fx%3D1"
    form = await browser.get(reply.location)
    assert 'name="next" value="/projects?x=1"' in form.text
    signed_in = await browser.post(
        "/login",
        {
            "email": owner.email,
            "password": owner.password,
            "next": "/projects?x=1",
            "csrf_token": form.csrf,
        },
    )
    assert signed_in.status == 303 and signed_in.location == "/projects?x=1"


async def test_sign_in_sets_http_only_same_site_cookies(browser, owner):
    form = await browser.get("/login")
    assert form.cookies()["tf_csrf"]["httponly"] == "true"
    assert form.cookies()["tf_csrf"]["samesite"].lower() == "lax"
    reply = await browser.post(
        "/login", {"email": owner.email, "password": owner.password, "csrf_token": form.csrf}
    )
    assert reply.location == "/dashboard"
    cookies = reply.cookies()
    for name in SESSION_COOKIES:
        assert cookies[name]["httponly"] == "true", name
        assert cookies[name]["samesite"].lower() == "lax", name
        assert cookies[name]["path"] == "/"
        assert cookies[name]["secure"] == "", "plain http: no Secure flag"
    assert int(cookies["tf_access"]["max-age"]) == 15 * 60
    assert int(cookies["tf_refresh"]["max-age"]) == 7 * 24 * 3600
    page = await browser.get("/projects")
    assert page.status == 200 and "INBOX" in page.text


async def test_cookies_are_secure_behind_https(db, app_cache, owner):
    settings = load_settings(TEAMFLOW_ENV="test", TEAMFLOW_BASE_URL="https://tasks.example.com")
    browser = WebClient(create_app(settings, cache=app_cache, manage_database=False))
    form = await browser.get("/login")
    assert form.cookies()["tf_csrf"]["secure"] == "true"
    reply = await browser.post(
        "/login", {"email": owner.email, "password": owner.password, "csrf_token": form.csrf}
    )
    cookies = reply.cookies()
    assert all(cookies[name]["secure"] == "true" for name in SESSION_COOKIES)


async def test_the_session_is_the_apis_own_tokens(browser, api, owner):
    await browser.sign_in(owner.email, owner.password)
    me = await api.call("GET", "/api/v1/auth/me", token=browser.cookie("tf_access"))
    assert me.status == 200 and me.data["user"]["email"] == owner.email


async def test_a_wrong_password_sets_no_session(browser, owner):
    reply = await browser.submit(
        "/login", "/login", {"email": owner.email, "password": "not the password"}
    )
    assert reply.status == 401
    assert "Email or password is wrong." in reply.text
    assert not set(SESSION_COOKIES) & set(reply.cookies())
    assert f'value="{owner.email}"' in reply.text, "the email is kept in the form"


async def test_sign_in_is_throttled_like_the_api(db, app_cache, owner):
    settings = load_settings(TEAMFLOW_ENV="test", TEAMFLOW_LOGIN_FAILURES_PER_ACCOUNT=2)
    browser = WebClient(create_app(settings, cache=app_cache, manage_database=False))
    for _ in range(2):
        wrong = await browser.submit("/login", "/login", {"email": owner.email, "password": "x"})
        assert wrong.status == 401
    paused = await browser.submit(
        "/login", "/login", {"email": owner.email, "password": owner.password}
    )
    assert paused.status == 429 and "Too many failed sign-ins" in paused.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
async def test_next_never_leaves_the_site(browser, owner, target):
    page = await browser.get("/login")
    reply = await browser.post(
        "/login",
        {"email": owner.email, "password": owner.password, "next": target, "csrf_token": page.csrf},
    )
    assert reply.location == "/dashboard"


async def test_an_expired_access_token_is_refreshed_transparently(browser, api, owner):
    await browser.sign_in(owner.email, owner.password)
    old_refresh = browser.cookie("tf_refresh")
    browser.set_cookie("tf_access", _expired_access(owner.user_id))
    page = await browser.get("/projects")
    assert page.status == 200
    rotated = page.cookies()
    assert rotated["tf_refresh"]["value"] != old_refresh
    assert rotated["tf_access"]["httponly"] == "true"
    me = await api.call("GET", "/api/v1/auth/me", token=rotated["tf_access"]["value"])
    assert me.status == 200


async def test_two_requests_refreshing_at_once_both_stay_signed_in(browser, owner):
    await browser.sign_in(owner.email, owner.password)
    browser.set_cookie("tf_access", _expired_access(owner.user_id))
    first, second = await asyncio.gather(browser.get("/projects"), browser.get("/admin"))
    assert (first.status, second.status) == (200, 200)
    assert first.cookies()["tf_refresh"]["value"] == second.cookies()["tf_refresh"]["value"], (
        "the second request got the same new pair instead of tripping reuse detection"
    )
    assert (await browser.get("/projects")).status == 200


async def test_sign_out_revokes_both_tokens(browser, api, owner):
    await browser.sign_in(owner.email, owner.password)
    access, refresh = browser.cookie("tf_access"), browser.cookie("tf_refresh")
    reply = await browser.submit("/projects", "/logout", {})
    assert reply.status == 303 and reply.location == "/login"
    assert all(reply.cookies()[name]["value"] == "" for name in SESSION_COOKIES)
    assert (await api.call("GET", "/api/v1/auth/me", token=access)).status == 401
    again = await api.call("POST", "/api/v1/auth/refresh", body={"refresh_token": refresh})
    assert again.status == 401
    page = await browser.get("/login")
    assert "You are signed out." in page.text


async def test_stolen_cookies_after_sign_out_do_not_work(app, api, owner):
    browser = WebClient(app)
    await browser.sign_in(owner.email, owner.password)
    thief = WebClient(app)
    for name in (*SESSION_COOKIES, "tf_csrf"):
        thief.set_cookie(name, browser.cookie(name))
    await browser.submit("/projects", "/logout", {})
    reply = await thief.get("/projects")
    assert reply.status == 303 and reply.location.startswith("/login")


async def test_switching_organizations(browser, api, owner):
    other = await api.call(
        "POST", "/api/v1/organizations", token=owner.access, body={"name": "Zeta"}
    )
    assert other.status == 201, other.body
    await browser.sign_in(owner.email, owner.password)
    page = await browser.get("/admin")
    assert "Zeta (owner)" in page.text and 'id="organization-select"' in page.text
    switched = await browser.submit(
        "/admin", "/session/organization", {"organization_id": other.data["id"]}
    )
    assert switched.status == 303
    assert browser.cookie("tf_org") == other.data["id"]
    admin = await browser.get("/admin")
    assert 'Admin <span class="subtle">· Zeta</span>' in admin.text


async def test_switching_to_someone_elses_organization_is_404(browser, api, owner):
    stranger = await api.register(org="Elsewhere", name="Sam")
    await browser.sign_in(owner.email, owner.password)
    reply = await browser.submit(
        "/admin", "/session/organization", {"organization_id": stranger.org}
    )
    assert reply.status == 404
    browser.set_cookie("tf_org", stranger.org)
    page = await browser.get("/admin")
    assert page.status == 200 and "Elsewhere" not in page.text, "a forged cookie reaches nothing"


def _expired_access(user_id: str) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": user_id,
        "type": "access",
        "iss": "teamflow",
        "iat": now - timedelta(hours=1),
        "exp": now - timedelta(minutes=30),
        "jti": "expired-one",
    }
    return jwt.encode(claims, load_settings().secret_key, algorithm="HS256")


async def test_actor_from_cookies_for_websockets(app, browser, api, owner):
    from webhooks.web.session import actor_from_cookies

    stranger = await api.register(org="Elsewhere", name="Sam")
    await browser.sign_in(owner.email, owner.password)
    access = browser.cookie("tf_access")
    async with app.app_context():
        actor = await actor_from_cookies({"tf_access": access})
        assert actor is not None and str(actor.organization_id) == owner.org
        assert actor.source.value == "web"
        forged = await actor_from_cookies({"tf_access": access, "tf_org": stranger.org})
        assert forged is not None and str(forged.organization_id) == owner.org
        assert await actor_from_cookies({"tf_access": "not-a-token"}) is None
        assert await actor_from_cookies({}) is None
        assert await actor_from_cookies({"tf_access": _expired_access(owner.user_id)}) is None
