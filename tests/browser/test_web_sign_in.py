"""Signing in with a real browser: the password form, a Slack link used twice, a forged
form token, and a viewer who tries to change a role."""

from __future__ import annotations

import re
import uuid

from playwright.async_api import expect

from core.clock import utcnow
from core.enums import Role
from core.permissions import Actor
from core.services import magic_links
from tests.browser.conftest import sign_in


async def test_sign_in_and_out(web_server, browser_page):
    owner = await web_server.register(name="Olive")
    page = browser_page
    await page.goto(f"{web_server.base_url}/projects")
    await expect(page).to_have_url(re.compile(r"/login\?next=/projects"))
    await page.get_by_label("Email").fill(owner.email)
    await page.get_by_label("Password").fill("wrong password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("Email or password is wrong")

    await page.get_by_label("Password").fill(owner.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(re.compile(r"/projects$"))
    await expect(page.get_by_role("link", name="INBOX").first).to_be_visible()
    cookies = {c["name"]: c for c in await page.context.cookies()}
    assert cookies["tf_access"]["httpOnly"] and cookies["tf_access"]["sameSite"] == "Lax"
    assert await page.evaluate("() => document.cookie") == "", "scripts see no cookie"

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(re.compile(r"/login$"))
    await expect(page.get_by_role("status")).to_contain_text("You are signed out")


async def test_a_magic_link_works_once(web_server, browser_page, browser):
    owner = await web_server.register(name="Olive")
    actor = Actor(uuid.UUID(owner.user_id), uuid.UUID(owner.org), Role.OWNER)
    token = await magic_links.issue_magic_link(actor, now=utcnow())
    link = f"{web_server.base_url}/login/magic/{token}"
    page = browser_page
    await page.goto(link)
    await page.get_by_role("button", name="Continue to TeamFlow").click()
    await expect(page).to_have_url(re.compile(r"/dashboard"))
    await expect(page.get_by_text("Olive · owner")).to_be_visible()

    other = await browser.new_context()
    try:
        second = await other.new_page()
        await second.goto(link)
        await second.get_by_role("button", name="Continue to TeamFlow").click()
        await expect(second.get_by_role("alert")).to_contain_text("already used")
        await expect(second.get_by_role("button", name="Continue to TeamFlow")).to_have_count(0)
        await second.screenshot(path=str(_artifact("magic_link_second_use")), full_page=True)
    finally:
        await other.close()


async def test_a_forged_form_token_is_refused(web_server, browser_page):
    owner = await web_server.register(name="Olive")
    page = browser_page
    await sign_in(page, web_server, owner)
    await page.goto(f"{web_server.base_url}/admin")
    await page.evaluate(
        """() => document.querySelectorAll('input[name=csrf_token]')
                 .forEach((input) => { input.value = 'forged'; })"""
    )
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="This form cannot be accepted")).to_be_visible()
    await page.goto(f"{web_server.base_url}/admin")
    await expect(page).to_have_url(re.compile(r"/admin$")), "still signed in: nothing happened"


async def test_a_viewer_cannot_change_roles(web_server, browser_page):
    owner = await web_server.register(name="Olive")
    viewer = await web_server.join(owner, role="viewer", name="Vic")
    member = await web_server.join(owner, role="member", name="Mia")
    page = browser_page
    await sign_in(page, web_server, viewer)
    await page.goto(f"{web_server.base_url}/admin")
    members = page.locator("#members")
    await expect(members).to_contain_text("Mia")
    await expect(page.get_by_role("button", name="Change role")).to_have_count(0)
    await expect(page.get_by_text("Only admins and owners change roles.")).to_be_visible()

    status = await page.evaluate(
        """async (userId) => {
            const token = document.querySelector('input[name=csrf_token]').value;
            const body = new URLSearchParams({role: 'admin', csrf_token: token});
            const reply = await fetch(`/admin/members/${userId}/role`, {method: 'POST', body});
            return reply.status;
        }""",
        member.user_id,
    )
    assert status == 403
    listed = await web_server.api(
        "GET", f"/api/v1/organizations/{owner.org}/members", token=owner.access
    )
    assert {m["user"]["id"]: m["role"] for m in listed.data}[member.user_id] == "member"


async def test_an_owner_changes_a_role(web_server, browser_page):
    owner = await web_server.register(name="Olive")
    member = await web_server.join(owner, role="member", name="Mia")
    page = browser_page
    await sign_in(page, web_server, owner)
    await page.goto(f"{web_server.base_url}/admin")
    await page.get_by_label("Role of Mia").select_option("admin")
    row = page.locator(f'tr[data-user="{member.user_id}"]')
    await row.get_by_role("button", name="Change role").click()
    await expect(page.get_by_role("status")).to_contain_text("Mia is now admin.")
    await expect(page.get_by_label("Role of Mia")).to_have_value("admin")


def _artifact(name: str):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
