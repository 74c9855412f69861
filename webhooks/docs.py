"""The API reference at `/docs`: Swagger UI over `/openapi.json`, with no outside requests.

quart-schema's own `/docs`, `/redocs` and `/scalar` pages load their JavaScript from a CDN
and render nothing offline, so the app turns them off and registers this blueprint instead.
Every script, stylesheet and icon is served from `/docs/static/`, and the page's
Content-Security-Policy allows nothing else.

The Swagger UI files come from the swagger-ui-py package (Swagger UI 5). The older
swagger-ui-bundle package ships Swagger UI 4, which refuses the OpenAPI 3.1 documents that
quart-schema writes ("Unable to render this definition").

Asset URLs carry `?v=<digest of the package version and our init script>`, so they can be
cached for a year: an upgrade changes the URL.
"""

from __future__ import annotations

import hashlib
from functools import cache
from html import escape
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

from quart import Blueprint, Response, abort, send_file
from quart_schema import hide

TITLE = "TeamFlow API"
OPENAPI_URL = "/openapi.json"
STATIC_URL = "/docs/static"
ONE_YEAR = 365 * 24 * 60 * 60

_VENDOR = Path(find_spec("swagger_ui").submodule_search_locations[0]) / "static"
_OWN = Path(__file__).parent / "static"
ASSETS: dict[str, Path] = {
    "swagger-ui.css": _VENDOR / "swagger-ui.css",
    "index.css": _VENDOR / "index.css",
    "swagger-ui-bundle.js": _VENDOR / "swagger-ui-bundle.js",
    "favicon-32x32.png": _VENDOR / "favicon-32x32.png",
    "init.js": _OWN / "docs-init.js",
}

# Swagger UI's stylesheet draws its icons from data: URIs; "Try it out" uses fetch.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{swagger_css}">
<link rel="stylesheet" href="{index_css}">
<link rel="icon" type="image/png" href="{icon}">
</head>
<body>
<main id="swagger-ui" data-openapi-url="{openapi_url}">
<noscript><p>This reference needs JavaScript. The OpenAPI document itself is at
<a href="{openapi_url}">{openapi_url}</a>.</p></noscript>
</main>
<script src="{bundle_js}"></script>
<script src="{init_js}"></script>
</body>
</html>
"""

blueprint = Blueprint("docs", __name__)


def render_page(*, title: str, openapi_url: str, version: str) -> str:
    """The HTML shell; Swagger UI fills `<main>` once its script has run."""

    def asset(name: str) -> str:
        return escape(f"{STATIC_URL}/{name}?v={version}")

    return PAGE.format(
        title=escape(title),
        openapi_url=escape(openapi_url),
        swagger_css=asset("swagger-ui.css"),
        index_css=asset("index.css"),
        icon=asset("favicon-32x32.png"),
        bundle_js=asset("swagger-ui-bundle.js"),
        init_js=asset("init.js"),
    )


@cache
def asset_version() -> str:
    digest = hashlib.sha256(metadata.version("swagger-ui-py").encode())
    digest.update(ASSETS["init.js"].read_bytes())
    return digest.hexdigest()[:12]


@blueprint.get("/docs")
@hide
async def docs_page() -> Response:
    html = render_page(title=TITLE, openapi_url=OPENAPI_URL, version=asset_version())
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("/docs/static/<path:name>")
@hide
async def docs_asset(name: str) -> Response:
    path = ASSETS.get(name)
    if path is None:
        abort(404)
    response = await send_file(path, cache_timeout=ONE_YEAR, conditional=True)
    response.cache_control.immutable = True
    return response
