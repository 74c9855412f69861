"""A project's board through the real app: columns and cards, filters, moving a card
(form and script), stale moves, quick add with its preview, and who may do what."""

from __future__ import annotations

import uuid

import pytest

from core.services import users
from tests.e2e.web_seed import project, read_task, section, signed_in, task


async def _board(api, owner):
    await project(api, owner)
    await project(api, owner, key="API", name="Public API")
    mia = await api.join(owner, "member", name="Mia")
    await users.update_profile(uuid.UUID(mia.user_id), name="Mia Park")
    first = await task(
        api,
        owner,
        title="Fix <b>login</b>",
        priority="high",
        labels=["auth", "bug"],
        assignee_id=mia.user_id,
        due_at="2030-06-14T21:59:00+00:00",
    )
    second = await task(api, owner, title="Write the docs", labels=["docs"])
    return mia, first, second


async def test_the_board_shows_a_column_per_status_and_a_card_per_task(app, api, owner):
    _, first, second = await _board(api, owner)
    await api.call(
        "PATCH", f"/api/v1/tasks/{second['key']}", token=owner.access, body={"status": "in_review"}
    )
    await users.update_profile(uuid.UUID(owner.user_id), timezone="Pacific/Auckland")
    browser = await signed_in(app, owner)
    page = await browser.get("/projects/WEB")
    assert page.status == 200
    for status in ("todo", "in_progress", "in_review", "done", "cancelled"):
        assert f'id="status-{status}"' in page.text
    todo = section(page, "status-todo")
    card = todo.split(f'id="task-{first["key"]}"')[1]
    assert "Fix &lt;b&gt;login&lt;/b&gt;" in card
    assert "Mia Park" in card and "priority-high" in card
    assert "Due 2030-06-15" in card, "the due date in the reader's time zone (Auckland)"
    assert '<span class="tag">auth</span>' in card
    assert f'href="/tasks/{first["key"]}"' in card
    assert f'name="version" value="{first["version"]}"' in card
    assert second["key"] in section(page, "status-in_review")
    assert second["key"] not in todo
    assert 'data-count="in_review">1<' in page.text
    assert "Recent activity" in page.text and "Status: To do → In review" in page.text
    assert "via the API" in page.text
    assert 'data-live="on"' in page.text and "board.js" in page.text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("assignee=none", "Write the docs", "Fix &lt;b&gt;login"),
        ("label=docs", "Write the docs", "Fix &lt;b&gt;login"),
        ("priority=high", "Fix &lt;b&gt;login", "Write the docs"),
        ("q=login", "Fix &lt;b&gt;login", "Write the docs"),
    ],
)
async def test_filters_narrow_the_board(app, api, owner, query, shown, hidden):
    await _board(api, owner)
    browser = await signed_in(app, owner)
    board = section(await browser.get(f"/projects/WEB?{query}"), "status-todo")
    assert shown in board and hidden not in board


async def test_filtering_by_assignee_and_overdue(app, api, owner):
    mia, first, _ = await _board(api, owner)
    browser = await signed_in(app, owner)
    mine = await browser.get(f"/projects/WEB?assignee={mia.user_id}")
    assert first["key"] in section(mine, "status-todo")
    assert (
        "Write the docs" not in mine.text.split('id="board"')[1].split('id="activity-heading"')[0]
    )
    overdue = await browser.get("/projects/WEB?overdue=1")
    assert "No tasks match the filters." in overdue.text
    unknown = await browser.get(f"/projects/WEB?assignee={uuid.uuid4()}")
    assert unknown.status == 200 and "not a member here" in unknown.text


async def test_a_card_moves_with_the_form_and_comes_back_to_the_board(app, api, owner):
    _, first, _ = await _board(api, owner)
    browser = await signed_in(app, owner)
    page = await browser.get("/projects/WEB?label=auth")
    reply = await browser.post(
        f"/tasks/{first['key']}/move",
        {
            "status": "todo",
            "to": "in_progress",
            "version": str(first["version"]),
            "next": "/projects/WEB?label=auth",
            "csrf_token": page.csrf,
        },
    )
    assert reply.status == 303
    assert reply.location == f"/projects/WEB?label=auth#task-{first['key']}"
    moved = await read_task(api, owner, first["key"])
    assert moved["status"] == "in_progress" and moved["version"] == first["version"] + 1
    after = await browser.get("/projects/WEB?label=auth")
    assert first["key"] in section(after, "status-in_progress")
    assert f"{first['key']} is now in In progress." in after.text
    trail = await api.call("GET", f"/api/v1/tasks/{first['key']}/activity", token=owner.access)
    assert trail.data[-1]["source"] == "web" and trail.data[-1]["action"] == "task.moved"


