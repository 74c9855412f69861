"""A fake Slack Web API: a real HTTP server on 127.0.0.1 that records every call.

Point the real client at it, `AsyncWebClient(token=..., base_url=fake.base_url)`,
so requests go through slack_sdk's own encoding, headers and error handling.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from tests.fakes import workspace
from tests.fakes.slack_directory import Answer, Identity, SlackDirectory

# Fields slack_sdk sends as JSON strings inside form bodies (and callers may in JSON ones).
_JSON_FIELDS = frozenset(
    {"attachments", "blocks", "metadata", "unfurls", "user_auth_blocks", "view"}
)


@dataclass(frozen=True)
class Call:
    """One request the fake received; `at` is `time.monotonic()` on arrival."""

    method: str
    params: dict[str, Any]
    token: str | None
    at: float


@dataclass
class _Failure:
    error: str
    status: int
    retry_after: int | None
    times: int

    def response(self) -> web.Response:
        headers = {}
        if self.retry_after is not None and self.status != 200:
            headers["Retry-After"] = str(self.retry_after)
        body = {"ok": False, "error": self.error}
        return web.json_response(body, status=self.status, headers=headers)


class FakeSlack:
    """Plays the Slack Web API (`/api/<method>`) and `response_url`s (`/response/<name>`).

    Listeners keep running after `ack()`, so assert with `await fake.wait_for(...)`,
    not on `fake.calls()` right after the request returned.
    """

    def __init__(
        self,
        *,
        team_id: str = workspace.TEAM_ID,
        team_name: str = workspace.TEAM_NAME,
        bot_user_id: str = workspace.BOT_USER_ID,
        bot_id: str = workspace.BOT_ID,
    ) -> None:
        bot = Identity(team_id, team_name, bot_user_id, bot_id, workspace.TEAM_DOMAIN)
        self.directory = SlackDirectory(bot)
        self.latency = 0.0
        self.socket_url: str | None = None
        self.uploads: dict[str, bytes] = {}  # file id -> bytes received by files_upload_v2
        self._calls: list[Call] = []
        self._failures: dict[str, deque[_Failure]] = {}
        self._random_failures: dict[str, tuple[float, _Failure, random.Random]] = {}
        self._answers: dict[str, Answer | Callable[[Call], Answer]] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"{self._root()}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self._root()}/response/{name}"

    def add_user(
        self,
        slack_user_id: str,
        *,
        name: str,
        real_name: str,
        email: str,
        tz: str = "Europe/Berlin",
        team_id: str = workspace.TEAM_ID,
    ) -> None:
        self.directory.add_user(
            slack_user_id, name=name, real_name=real_name, email=email, tz=tz, team_id=team_id
        )

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str,
        is_private: bool = False,
        is_member: bool = True,
        is_archived: bool = False,
    ) -> None:
        """Describe a channel; posting where the bot may not answers as Slack would."""
        self.directory.add_channel(
            channel_id,
            name=name,
            is_private=is_private,
            is_member=is_member,
            is_archived=is_archived,
        )

    def set_oauth(
        self,
        *,
        team_id: str = workspace.TEAM_ID,
        team_name: str = workspace.TEAM_NAME,
        bot_token: str = workspace.BOT_TOKEN,
        bot_user_id: str = workspace.BOT_USER_ID,
        bot_id: str = workspace.BOT_ID,
        authed_user_id: str = "U1",
        scope: str = workspace.BOT_SCOPES,
    ) -> None:
        """What `oauth.v2.access` answers; `auth.test` then knows the new bot token."""
        self.directory.set_oauth(
            team_id=team_id,
            team_name=team_name,
            bot_token=bot_token,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            authed_user_id=authed_user_id,
            scope=scope,
        )

    def set_answer(self, method: str, answer: Answer | Callable[[Call], Answer]) -> None:
        """Answer `method` with this body (or the function's result) from now on."""
        self._answers[method] = answer

    def fail(
        self,
        method: str,
        *,
        error: str = "ratelimited",
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """The next `times` calls to `method` fail; `Retry-After` is never sent with a 200."""
        failure = _Failure(error=error, status=status, retry_after=retry_after, times=times)
        self._failures.setdefault(method, deque()).append(failure)

    def fail_randomly(
        self,
        method: str,
        *,
        rate: float,
        error: str = "ratelimited",
        status: int = 429,
        retry_after: int | None = 1,
        seed: int = 0,
    ) -> None:
        """From now on each call to `method` fails with probability `rate` (a seeded draw,
        so a run is repeatable); failures queued by `fail` still come first."""
        failure = _Failure(error=error, status=status, retry_after=retry_after, times=0)
        self._random_failures[method] = (rate, failure, random.Random(seed))

    def calls(self, method: str | None = None) -> list[Call]:
        return [call for call in self._calls if method is None or call.method == method]

    async def wait_for(self, method: str, *, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """All calls to `method` once at least `count` arrived; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while len(found := self.calls(method)) < count:
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"waited {timeout}s for {count} call(s) to {method}, got {len(found)}; "
                    f"received: {self._summary()}"
                )
            await asyncio.sleep(0.005)
        return found

    def reset(self) -> None:
        """Forget calls and pending failures; users, channels and answers stay."""
        self._calls.clear()
        self._failures.clear()
        self._random_failures.clear()

    def _root(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeSlack is not started: await fake.start() first")
        return f"http://127.0.0.1:{self._port}"

    def _summary(self) -> str:
        counts = Counter(call.method for call in self._calls)
        return ", ".join(f"{method} x{n}" for method, n in counts.items()) or "nothing"

    async def _api(self, request: web.Request) -> web.Response:
        params = await _read_params(request)
        token = _read_token(request, params)
        call = self._record(request.match_info["method"], params, token)
        return await self._reply(call)

    async def _response_url(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        call = self._record(f"response_url:{name}", await _read_params(request), None)
        return await self._reply(call)

    async def _upload(self, request: web.Request) -> web.Response:
        """Step two of files_upload_v2: the file's bytes, to the URL step one gave out."""
        file_id = request.match_info["file_id"]
        self.uploads[file_id] = await request.read()
        self._record(f"upload:{file_id}", {"length": len(self.uploads[file_id])}, None)
        return web.Response(text=f"OK - {len(self.uploads[file_id])}")

    def _record(self, method: str, params: dict[str, Any], token: str | None) -> Call:
        call = Call(method=method, params=params, token=token, at=time.monotonic())
        self._calls.append(call)
        return call

    async def _reply(self, call: Call) -> web.Response:
        if self.latency:
            await asyncio.sleep(self.latency)
        if failure := self._next_failure(call.method):
            return failure.response()
        return web.json_response(self._answer(call))

    def _next_failure(self, method: str) -> _Failure | None:
        pending = self._failures.get(method)
        if not pending:
            return self._random_failure(method)
        failure = pending[0]
        failure.times -= 1
        if failure.times <= 0:
            pending.popleft()
        return failure

    def _random_failure(self, method: str) -> _Failure | None:
        if method not in self._random_failures:
            return None
        rate, failure, draw = self._random_failures[method]
        return failure if draw.random() < rate else None

    def _answer(self, call: Call) -> Answer:
        if call.method in self._answers:
            answer = self._answers[call.method]
            return answer(call) if callable(answer) else answer
        if call.method == "files.getUploadURLExternal":
            file_id = f"F{len(self.uploads) + len(self._calls):08d}"
            self.uploads.setdefault(file_id, b"")
            return {
                "ok": True,
                "file_id": file_id,
                "upload_url": f"{self._root()}/upload/{file_id}",
            }
        if call.method == "files.completeUploadExternal":
            files = call.params.get("files")
            listed = json.loads(files) if isinstance(files, str) else files or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in listed]}
        if call.method == "apps.connections.open":
            if self.socket_url is None:
                return {"ok": False, "error": "fake_socket_url_not_set"}
            return {"ok": True, "url": self.socket_url}
        return self.directory.answer(call.method, call.params, call.token)


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Query string, form and JSON body merged, with JSON-string fields decoded."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.read()
        data = json.loads(body) if body.strip() else {}
        params.update(data if isinstance(data, dict) else {})
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            params[key] = value if isinstance(value, str) else value.file.read()
    return {key: _decoded(key, value) for key, value in params.items()}


def _decoded(key: str, value: Any) -> Any:
    if key not in _JSON_FIELDS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _read_token(request: web.Request, params: dict[str, Any]) -> str | None:
    """The Bearer token, else a `token` field; Basic auth (oauth.v2.access) adds client_id."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme == "Bearer":
        return credentials
    if scheme == "Basic":
        client_id, _, secret = base64.b64decode(credentials).decode().partition(":")
        params.setdefault("client_id", client_id)
        params.setdefault("client_secret", secret)
    return params.get("token")
