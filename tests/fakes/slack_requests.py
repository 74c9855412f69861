"""Requests shaped, encoded and signed the way Slack sends them to `/slack/events`.

Encodings on the wire: slash commands are form fields; interactivity (block
actions, view submissions, shortcuts) is one form field `payload=<JSON>`; the
Events API is a JSON body. Sign the exact bytes you send.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.fakes import workspace

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

Payload = dict[str, Any]


def sign(body: bytes, *, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """`X-Slack-Signature` is `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


def signed_headers(
    body: bytes, content_type: str, *, secret: str, timestamp: int | None = None
) -> dict[str, str]:
    """Everything a request to `/slack/events` carries: content type and signature."""
    return {"Content-Type": content_type, **sign(body, secret=secret, timestamp=timestamp)}


def retry_headers(num: int, reason: str = "http_timeout") -> dict[str, str]:
    """Slack adds these only when it redelivers an event the app did not ack in time."""
    return {"X-Slack-Retry-Num": str(num), "X-Slack-Retry-Reason": reason}


def slash_command(
    *,
    text: str,
    command: str = "/task",
    user_id: str = "U1",
    user_name: str = "alice",
    team_id: str = workspace.TEAM_ID,
    team_domain: str = workspace.TEAM_DOMAIN,
    channel_id: str = "C1",
    channel_name: str = "general",
    response_url: str,
    trigger_id: str = "t1",
    enterprise_id: str | None = None,
) -> tuple[bytes, str]:
    """Form fields in Slack's wire order; `enterprise_id` only for Enterprise Grid."""
    fields = {
        "token": workspace.VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": workspace.APP_ID,
        "is_enterprise_install": "false",
        **({"enterprise_id": enterprise_id} if enterprise_id else {}),
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return urlencode(fields).encode(), FORM


def ssl_check() -> tuple[bytes, str]:
    """Slack's certificate probe of a slash command URL; it comes unsigned."""
    return urlencode({"token": workspace.VERIFICATION_TOKEN, "ssl_check": "1"}).encode(), FORM


def interaction(payload: Payload) -> tuple[bytes, str]:
    """Interactivity arrives as a single form field holding the JSON payload."""
    return urlencode({"payload": json.dumps(payload)}).encode(), FORM


def block_action(
    *,
    action_id: str,
    value: str | None = None,
    block_id: str | None = None,
    selected_option: Payload | str | None = None,
    selected_date: str | None = None,
    user_id: str = "U1",
    team_id: str = workspace.TEAM_ID,
    channel_id: str = "C1",
    message_ts: str = "1700000000.000100",
    message_blocks: list[Payload] | None = None,
    response_url: str,
    trigger_id: str = "t1",
) -> Payload:
    """A click (button), a choice (static select) or a date (datepicker) in a message.

    `block_id` defaults to the block of `message_blocks` holding `action_id`; a
    string `selected_option` becomes an option with that text and value.
    """
    blocks = message_blocks or []
    return {
        "type": "block_actions",
        **_user_and_team(user_id, team_id),
        "api_app_id": workspace.APP_ID,
        "token": workspace.VERIFICATION_TOKEN,
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "trigger_id": trigger_id,
        "channel": {"id": channel_id, "name": channel_id.lower()},
        "message": _bot_message(message_ts, blocks),
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id or _block_holding(blocks, action_id),
                "action_ts": _now_ts(),
                **_action_input(value, selected_option, selected_date, action_id),
            }
        ],
    }


def view_submission(
    *,
    callback_id: str,
    state_values: dict[str, dict[str, Any]],
    private_metadata: str = "",
    user_id: str = "U1",
    team_id: str = workspace.TEAM_ID,
    view_id: str = "V1",
) -> Payload:
    """`state_values` is Slack's `{block_id: {action_id: {...}}}`; a plain string (or
    None) in place of `{...}` stands for a `plain_text_input` with that value."""
    values = {
        block_id: {action_id: _state_value(v) for action_id, v in actions.items()}
        for block_id, actions in state_values.items()
    }
    return {
        "type": "view_submission",
        **_user_and_team(user_id, team_id),
        "api_app_id": workspace.APP_ID,
        "token": workspace.VERIFICATION_TOKEN,
        "trigger_id": "t1",
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "blocks": [
                _input_block(b, a, v) for b, actions in values.items() for a, v in actions.items()
            ],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": values},
            "hash": "1700000000.fakehash",
            "title": {"type": "plain_text", "text": "TeamFlow"},
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": workspace.APP_ID,
            "external_id": "",
            "bot_id": workspace.BOT_ID,
        },
        "response_urls": [],
    }


def message_shortcut(
    *,
    callback_id: str,
    message_text: str,
    message_ts: str,
    user_id: str = "U1",
    channel_id: str = "C1",
    team_id: str = workspace.TEAM_ID,
    response_url: str,
    trigger_id: str = "t1",
) -> Payload:
    """A shortcut run on a message (Slack's type name is `message_action`)."""
    return {
        "type": "message_action",
        "token": workspace.VERIFICATION_TOKEN,
        "action_ts": _now_ts(),
        **_user_and_team(user_id, team_id),
        "channel": {"id": channel_id, "name": channel_id.lower()},
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "message_ts": message_ts,
        "message": {
            "type": "message",
            "text": message_text,
            "user": user_id,
            "ts": message_ts,
            "team": team_id,
        },
        "response_url": response_url,
    }


def global_shortcut(
    *,
    callback_id: str,
    user_id: str = "U1",
    team_id: str = workspace.TEAM_ID,
    trigger_id: str = "t1",
) -> Payload:
    """A shortcut from the composer or search: no channel, no response_url."""
    return {
        "type": "shortcut",
        "token": workspace.VERIFICATION_TOKEN,
        "action_ts": _now_ts(),
        **_user_and_team(user_id, team_id),
        "callback_id": callback_id,
        "trigger_id": trigger_id,
    }


def event(
    event: Payload,
    *,
    event_id: str = "Ev1",
    team_id: str = workspace.TEAM_ID,
    event_time: int | None = None,
) -> tuple[bytes, str]:
    """An Events API delivery: the inner `event` wrapped in an `event_callback` envelope."""
    envelope = {
        "token": workspace.VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": workspace.APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()) if event_time is None else event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": workspace.BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
    return json.dumps(envelope).encode(), JSON


def url_verification(challenge: str) -> tuple[bytes, str]:
    """Slack's handshake when the Request URL is saved: echo `challenge` back."""
    body = {
        "token": workspace.VERIFICATION_TOKEN,
        "challenge": challenge,
        "type": "url_verification",
    }
    return json.dumps(body).encode(), JSON


def app_mention(
    text: str, *, user: str = "U1", channel: str = "C1", ts: str | None = None
) -> Payload:
    """`text` is verbatim: Slack's includes the mention, e.g. `<@UBOT> list`."""
    ts = ts or _now_ts()
    return {
        "type": "app_mention",
        "text": text,
        "user": user,
        "ts": ts,
        "team": workspace.TEAM_ID,
        "channel": channel,
        "event_ts": ts,
    }


def reaction_added(
    reaction: str, *, user: str, item_channel: str, item_ts: str, item_user: str = "U1"
) -> Payload:
    return {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item_user": item_user,
        "item": {"type": "message", "channel": item_channel, "ts": item_ts},
        "event_ts": _now_ts(),
    }


def link_shared(links: list[str], *, channel: str, message_ts: str, user: str = "U1") -> Payload:
    return {
        "type": "link_shared",
        "channel": channel,
        "is_bot_user_member": True,
        "user": user,
        "message_ts": message_ts,
        "unfurl_id": f"unfurl-{message_ts}",
        "source": "conversations_history",
        "links": [{"domain": urlsplit(url).hostname, "url": url} for url in links],
        "event_ts": _now_ts(),
    }


def app_home_opened(user: str) -> Payload:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user}",
        "tab": "home",
        "event_ts": _now_ts(),
    }


def app_uninstalled() -> Payload:
    return {"type": "app_uninstalled", "event_ts": _now_ts()}


def tokens_revoked(bot_ids: list[str], *, user_ids: list[str] | None = None) -> Payload:
    """Slack lists the *user* IDs of the revoked bot (and user) tokens."""
    return {
        "type": "tokens_revoked",
        "tokens": {"oauth": list(user_ids or []), "bot": list(bot_ids)},
        "event_ts": _now_ts(),
    }


def _now_ts() -> str:
    return f"{time.time():.6f}"


def _user_and_team(user_id: str, team_id: str) -> Payload:
    name = user_id.lower()
    return {
        "user": {"id": user_id, "username": name, "name": name, "team_id": team_id},
        "team": {"id": team_id, "domain": workspace.TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def _bot_message(ts: str, blocks: list[Payload]) -> Payload:
    return {
        "type": "message",
        "subtype": "bot_message",
        "text": "",
        "user": workspace.BOT_USER_ID,
        "bot_id": workspace.BOT_ID,
        "ts": ts,
        "blocks": blocks,
    }


def _block_holding(blocks: list[Payload], action_id: str) -> str:
    for block in blocks:
        elements = [*block.get("elements", []), block.get("accessory"), block.get("element")]
        if any((element or {}).get("action_id") == action_id for element in elements):
            return block.get("block_id", action_id)
    return f"block-{action_id}"


def _action_input(
    value: str | None, option: Payload | str | None, date: str | None, action_id: str
) -> Payload:
    if option is not None:
        if isinstance(option, str):
            option = {
                "text": {"type": "plain_text", "text": option, "emoji": True},
                "value": option,
            }
        return {"type": "static_select", "selected_option": option}
    if date is not None:
        return {"type": "datepicker", "selected_date": date}
    button = {"type": "button", "text": {"type": "plain_text", "text": action_id, "emoji": True}}
    return button if value is None else {**button, "value": value}


def _state_value(value: Any) -> Payload:
    if value is None or isinstance(value, str):
        return {"type": "plain_text_input", "value": value}
    return value


def _input_block(block_id: str, action_id: str, value: Payload) -> Payload:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": block_id},
        "optional": False,
        "element": {"type": value.get("type", "plain_text_input"), "action_id": action_id},
    }
