"""One-time sign-in links from Slack: five minutes, once, and opening is not using."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from core.clock import utcnow
from core.enums import Role
from core.errors import Unauthenticated
from core.permissions import Actor
from core.services import magic_links
from tests.e2e.web import WebClient

USED_OR_EXPIRED = "already used, it expired"


def _actor(session) -> Actor:
    return Actor(uuid.UUID(session.user_id), uuid.UUID(session.org), Role.OWNER)


@pytest.fixture
def browser(app) -> WebClient:
    return WebClient(app)


async def test_a_link_signs_in_once(app, owner):
    token = await magic_links.issue_magic_link(_actor(owner), now=utcnow())
    browser = WebClient(app)
    page = await browser.get(f"/login/magic/{token}")
    assert page.status == 200 and "Continue to TeamFlow" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert (await browser.get(f"/login/magic/{token}")).status == 200, "opening is not using"

    reply = await browser.post(f"/login/magic/{token}", {"csrf_token": page.csrf})
    assert reply.status == 303 and reply.location == "/dashboard"
    assert reply.cookies()["tf_access"]["httponly"] == "true"
    assert browser.cookie("tf_org") == owner.org
    assert (await browser.get("/projects")).status == 200

    someone_else = WebClient(app)
    second = await someone_else.submit(f"/login/magic/{token}", f"/login/magic/{token}", {})
    assert second.status == 401
    assert USED_OR_EXPIRED in second.text
    assert "tf_access" not in second.cookies()


async def test_a_link_needs_the_form_token(browser, owner):
    token = await magic_links.issue_magic_link(_actor(owner), now=utcnow())
    await browser.get(f"/login/magic/{token}")
    assert (await browser.post(f"/login/magic/{token}", {})).status == 403
    reply = await browser.submit(f"/login/magic/{token}", f"/login/magic/{token}", {})
    assert reply.status == 303, "the refused post did not use the link up"


async def test_an_expired_link_does_not_sign_in(browser, owner):
    issued = utcnow() - timedelta(minutes=5, seconds=1)
    token = await magic_links.issue_magic_link(_actor(owner), now=issued)
    reply = await browser.submit(f"/login/magic/{token}", f"/login/magic/{token}", {})
    assert reply.status == 401 and USED_OR_EXPIRED in reply.text


async def test_a_link_lasts_five_minutes(owner):
    issued = utcnow()
    token = await magic_links.issue_magic_link(_actor(owner), now=issued)
    with pytest.raises(Unauthenticated):
        await magic_links.redeem_magic_link(token, now=issued + timedelta(minutes=5))
    other = await magic_links.issue_magic_link(_actor(owner), now=issued)
    actor = await magic_links.redeem_magic_link(
        other, now=issued + timedelta(minutes=4, seconds=59)
    )
    assert (str(actor.user_id), str(actor.organization_id)) == (owner.user_id, owner.org)
    assert actor.role is Role.OWNER and actor.source.value == "web"


async def test_an_unknown_link_is_refused(browser):
    reply = await browser.submit("/login/magic/nonsense", "/login/magic/nonsense", {})
    assert reply.status == 401 and USED_OR_EXPIRED in reply.text


async def test_two_clicks_at_once_sign_in_once(owner):
    token = await magic_links.issue_magic_link(_actor(owner), now=utcnow())
    outcomes = await asyncio.gather(
        *(magic_links.redeem_magic_link(token, now=utcnow()) for _ in range(4)),
        return_exceptions=True,
    )
    assert sum(isinstance(o, Actor) for o in outcomes) == 1
    assert sum(isinstance(o, Unauthenticated) for o in outcomes) == 3


async def test_a_link_signs_in_to_its_own_organization(app, api, owner):
    second = await api.call(
        "POST", "/api/v1/organizations", token=owner.access, body={"name": "Zeta"}
    )
    actor = Actor(uuid.UUID(owner.user_id), uuid.UUID(second.data["id"]), Role.OWNER)
    token = await magic_links.issue_magic_link(actor, now=utcnow())
    browser = WebClient(app)
    await browser.submit(f"/login/magic/{token}", f"/login/magic/{token}", {})
    page = await browser.get("/admin")
    assert 'Admin <span class="subtle">· Zeta</span>' in page.text


async def test_a_removed_member_cannot_use_their_link(browser, api, owner):
    member = await api.join(owner, "member")
    actor = Actor(uuid.UUID(member.user_id), uuid.UUID(owner.org), Role.MEMBER)
    token = await magic_links.issue_magic_link(actor, now=utcnow())
    removed = await api.call(
        "DELETE", f"/api/v1/organizations/{owner.org}/members/{member.user_id}", token=owner.access
    )
    assert removed.status == 200, removed.body
    reply = await browser.submit(f"/login/magic/{token}", f"/login/magic/{token}", {})
    assert reply.status == 401 and "no longer a member" in reply.text
