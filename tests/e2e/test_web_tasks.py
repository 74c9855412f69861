"""A task's page through the real app: every field edited with messages next to refused
fields, a stale save refused with the current values, comments, the history with the
door each change came through, the link back to where the task came from, and roles."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from core.models import Task
from core.services import members, slack_channels, users
from tests.e2e.test_inbound_webhooks import fixture, make_hook
from tests.e2e.web_seed import field_errors, project, read_task, signed_in, task


def _form(page, **changes: str) -> dict[str, str]:
    """The edit form as the page filled it, with `changes`."""
    import re
    from html import unescape

    form = page.text.split('id="task-form"', 1)[1].split("</form>", 1)[0]
    values = {
        name: unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', form)
    }
    values["description"] = unescape(
        form.split('name="description"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    )
    for name in ("status", "priority", "assignee"):
        chosen = form.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        found = re.search(r'<option value="([^"]*)" selected>', chosen)
        values[name] = found.group(1) if found else ""
    return {**values, **changes}


async def test_the_task_page_shows_every_field_history_and_comments(app, api, owner):
    await project(api, owner)
    created = await task(
        api, owner, title="Fix <i>login</i>", description="Steps: 1, 2", labels=["auth"]
    )
    await api.call(
        "POST",
        f"/api/v1/tasks/{created['key']}/comments",
        token=owner.access,
        body={"body": "On it"},
    )
    browser = await signed_in(app, owner)
    page = await browser.get(f"/tasks/{created['key']}")
    assert page.status == 200
    assert "Fix &lt;i&gt;login&lt;/i&gt;" in page.text
    assert 'for="task-title"' in page.text and 'for="task-due-date"' in page.text
    assert f'name="version" value="{created["version"]}"' in page.text
    assert 'value="auth"' in page.text and "Steps: 1, 2" in page.text
    assert "On it" in page.text and "via the API" in page.text
    assert "Olive created" in page.text
    assert "Created in TeamFlow via the API." in page.text
    assert 'href="/projects/WEB"' in page.text


async def test_every_field_is_saved_from_the_form_in_the_readers_time_zone(app, api, owner):
    await project(api, owner)
    mia = await api.join(owner, "member", name="Mia")
    created = await task(api, owner, title="Old title")
    await users.update_profile(uuid.UUID(owner.user_id), timezone="America/New_York")
    browser = await signed_in(app, owner)
    page = await browser.get(f"/tasks/{created['key']}")
    form = _form(
        page,
        title="New title",
        description="Now with details",
        status="in_progress",
        priority="urgent",
        assignee=mia.user_id,
        due_date="2030-01-15",
        due_time="09:30",
        labels="bug, ux +backend",
        csrf_token=page.csrf,
    )
    reply = await browser.post(f"/tasks/{created['key']}", form)
    assert reply.status == 303 and reply.location == f"/tasks/{created['key']}"
    saved = await read_task(api, owner, created["key"])
    assert (saved["title"], saved["description"]) == ("New title", "Now with details")
    assert (saved["status"], saved["priority"]) == ("in_progress", "urgent")
    assert saved["assignee"]["id"] == mia.user_id
    assert saved["due_at"].startswith("2030-01-15T14:30"), "09:30 in New York is 14:30 UTC"
    assert saved["labels"] == ["backend", "bug", "ux"]
    after = await browser.get(f"/tasks/{created['key']}")
    assert f"{created['key']} is saved." in after.text
    assert 'value="2030-01-15"' in after.text and 'value="09:30"' in after.text
    assert "Assignee: none → Mia" in after.text and "on the web" in after.text


async def test_refused_fields_are_explained_next_to_each_and_nothing_is_saved(app, api, owner):
    await project(api, owner)
    created = await task(api, owner, title="Keep me")
    browser = await signed_in(app, owner)
    page = await browser.get(f"/tasks/{created['key']}")
    form = _form(
        page, title="  ", labels="ok, not ok!", due_date="2020-01-01", csrf_token=page.csrf
    )
    reply = await browser.post(f"/tasks/{created['key']}", form)
    assert reply.status == 422
    errors = field_errors(reply)
    assert errors["title"] == "Title must not be empty."
    assert errors["labels"].startswith("Label &#39;ok!&#39; must be up to 50 letters")
    assert errors["due_date"] == "Due date is in the past."
    assert 'aria-describedby="task-title-error"' in reply.text
    assert "Nothing was saved" in reply.text
    assert 'value="2020-01-01"' in reply.text, "what was typed stays in the form"
    kept = await read_task(api, owner, created["key"])
    assert kept["title"] == "Keep me" and kept["version"] == created["version"]


async def test_an_overdue_date_left_alone_does_not_block_a_save(app, api, owner):
    await project(api, owner)
    created = await task(api, owner, title="Late", due_at="2030-01-01T10:00:00+00:00")
    # The services refuse a past due date, so the test moves it there behind their back.
    await Task.filter(id=created["id"]).update(due_at=datetime(2020, 1, 1, 10, tzinfo=UTC))
    browser = await signed_in(app, owner)
    page = await browser.get(f"/tasks/{created['key']}")
    assert "overdue" in page.text
    reply = await browser.post(
        f"/tasks/{created['key']}", _form(page, title="Late, renamed", csrf_token=page.csrf)
    )
    assert reply.status == 303
    saved = await read_task(api, owner, created["key"])
    assert saved["title"] == "Late, renamed" and saved["due_at"].startswith("2020-01-01T10:00")


async def test_a_stale_save_is_refused_with_the_current_values_shown(app, api, owner):
    await project(api, owner)
    created = await task(api, owner, title="First title", priority="low")
    browser = await signed_in(app, owner)
    page = await browser.get(f"/tasks/{created['key']}")
    changed = await api.call(
        "PATCH",
        f"/api/v1/tasks/{created['key']}",
        token=owner.access,
        body={"title": "Changed through the API", "priority": "high"},
    )
    assert changed.status == 200
    reply = await browser.post(
        f"/tasks/{created['key']}",
        _form(page, title="My web title", csrf_token=page.csrf),
    )
    assert reply.status == 409
    assert "Not saved" in reply.text and "changed since you opened it" in reply.text
    assert "Olive (via the API" in reply.text
    conflict = reply.text.split('id="conflict-fields"', 1)[1].split("</table>", 1)[0]
    assert "My web title" in conflict and "Changed through the API" in conflict
    assert "<td>Low</td><td>High</td>" in conflict
    assert 'value="Changed through the API"' in reply.text, "the form shows the task now"
    assert f'name="version" value="{created["version"] + 1}"' in reply.text
    now = await read_task(api, owner, created["key"])
    assert now["title"] == "Changed through the API", "nothing was overwritten"


async def test_comments_are_added_and_an_empty_one_is_explained(app, api, owner):
    await project(api, owner)
    created = await task(api, owner)
    browser = await signed_in(app, owner)
    page = await browser.get(f"/tasks/{created['key']}")
    empty = await browser.post(
        f"/tasks/{created['key']}/comments", {"body": "  ", "csrf_token": page.csrf}
    )
    assert empty.status == 422
    assert field_errors(empty)["body"] == "Body must not be empty."
    added = await browser.post(
        f"/tasks/{created['key']}/comments", {"body": "Looks <b>good</b>", "csrf_token": page.csrf}
    )
    assert added.status == 303 and added.location == f"/tasks/{created['key']}#comments"
    shown = await browser.get(f"/tasks/{created['key']}")
    assert "Looks &lt;b&gt;good&lt;/b&gt;" in shown.text and "on the web" in shown.text
    listed = await api.call("GET", f"/api/v1/tasks/{created['key']}/comments", token=owner.access)
    assert [c["body"] for c in listed.data] == ["Looks <b>good</b>"]


async def test_a_task_from_a_github_issue_links_back_to_it(app, api, owner):
    await project(api, owner)
    hook = await make_hook(api, owner, "github")
    await hook.github("issues", fixture("github.issues.opened"))
    key = (await api.call("GET", "/api/v1/projects/WEB/tasks", token=owner.access)).data[0]["key"]
    page = await (await signed_in(app, owner)).get(f"/tasks/{key}")
    assert 'href="https://github.com/Codertocat/Hello-World/issues/1"' in page.text
    assert "GitHub issue Codertocat/Hello-World#1" in page.text
    assert "by a webhook" in page.text


async def test_a_task_filed_from_a_slack_message_links_back_to_it(app, api, owner):
    await project(api, owner)
    created = await task(api, owner)
    actor = await members.actor_for(uuid.UUID(owner.user_id), uuid.UUID(owner.org))
    permalink = "https://acme.slack.com/archives/C1/p1700000000000100"
    for channel, link in (("C1", permalink), ("C2", "")):
        assert await slack_channels.claim_message(
            actor, team_id="T1", channel_id=channel, message_ts="1.1"
        )
        await slack_channels.record_message_task(
            team_id="T1",
            channel_id=channel,
            message_ts="1.1",
            task_id=uuid.UUID(created["id"]),
            permalink=link,
        )
    page = await (await signed_in(app, owner)).get(f"/tasks/{created['key']}")
    assert f'href="{permalink}"' in page.text
    assert 'href="https://slack.com/app_redirect?team=T1&amp;channel=C2"' in page.text


async def test_a_viewer_reads_the_task_without_forms_and_cannot_change_it(app, api, owner):
    await project(api, owner)
    created = await task(api, owner, title="Read only")
    viewer = await api.join(owner, "viewer", name="Vic")
    browser = await signed_in(app, viewer)
    page = await browser.get(f"/tasks/{created['key']}")
    assert page.status == 200 and "Read only" in page.text
    assert 'id="task-form"' not in page.text and '/comments"' not in page.text
    assert "Your role can read this task but not change it." in page.text
    edit = await browser.post(
        f"/tasks/{created['key']}",
        {"title": "Changed", "version": str(created["version"]), "csrf_token": page.csrf},
    )
    assert edit.status == 403
    comment = await browser.post(
        f"/tasks/{created['key']}/comments", {"body": "Hi", "csrf_token": page.csrf}
    )
    assert comment.status == 403
    assert (await read_task(api, owner, created["key"]))["title"] == "Read only"


async def test_another_organizations_task_is_not_found(app, api, owner):
    await project(api, owner)
    created = await task(api, owner, title="Hidden")
    stranger = await api.register(org="Elsewhere", name="Sam")
    browser = await signed_in(app, stranger)
    page = await browser.get("/projects")
    assert (await browser.get(f"/tasks/{created['key']}")).status == 404
    for path in (f"/tasks/{created['key']}", f"/tasks/{created['key']}/comments"):
        reply = await browser.post(
            path, {"title": "x", "body": "x", "version": "1", "csrf_token": page.csrf}
        )
        assert reply.status == 404, path
    assert (await read_task(api, owner, created["key"]))["title"] == "Hidden"


async def test_an_edit_without_the_form_token_is_refused(app, api, owner):
    await project(api, owner)
    created = await task(api, owner, title="Safe")
    browser = await signed_in(app, owner)
    page = await browser.get(f"/tasks/{created['key']}")
    reply = await browser.post(
        f"/tasks/{created['key']}", _form(page, title="Forged", csrf_token="x")
    )
    assert reply.status == 403
    assert (await read_task(api, owner, created["key"]))["title"] == "Safe"
