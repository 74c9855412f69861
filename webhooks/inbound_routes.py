"""The public inbound webhook URLs: /webhooks/{github,gitlab,generic}/{endpoint_id}.

Order matters: find the endpoint (404; kept per process for a few seconds, see
core.services.inbound_endpoints), check the signature (401; nothing stored), read
the body (400), store the delivery (503 when the database cannot, so the sender retries;
never a 2xx for something not stored), then process it inline. A failure while
processing is recorded on the delivery (status `failed`, replayable) and still answered
2xx: the delivery is safely stored, and a retry by the sender would not help.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping

from quart import Blueprint, Response, jsonify, request
from quart_schema import hide
from tortoise.exceptions import OperationalError

from core import db
from core.errors import NotFound
from core.services import inbound_endpoints, webhook_deliveries
from webhooks.envelope import ok
from webhooks.errors import error_response
from webhooks.inbound import PROVIDERS, BadPayload, BadSignature, actions_of, selected_headers
from webhooks.runtime import runtime

log = logging.getLogger(__name__)

blueprint = Blueprint("inbound_webhooks", __name__, url_prefix="/webhooks")

# A database that is down or unreachable (core.db), or SQLite's "database is locked".
DATABASE_UNAVAILABLE: tuple[type[BaseException], ...] = (
    *db.DATABASE_UNAVAILABLE,
    OperationalError,
    OSError,
)


@blueprint.post("/<provider>/<uuid:endpoint_id>")
@hide
async def receive(provider: str, endpoint_id: uuid.UUID) -> Response:
    adapter = PROVIDERS.get(provider)
    if adapter is None:
        return error_response(404, "NOT_FOUND", "No such webhook endpoint")
    body = await request.get_data()
    headers: Mapping[str, str] = request.headers
    try:
        endpoint = await inbound_endpoints.ENDPOINTS.active(
            endpoint_id, provider=provider, secret_key=runtime().settings.secret_key
        )
    except NotFound:
        return error_response(404, "NOT_FOUND", "No such webhook endpoint")
    except DATABASE_UNAVAILABLE:
        return _unavailable()
    try:
        if not endpoint.secret:  # kept under another TEAMFLOW_SECRET_KEY: nothing verifies
            raise BadSignature("The endpoint's secret cannot be read; rotate it")
        adapter.verify(headers, body, endpoint.secret)
        adapter.decode(headers, body)
        text = body.decode("utf-8")
    except BadSignature as exc:
        return error_response(401, "UNAUTHORIZED", str(exc))
    except (BadPayload, UnicodeDecodeError) as exc:
        return error_response(400, "BAD_REQUEST", str(exc))
    event = adapter.event_of(headers) or "unknown"
    try:
        delivery, is_new = await webhook_deliveries.receive(
            endpoint,
            event=event,
            delivery_id=adapter.delivery_id_of(headers, body),
            headers=selected_headers(provider, headers),
            body=text,
        )
    except DATABASE_UNAVAILABLE:
        return _unavailable()
    if not is_new and delivery.status != webhook_deliveries.RECEIVED:
        return _answer(delivery.id, delivery.status, duplicate=True)
    # New, or stored earlier and never finished (the process died, the database went
    # away): process it now; the claim inside `process` keeps it to once.
    try:
        outcome = await webhook_deliveries.process(delivery, actions_of, target=endpoint.target)
    except DATABASE_UNAVAILABLE:  # stored, not processed: the sender's retry finishes it
        log.warning("webhook delivery %s stored but not processed", delivery.id, exc_info=True)
        return _unavailable()
    return _answer(outcome.id, outcome.status, duplicate=not is_new)


def _answer(delivery_id: uuid.UUID, status: str, *, duplicate: bool) -> Response:
    return jsonify(ok({"delivery_id": str(delivery_id), "status": status, "duplicate": duplicate}))


def _unavailable() -> Response:
    log.error("webhook not stored: the database is unavailable", exc_info=True)
    response = error_response(
        503, "SERVICE_UNAVAILABLE", "The delivery could not be stored; retry later"
    )
    response.headers["Retry-After"] = "30"
    return response
