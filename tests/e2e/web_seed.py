"""Seeding for the web page tests: projects and tasks through the REST API, and a
browser stand-in signed in as someone."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import Api, Session
from tests.e2e.web import WebClient, WebPage

FIELD_ERROR = re.compile(r'data-error-for="([a-z_]+)">([^<]*)<')


async def signed_in(app, who: Session) -> WebClient:
    browser = WebClient(app)
    await browser.sign_in(who.email, who.password)
    return browser


async def project(api: Api, who: Session, key: str = "WEB", name: str = "Website") -> None:
    reply = await api.call(
        "POST",
        f"/api/v1/organizations/{who.org}/projects",
        token=who.access,
        body={"key": key, "name": name},
    )
    assert reply.status == 201, reply.body


async def task(api: Api, who: Session, project: str = "WEB", **body: Any) -> dict[str, Any]:
    reply = await api.call(
        "POST",
        f"/api/v1/projects/{project}/tasks",
        token=who.access,
        body={"title": "A task", **body},
    )
    assert reply.status == 201, reply.body
    return reply.data


async def read_task(api: Api, who: Session, key: str) -> dict[str, Any]:
    reply = await api.call("GET", f"/api/v1/tasks/{key}", token=who.access)
    assert reply.status == 200, reply.body
    return reply.data


def field_errors(page: WebPage) -> dict[str, str]:
    """The messages printed next to fields, by field name."""
    return dict(FIELD_ERROR.findall(page.text))


def section(page: WebPage, element_id: str) -> str:
    """The HTML from the element with `element_id` to the end of its `<section>`."""
    return page.text.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]
