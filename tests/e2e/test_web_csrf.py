"""Every form post of the web pages needs this browser's form token; the JSON API does not."""

from __future__ import annotations

import pytest

from tests.e2e.web import WebClient

REFUSED = "This form cannot be accepted"


@pytest.fixture
def browser(app) -> WebClient:
    return WebClient(app)


async def test_sign_in_without_a_token_is_refused(browser, owner):
    await browser.get("/login")
    reply = await browser.post("/login", {"email": owner.email, "password": owner.password})
    assert reply.status == 403
    assert REFUSED in reply.text and "<h1" in reply.text
    assert "tf_access" not in reply.cookies()


async def test_a_forged_token_is_refused(browser, owner):
    await browser.get("/login")
    reply = await browser.post(
        "/login", {"email": owner.email, "password": owner.password, "csrf_token": "forged.token"}
    )
    assert reply.status == 403 and REFUSED in reply.text


async def test_another_browsers_token_is_refused(app, owner):
    attacker, victim = WebClient(app), WebClient(app)
    stolen = (await attacker.get("/login")).csrf
    await victim.sign_in(owner.email, owner.password)
    reply = await victim.post("/logout", {"csrf_token": stolen})
    assert reply.status == 403
    assert (await victim.get("/projects")).status == 200, "still signed in"


async def test_a_token_without_its_cookie_is_refused(app, owner):
    browser = WebClient(app)
    token = (await browser.get("/login")).csrf
    fresh = WebClient(app)  # a cross-site post arrives without the token's cookie pairing
    reply = await fresh.post(
        "/login", {"email": owner.email, "password": owner.password, "csrf_token": token}
    )
    assert reply.status == 403


async def test_a_wrong_token_changes_no_role(app, api, owner):
    member = await api.join(owner, "member")
    browser = WebClient(app)
    await browser.sign_in(owner.email, owner.password)
    reply = await browser.post(
        f"/admin/members/{member.user_id}/role", {"role": "admin", "csrf_token": "x"}
    )
    assert reply.status == 403
    listed = await api.call("GET", f"/api/v1/organizations/{owner.org}/members", token=owner.access)
    roles = {m["user"]["id"]: m["role"] for m in listed.data}
    assert roles[member.user_id] == "member"


async def test_the_json_api_needs_no_form_token(api, owner):
    reply = await api.call(
        "POST", "/api/v1/auth/login", body={"email": owner.email, "password": owner.password}
    )
    assert reply.status == 200
