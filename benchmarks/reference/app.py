"""The reference: plain Quart + asyncpg doing only the irreducible work of each scenario.

It answers the same three requests as TeamFlow, on the same database, so TeamFlow's
figures can be read as a ratio of what the stack itself costs:

- GET /api/v1/tasks: verify the JWT, run one indexed keyset query (the page of tasks with
  assignee, reporter and labels), encode JSON.
- POST /slack/events: verify the Slack signature, take the next task number from the
  project's counter and insert the task in one transaction, answer the ack.
- POST /webhooks/github/<id>: verify the GitHub signature, insert the delivery (unique
  per delivery id: a repeat is a no-op), take a number, insert the task, answer 200.

Configured by one environment variable, BENCH_REFERENCE (JSON); run under Hypercorn with
the uvloop worker class, as `teamflow serve` is.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs

import asyncpg
import jwt
from quart import Quart, Response, request

POOL_SIZE = 5  # Tortoise's default pool size for asyncpg
SLACK_SKEW_SECONDS = 300

LIST_SQL = """
SELECT t.id, t.number, t.organization_id, t.project_id, t.title, t.description, t.status,
    t.priority, t.due_at, t.started_at, t.completed_at, t.version, t.created_at, t.updated_at,
    a.id AS a_id, a.name AS a_name, a.email AS a_email, a.timezone AS a_tz,
    r.id AS r_id, r.name AS r_name, r.email AS r_email, r.timezone AS r_tz,
    ARRAY(SELECT l.name FROM task_labels l WHERE l.task_id = t.id ORDER BY l.name) AS labels
FROM tasks t
LEFT JOIN users a ON a.id = t.assignee_id
LEFT JOIN users r ON r.id = t.reporter_id
WHERE t.organization_id = $1 AND t.project_id = $2 AND t.is_active
ORDER BY t.created_at DESC, t.id DESC
LIMIT $3
"""
NEXT_NUMBER_SQL = (
    "UPDATE projects SET task_counter = task_counter + 1 WHERE id = $1 RETURNING task_counter"
)
INSERT_TASK_SQL = """
INSERT INTO tasks (id, created_at, updated_at, number, title, description, status, priority,
    version, is_active, organization_id, project_id, reporter_id)
VALUES ($1, $2, $2, $3, $4, $5, 'todo', 2, 1, true, $6, $7, $8)
"""
INSERT_DELIVERY_SQL = """
INSERT INTO webhook_deliveries (id, created_at, updated_at, provider, event, delivery_id,
    headers, body, status, error, attempts, organization_id, endpoint_id)
