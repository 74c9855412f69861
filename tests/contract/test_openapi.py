"""`/openapi.json` is valid OpenAPI 3.1 and describes every API route, and only those."""

from __future__ import annotations

from collections import Counter
from typing import Any

from openapi_spec_validator import validate

from tests.contract.conftest import API_PREFIX, api_routes

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
UNAUTHENTICATED = {
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
}
# Routes outside the API that the document may show; nothing else outside /api/v1 may leak.
ALLOWED_OUTSIDE_API = {"/health", "/health/detailed"}
NEVER_DOCUMENTED = ("/docs", "/redocs", "/scalar", "/metrics", "/openapi.json", "/static")
ERROR_ENVELOPE = "#/components/schemas/ErrorEnvelope"


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = document["components"][section][name]
    return node


def test_document_is_valid_openapi_3_1(openapi_document):
    assert openapi_document["openapi"].startswith("3.1")
    validate(openapi_document)


def test_operation_ids_are_unique(openapi_document):
    ids = Counter(op.get("operationId") for _, _, op in operations(openapi_document))
    assert None not in ids
    assert [name for name, count in ids.items() if count > 1] == []


def test_every_api_route_is_documented_and_nothing_else(openapi_document):
    documented = {
        (method, path)
        for method, path, _ in operations(openapi_document)
        if path.startswith(API_PREFIX)
    }
    routes = set(api_routes())
    assert routes, "the app has no API routes?"
    assert sorted(routes - documented) == [], "routes missing from /openapi.json"
    assert sorted(documented - routes) == [], "documented operations the app does not route"


def test_no_non_api_route_leaks_into_the_document(openapi_document):
    outside = {path for path in openapi_document["paths"] if not path.startswith(API_PREFIX)}
    assert outside <= ALLOWED_OUTSIDE_API
    leaked = [p for p in openapi_document["paths"] if p.startswith(NEVER_DOCUMENTED)]
    assert leaked == []


def test_bearer_security_everywhere_except_sign_in(openapi_document):
    schemes = openapi_document["components"]["securitySchemes"]
    assert schemes["bearer"]["type"] == "http"
    assert schemes["bearer"]["scheme"] == "bearer"
    default = openapi_document.get("security")
    for method, path, operation in operations(openapi_document):
        if not path.startswith(API_PREFIX):
            continue
        if (method, path) in UNAUTHENTICATED:
            assert operation.get("security") == [], (method, path)
        else:
            effective = operation.get("security", default)
            assert effective and {"bearer": []} in effective, (method, path)
    assert {(m, p) for m, p, _ in operations(openapi_document)} >= UNAUTHENTICATED


def test_each_operation_documents_its_success_response(openapi_document):
    for method, path, operation in operations(openapi_document):
        if not path.startswith(API_PREFIX):
            continue
        successes = {
            code: resolve(openapi_document, response)
            for code, response in operation["responses"].items()
            if str(code).startswith("2")
        }
        assert successes, (method, path)
        for code, response in successes.items():
            schema = response["content"]["application/json"]["schema"]
            assert schema.get("properties", {}).keys() >= {"success", "data", "meta"}, (
                method,
                path,
                code,
            )


def test_error_responses_use_the_one_error_envelope(openapi_document):
    envelope = openapi_document["components"]["schemas"]["ErrorEnvelope"]
    assert set(envelope["required"]) == {"success", "error", "meta"}
    assert envelope["properties"]["success"]["const"] is False
    body = resolve(openapi_document, envelope["properties"]["error"])
    assert set(body["required"]) == {"code", "message", "details"}
    detail = resolve(openapi_document, body["properties"]["details"]["items"])
    assert set(detail["required"]) == {"field", "message"}
    meta = resolve(openapi_document, envelope["properties"]["meta"])
    assert set(meta["required"]) >= {"timestamp", "request_id"}

    for method, path, operation in operations(openapi_document):
        if not path.startswith(API_PREFIX):
            continue
        errors = {
            int(code): resolve(openapi_document, response)
            for code, response in operation["responses"].items()
            if str(code)[0] in "45"
        }
        assert {401, 404, 422, 429} <= errors.keys(), (method, path)
        if method in {"post", "put", "patch"}:
            assert {413, 415} <= errors.keys(), (method, path)
        for code, response in errors.items():
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": ERROR_ENVELOPE}, (method, path, code)
