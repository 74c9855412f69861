"""Project pages and the admin area through the real app, as each role sees them."""

from __future__ import annotations

import pytest

from core.models import Task
from tests.e2e.test_inbound_webhooks import fixture, make_hook
from tests.e2e.web import WebClient


async def _signed_in(app, who) -> WebClient:
    browser = WebClient(app)
    await browser.sign_in(who.email, who.password)
    return browser


async def _project(api, who, key: str = "WEB", name: str = "Website") -> None:
    reply = await api.call(
        "POST",
        f"/api/v1/organizations/{who.org}/projects",
        token=who.access,
        body={"key": key, "name": name},
    )
    assert reply.status == 201, reply.body


async def _task(api, who, project: str = "WEB", **body) -> dict:
    reply = await api.call("POST", f"/api/v1/projects/{project}/tasks", token=who.access, body=body)
    assert reply.status == 201, reply.body
    return reply.data


async def test_project_page_groups_tasks_by_status_with_details_and_activity(app, api, owner):
    await _project(api, owner)
    first = await _task(api, owner, title="Fix <b>login</b>", priority="high", labels=["auth"])
    second = await _task(api, owner, title="Write the docs")
    await api.call(
        "PATCH", f"/api/v1/tasks/{second['key']}", token=owner.access, body={"status": "done"}
    )
    browser = await _signed_in(app, owner)
    page = await browser.get("/projects/web")
    assert page.status == 200
    todo = page.text.split('id="status-todo"')[1].split("</section>")[0]
    done = page.text.split('id="status-done"')[1].split("</section>")[0]
    assert first["key"] in todo and second["key"] not in todo
    assert second["key"] in done
    assert "Fix &lt;b&gt;login&lt;/b&gt;" in page.text, "titles are escaped"
    assert '<span class="tag">auth</span>' in page.text
    assert "Recent activity" in page.text and "Status: To do → Done" in page.text
    assert 'data-live="on"' in page.text and "/static/dashboards/live.js" in page.text


async def test_another_organizations_project_is_404(app, api, owner):
    await _project(api, owner, key="SECRET", name="Secret plans")
    await _task(api, owner, project="SECRET", title="Hidden task")
    stranger = await api.register(org="Elsewhere", name="Sam")
    browser = await _signed_in(app, stranger)
    page = await browser.get("/projects/SECRET")
    assert page.status == 404 and "Hidden task" not in page.text
    data = await browser.get("/dashboard/data.json?project=SECRET")
    assert data.status == 404 and "Hidden task" not in data.text


async def test_the_same_key_in_two_organizations_shows_each_its_own(app, api, owner):
    stranger = await api.register(org="Elsewhere", name="Sam")
    await _project(api, owner)
    await _project(api, stranger)
    await _task(api, owner, title="Owner's task")
    await _task(api, stranger, title="Stranger's task")
    page = await (await _signed_in(app, stranger)).get("/projects/WEB")
    assert "Stranger&#39;s task" in page.text and "Owner&#39;s task" not in page.text


async def test_projects_list_links_each_project(app, api, owner):
    await _project(api, owner)
    page = await (await _signed_in(app, owner)).get("/projects")
    assert 'href="/projects/WEB"' in page.text and 'href="/projects/INBOX"' in page.text


async def test_owner_changes_a_role(app, api, owner):
    member = await api.join(owner, "member", name="Mia")
    browser = await _signed_in(app, owner)
    page = await browser.get("/admin")
    assert f'action="/admin/members/{member.user_id}/role"' in page.text
    reply = await browser.post(
        f"/admin/members/{member.user_id}/role", {"role": "admin", "csrf_token": page.csrf}
    )
    assert reply.status == 303 and reply.location == "/admin"
    assert "Mia is now admin." in (await browser.get("/admin")).text
    me = await api.call("GET", "/api/v1/organizations", token=member.access)
    assert me.data[0]["role"] == "admin", "the identity cache was cleared"


async def test_the_last_owner_cannot_step_down(app, api, owner):
    browser = await _signed_in(app, owner)
    page = await browser.get("/admin")
    reply = await browser.post(
        f"/admin/members/{owner.user_id}/role", {"role": "member", "csrf_token": page.csrf}
    )
    assert reply.status == 303
    assert "at least one owner" in (await browser.get("/admin")).text