async def test_a_stale_move_is_refused_and_the_board_shows_the_task_as_it_is(app, api, owner):
    _, first, _ = await _board(api, owner)
    browser = await signed_in(app, owner)
    page = await browser.get("/projects/WEB")
    await api.call(
        "PATCH", f"/api/v1/tasks/{first['key']}", token=owner.access, body={"status": "in_review"}
    )
    reply = await browser.post(
        f"/tasks/{first['key']}/move",
        {
            "status": "done",
            "version": str(first["version"]),
            "next": "/projects/WEB",
            "csrf_token": page.csrf,
        },
    )
    assert reply.status == 409
    assert f"{first['key']} was not moved" in reply.text and "It is now in In review" in reply.text
    assert first["key"] in section(reply, "status-in_review")
    assert (await read_task(api, owner, first["key"]))["status"] == "in_review"


async def test_the_script_moves_a_card_and_hears_about_a_stale_one(app, api, owner):
    _, first, _ = await _board(api, owner)
    browser = await signed_in(app, owner)
    page = await browser.get("/projects/WEB")
    form = {"status": "in_progress", "version": str(first["version"]), "csrf_token": page.csrf}
    moved = await browser.client.post(f"/tasks/{first['key']}/move.json", form=form)
    assert moved.status_code == 200
    body = await moved.get_json()
    assert body["task"] == {
        "key": first["key"],
        "status": "in_progress",
        "version": first["version"] + 1,
    }
    again = await browser.client.post(
        f"/tasks/{first['key']}/move.json", form={**form, "status": "done"}
    )
    assert again.status_code == 409
    refused = await again.get_json()
    assert refused["task"]["status"] == "in_progress"
    assert "was not moved" in refused["error"]["message"] and "Olive" in refused["error"]["message"]
    assert (await read_task(api, owner, first["key"]))["status"] == "in_progress"


async def test_board_json_carries_the_columns_for_live_redraws(app, api, owner):
    _, first, second = await _board(api, owner)
    browser = await signed_in(app, owner)
    reply = await browser.client.get("/projects/WEB/board.json?label=auth")
    assert reply.status_code == 200
    data = await reply.get_json()
    todo = next(c for c in data["columns"] if c["status"] == "todo")
    assert [t["key"] for t in todo["tasks"]] == [first["key"]]
    assert todo["tasks"][0]["assignee"] == "Mia Park" and todo["tasks"][0]["labels"] == [
        "auth",
        "bug",
    ]
    assert 'id="board-columns"' in data["html"] and second["key"] not in data["html"]


async def test_quick_add_previews_then_saves_exactly_what_was_shown(app, api, owner):
    await _board(api, owner)
    await users.update_profile(uuid.UUID(owner.user_id), timezone="Europe/Berlin")
    browser = await signed_in(app, owner)
    page = await browser.get("/projects/WEB")
    text = "Fix signup @mia !urgent due:2030-06-14 +bug +ux"
    preview = await browser.post(
        "/projects/WEB/tasks/preview", {"text": text, "csrf_token": page.csrf}
    )
    assert preview.status == 200
    shown = section(preview, "quick-add")
    assert 'data-preview-field="title">Fix signup<' in shown
    assert 'data-preview-field="assignee">Mia Park<' in shown
    assert 'data-preview-field="priority">Urgent<' in shown
    assert "Fri 2030-06-14 23:59 (Europe/Berlin)" in shown
    assert 'data-preview-field="project">WEB · Website<' in shown
    assert 'value="2030-06-14T21:59:00+00:00"' in shown, "the moment saved is in UTC"
    assert (await api.call("GET", "/api/v1/tasks?q=signup", token=owner.access)).data == []

    fields = dict(_hidden_fields(shown))
    saved = await browser.post("/projects/WEB/tasks", {**fields, "csrf_token": preview.csrf})
    assert saved.status == 303 and saved.location.startswith("/projects/WEB#task-WEB-")
    created = (await api.call("GET", "/api/v1/tasks?q=signup", token=owner.access)).data[0]
    assert created["title"] == "Fix signup" and created["priority"] == "urgent"
    assert created["assignee"]["name"] == "Mia Park"
    assert created["due_at"].startswith("2030-06-14T21:59") and created["labels"] == ["bug", "ux"]
    board = await browser.get("/projects/WEB")
    assert f"Created {created['key']}: Fix signup" in board.text


