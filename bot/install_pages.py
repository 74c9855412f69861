"""The pages an installer's browser shows when Slack sends them back: pure HTML from text."""

from __future__ import annotations

from html import escape

INSTALLED = "TeamFlow is installed in {team}. Try {command} in any channel."
FAILED_TITLE = "TeamFlow was not installed"
TRY_AGAIN = "Start the install again"

# Bolt's failure reasons, in the installer's words.
FAILURE_REASONS = {
    "access_denied": "The install was cancelled in Slack. Nothing was changed.",
    "invalid_browser": (
        "This install was finished in a different browser from the one that started it, "
        "or the browser refused TeamFlow's cookie."
    ),
    "invalid_state": "This install link has expired or was already used.",
    "missing_code": "Slack did not send the approval code back.",
    "invalid_code": "Slack did not accept the approval code; it may have expired.",
    "storage_error": "TeamFlow could not save the installation. Nothing was changed.",
}
UNKNOWN_REASON = "Slack reported a problem: {reason}."


def installed_page(*, team_name: str, command: str) -> str:
    text = INSTALLED.format(team=team_name or "your workspace", command=command)
    return _page("TeamFlow is installed", f"<p>{escape(text)}</p>")


def failed_page(*, reason: str, install_path: str) -> str:
    text = FAILURE_REASONS.get(reason) or UNKNOWN_REASON.format(reason=reason)
    body = f'<p>{escape(text)}</p>\n<p><a href="{escape(install_path)}">{TRY_AGAIN}</a></p>'
    return _page(FAILED_TITLE, body)


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n"
        f"<body>\n<h1>{escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )
