"""The response envelope every API route shares: success, data or error, and meta."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic_core import to_json
from quart import Response, g

T = TypeVar("T")


class Meta(BaseModel):
    timestamp: datetime
    request_id: str


class PageMeta(Meta):
    next_cursor: str | None
    has_more: bool
    limit: int


class Envelope(BaseModel, Generic[T]):
    success: bool
    data: T
    meta: Meta


class PageEnvelope(BaseModel, Generic[T]):
    """A list with cursor pagination: pass `meta.next_cursor` as `cursor` for the next page."""

    success: bool
    data: list[T]
    meta: PageMeta


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorEnvelope(BaseModel):
    """Every failure: 4xx and 5xx answers of the API share this shape."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    success: Literal[False] = False
    error: ErrorBody
    meta: Meta


def meta(**pagination: Any) -> dict[str, Any]:
    return {
        "timestamp": datetime.now(UTC),
        "request_id": getattr(g, "request_id", ""),
        **pagination,
    }


def ok(data: Any, **pagination: Any) -> dict[str, Any]:
    return {"success": True, "data": data, "meta": meta(**pagination)}


def json_ok(data: Any, **pagination: Any) -> Response:
    """`ok(...)` written as JSON by pydantic-core (in Rust), for the busiest lists. The
    route documents its envelope with `document_response`; `data` must already be in that
    shape (plain values built by the route, e.g. `outputs.task_fields`), as the contract
    tests check against the OpenAPI document."""
    return Response(to_json(ok(data, **pagination)), mimetype="application/json")


def failure(code: str, message: str, details: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "success": False,
        "error": {"code": code, "message": message, "details": details or []},
        "meta": meta(),
    }
