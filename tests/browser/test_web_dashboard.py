"""The manager dashboard in Chromium: charts drawn from seeded tasks, filters redraw them,
the project page, and a phone-sized screen."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.browser.conftest import Account, WebServer, sign_in

DATASETS = """(name) => {
    const chart = window.Chart.getChart('chart-' + name);
    return chart ? chart.data.datasets.map((set) => set.data) : null;
}"""


async def _seed(server: WebServer) -> Account:
    """WEB: three tasks done, one open; API: one done, two open (one of them overdue-free)."""
    owner = await server.register(name="Olive")
    await server.project(owner, key="WEB", name="Website")
    await server.project(owner, key="API", name="Public API")
    for number in range(4):
        task = await server.task(owner, project="WEB", title=f"Web task {number}", labels=["ui"])
        if number < 3:
            await server.set_status(owner, task["key"], "done")
    for number in range(3):
        task = await server.task(owner, project="API", title=f"API task {number}")
        if number == 0:
            await server.set_status(owner, task["key"], "done")
    return owner


async def _dataset(page, name: str) -> list[list[float]]:
    return await page.evaluate(DATASETS, name)


@pytest.fixture
async def owner(web_server) -> Account:
    return await _seed(web_server)


async def test_charts_are_drawn_with_the_seeded_numbers(web_server, browser_page, owner):
    page = browser_page
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    await sign_in(page, web_server, owner)
    await expect(page.locator("#chart-throughput")).to_be_visible()
    await page.wait_for_function("() => window.TeamFlowDashboard !== undefined")
    throughput = await _dataset(page, "throughput")
    assert sum(throughput[0]) == 4
    created, completed = await _dataset(page, "created_vs_completed")
    assert (sum(created), sum(completed)) == (7, 4)
    drawn = await page.evaluate(
        """() => Array.from(document.querySelectorAll('canvas[data-chart]'))
                 .filter((c) => window.Chart.getChart(c) && c.width > 0).length"""
    )
    assert drawn == 9
    await expect(page.locator('[data-stat="completed"]')).to_have_text("4")
    await expect(page.locator('table[data-table="by_label"]')).to_contain_text("ui")
    assert problems == [], "no script error and no Content-Security-Policy violation"
    outside = [url for url in requested if not url.startswith(web_server.base_url)]
    assert outside == [], "every script, style and font comes from TeamFlow itself"


async def test_filtering_by_project_redraws_the_numbers(web_server, browser_page, owner):
    page = browser_page
    await sign_in(page, web_server, owner)
    await page.wait_for_function("() => window.TeamFlowDashboard !== undefined")
    await page.get_by_label("Project").select_option("WEB")
    await page.wait_for_function("() => document.body.dataset.dashboardVersion === '2'")
    assert sum((await _dataset(page, "throughput"))[0]) == 3
    await expect(page.locator('[data-stat="completed"]')).to_have_text("3")
    await expect(page).to_have_url(re.compile(r"/dashboard\?project=WEB"))

    await page.get_by_label("Project").select_option("API")
    await page.wait_for_function("() => document.body.dataset.dashboardVersion === '3'")
    assert sum((await _dataset(page, "throughput"))[0]) == 1

    await page.reload()  # the filters live in the address: a bookmark keeps them
    await expect(page.get_by_label("Project")).to_have_value("API")
    await expect(page.locator('[data-stat="completed"]')).to_have_text("1")


async def test_the_project_page_lists_tasks_by_status(web_server, browser_page, owner):
    page = browser_page
    await sign_in(page, web_server, owner)
    await page.goto(f"{web_server.base_url}/projects/WEB")
    todo = page.get_by_role("region", name=re.compile("^To do"))
    done = page.get_by_role("region", name=re.compile("^Done"))
    await expect(todo.locator("li.task")).to_have_count(1)
    await expect(done.locator("li.task")).to_have_count(3)
    task = done.locator("li.task", has_text="Web task 0")
    await task.get_by_role("link", name="Web task 0").click()  # the task's own page
    await expect(page.locator("#history")).to_contain_text("Olive updated: Status: To do → Done")
    await expect(page.get_by_text("Reported by Olive")).to_be_visible()


async def test_pages_fit_a_phone(web_server, browser, owner):
    context = await browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = await context.new_page()
        await sign_in(page, web_server, owner)
        await page.wait_for_function("() => window.TeamFlowDashboard !== undefined")
        columns = await page.evaluate(
            "() => getComputedStyle(document.querySelector('.grid')).gridTemplateColumns"
        )
        assert len(columns.split()) == 1, f"one column on a phone, not {columns}"
        for path in ("/dashboard", "/projects/WEB", "/admin"):
            await page.goto(web_server.base_url + path)
            overflow = await page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
            name = path.strip("/").replace("/", "_")
            await page.screenshot(path=str(_shot(f"phone_{name}")), full_page=True)
    finally:
        await context.close()


def _shot(name: str):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
