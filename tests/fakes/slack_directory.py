"""What the fake Slack workspace holds, and the Web API answers built from it."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakes import workspace

Answer = dict[str, Any]
Params = dict[str, Any]


@dataclass(frozen=True)
class Identity:
    """Whom a token belongs to: what `auth.test` says about it."""

    team_id: str
    team: str
    user_id: str
    bot_id: str | None
    domain: str

    def auth_test(self) -> Answer:
        return {
            "ok": True,
            "url": f"https://{self.domain}.slack.com/",
            "team": self.team,
            "user": "teamflow",
            "team_id": self.team_id,
            "user_id": self.user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }


class SlackDirectory:
    """Users, channels, tokens and views of the fake workspace.

    Channels nobody added answer as public channels the bot is a member of, so
    tests only describe the channels that matter to them; users must be added
    (an unknown user is `user_not_found`, as on Slack).
    """

    def __init__(self, bot: Identity) -> None:
        self.bot = bot
        self.users: dict[str, Answer] = {}
        self.channels: dict[str, Answer] = {}
        self.tokens: dict[str, Identity] = {}
        self.views: dict[str, Answer] = {}
        self.oauth: Answer = {}
        self._last_us = 0
        self._view_ids = itertools.count(1)
        self.set_oauth(
            team_id=bot.team_id,
            team_name=bot.team,
            bot_token=workspace.BOT_TOKEN,
            bot_user_id=bot.user_id,
            bot_id=bot.bot_id or workspace.BOT_ID,
            authed_user_id="U1",
            scope=workspace.BOT_SCOPES,
        )

    def answer(self, method: str, params: Params, token: str | None) -> Answer:
        handler = _ANSWERS.get(method)
        return handler(self, params, token) if handler else {"ok": True}

    def add_user(
        self, user_id: str, *, name: str, real_name: str, email: str, tz: str, team_id: str
    ) -> None:
        offset = datetime.now(ZoneInfo(tz)).utcoffset()
        self.users[user_id] = {
            "id": user_id,
            "team_id": team_id,
            "name": name,
            "deleted": False,
            "real_name": real_name,
            "tz": tz,
            "tz_label": datetime.now(ZoneInfo(tz)).tzname(),
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "is_admin": False,
            "is_bot": False,
            "is_app_user": False,
            "profile": {
                "real_name": real_name,
                "display_name": name,
                "email": email,
                "team": team_id,
            },
        }

    def add_channel(
        self, channel_id: str, *, name: str, is_private: bool, is_member: bool, is_archived: bool
    ) -> None:
        self.channels[channel_id] = {
            **_channel(channel_id, name=name),
            "is_private": is_private,
            "is_member": is_member,
            "is_archived": is_archived,
        }

    def set_oauth(
        self,
        *,
        team_id: str,
        team_name: str,
        bot_token: str,
        bot_user_id: str,
        bot_id: str,
        authed_user_id: str,
        scope: str,
    ) -> None:
        self.oauth = {
            "ok": True,
            "access_token": bot_token,
            "token_type": "bot",
            "scope": scope,
            "bot_user_id": bot_user_id,
            "app_id": workspace.APP_ID,
            "team": {"id": team_id, "name": team_name},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": authed_user_id},
        }
        domain = team_name.lower().replace(" ", "-")
        self.tokens[bot_token] = Identity(team_id, team_name, bot_user_id, bot_id, domain)

    def next_ts(self) -> str:
        """A message timestamp: Slack's `seconds.micros`, strictly increasing."""
        self._last_us = max(time.time_ns() // 1000, self._last_us + 1)
        seconds, micros = divmod(self._last_us, 1_000_000)
        return f"{seconds}.{micros:06d}"

    def channel(self, channel_id: str) -> Answer:
        return self.channels.get(channel_id) or _channel(channel_id, name=channel_id.lower())

    def view(self, params: Params, *, view_id: str | None = None) -> Answer:
        given = params.get("view") if isinstance(params.get("view"), dict) else {}
        view_id = view_id or f"V{next(self._view_ids):06d}"
        view = {
            "id": view_id,
            "team_id": self.bot.team_id,
            "type": "modal",
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "state": {"values": {}},
            "hash": f"{self.next_ts()}.fakehash",
            "clear_on_close": False,
            "notify_on_close": False,
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": workspace.APP_ID,
            "bot_id": self.bot.bot_id,
            **given,
        }
        view["id"] = view_id
        self.views[view_id] = view
        return view


def _channel(channel_id: str, *, name: str) -> Answer:
    is_im = channel_id.startswith("D")
    return {
        "id": channel_id,
        "name": name,
        "is_channel": not is_im,
        "is_im": is_im,
        "is_mpim": False,
        "is_private": is_im,
        "is_archived": False,
        "is_general": False,
        "is_member": True,
        "created": 1700000000,
        "creator": "U1",
    }


def _refusal(directory: SlackDirectory, channel_id: str) -> Answer | None:
    """The error Slack gives for writing to a channel the bot cannot post in."""
    channel = directory.channels.get(channel_id)
    if channel is None:
        return None
    if channel["is_archived"]:
        return {"ok": False, "error": "is_archived"}
    if not channel["is_member"]:
        error = "channel_not_found" if channel["is_private"] else "not_in_channel"
        return {"ok": False, "error": error}
    return None


def _auth_test(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    return directory.tokens.get(token or "", directory.bot).auth_test()


def _users_info(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    user = directory.users.get(params.get("user", ""))
    return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}


def _message(directory: SlackDirectory, params: Params, ts: str) -> Answer:
    message = {
        "type": "message",
        "subtype": "bot_message",
        "text": params.get("text", ""),
        "user": directory.bot.user_id,
        "bot_id": directory.bot.bot_id,
        "ts": ts,
        "team": directory.bot.team_id,
    }
    for key in ("blocks", "attachments", "thread_ts", "metadata"):
        if key in params:
            message[key] = params[key]
    return message


def _post_message(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    channel = params.get("channel", "")
    if refusal := _refusal(directory, channel):
        return refusal
    ts = directory.next_ts()
    return {"ok": True, "channel": channel, "ts": ts, "message": _message(directory, params, ts)}


def _post_ephemeral(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    refusal = _refusal(directory, params.get("channel", ""))
    return refusal or {"ok": True, "message_ts": directory.next_ts()}


def _update(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    channel, ts = params.get("channel", ""), params.get("ts", "")
    message = _message(directory, params, ts)
    return {"ok": True, "channel": channel, "ts": ts, "text": message["text"], "message": message}


def _delete(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    return {"ok": True, "channel": params.get("channel", ""), "ts": params.get("ts", "")}


def _permalink(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    channel, ts = params.get("channel", ""), str(params.get("message_ts", ""))
    link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    return {"ok": True, "channel": channel, "permalink": link}


def _views_new(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    return {"ok": True, "view": directory.view(params)}


def _views_update(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    view_id = params.get("view_id")
    if not view_id and params.get("external_id"):
        known = (v for v in directory.views.values() if v["external_id"] == params["external_id"])
        view_id = next((v["id"] for v in known), None)
    return {"ok": True, "view": directory.view(params, view_id=view_id)}


def _views_publish(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    view_id = f"VHOME{params.get('user_id', '')}"
    return {"ok": True, "view": {**directory.view(params, view_id=view_id), "type": "home"}}


def _conversations_info(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    return {"ok": True, "channel": directory.channel(params.get("channel", ""))}


def _conversations_join(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    channel = directory.channel(params.get("channel", ""))
    if channel["is_archived"]:
        return {"ok": False, "error": "is_archived"}
    channel["is_member"] = True
    return {"ok": True, "channel": channel}


def _oauth_v2_access(directory: SlackDirectory, params: Params, token: str | None) -> Answer:
    return directory.oauth


_ANSWERS: dict[str, Callable[[SlackDirectory, Params, str | None], Answer]] = {
    "auth.test": _auth_test,
    "users.info": _users_info,
    "chat.postMessage": _post_message,
    "chat.postEphemeral": _post_ephemeral,
    "chat.update": _update,
    "chat.delete": _delete,
    "chat.getPermalink": _permalink,
    "views.open": _views_new,
    "views.push": _views_new,
    "views.update": _views_update,
    "views.publish": _views_publish,
    "conversations.info": _conversations_info,
    "conversations.join": _conversations_join,
    "oauth.v2.access": _oauth_v2_access,
}
