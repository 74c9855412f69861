"""One-shot notices shown on the page after a redirect ("Role changed"), kept in a signed
cookie so that a link cannot make TeamFlow display text of someone else's choosing."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from quart import request

from dashboards.pages import Notice
from webhooks.runtime import runtime
from webhooks.web.session import pending_cookies

FLASH_COOKIE = "tf_flash"
SALT = "teamflow.web.flash"
KINDS = ("success", "error")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(runtime().settings.secret_key, salt=SALT)


def flash(message: str, *, kind: str = "success") -> None:
    """Show `message` on the next page this browser loads."""
    value = _serializer().dumps({"message": message[:300], "kind": kind})
    pending_cookies().to_set[FLASH_COOKIE] = (value, 60)


def take_flash() -> Notice | None:
    """The notice waiting for this page, if any; it is cleared from the browser."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    pending_cookies().to_clear.add(FLASH_COOKIE)
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None
    kind = data.get("kind") if data.get("kind") in KINDS else "success"
    return Notice(message=str(data.get("message", "")), kind=kind)