VALUES ($1, $2, $2, 'github', $3, $4, $5, $6, 'processed', '', 1, $7, $8)
ON CONFLICT (endpoint_id, delivery_id) DO NOTHING
RETURNING id
"""
PRIORITIES = {1: "low", 2: "medium", 3: "high", 4: "urgent"}


def create_app() -> Quart:
    config = json.loads(os.environ["BENCH_REFERENCE"])
    app = Quart("reference")
    state: dict[str, Any] = {}
    organization_id = uuid.UUID(config["organization_id"])
    list_project = uuid.UUID(config["list_project_id"])
    slack_project = uuid.UUID(config["slack_project_id"])
    github_project = uuid.UUID(config["github_project_id"])
    endpoint_id = uuid.UUID(config["github_endpoint_id"])
    reporter_id = uuid.UUID(config["owner_id"])

    @app.before_serving
    async def connect() -> None:
        state["pool"] = await asyncpg.create_pool(config["dsn"], min_size=1, max_size=POOL_SIZE)

    @app.after_serving
    async def disconnect() -> None:
        await state["pool"].close()

    @app.get("/health")
    async def health() -> Response:
        return _json({"status": "ok"})

    @app.get("/api/v1/tasks")
    async def list_tasks() -> Response:
        _scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        try:
            jwt.decode(
                token,
                config["jwt_secret"],
                algorithms=["HS256"],
                issuer="teamflow",
                options={"require": ["exp", "iat", "sub", "type", "jti", "iss"]},
            )
        except jwt.PyJWTError:
            return _json({"success": False}, 401)
        limit = int(request.args.get("limit", "50"))
        rows = await state["pool"].fetch(LIST_SQL, organization_id, list_project, limit + 1)
        data = [_task(row, config["list_project_key"]) for row in rows[:limit]]
        meta = {"has_more": len(rows) > limit, "limit": limit, "timestamp": _now()}
        return _json({"success": True, "data": data, "meta": meta})

    @app.post("/slack/events")
    async def slack_command() -> Response:
        body = await request.get_data()
        stamp = request.headers.get("X-Slack-Request-Timestamp", "")
        given = request.headers.get("X-Slack-Signature", "")
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > SLACK_SKEW_SECONDS:
            return _json({"error": "stale"}, 401)
        base = b"v0:" + stamp.encode() + b":" + body
        digest = hmac.new(config["slack_secret"].encode(), base, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(given, "v0=" + digest):
            return _json({"error": "signature"}, 401)
        text = parse_qs(body.decode())["text"][0]
        title = text.removeprefix("add").strip()
        async with state["pool"].acquire() as conn, conn.transaction():
            number = await _insert_task(
                conn,
                organization_id=organization_id,
                project_id=slack_project,
                reporter_id=reporter_id,
                title=title,
            )
        return _json({"response_type": "ephemeral", "text": f"Created SLK-{number}: {title}"})

    @app.post("/webhooks/github/<uuid:endpoint>")
    async def github(endpoint: uuid.UUID) -> Response:
        if endpoint != endpoint_id:
            return _json({"error": "not found"}, 404)
        body = await request.get_data()
        digest = hmac.new(config["github_secret"].encode(), body, hashlib.sha256).hexdigest()
        given = request.headers.get("X-Hub-Signature-256", "")
        if not hmac.compare_digest(given, f"sha256={digest}"):
            return _json({"error": "signature"}, 401)
        payload = json.loads(body)
        delivery = request.headers.get("X-GitHub-Delivery", "")
        event = request.headers.get("X-GitHub-Event", "")
        headers = json.dumps({"X-GitHub-Event": event, "X-GitHub-Delivery": delivery})
        now = datetime.now(UTC)
        async with state["pool"].acquire() as conn, conn.transaction():
            stored = await conn.fetchval(
                INSERT_DELIVERY_SQL,
                uuid.uuid4(),
                now,
                event,
                delivery,
                headers,
                body.decode(),
                organization_id,
                endpoint_id,
            )
            if stored is None:
                return _json({"success": True, "data": {"duplicate": True}})
            issue = payload["issue"]
            number = await _insert_task(
                conn,
                organization_id=organization_id,
                project_id=github_project,
                reporter_id=reporter_id,
                title=issue["title"],
                description=issue.get("body") or "",
            )
        return _json({"success": True, "data": {"delivery_id": str(stored), "number": number}})

    return app


async def _insert_task(
    conn: asyncpg.Connection,
    *,
    organization_id: uuid.UUID,
    project_id: uuid.UUID,
    reporter_id: uuid.UUID,
    title: str,
    description: str = "",
) -> int:
    """The next number from the project's counter, then the task row (caller's transaction)."""
    number = await conn.fetchval(NEXT_NUMBER_SQL, project_id)
    await conn.execute(
        INSERT_TASK_SQL,
        uuid.uuid4(),
        datetime.now(UTC),
        number,
        title[:255],
        description[:2000],
        organization_id,
        project_id,
        reporter_id,
    )
    return number


def _task(row: asyncpg.Record, project_key: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "key": f"{project_key}-{row['number']}",
        "number": row["number"],
        "organization_id": row["organization_id"],
        "project_id": row["project_id"],
        "project_key": project_key,
        "title": row["title"],
        "description": row["description"],
        "status": row["status"],
        "priority": PRIORITIES[row["priority"]],
        "assignee": _user(row, "a"),
        "reporter": _user(row, "r"),
        "due_at": row["due_at"],
        "started_at": row["started_at"],
        "completed_at": row["completed_at"],
        "labels": list(row["labels"]),
        "version": row["version"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def _user(row: asyncpg.Record, prefix: str) -> dict[str, Any] | None:
    if row[f"{prefix}_id"] is None:
        return None
    return {
        "id": row[f"{prefix}_id"],
        "name": row[f"{prefix}_name"],
        "email": row[f"{prefix}_email"],
        "timezone": row[f"{prefix}_tz"],
    }


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _json(data: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(data, default=_default), status=status, content_type="application/json"
    )
