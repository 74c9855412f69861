"""A load generator for real TeamFlow processes: asyncio + aiohttp, bounded concurrency.

It sends what the three doors receive in production, each with a unique marker that
the database check finds afterwards: signed `/task add` slash commands, REST API writes
(new tasks and comments, with a JWT), and signed GitHub `issues` webhooks. Every answer
is kept (status, or a failure at the socket level), so a test can say which writes were
accepted (2xx) and check each of those is in the database exactly once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from tests.fakes import slack_requests
from tests.reliability.processes import SIGNING_SECRET

TEAM_ID = "T1"
REQUEST_TIMEOUT_S = 30.0
PASSWORD = "correct horse battery"

SLASH, API_TASK, API_COMMENT, WEBHOOK = "slash", "api_task", "api_comment", "webhook"
WRITE_KINDS = (SLASH, API_TASK, API_COMMENT, WEBHOOK)
OTHER = "other"  # requests that are not writes to check (digest schedules, warm-up)


@dataclass
class Outcome:
    kind: str
    marker: str
    target: str
    status: int | None  # None: no HTTP answer (refused, reset, timed out)
    error: str = ""
    body: Any = None
    ref: str = ""  # a webhook's delivery id
    retry_after: str | None = None
    # A slash command is acknowledged (200) before it runs: when its answer says it did
    # not go through, the write was declined although the request got a 2xx.
    declined: bool = False

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.declined


@dataclass
class Tally:
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, kind: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if kind is None or o.kind == kind]

    def accepted(self, kind: str | None = None) -> list[Outcome]:
        return [o for o in self.of(kind) if o.accepted]

    def server_errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is not None and o.status >= 500]

    def socket_errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is None]

    def statuses(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    def summary(self) -> str:
        kinds = Counter(o.kind for o in self.outcomes)
        return f"{len(self.outcomes)} requests {dict(kinds)}, statuses {dict(self.statuses())}"


@dataclass
class Organization:
    """Who the load acts as: an owner with a JWT, the project, a GitHub endpoint."""

    base_url: str
    access_token: str
    organization_id: str
    project_key: str
    endpoint_id: str = ""
    endpoint_secret: str = ""
    task_keys: list[str] = field(default_factory=list)


class Client:
    """One aiohttp session for the whole run; every call returns an Outcome, never raises
    for an HTTP or socket failure."""

    def __init__(self, session: aiohttp.ClientSession, tally: Tally) -> None:
        self.session = session
        self.tally = tally
        self._names = itertools.count(1)

    async def send(
        self,
        kind: str,
        marker: str,
        method: str,
        url: str,
        *,
        data: bytes | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        ref: str = "",
    ) -> Outcome:
        target = url.split("/", 3)[2]
        try:
            async with self.session.request(
                method, url, data=data, json=json_body, headers=headers
            ) as response:
                raw = await response.read()
                body: Any = raw.decode(errors="replace")
                if response.content_type == "application/json" and raw:
                    body = json.loads(raw)
                outcome = Outcome(
                    kind,
                    marker,
                    target,
                    response.status,
                    body=body,
                    ref=ref,
                    retry_after=response.headers.get("Retry-After"),
                )
        except (aiohttp.ClientError, TimeoutError, ConnectionError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            outcome = Outcome(kind, marker, target, None, error=error, ref=ref)
        self.tally.outcomes.append(outcome)
        return outcome

    async def slash(
        self,
        base_url: str,
        text: str,
        *,
        response_url: str,
        marker: str,
        user_id: str = "U1",
        channel_id: str = "C1",
        kind: str = SLASH,
    ) -> Outcome:
        body, content_type = slack_requests.slash_command(
            text=text,
            user_id=user_id,
            user_name=user_id.lower(),
            channel_id=channel_id,
            team_id=TEAM_ID,
            response_url=response_url,
        )
        headers = slack_requests.signed_headers(body, content_type, secret=SIGNING_SECRET)
        return await self.send(
            kind, marker, "POST", f"{base_url}/slack/events", data=body, headers=headers
        )

    async def api(
        self, kind: str, marker: str, method: str, base_url: str, path: str, *, token: str, body
    ) -> Outcome:
        headers = {"Authorization": f"Bearer {token}"}
        return await self.send(
            kind, marker, method, f"{base_url}/api/v1{path}", json_body=body, headers=headers
        )

    async def github_issue(
        self, base_url: str, org: Organization, *, marker: str, number: int, delivery: str
    ) -> Outcome:
        body = json.dumps(github_issue_opened(marker, number)).encode()
        signature = hmac.new(org.endpoint_secret.encode(), body, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "X-GitHub-Event": "issues",
            "X-GitHub-Delivery": delivery,
            "X-Hub-Signature-256": f"sha256={signature}",
            "User-Agent": "GitHub-Hookshot/reliability",
        }
        url = f"{base_url}/webhooks/github/{org.endpoint_id}"
        return await self.send(
            WEBHOOK, marker, "POST", url, data=body, headers=headers, ref=delivery
        )


def github_issue_opened(title: str, number: int) -> dict[str, Any]:
    """The fields of GitHub's `issues` / `opened` payload that TeamFlow reads."""
    repository = {
        "id": 1296269,
        "name": "load",
        "full_name": "acme/load",
        "html_url": "https://github.com/acme/load",
        "owner": {"login": "acme", "id": 1},
    }
    issue = {
        "id": 10_000 + number,
        "number": number,
        "title": title,
        "body": "Opened during the reliability load test.",
        "state": "open",
        "html_url": f"https://github.com/acme/load/issues/{number}",
        "user": {"login": "octocat", "id": 2},
        "labels": [],
        "assignee": None,
        "assignees": [],
    }
    return {
        "action": "opened",
        "issue": issue,
        "repository": repository,
        "sender": {"login": "octocat", "id": 2},
    }


