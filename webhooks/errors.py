"""One place that turns every failure into the error envelope with the right status."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from quart import Quart, Response, jsonify
from quart_schema import RequestSchemaValidationError
from werkzeug.exceptions import HTTPException

from core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    RateLimited,
    StaleVersion,
    Unauthenticated,
    ValidationFailed,
)
from webhooks.envelope import failure

log = logging.getLogger(__name__)

DOMAIN_STATUS: list[tuple[type[DomainError], int]] = [
    (StaleVersion, 412),
    (NotFound, 404),
    (PermissionDenied, 403),
    (ValidationFailed, 422),
    (Conflict, 409),
    (Unauthenticated, 401),
    (RateLimited, 429),
]

HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    412: "PRECONDITION_FAILED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    428: "PRECONDITION_REQUIRED",
    429: "RATE_LIMITED",
}


class ApiError(Exception):
    """An HTTP-level refusal that has no domain meaning (bad header, wrong media type)."""

    def __init__(self, status: int, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.code = code or HTTP_CODES.get(status, "ERROR")


def error_response(
    status: int, code: str, message: str, details: list[dict[str, str]] | None = None
) -> Response:
    response = jsonify(failure(code, message, details))
    response.status_code = status
    return response


def _domain(exc: DomainError) -> Response:
    status = next(code for kind, code in DOMAIN_STATUS if isinstance(exc, kind))
    code = "PRECONDITION_FAILED" if isinstance(exc, StaleVersion) else exc.code
    details = [{"field": d.field, "message": d.message} for d in exc.details]
    response = error_response(status, code, exc.message, details)
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, StaleVersion):
        response.headers["ETag"] = f'"{exc.current_version}"'
    return response


def _schema(exc: RequestSchemaValidationError) -> Response:
    cause = exc.validation_error
    details: list[dict[str, Any]] = []
    if isinstance(cause, ValidationError):
        for error in cause.errors():
            field = ".".join(str(part) for part in error["loc"]) or "body"
            details.append({"field": field, "message": error["msg"]})
    else:
        details.append({"field": "body", "message": str(cause) or "body is not valid"})
    if not details:
        details.append({"field": "body", "message": "body is not valid"})
    return error_response(422, "VALIDATION_ERROR", "The request is not valid", details)


def _http(exc: HTTPException) -> Response:
    status = exc.code or 500
    messages = {
        400: "The request body is not valid JSON",
        404: "No such route",
        405: "This method is not allowed here",
        413: "The request body is too large",
    }
    message = messages.get(status, exc.description or exc.name)
    response = error_response(status, HTTP_CODES.get(status, "ERROR"), message)
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return response


def register(app: Quart) -> None:
    @app.errorhandler(DomainError)
    async def domain_error(exc: DomainError) -> Response:
        return _domain(exc)

    @app.errorhandler(ApiError)
    async def api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message)

    @app.errorhandler(RequestSchemaValidationError)
    async def schema_error(exc: RequestSchemaValidationError) -> Response:
        return _schema(exc)

    @app.errorhandler(HTTPException)
    async def http_error(exc: HTTPException) -> Response:
        return _http(exc)

    @app.errorhandler(Exception)
    async def unexpected(exc: Exception) -> Response:
        log.exception("unhandled error")
        return error_response(500, "INTERNAL_ERROR", "Something went wrong on our side")
