"""The dashboard page and its JSON through the real app: filters, errors, tenants."""

from __future__ import annotations

import json
import re

from tests.e2e.web import WebClient


async def _signed_in(app, who) -> WebClient:
    browser = WebClient(app)
    await browser.sign_in(who.email, who.password)
    return browser


async def _seed(api, who) -> None:
    """WEB: two done, one open (assigned to the owner); API: one done."""
    for key in ("WEB", "API"):
        reply = await api.call(
            "POST",
            f"/api/v1/organizations/{who.org}/projects",
            token=who.access,
            body={"key": key, "name": key.title()},
        )
        assert reply.status == 201, reply.body
    for project, done, assignee in (
        ("WEB", True, None),
        ("WEB", True, who.user_id),
        ("WEB", False, who.user_id),
        ("API", True, None),
    ):
        body = {"title": f"{project} task", "assignee_id": assignee}
        task = await api.call(
            "POST", f"/api/v1/projects/{project}/tasks", token=who.access, body=body
        )
        assert task.status == 201, task.body
        if done:
            key = task.data["key"]
            moved = await api.call(
                "PATCH", f"/api/v1/tasks/{key}", token=who.access, body={"status": "done"}
            )
            assert moved.status == 200, moved.body


def _completed(data: dict) -> int:
    return sum(data["charts"]["throughput"]["datasets"][0]["data"])


async def test_the_json_follows_the_filters(app, api, owner):
    await _seed(api, owner)
    browser = await _signed_in(app, owner)
    everything = await browser.get("/dashboard/data.json")
    assert everything.status == 200
    assert _completed(json.loads(everything.text)) == 3
    web = json.loads((await browser.get("/dashboard/data.json?project=web")).text)
    assert _completed(web) == 2 and web["filters"]["project_id"]
    mine = json.loads((await browser.get(f"/dashboard/data.json?assignee={owner.user_id}")).text)
    assert _completed(mine) == 1 and mine["stats"]["wip"] == 1
    weekly = json.loads((await browser.get("/dashboard/data.json?bucket=week")).text)
    assert weekly["filters"]["bucket"] == "week" and _completed(weekly) == 3


async def test_the_page_embeds_the_same_numbers(app, api, owner):
    await _seed(api, owner)
    browser = await _signed_in(app, owner)
    page = await browser.get("/dashboard?project=API")
    assert page.status == 200
    embedded = re.search(r'id="dashboard-data">(.*?)</script>', page.text, re.S).group(1)
    assert _completed(json.loads(embedded)) == 1
    assert '<option value="API" selected>' in page.text
    assert 'data-live="on"' in page.text and 'id="chart-throughput"' in page.text


async def test_bad_filters_are_explained(app, api, owner):
    browser = await _signed_in(app, owner)
    bad = await browser.get("/dashboard/data.json?from=yesterday")
    assert bad.status == 422 and "is not a date" in json.loads(bad.text)["error"]["message"]
    backwards = await browser.get("/dashboard/data.json?from=2026-03-10&to=2026-03-01")
    assert backwards.status == 422
    page = await browser.get("/dashboard?from=2026-03-10&to=2026-03-01")
    assert page.status == 200 and "The end date is before the start date" in page.text
    unknown = await browser.get("/dashboard/data.json?assignee=not-a-person")
    assert unknown.status == 404


async def test_the_json_needs_a_session(app):
    reply = await WebClient(app).get("/dashboard/data.json")
    assert reply.status == 401 and json.loads(reply.text)["error"]["message"] == "Sign in first"


async def test_each_organization_sees_only_its_own_numbers(app, api, owner):
    await _seed(api, owner)
    stranger = await api.register(org="Elsewhere", name="Sam")
    browser = await _signed_in(app, stranger)
    data = json.loads((await browser.get("/dashboard/data.json")).text)
    assert _completed(data) == 0 and data["tables"]["oldest_open"] == []
    page = await browser.get("/dashboard")
    assert '<option value="WEB"' not in page.text, "no other tenant's projects to pick"
    foreign = await browser.get(f"/dashboard/data.json?assignee={owner.user_id}")
    assert foreign.status == 404
