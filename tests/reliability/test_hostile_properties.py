"""Property tests (hypothesis) for the parsers that read text strangers write: `/task add`
quick-add and the GitHub, GitLab and generic webhook parsers.

Bounded and reproducible: a fixed number of examples, `derandomize=True` (the same
inputs on every run and in CI), no example database, no deadline.
"""

from __future__ import annotations

import asyncio
import copy
import json
import string
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.quickadd import QuickAddError, parse_quick_add
from core.services.task_fields import LABEL_PATTERN, TITLE_MAX
from tests.e2e.conftest import Api
from tests.e2e.test_inbound_webhooks import fixture
from tests.reliability.hostile import hostile_app, sign_generic
from tests.reliability.test_hostile_signatures import github_headers, gitlab_headers
from webhooks.inbound import PROVIDERS, BadPayload, actions_of

NOW = datetime(2026, 10, 28, 10, 0, tzinfo=UTC)
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]


def bounded(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        print_blob=False,
    )


# --- quick add ------------------------------------------------------------------------

WORDS = st.text(
    alphabet=string.ascii_letters + string.digits + "äöüéß-_.,:;?()'\"&<>/",
    min_size=1,
    max_size=12,
).filter(lambda w: w[0] not in "@#!+" and not w.lower().startswith("due:"))
TOKENS = st.one_of(
    st.sampled_from(["@alice", "@me", "<@U123ABC>", "<@U9|bob>"]).map(lambda t: ("assignee", t)),
    st.sampled_from(["#WEB", "#ops", "<#C1|web>"]).map(lambda t: ("project", t)),
    st.sampled_from(["!low", "!high", "!urgent", "!!", "!!!"]).map(lambda t: ("priority", t)),
    st.sampled_from(["due:today", "due:friday", "due:2027-01-15", 'due:"next monday 9am"']).map(
        lambda t: ("due", t)
    ),
    st.from_regex(r"\+[a-z][a-z0-9-]{0,15}", fullmatch=True).map(lambda t: ("label", t)),
)


@bounded(1000)
@given(text=st.text(max_size=300), zone=st.sampled_from(ZONES))
def test_quick_add_never_fails_with_anything_but_its_own_error(text: str, zone: str, figures):
    """Any text at all: a parsed task with a usable title, or QuickAddError; nothing else."""
    figures.add(inputs=1)
    try:
        parsed = parse_quick_add(text, now=NOW, timezone=zone)
    except QuickAddError as exc:
        assert str(exc)
        return
    assert parsed.title and parsed.title == parsed.title.strip()
    assert len(parsed.title) <= TITLE_MAX
    assert all(LABEL_PATTERN.match(label) for label in parsed.labels)
    assert len(set(parsed.labels)) == len(parsed.labels)
    assert parsed.priority in (None, "low", "medium", "high", "urgent")
    assert parsed.due_at is None or parsed.due_at.tzinfo is not None


@bounded(300)
@given(
    when=st.one_of(
        st.text(max_size=40),
        st.text(alphabet=string.digits + "-:T+Z ./", max_size=30),
        st.sampled_from(
            ["tomorrow", "next monday", "in 3 days", "eod", "eow", "0001-01-01", "2099-02-29"]
        ).flatmap(lambda w: st.sampled_from([w, f'"{w} 25:99"', f"{w}_at_noon", w.upper()])),
    ),
    zone=st.sampled_from(ZONES),
)
def test_quick_add_due_dates_parse_or_explain(when: str, zone: str, figures):
    """`due:` followed by anything at all: an aware due date, or QuickAddError saying why."""
    figures.add(inputs=1)
    try:
        parsed = parse_quick_add(f"Ship it due:{when}", now=NOW, timezone=zone)
    except QuickAddError as exc:
        assert str(exc)
        return
    assert parsed.due_at is None or parsed.due_at.utcoffset() is not None


def test_quick_add_due_at_the_end_of_time_is_explained(figures):
    """`due:9999-12-31` in New York: QuickAddError saying why, not a crash."""
    figures.set(inputs=1)
    with pytest.raises(QuickAddError):
        parse_quick_add("Ship it due:9999-12-31", now=NOW, timezone="America/New_York")


