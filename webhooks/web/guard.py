"""What wraps every web blueprint: CSRF on each POST, cookies and security headers on
each response, and domain errors answered as pages (JSON on `.json` routes)."""

from __future__ import annotations

import logging
from urllib.parse import quote

from quart import Blueprint, Response, jsonify, redirect, request
from werkzeug.exceptions import HTTPException

from core.errors import DomainError, RateLimited, Unauthenticated
from dashboards.pages import render_error
from webhooks.errors import DOMAIN_STATUS
from webhooks.web.csrf import CsrfRefused, check_csrf
from webhooks.web.responses import SignInRequired, chrome_for, html, wants_json
from webhooks.web.session import current_session, write_cookies

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HEADINGS = {
    403: "Not allowed",
    404: "Not found",
    409: "That cannot be done now",
    412: "Changed in the meantime",
    422: "That does not look right",
}
FAILURE_MESSAGE = "Something went wrong on our side. Try again in a moment."
CSRF_MESSAGE = (
    "This form was not sent from a TeamFlow page, or the page was open too long. "
    "Go back, reload the page and try again."
)


def protect(blueprint: Blueprint) -> None:
    """Install the web door's checks and error pages on `blueprint`."""

    @blueprint.before_request
    async def refuse_forged_posts() -> None:
        if request.method == "POST":
            await check_csrf()

    @blueprint.after_request
    async def finish(response: Response) -> Response:
        write_cookies(response)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @blueprint.errorhandler(CsrfRefused)
    async def csrf_refused(exc: CsrfRefused) -> Response:
        log.info("web form refused: CSRF token %s", exc)
        return await _page(403, "This form cannot be accepted", CSRF_MESSAGE)

    @blueprint.errorhandler(SignInRequired)
    @blueprint.errorhandler(Unauthenticated)
    async def sign_in_required(exc: Exception) -> Response:
        if wants_json():
            return _json(401, "Sign in first")
        target = request.full_path.rstrip("?") if request.method == "GET" else "/dashboard"
        return redirect(f"/login?next={quote(target, safe='/')}", 303)

    @blueprint.errorhandler(DomainError)
    async def refused(exc: DomainError) -> Response:
        status = next(code for kind, code in DOMAIN_STATUS if isinstance(exc, kind))
        return await _page(status, HEADINGS.get(status, "That cannot be done"), exc.message)

    @blueprint.errorhandler(RateLimited)
    async def rate_limited(exc: RateLimited) -> Response:
        response = await _page(429, "Too many attempts", exc.message)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @blueprint.errorhandler(HTTPException)
    async def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        return await _page(status, exc.name, exc.description or exc.name)

    @blueprint.errorhandler(Exception)
    async def unexpected(exc: Exception) -> Response:
        log.exception("web page failed")
        return await _page(500, "Something went wrong", FAILURE_MESSAGE)


async def _page(status: int, heading: str, message: str) -> Response:
    if wants_json():
        return _json(status, message)
    session = await current_session()
    chrome = await chrome_for(session, title=heading)
    return html(render_error(chrome, status=status, heading=heading, message=message), status)


def _json(status: int, message: str) -> Response:
    response = jsonify({"error": {"status": status, "message": message}})
    response.status_code = status
    return response
