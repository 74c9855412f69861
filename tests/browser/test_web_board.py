"""Boards and task pages in Chromium: quick add with its preview, moving a card (drag and
drop, keyboard, buttons), an edit refused field by field, an edit that lost a race with
the API, a viewer who is offered nothing to change, and a change made in Slack showing
on an open board. Every wait is bounded (STEP_TIMEOUT_MS, 10 s)."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from core.services import slack_links
from tests.browser.conftest import SCREENSHOTS, Account, WebServer, sign_in
from tests.fakes import workspace

NOT_RELOADED = "() => { window.notReloaded = true; }"
STILL_LOADED = "() => window.notReloaded === true"
LIVE = '[data-live-status="live"]'


@pytest.fixture
def server(slack_web_server) -> WebServer:
    return slack_web_server


async def _seed(server: WebServer) -> tuple[Account, list[str]]:
    """An owner, WEB with two open tasks."""
    owner = await server.register(name="Olive")
    await server.project(owner, key="WEB", name="Website")
    keys = [
        (await server.task(owner, project="WEB", title=title, labels=["ui"]))["key"]
        for title in ("Polish the header", "Fix the footer")
    ]
    return owner, keys


def _column(page, status: str):
    return page.locator(f'section.column[data-status="{status}"]')


async def _open_board(page, server: WebServer, owner: Account) -> None:
    await sign_in(page, server, owner)
    await page.goto(f"{server.base_url}/projects/WEB")
    await expect(page.locator(LIVE)).to_be_visible()
    await page.evaluate(NOT_RELOADED)


async def _status(server: WebServer, owner: Account, key: str) -> str:
    reply = await server.api(
        "GET", f"/api/v1/tasks/{key}", token=owner.access, headers={"X-Organization-ID": owner.org}
    )
    return reply.data["status"]


async def test_a_task_is_created_from_quick_add_after_its_preview(server, browser_page):
    owner, _ = await _seed(server)
    page = browser_page
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    await _open_board(page, server, owner)

    await page.get_by_label("New task").fill(
        "Ship the release notes @me !high due:2030-06-14 +docs"
    )
    await page.get_by_role("button", name="Preview").click()
    preview = page.locator("#quick-add-preview")
    await expect(preview.locator('[data-preview-field="title"]')).to_have_text(
        "Ship the release notes"
    )
    await expect(preview.locator('[data-preview-field="assignee"]')).to_have_text("Olive")
    await expect(preview.locator('[data-preview-field="priority"]')).to_have_text("High")
    await expect(preview.locator('[data-preview-field="due"]')).to_have_text(
        "Fri 2030-06-14 23:59 (UTC)"
    )
    await expect(preview.locator('[data-preview-field="labels"]')).to_have_text("docs")
    assert await page.evaluate(STILL_LOADED), "the preview came without a reload"
    await page.screenshot(path=str(SCREENSHOTS / "board_quick_add_preview.png"), full_page=True)

    await page.get_by_role("button", name="Save task").click()
    card = _column(page, "todo").locator("li.card", has_text="Ship the release notes")
    await expect(card).to_be_visible()
    await expect(card).to_contain_text("Olive")
    await expect(card).to_contain_text("Due 2030-06-14")
    await expect(page.locator(".notice-success")).to_contain_text("Created WEB-3")
    assert problems == [], "no script error and no Content-Security-Policy violation"


async def test_a_mistyped_quick_add_says_why_and_saves_nothing(server, browser_page):
    owner, _ = await _seed(server)
    page = browser_page
    await _open_board(page, server, owner)
    await page.get_by_label("New task").fill("Call the vendor @nobody")
    await page.get_by_role("button", name="Preview").click()
    await expect(page.locator("#quick-add-error")).to_have_text(
        "Nobody called @nobody is a member here."
    )
    await expect(page.get_by_role("button", name="Save task")).to_have_count(0)
    await expect(page.get_by_label("New task")).to_have_attribute("aria-invalid", "true")


async def test_cards_move_by_drag_and_drop_keyboard_and_buttons(server, browser_page):
    owner, keys = await _seed(server)
    page = browser_page
    await _open_board(page, server, owner)
    first = f"#task-{keys[0]}"

    await page.locator(first).drag_to(_column(page, "in_progress"))
    await expect(_column(page, "in_progress").locator(first)).to_be_visible()
    await expect(page.locator('[data-count="in_progress"]')).to_have_text("1")
    assert await _status(server, owner, keys[0]) == "in_progress"

    await page.locator(first).focus()
    await page.keyboard.press("ArrowRight")
    await expect(_column(page, "in_review").locator(first)).to_be_visible()
    await expect(page.locator(first)).to_be_focused()
    assert await _status(server, owner, keys[0]) == "in_review"

    await page.get_by_role("button", name=f"Move {keys[0]} to Done").click()
    await expect(_column(page, "done").locator(first)).to_be_visible()
    await page.get_by_label(f"Status of {keys[1]}").select_option("cancelled")
    await page.evaluate("() => window.TeamFlowBoard.redraw()")  # as a live update would
    await expect(page.get_by_label(f"Status of {keys[1]}")).to_have_value("cancelled")
    await page.locator(f"#task-{keys[1]}").get_by_role("button", name="Move", exact=True).click()
    await expect(_column(page, "cancelled").locator(f"#task-{keys[1]}")).to_be_visible()
    assert (await _status(server, owner, keys[0]), await _status(server, owner, keys[1])) == (
        "done",
        "cancelled",
    )
    assert await page.evaluate(STILL_LOADED), "every move happened without a reload"
    await expect(page.locator("#board-status")).to_contain_text(f"{keys[1]} is now in Cancelled")


async def test_a_stale_move_is_refused_in_sight_and_the_board_catches_up(server, browser_page):
    owner, keys = await _seed(server)
    page = browser_page
    await _open_board(page, server, owner)
    await page.route(re.compile(r"/board\.json"), lambda route: route.abort())  # no redraws
    await server.set_status(owner, keys[0], "in_review")

    await page.locator(f"#task-{keys[0]}").drag_to(_column(page, "done"))
    alert = page.locator("#board-alert")
    await expect(alert).to_be_visible()
    await expect(alert).to_contain_text(f"{keys[0]} was not moved: Olive changed it")
    await expect(alert).to_contain_text("It is now in In review")
    assert await _status(server, owner, keys[0]) == "in_review"
    await page.screenshot(path=str(SCREENSHOTS / "board_stale_move.png"), full_page=True)

    await page.unroute(re.compile(r"/board\.json"))
    await page.evaluate("() => window.TeamFlowBoard.redraw()")
    await expect(_column(page, "in_review").locator(f"#task-{keys[0]}")).to_be_visible()


async def test_an_edit_with_a_refused_field_says_so_next_to_it(server, browser_page):
    owner, keys = await _seed(server)
    page = browser_page
    await sign_in(page, server, owner)
    await page.goto(f"{server.base_url}/tasks/{keys[0]}")
    await page.get_by_label("Title").fill("")
    await page.get_by_label("Due date").fill("2020-01-01")
    await page.get_by_label("Labels").fill("ui, needs review!")
    await page.get_by_role("button", name="Save changes").click()

    title = page.get_by_label("Title")
    await expect(title).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#task-title-error")).to_have_text("Title must not be empty.")
    await expect(page.locator("#task-due-date-error")).to_have_text("Due date is in the past.")
    await expect(page.locator("#task-labels-error")).to_contain_text("Label 'review!'")
    await expect(page.locator("#form-problem")).to_be_visible()
    await page.screenshot(path=str(SCREENSHOTS / "task_validation_errors.png"), full_page=True)

    await title.fill("Polish the header and logo")
    await page.get_by_label("Due date").fill("2030-02-01")
    await page.get_by_label("Labels").fill("ui, review")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.locator(".notice-success")).to_have_text(f"{keys[0]} is saved.")
    await expect(page.locator("#task-heading")).to_contain_text("Polish the header and logo")
    await expect(page.locator("#history")).to_contain_text("Title: Polish the header → Polish")


async def test_an_edit_that_lost_a_race_with_the_api_is_refused_with_the_new_values(
    server, browser_page
):
    owner, keys = await _seed(server)
    page = browser_page
    await sign_in(page, server, owner)
    await page.goto(f"{server.base_url}/tasks/{keys[0]}")
    await expect(page.locator(LIVE)).to_be_visible()
    await page.get_by_label("Title").fill("Title typed on the web")

    changed = await server.api(
        "PATCH",
        f"/api/v1/tasks/{keys[0]}",
        token=owner.access,
        body={"title": "Title set through the API", "priority": "urgent"},
        headers={"X-Organization-ID": owner.org},
    )
    assert changed.status == 200
    await expect(page.locator("#task-changed")).to_contain_text("was changed since this page")

    await page.get_by_role("button", name="Save changes").click()
    conflict = page.locator("#conflict")
    await expect(conflict).to_contain_text(f"Not saved: {keys[0]} changed since you opened it")
    await expect(conflict).to_contain_text("Olive (via the API")
    table = page.locator("#conflict-fields")
    await expect(table.get_by_role("row", name=re.compile("^Title"))).to_contain_text(
        "Title typed on the web"
    )
    await expect(table.get_by_role("row", name=re.compile("^Title"))).to_contain_text(
        "Title set through the API"
    )
    await expect(page.get_by_label("Title")).to_have_value("Title set through the API")
    await expect(page.get_by_label("Priority")).to_have_value("urgent")
    await page.screenshot(path=str(SCREENSHOTS / "task_conflict.png"), full_page=True)
    reply = await server.api(
        "GET",
        f"/api/v1/tasks/{keys[0]}",
        token=owner.access,
        headers={"X-Organization-ID": owner.org},
    )
    assert reply.data["title"] == "Title set through the API", "nothing was overwritten"

    await page.get_by_label("Title").fill("Title typed on the web")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.locator("#task-heading")).to_contain_text("Title typed on the web")


async def test_a_viewer_is_offered_nothing_to_change(server, browser_page):
    owner, keys = await _seed(server)
    viewer = await server.join(owner, role="viewer", name="Vic")
    page = browser_page
    await sign_in(page, server, viewer)
    await page.goto(f"{server.base_url}/projects/WEB")
    await expect(page.locator(f"#task-{keys[0]}")).to_be_visible()
    await expect(page.locator("#quick-add")).to_have_count(0)
    await expect(page.locator("form[data-move]")).to_have_count(0)
    await expect(page.locator('li.card[draggable="true"]')).to_have_count(0)
    await expect(page.get_by_text("your role cannot change tasks")).to_be_visible()
    await page.screenshot(path=str(SCREENSHOTS / "board_viewer.png"), full_page=True)

    await page.locator(f"#task-{keys[0]}").get_by_role("link", name="Polish the header").click()
    await expect(page.locator("#task-heading")).to_contain_text("Polish the header")
    await expect(page.locator("#task-form")).to_have_count(0)
    await expect(page.get_by_label("Add a comment")).to_have_count(0)
    await expect(
        page.get_by_text("Your role can read this task but not change it.")
    ).to_be_visible()
    await expect(page.locator("#history")).to_contain_text("Olive created")


async def test_a_change_made_in_slack_appears_on_the_open_board(server, browser_page):
    owner, keys = await _seed(server)
    await slack_links.link_workspace(workspace.TEAM_ID, organization=owner.org)
    page = browser_page
    await _open_board(page, server, owner)

    moved = await server.slack_command(f"move {keys[0]} in_review")
    assert keys[0] in str(moved.params), moved.params
    await expect(_column(page, "in_review").locator(f"#task-{keys[0]}")).to_be_visible()

    await server.slack_command("add Answer the customer #WEB !urgent +support")
    card = _column(page, "todo").locator("li.card", has_text="Answer the customer")
    await expect(card).to_be_visible()
    await expect(card).to_contain_text("Urgent")
    assert await page.evaluate(STILL_LOADED), "the board redrew itself, no reload"
    await expect(page.locator("#activity-heading")).to_be_visible()
    await page.reload()
    await expect(page.get_by_text("from Slack").first).to_be_visible()


async def test_board_and_task_pages_fit_a_phone(server, browser):
    owner, keys = await _seed(server)
    context = await browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = await context.new_page()
        page.set_default_timeout(10_000)
        await sign_in(page, server, owner)
        for path, name in (
            ("/projects/WEB", "phone_board"),
            (f"/tasks/{keys[0]}", "phone_task"),
            ("/projects", "phone_projects"),
        ):
            await page.goto(server.base_url + path)
            overflow = await page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
            await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    finally:
        await context.close()
