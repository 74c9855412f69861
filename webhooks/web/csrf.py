"""Cross-site request forgery protection for every form the web pages post.

Each browser gets a random id in an httpOnly cookie; a form carries that id signed with
TEAMFLOW_SECRET_KEY (itsdangerous, timed). A POST passes only when the signature is ours,
not too old, and names the id of the cookie the browser sent. Another site can make a
browser send the cookie, but can neither read it nor sign a token for it.
"""

from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer
from quart import g, request

from webhooks.runtime import runtime
from webhooks.web.session import pending_cookies

CSRF_COOKIE = "tf_csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
MAX_AGE_SECONDS = 24 * 60 * 60
SALT = "teamflow.web.csrf"


class CsrfRefused(Exception):
    """A POST without a valid token for this browser."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(runtime().settings.secret_key, salt=SALT)


def _browser_id() -> str:
    """This browser's id: from its cookie, else a new one set on this response."""
    if "csrf_id" in g:
        return g.csrf_id
    current = request.cookies.get(CSRF_COOKIE, "")
    if len(current) < 20:
        current = secrets.token_urlsafe(24)
        pending_cookies().to_set[CSRF_COOKIE] = (current, None)
    g.csrf_id = current
    return current


def csrf_token() -> str:
    """The token to put in a form's hidden `csrf_token` field."""
    return _serializer().dumps(_browser_id())


async def check_csrf() -> None:
    """Raise CsrfRefused unless the POSTed token belongs to this browser's cookie."""
    form = await request.form
    token = form.get(FIELD) or request.headers.get(HEADER, "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not token or not cookie:
        raise CsrfRefused("missing")
    try:
        signed_for = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        raise CsrfRefused("bad signature") from None
    if not isinstance(signed_for, str) or not hmac.compare_digest(signed_for, cookie):
        raise CsrfRefused("other browser")