async def test_quick_add_files_into_another_project_with_a_key(app, api, owner):
    await _board(api, owner)
    browser = await signed_in(app, owner)
    page = await browser.get("/projects/WEB")
    preview = await browser.post(
        "/projects/WEB/tasks/preview", {"text": "Rate limits #API @me", "csrf_token": page.csrf}
    )
    assert 'data-preview-field="project">API · Public API<' in preview.text
    assert 'data-preview-field="assignee">Olive<' in preview.text
    saved = await browser.post(
        "/projects/WEB/tasks", {"text": "Rate limits #API @me", "csrf_token": page.csrf}
    )
    assert saved.status == 303
    listed = await api.call("GET", "/api/v1/projects/API/tasks", token=owner.access)
    assert [t["title"] for t in listed.data] == ["Rate limits"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Fix it @nobody", "Nobody called @nobody is a member here."),
        ("Fix it !high !low", "A task has only one priority"),
        ("Fix it due:someday", "Couldn&#39;t read &#39;someday&#39; as a date"),
        ("Fix it due:2020-01-01", "Due date is in the past."),
        ("@me !high", "Give the task a title"),
        ("Fix it #NOPE", "No project NOPE"),
    ],
)
async def test_quick_add_says_why_it_cannot_save(app, api, owner, text, message):
    await _board(api, owner)
    browser = await signed_in(app, owner)
    page = await browser.get("/projects/WEB")
    preview = await browser.post(
        "/projects/WEB/tasks/preview", {"text": text, "csrf_token": page.csrf}
    )
    assert preview.status == 422
    assert message in section(preview, "quick-add")
    assert 'action="/projects/WEB/tasks"' not in preview.text, "nothing to save"
    saved = await browser.post("/projects/WEB/tasks", {"text": text, "csrf_token": page.csrf})
    assert saved.status == 422


async def test_a_viewer_reads_the_board_but_is_offered_and_allowed_no_change(app, api, owner):
    _, first, _ = await _board(api, owner)
    viewer = await api.join(owner, "viewer", name="Vic")
    browser = await signed_in(app, viewer)
    page = await browser.get("/projects/WEB")
    assert page.status == 200 and first["key"] in page.text
    assert 'id="quick-add"' not in page.text and "data-move" not in page.text
    assert 'draggable="true"' not in page.text
    assert "your role cannot change tasks" in page.text
    posts = [
        (f"/tasks/{first['key']}/move", {"status": "done", "version": str(first["version"])}),
        ("/projects/WEB/tasks/preview", {"text": "Sneaky"}),
        ("/projects/WEB/tasks", {"text": "Sneaky"}),
        ("/projects/WEB/tasks", {"title": "Sneaky", "project": "WEB"}),
    ]
    for path, form in posts:
        reply = await browser.post(path, {**form, "csrf_token": page.csrf})
        assert reply.status == 403, path
    scripted = await browser.client.post(
        f"/tasks/{first['key']}/move.json",
        form={"status": "done", "version": str(first["version"]), "csrf_token": page.csrf},
    )
    assert scripted.status_code == 403
    assert (await read_task(api, owner, first["key"]))["status"] == "todo"
    listed = await api.call("GET", "/api/v1/tasks?q=Sneaky", token=owner.access)
    assert listed.data == []


async def test_another_organizations_board_and_tasks_are_not_found(app, api, owner):
    _, first, _ = await _board(api, owner)
    stranger = await api.register(org="Elsewhere", name="Sam")
    browser = await signed_in(app, stranger)
    page = await browser.get("/projects")
    assert (await browser.get("/projects/WEB")).status == 404
    assert (await browser.client.get("/projects/WEB/board.json")).status_code == 404
    reply = await browser.post(
        f"/tasks/{first['key']}/move",
        {"status": "done", "version": str(first["version"]), "csrf_token": page.csrf},
    )
    assert reply.status == 404
    preview = await browser.post(
        "/projects/WEB/tasks/preview", {"text": "x", "csrf_token": page.csrf}
    )
    assert preview.status == 404
    assert (await read_task(api, owner, first["key"]))["status"] == "todo"


async def test_a_move_without_the_form_token_is_refused(app, api, owner):
    _, first, _ = await _board(api, owner)
    browser = await signed_in(app, owner)
    reply = await browser.post(
        f"/tasks/{first['key']}/move", {"status": "done", "version": str(first["version"])}
    )
    assert reply.status == 403 and "This form cannot be accepted" in reply.text
    scripted = await browser.client.post(
        f"/tasks/{first['key']}/move.json",
        form={"status": "done", "version": "1", "csrf_token": "x"},
    )
    assert scripted.status_code == 403
    assert (await read_task(api, owner, first["key"]))["status"] == "todo"


async def test_the_old_board_address_leads_to_the_board(app, api, owner):
    await project(api, owner)
    browser = await signed_in(app, owner)
    reply = await browser.get("/projects/web/board?label=x")
    assert reply.status == 303 and reply.location == "/projects/WEB?label=x"


def _hidden_fields(html: str) -> list[tuple[str, str]]:
    import re
    from html import unescape

    form = html.split('action="/projects/WEB/tasks"', 1)[1].split("</form>", 1)[0]
    pairs = re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', form)
    return [(name, unescape(value)) for name, value in pairs if name != "csrf_token"]
