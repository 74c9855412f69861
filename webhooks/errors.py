"""One place that turns every failure into the error envelope with the right status."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import ValidationError
from quart import Quart, Response, jsonify, request
from quart_schema import RequestSchemaValidationError
from quart_schema.openapi import QUART_SCHEMA_OPERATION_ID_ATTRIBUTE, OpenAPIProvider
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule, UUIDConverter
from werkzeug.routing.converters import BaseConverter

from core.db import database_unavailable
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
from webhooks.envelope import ErrorEnvelope, failure

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
    503: "SERVICE_UNAVAILABLE",
}

DATABASE_RETRY_AFTER_SECONDS = 5


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
    """Answer every failure with the error envelope, and document those answers in the spec."""
    _document(app)

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

    @app.errorhandler(UnicodeDecodeError)
    async def undecodable(exc: UnicodeDecodeError) -> Response:
        # Quart decodes the body as UTF-8 before parsing JSON and lets this escape.
        if exc.object == await request.get_data():
            return error_response(400, "BAD_REQUEST", "The request body is not valid JSON")
        return _unexpected()

    @app.errorhandler(Exception)
    async def unexpected(exc: Exception) -> Response:
        if database_unavailable(exc):
            return _unavailable(exc)
        return _unexpected()


def _unavailable(exc: BaseException) -> Response:
    """The database is restarting or unreachable: a clean 503 the client may retry, and the
    connection pool reconnects by itself once the database is back."""
    log.error("unavailable (a dependency is unreachable): %s: %s", type(exc).__name__, exc)
    response = error_response(
        503, "SERVICE_UNAVAILABLE", "The service is briefly unavailable; retry shortly"
    )
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


def _unexpected() -> Response:
    log.exception("unhandled error")
    return error_response(500, "INTERNAL_ERROR", "Something went wrong on our side")


# --- The error answers in the OpenAPI document --------------------------------------------
#
# quart-schema documents only the success response each route validates. The answers above
# come from shared machinery, not from routes, so they are documented here, by rule:
#   every API operation:       400 (bad API-Version header), 401, 403, 404, 422, 429, 503
#   POST, PUT, PATCH, DELETE:  409
#   POST, PUT, PATCH:          413, 415
# A route adds what only it can answer with `@error_responses(412)`.

F = TypeVar("F", bound=Callable[..., Any])
ERROR_STATUSES_ATTRIBUTE = "_teamflow_error_statuses"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
BODY_METHODS = {"POST", "PUT", "PATCH"}

ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "The body is not valid JSON, or a header is malformed"),
    401: ("Unauthorized", "Credentials are missing, wrong, expired or revoked"),
    403: ("Forbidden", "The caller's role does not allow this"),
    404: ("NotFound", "No such resource among the caller's organizations"),
    409: ("Conflict", "The change collides with the current state"),
    412: (
        "PreconditionFailed",
        "`If-Match` names a version that is no longer current; `ETag` has the current one",
    ),
    413: ("PayloadTooLarge", "The request body is too large"),
    415: ("UnsupportedMediaType", "The body is not `application/json`"),
    422: ("ValidationError", "A field, parameter or header is not valid; see `error.details`"),
    429: ("RateLimited", "Too many requests; retry after `Retry-After` seconds"),
    503: (
        "ServiceUnavailable",
        "The database cannot be reached for a moment; retry after `Retry-After` seconds",
    ),
}
RESPONSE_HEADERS: dict[int, dict[str, Any]] = {
    412: {"ETag": {"description": "The current version", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
    503: {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
}


def error_responses(*statuses: int) -> Callable[[F], F]:
    """Document error statuses a route answers with beyond the shared ones (e.g. 412)."""
    unknown = set(statuses) - ERROR_RESPONSES.keys()
    if unknown:
        raise ValueError(f"No error response is described for {sorted(unknown)}")

    def decorator(func: F) -> F:
        known = getattr(func, ERROR_STATUSES_ATTRIBUTE, frozenset())
        setattr(func, ERROR_STATUSES_ATTRIBUTE, known | set(statuses))
        return func

    return decorator


def error_statuses(method: str, operation: dict[str, Any], extra: set[int]) -> set[int]:
    statuses = {400, 401, 403, 404, 422, 429, 503} | extra
    if method.upper() in WRITE_METHODS:
        statuses.add(409)
    if method.upper() in BODY_METHODS:
        statuses |= {413, 415}
    return statuses


class ApiOpenAPIProvider(OpenAPIProvider):
    """quart-schema's document plus the error responses, unique operation ids and uuid
    path parameters (`<uuid:...>`), which quart-schema leaves out."""

    def schema(self) -> dict[str, Any]:
        document = super().schema()
        response, definitions = self.build_response_object(ErrorEnvelope, None)
        schemas = document["components"]["schemas"]
        schemas.update(definitions)
        schemas["ErrorEnvelope"] = response["content"]["application/json"]["schema"]
        reference = {"$ref": "#/components/schemas/ErrorEnvelope"}
        document["components"]["responses"] = {
            name: {
                "description": description,
                "content": {"application/json": {"schema": reference}},
                **({"headers": RESPONSE_HEADERS[status]} if status in RESPONSE_HEADERS else {}),
            }
            for status, (name, description) in ERROR_RESPONSES.items()
        }
        return document

    def build_paths(self, rule: Rule) -> tuple[dict, dict]:
        paths, components = super().build_paths(rule)
        func = self._app.view_functions[rule.endpoint]
        if not rule.rule.startswith("/api/"):
            return paths, components
        extra = set(getattr(func, ERROR_STATUSES_ATTRIBUTE, ()))
        explicit_id = getattr(func, QUART_SCHEMA_OPERATION_ID_ATTRIBUTE, None)
        for operations in paths.values():
            for method, operation in operations.items():
                if explicit_id is None:
                    # quart-schema's `{method}_{function}` repeats across blueprints
                    operation["operationId"] = f"{method}_{rule.endpoint.replace('.', '_')}"
                responses = dict(operation["responses"])
                for status in sorted(error_statuses(method, operation, extra)):
                    name = ERROR_RESPONSES[status][0]
                    responses.setdefault(status, {"$ref": f"#/components/responses/{name}"})
                operation["responses"] = responses
        return paths, components

    def build_path_parameter(self, name: str, converter: BaseConverter) -> dict[str, Any]:
        parameter = super().build_path_parameter(name, converter)
        if isinstance(converter, UUIDConverter):
            parameter["schema"] = {"type": "string", "format": "uuid"}
        return parameter


def _document(app: Quart) -> None:
    """Have quart-schema build `/openapi.json` with `ApiOpenAPIProvider`.

    The same as `QuartSchema(..., openapi_provider_class=ApiOpenAPIProvider)`, for an app
    whose QuartSchema was set up before `register` runs.
    """
    extension = app.extensions.get("QUART_SCHEMA")
    if extension is not None and not isinstance(extension.openapi_provider, ApiOpenAPIProvider):
        extension.openapi_provider = ApiOpenAPIProvider(app, extension)