@pytest.mark.parametrize("role", ["viewer", "member"])
async def test_viewers_and_members_read_the_admin_area_without_forms(app, api, owner, role):
    person = await api.join(owner, role, name="Vic")
    other = await api.join(owner, "member", name="Oli")
    browser = await _signed_in(app, person)
    page = await browser.get("/admin")
    assert page.status == 200
    assert "Vic" in page.text and "Oli" in page.text
    assert (
        "/admin/members/" not in page.text and "Only admins and owners change roles." in page.text
    )
    assert "tokens-heading" not in page.text and "managed by admins and owners" in page.text
    reply = await browser.post(
        f"/admin/members/{other.user_id}/role", {"role": "admin", "csrf_token": page.csrf}
    )
    assert reply.status == 403 and "may not do member:update_role" in reply.text
    roles = await api.call("GET", f"/api/v1/organizations/{owner.org}/members", token=owner.access)
    assert {m["user"]["id"]: m["role"] for m in roles.data}[other.user_id] == "member"


async def test_an_admin_cannot_touch_the_owner(app, api, owner):
    admin = await api.join(owner, "admin", name="Ada")
    browser = await _signed_in(app, admin)
    page = await browser.get("/admin")
    assert f'action="/admin/members/{owner.user_id}/role"' not in page.text
    assert '<option value="owner"' not in page.text
    reply = await browser.post(
        f"/admin/members/{owner.user_id}/role", {"role": "member", "csrf_token": page.csrf}
    )
    assert reply.status == 403


async def test_api_tokens_are_created_shown_once_and_revoked(app, api, owner):
    browser = await _signed_in(app, owner)
    page = await browser.get("/admin")
    created = await browser.post(
        "/admin/api-tokens", {"name": "CI", "role": "member", "csrf_token": page.csrf}
    )
    assert created.status == 201
    token = created.text.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("tf_")
    assert (await api.call("GET", "/api/v1/auth/me", token=token)).status == 200
    listed = await browser.get("/admin")
    assert token not in listed.text and token[:11] in listed.text
    token_id = listed.text.split('data-token="')[1].split('"')[0]
    revoked = await browser.post(
        f"/admin/api-tokens/{token_id}/revoke", {"csrf_token": listed.csrf}
    )
    assert revoked.status == 303
    assert (await api.call("GET", "/api/v1/auth/me", token=token)).status == 401


async def test_a_token_above_my_role_is_refused(app, api, owner):
    admin = await api.join(owner, "admin", name="Ada")
    browser = await _signed_in(app, admin)
    page = await browser.get("/admin")
    assert '<option value="owner"' not in page.text.split('id="token-role"')[1]
    reply = await browser.post(
        "/admin/api-tokens", {"name": "x", "role": "owner", "csrf_token": page.csrf}
    )
    assert reply.status == 403


async def test_a_failed_delivery_is_replayed_from_the_admin_page(app, api, owner):
    await _project(api, owner)
    hook = await make_hook(api, owner, "github")
    await api.call("POST", "/api/v1/projects/WEB/archive", token=owner.access)
    failed = await hook.github("issues", fixture("github.issues.opened"))
    assert failed.data["status"] == "failed"
    await api.call("DELETE", "/api/v1/projects/WEB/archive", token=owner.access)

    browser = await _signed_in(app, owner)
    page = await browser.get("/admin")
    assert hook.url in page.text and "archived" in page.text
    delivery_id = failed.data["delivery_id"]
    action = f"/admin/webhook-deliveries/{delivery_id}/replay"
    assert f'action="{action}"' in page.text
    reply = await browser.post(action, {"csrf_token": page.csrf})
    assert reply.status == 303
    after = await browser.get("/admin")
    notice = after.text.split('class="notice')[1].split("</p>")[0]
    assert "processed" in notice and f'action="{action}"' not in after.text, notice
    assert await Task.filter(project__key="WEB").count() == 1
    again = await browser.post(action, {"csrf_token": page.csrf})
    assert again.status == 303
    assert "only failed ones replay" in (await browser.get("/admin")).text


async def test_another_organizations_delivery_cannot_be_replayed(app, api, owner):
    await _project(api, owner)
    hook = await make_hook(api, owner, "github")
    await api.call("POST", "/api/v1/projects/WEB/archive", token=owner.access)
    failed = await hook.github("issues", fixture("github.issues.opened"))
    stranger = await api.register(org="Elsewhere", name="Sam")
    browser = await _signed_in(app, stranger)
    page = await browser.get("/admin")
    reply = await browser.post(
        f"/admin/webhook-deliveries/{failed.data['delivery_id']}/replay",
        {"csrf_token": page.csrf},
    )
    assert reply.status == 404


async def test_pages_carry_security_headers(app, owner):
    browser = await _signed_in(app, owner)
    page = await browser.get("/admin")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


async def test_static_files_are_served_by_the_app(app):
    browser = WebClient(app)
    chart = await browser.get("/static/dashboards/vendor/chart.umd.min.js?v=1")
    assert chart.status == 200 and "Chart.js v4" in chart.text
    assert "immutable" in chart.headers["Cache-Control"]
    css = await browser.get("/static/dashboards/app.css")
    assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
    assert (await browser.get("/static/dashboards/../pages/__init__.py")).status == 404
