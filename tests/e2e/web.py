"""A browser stand-in for the web pages: Quart's test client with its cookie jar, plus
the form token read from each page, so tests post forms the way a browser does."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from quart import Quart

CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class WebPage:
    status: int
    text: str
    headers: Any

    @property
    def csrf(self) -> str:
        match = CSRF_PATTERN.search(self.text)
        assert match, "the page has no form token"
        return html.unescape(match.group(1))

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def cookies(self) -> dict[str, dict[str, str]]:
        """Set-Cookie headers by name, each with its attributes (lower-cased keys)."""
        found: dict[str, dict[str, str]] = {}
        for header in self.headers.getlist("Set-Cookie"):
            parsed = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                flags = {k.lower(): str(v) for k, v in morsel.items() if v}
                lowered = header.lower()
                flags["httponly"] = "true" if "httponly" in lowered else ""
                flags["secure"] = "true" if "; secure" in lowered else ""
                found[name] = {"value": morsel.value, **flags}
        return found


class WebClient:
    """One browser: its own cookies."""

    def __init__(self, app: Quart) -> None:
        self.client = app.test_client()

    async def get(self, path: str, **kwargs: Any) -> WebPage:
        response = await self.client.get(path, **kwargs)
        return WebPage(
            response.status_code, await response.get_data(as_text=True), response.headers
        )

    async def post(self, path: str, form: dict[str, str] | None = None) -> WebPage:
        response = await self.client.post(path, form=form or {})
        return WebPage(
            response.status_code, await response.get_data(as_text=True), response.headers
        )

    async def submit(self, page_path: str, action: str, form: dict[str, str]) -> WebPage:
        """Open `page_path`, take its form token, post `form` to `action` with it."""
        token = (await self.get(page_path)).csrf
        return await self.post(action, {**form, "csrf_token": token})

    async def sign_in(self, email: str, password: str) -> WebPage:
        reply = await self.submit("/login", "/login", {"email": email, "password": password})
        assert reply.status == 303, reply.text
        return reply

    def cookie(self, name: str) -> str | None:
        for cookie in self.client.cookie_jar:
            if cookie.name == name:
                return cookie.value
        return None

    def set_cookie(self, name: str, value: str) -> None:
        self.client.set_cookie("localhost", name, value)