@bounded(300)
@given(
    words=st.lists(WORDS, min_size=1, max_size=8),
    tokens=st.lists(TOKENS, max_size=5, unique_by=lambda t: t[0]),
    order=st.randoms(use_true_random=False),
    zone=st.sampled_from(ZONES),
)
def test_quick_add_keeps_the_title_and_reads_each_token(words, tokens, order, zone, figures):
    """Title words and tokens in any order: the title is exactly the words, in order
    (with Slack's escapes undone), and each token lands in its own field."""
    figures.add(inputs=1)
    parts = [("word", w) for w in words] + tokens
    order.shuffle(parts)
    text = " ".join(token for _, token in parts)
    parsed = parse_quick_add(text, now=NOW, timezone=zone)
    title = " ".join(w for kind, w in parts if kind == "word")
    for escaped, character in (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        title = title.replace(escaped, character)
    kinds = {kind for kind, _ in tokens}
    assert parsed.title == title
    assert (parsed.assignee is not None) == ("assignee" in kinds)
    assert (parsed.project_key is not None) == ("project" in kinds)
    assert (parsed.priority is not None) == ("priority" in kinds)
    assert (parsed.due_at is not None) == ("due" in kinds)
    assert len(parsed.labels) == (1 if "label" in kinds else 0)


# --- webhook parsers --------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
EVENTS = {
    "github": ["issues", "issue_comment", "pull_request", "push", "ping", "release", ""],
    "gitlab": ["Issue Hook", "Note Hook", "Merge Request Hook", "Push Hook", "Pipeline Hook"],
    "generic": ["generic"],
}
SHAPES = {
    "github": [
        "github.issues.opened",
        "github.issues.closed",
        "github.issues.labeled",
        "github.issues.assigned",
        "github.issue_comment.created",
        "github.pull_request.opened",
        "github.pull_request.closed.merged",
        "github.push",
    ],
    "gitlab": ["gitlab.issue", "gitlab.note.issue", "gitlab.merge_request", "gitlab.push"],
    "generic": [],
}
GENERIC_VALID = st.fixed_dictionaries(
    {
        "action": st.sampled_from(["create", "update", "comment", "complete", "reopen"]),
        "title": st.text(min_size=1, max_size=60),
        "body": st.text(min_size=1, max_size=60),
    },
    optional={
        "task": st.sampled_from(["WEB-1", "web-1", "WEB-999", "OPS-1"]),
        "external_id": st.text(min_size=1, max_size=40),
        "description": st.text(max_size=60),
        "priority": st.sampled_from(["low", "medium", "high", "urgent"]),
        "labels": st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), max_size=4),
        "due_at": st.sampled_from(["2030-01-01T09:00:00Z", "2030-06-01T12:00:00+02:00"]),
        "sender": st.text(max_size=20),
    },
)
GENERIC = st.fixed_dictionaries(
    {"action": st.sampled_from(["create", "update", "comment", "complete", "reopen", "x"])},
    optional={
        "task": st.one_of(st.none(), st.text(max_size=40), st.just("WEB-1")),
        "external_id": st.one_of(st.none(), st.text(max_size=300)),
        "title": st.one_of(st.none(), st.text(max_size=300), JSON),
        "description": st.one_of(st.none(), st.text(max_size=50)),
        "priority": st.one_of(st.sampled_from(["low", "urgent", "URGENT", ""]), JSON),
        "labels": st.one_of(st.lists(st.text(max_size=30), max_size=25), JSON),
        "due_at": st.one_of(
            st.sampled_from(["2030-01-01T09:00:00Z", "2030-01-01", "tomorrow", ""]), JSON
        ),
        "body": st.one_of(st.none(), st.text(max_size=50)),
    },
)


