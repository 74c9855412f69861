"""The dashboards' own scripts, styles and vendored Chart.js, served by the app itself
at /static/dashboards/ (no CDN). A URL with `?v=` names one version of a file and is
cached for a year."""

from __future__ import annotations

from quart import Blueprint, Response, request, send_from_directory
from quart_schema import hide

from dashboards.pages import STATIC

blueprint = Blueprint("web_static", __name__)

ONE_YEAR = 365 * 24 * 60 * 60


@blueprint.get("/static/dashboards/<path:name>")
@hide
async def static_file(name: str) -> Response:
    response = await send_from_directory(STATIC, name)
    if request.args.get("v"):
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