async def register(base_url: str, *, project_key: str = "LOAD") -> Organization:
    """A new owner and organization through the API, a project and a GitHub endpoint."""
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def post(path: str, body: dict[str, Any], token: str | None = None) -> Any:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            async with session.post(
                f"{base_url}/api/v1{path}", json=body, headers=headers
            ) as reply:
                data = await reply.json()
                assert reply.status == 201, (path, reply.status, data)
                return data["data"]

        email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
        session_data = await post(
            "/auth/register",
            {"email": email, "password": PASSWORD, "name": "Olive", "organization_name": "Load"},
        )
        token, org_id = session_data["access_token"], session_data["organization_id"]
        await post(f"/organizations/{org_id}/projects", {"key": project_key, "name": "Load"}, token)
        endpoint = await post(
            f"/organizations/{org_id}/webhook-endpoints",
            {"provider": "github", "project_id": project_key},
            token,
        )
    return Organization(
        base_url=base_url,
        access_token=token,
        organization_id=org_id,
        project_key=project_key,
        endpoint_id=endpoint["id"],
        endpoint_secret=endpoint["secret"],
    )


@dataclass
class Mix:
    """Weights of each kind of write in the load."""

    slash: int = 35
    api_task: int = 30
    api_comment: int = 10
    webhook: int = 25

    def pick(self, rng: random.Random) -> str:
        kinds = [SLASH, API_TASK, API_COMMENT, WEBHOOK]
        weights = [self.slash, self.api_task, self.api_comment, self.webhook]
        return rng.choices(kinds, weights)[0]


class Load:
    """Runs a mix of writes against `targets` (base URLs, taken in turn) until a deadline."""

    def __init__(
        self,
        client: Client,
        org: Organization,
        *,
        targets: list[str],
        response_url,
        mix: Mix | None = None,
        slack_users: tuple[str, ...] = ("U1", "U2", "U3", "U4"),
        seed: int = 8,
    ) -> None:
        self.client = client
        self.org = org
        self.targets = list(targets)
        self.response_url = response_url  # name -> URL on the fake Slack
        self.mix = mix or Mix()
        self.slack_users = slack_users
        self.rng = random.Random(seed)
        self._numbers = itertools.count(1)
        self._turn = itertools.count()
        self.slash_names: dict[str, str] = {}  # marker -> response_url name
        self.webhooks: dict[str, tuple[str, int]] = {}  # delivery id -> (title, issue number)

    def next_target(self) -> str:
        return self.targets[next(self._turn) % len(self.targets)]

    def drop_target(self, base_url: str) -> None:
        """Stop sending to a process (it was killed): the survivors take the load."""
        if base_url in self.targets and len(self.targets) > 1:
            self.targets.remove(base_url)

    async def one(self, kind: str | None = None) -> Outcome:
        kind = kind or self.mix.pick(self.rng)
        if kind == API_COMMENT and not self.org.task_keys:
            kind = API_TASK
        number = next(self._numbers)
        marker = f"load-{kind}-{number}-{uuid.uuid4().hex[:6]}"
        target = self.next_target()
        if kind == SLASH:
            user = self.slack_users[number % len(self.slack_users)]
            name = f"cmd-{number}"
            self.slash_names[marker] = name
            return await self.client.slash(
                target,
                f"add {marker} #{self.org.project_key}",
                response_url=self.response_url(name),
                marker=marker,
                user_id=user,
            )
        if kind == API_TASK:
            outcome = await self.client.api(
                API_TASK,
                marker,
                "POST",
                target,
                "/tasks",
                token=self.org.access_token,
                body={"project": self.org.project_key, "title": marker},
            )
            if outcome.accepted:
                self.org.task_keys.append(outcome.body["data"]["key"])
            return outcome
        if kind == API_COMMENT:
            key = self.rng.choice(self.org.task_keys)
            return await self.client.api(
                API_COMMENT,
                marker,
                "POST",
                target,
                f"/tasks/{key}/comments",
                token=self.org.access_token,
                body={"body": marker},
            )
        delivery = str(uuid.uuid4())
        self.webhooks[delivery] = (marker, number)
        return await self.client.github_issue(
            target, self.org, marker=marker, number=number, delivery=delivery
        )

    async def redeliver(self, outcome: Outcome, target: str) -> Outcome:
        """Send a webhook delivery again, same id and body, as GitHub's redelivery does."""
        marker, number = self.webhooks[outcome.ref]
        return await self.client.github_issue(
            target, self.org, marker=marker, number=number, delivery=outcome.ref
        )

    async def run(self, *, seconds: float, concurrency: int = 16) -> None:
        deadline = time.monotonic() + seconds

        async def worker() -> None:
            while time.monotonic() < deadline:
                if (await self.one()).status is None:
                    await asyncio.sleep(0.05)  # a dead process: do not spin on refusals

        await asyncio.gather(*(worker() for _ in range(concurrency)))


def session(timeout: float = REQUEST_TIMEOUT_S) -> aiohttp.ClientSession:
    """One client session for a run; a request that outlives `timeout` counts as unanswered."""
    connector = aiohttp.TCPConnector(limit=64, force_close=False)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=timeout))