def paths_of(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths_of(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths_of(child, (*prefix, index))
    return found


def replaced(payload: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    payload = copy.deepcopy(payload)
    node = payload
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return payload


@st.composite
def payloads(draw, provider: str) -> dict[str, Any] | Any:
    """Arbitrary JSON, the generic schema with wrong values, or a real provider payload
    with parts of it replaced by arbitrary JSON (which reaches the deep branches)."""
    shapes = SHAPES[provider]
    choice = draw(st.sampled_from(["any", "shaped", "generic"]))
    if choice == "generic" or (choice == "shaped" and not shapes):
        return draw(st.one_of(GENERIC, GENERIC_VALID))
    if choice == "any":
        return draw(JSON)
    payload = fixture(draw(st.sampled_from(shapes)))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths_of(payload)))
        payload = replaced(payload, path, draw(JSON))
    return payload


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_webhook_parsers_refuse_only_with_their_own_error(provider: str, figures):
    """Arbitrary JSON, and real payloads with parts replaced by arbitrary JSON, for every
    event of every provider: a list of actions, or BadPayload; never anything else."""
    tried = 0

    @bounded(250)
    @given(payload=payloads(provider), event=st.sampled_from(EVENTS[provider]))
    def check(payload: Any, event: str) -> None:
        nonlocal tried
        tried += 1
        body = json.dumps(payload).encode()
        try:
            actions = actions_of(provider, event, {"Content-Type": "application/json"}, body)
        except BadPayload:
            return
        assert isinstance(actions, list)

    check()
    figures.set(inputs=tried, lost=0)


# --- the same inputs through the HTTP door ------------------------------------------------


@pytest.fixture
async def hooks(db, app_cache):
    api = Api(hostile_app(app_cache))
    owner = await api.register()
    await api.call(
        "POST",
        f"/api/v1/organizations/{owner.org}/projects",
        token=owner.access,
        body={"key": "WEB", "name": "Web"},
    )
    await api.call("POST", "/api/v1/projects/WEB/tasks", token=owner.access, body={"title": "x"})
    found = {}
    for provider in sorted(PROVIDERS):
        reply = await api.call(
            "POST",
            f"/api/v1/organizations/{owner.org}/webhook-endpoints",
            token=owner.access,
            body={"provider": provider, "project_id": "WEB"},
        )
        found[provider] = reply.data
    return api, found


def signed(provider: str, secret: str, body: bytes, event: str) -> dict[str, str]:
    if provider == "github":
        return github_headers(secret, body) | {"X-GitHub-Event": event}
    if provider == "gitlab":
        return gitlab_headers(secret) | {"X-Gitlab-Event": event}
    return sign_generic(secret, body) | {"Idempotency-Key": str(uuid.uuid4())}


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
async def test_signed_strange_payloads_never_get_a_5xx(provider: str, hooks, figures):
    """The same strange payloads, correctly signed, posted to the provider's endpoint:
    200 (stored, then processed, ignored or failed) or 400, never a 5xx."""
    api, endpoints = hooks
    endpoint = endpoints[provider]
    loop = asyncio.get_running_loop()
    statuses: dict[int, int] = {}

    def post(body: bytes, event: str) -> int:
        headers = signed(provider, endpoint["secret"], body, event)
        call = api.call(
            "POST", f"/webhooks/{provider}/{endpoint['id']}", data=body, headers=headers
        )
        return asyncio.run_coroutine_threadsafe(call, loop).result(timeout=30).status

    @bounded(100)
    @given(payload=payloads(provider), event=st.sampled_from(EVENTS[provider]))
    def check(payload: Any, event: str) -> None:
        status = post(json.dumps(payload).encode(), event)
        statuses[status] = statuses.get(status, 0) + 1
        assert status in (200, 400), status

    # Hypothesis runs in a worker thread; each request is handed back to this loop.
    await asyncio.wait_for(asyncio.to_thread(check), timeout=120)
    figures.set(
        requests=sum(statuses.values()),
        inputs=sum(statuses.values()),
        accepted=statuses.get(200, 0),
        refused=statuses.get(400, 0),
        server_errors=sum(n for s, n in statuses.items() if s >= 500),
        lost=0,
    )
    figures.note(f"{provider}: answers by status {statuses}")
