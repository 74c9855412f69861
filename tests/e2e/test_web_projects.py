"""Managing projects from the web pages: list, create, edit, archive and restore, as each
role may, inside one organization only."""

from __future__ import annotations

import pytest

from tests.e2e.web_seed import field_errors, project, signed_in


async def _project_data(api, who, key: str) -> dict:
    reply = await api.call("GET", f"/api/v1/projects/{key}", token=who.access)
    assert reply.status == 200, reply.body
    return reply.data


async def test_an_admin_creates_a_project_from_the_list(app, api, owner):
    browser = await signed_in(app, owner)
    page = await browser.get("/projects")
    assert 'action="/projects"' in page.text and 'for="new-project-key"' in page.text
    reply = await browser.post(
        "/projects",
        {
            "key": "ops",
            "name": "Operations",
            "description": "Keeping the lights on",
            "csrf_token": page.csrf,
        },
    )
    assert reply.status == 303 and reply.location == "/projects/OPS"
    created = await _project_data(api, owner, "OPS")
    assert (created["name"], created["description"]) == ("Operations", "Keeping the lights on")
    board = await browser.get("/projects/OPS")
    assert "Project OPS is created." in board.text and "Operations" in board.text
    listed = await browser.get("/projects")
    assert 'href="/projects/OPS"' in listed.text


async def test_a_bad_key_and_a_duplicate_key_are_explained_next_to_the_field(app, api, owner):
    await project(api, owner)
    browser = await signed_in(app, owner)
    page = await browser.get("/projects")
    bad = await browser.post(
        "/projects", {"key": "9x", "name": "", "description": "", "csrf_token": page.csrf}
    )
    assert bad.status == 422
    assert "2-10 letters or digits" in field_errors(bad)["key"]
    assert 'value="9x"' in bad.text, "what was typed comes back"
    assert 'aria-invalid="true"' in bad.text
    twice = await browser.post(
        "/projects", {"key": "WEB", "name": "Again", "description": "", "csrf_token": page.csrf}
    )
    assert twice.status == 409
    assert "already exists" in field_errors(twice)["key"]


async def test_a_project_is_renamed_with_a_message_next_to_a_refused_name(app, api, owner):
    await project(api, owner)
    browser = await signed_in(app, owner)
    form = await browser.get("/projects/WEB/edit")
    assert form.status == 200 and 'value="Website"' in form.text
    empty = await browser.post(
        "/projects/WEB/edit", {"name": "  ", "description": "x", "csrf_token": form.csrf}
    )
    assert empty.status == 422
    assert field_errors(empty)["name"] == "Name must not be empty."
    assert (await _project_data(api, owner, "WEB"))["name"] == "Website"
    saved = await browser.post(
        "/projects/WEB/edit",
        {"name": "Web site", "description": "The public site", "csrf_token": form.csrf},
    )
    assert saved.status == 303 and saved.location == "/projects/WEB"
    data = await _project_data(api, owner, "WEB")
    assert (data["name"], data["description"]) == ("Web site", "The public site")


async def test_archiving_stops_new_tasks_and_restoring_brings_them_back(app, api, owner):
    await project(api, owner)
    browser = await signed_in(app, owner)
    page = await browser.get("/projects")
    assert 'action="/projects/WEB/archive"' in page.text
    archived = await browser.post("/projects/WEB/archive", {"csrf_token": page.csrf})
    assert archived.status == 303
    assert (await _project_data(api, owner, "WEB"))["status"] == "archived"
    board = await browser.get("/projects/WEB")
    assert "This project is archived" in board.text and 'id="quick-add"' not in board.text
    listed = await browser.get("/projects")
    assert 'action="/projects/WEB/restore"' in listed.text
    refused = await browser.post(
        "/projects/WEB/tasks", {"text": "Something new", "csrf_token": listed.csrf}
    )
    assert refused.status == 422 and "archived" in refused.text
    restored = await browser.post("/projects/WEB/restore", {"csrf_token": listed.csrf})
    assert restored.status == 303
    assert (await _project_data(api, owner, "WEB"))["status"] == "active"


@pytest.mark.parametrize("role", ["viewer", "member"])
async def test_members_and_viewers_see_projects_without_management(app, api, owner, role):
    await project(api, owner)
    person = await api.join(owner, role, name="Vic")
    browser = await signed_in(app, person)
    page = await browser.get("/projects")
    assert page.status == 200 and 'href="/projects/WEB"' in page.text
    assert 'action="/projects"' not in page.text and "/archive" not in page.text
    assert "/edit" not in page.text
    assert "Admins and owners create, edit and archive projects." in page.text
    posts = [
        ("/projects", {"key": "NEW", "name": "New"}),
        ("/projects/WEB/edit", {"name": "Renamed"}),
        ("/projects/WEB/archive", {}),
        ("/projects/WEB/restore", {}),
    ]
    for path, form in posts:
        reply = await browser.post(path, {**form, "csrf_token": page.csrf})
        assert reply.status == 403, path
    assert (await browser.get("/projects/WEB/edit")).status == 403
    data = await _project_data(api, owner, "WEB")
    assert (data["name"], data["status"]) == ("Website", "active")
    assert (await api.call("GET", "/api/v1/projects/NEW", token=owner.access)).status == 404


async def test_another_organizations_project_cannot_be_edited_or_archived(app, api, owner):
    await project(api, owner, key="SECRET", name="Secret plans")
    stranger = await api.register(org="Elsewhere", name="Sam")
    browser = await signed_in(app, stranger)
    page = await browser.get("/projects")
    assert "SECRET" not in page.text
    assert (await browser.get("/projects/SECRET/edit")).status == 404
    for path in ("/projects/SECRET/edit", "/projects/SECRET/archive"):
        reply = await browser.post(path, {"name": "Mine now", "csrf_token": page.csrf})
        assert reply.status == 404, path
    data = await _project_data(api, owner, "SECRET")
    assert (data["name"], data["status"]) == ("Secret plans", "active")


async def test_a_project_form_without_its_token_is_refused(app, api, owner):
    browser = await signed_in(app, owner)
    reply = await browser.post("/projects", {"key": "OPS", "name": "Operations"})
    assert reply.status == 403 and "This form cannot be accepted" in reply.text
    assert (await api.call("GET", "/api/v1/projects/OPS", token=owner.access)).status == 404
