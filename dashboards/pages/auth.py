"""Signing in: the login form, the magic-link confirmation, and error pages."""

from __future__ import annotations

from dashboards.pages.chrome import Chrome
from dashboards.pages.environment import render


def render_login(
    chrome: Chrome, *, email: str = "", error: str | None = None, next_url: str = "/dashboard"
) -> str:
    """The email and password form (posts to /login)."""
    return render("login.html", chrome=chrome, email=email, error=error, next_url=next_url)


def render_magic_link(chrome: Chrome, *, token: str, error: str | None = None) -> str:
    """The page a Slack sign-in link opens: one button that spends the link.

    Opening the link does not sign in: link previews and mail scanners fetch it too, and
    must not use it up. The button posts it.
    """
    return render("magic_link.html", chrome=chrome, token=token, error=error)


def render_error(chrome: Chrome, *, status: int, heading: str, message: str) -> str:
    """A plain page for a refusal or a failure (403, 404, 500 ...)."""
    return render("error.html", chrome=chrome, status=status, heading=heading, message=message)
