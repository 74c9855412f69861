"""The Slack app manifest: paste it at api.slack.com/apps → "From an app manifest"."""

from __future__ import annotations

from typing import Any

from bot.blocks import ids

# Only what the listeners use today; each new listener adds its scopes and events here.
BOT_SCOPES = [
    "app_mentions:read",
    "channels:history",  # read a message filed by reaction; task keys in messages
    "chat:write",
    "chat:write.public",
    "commands",
    "files:write",  # the weekly report's chart image
    "groups:history",
    "im:write",
    "links:read",  # link_shared for task URLs
    "links:write",  # chat.unfurl
    "reactions:read",
    "users:read",
    "users:read.email",
]
# app_uninstalled and tokens_revoked need no scope: they retire a workspace's installation.
BOT_EVENTS = [
    "app_home_opened",
    "app_mention",
    "app_uninstalled",
    "link_shared",
    "message.channels",
    "message.groups",
    "reaction_added",
    "tokens_revoked",
]


def manifest(
    *, base_url: str, command: str = "/task", name: str = "TeamFlow", socket_mode: bool = False
) -> dict[str, Any]:
    """Every URL points at `/slack/events`, where signatures are verified."""
    events_url = base_url.rstrip("/") + "/slack/events"
    host = base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    settings: dict[str, Any] = {
        "event_subscriptions": {"bot_events": BOT_EVENTS},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": socket_mode,
        "token_rotation_enabled": False,
    }
    slash: dict[str, Any] = {
        "command": command,
        "description": "Create, find and update tasks",
        "usage_hint": "add Fix login @alice #WEB !high due:friday +bug",
        "should_escape": True,
    }
    if not socket_mode:
        settings["event_subscriptions"]["request_url"] = events_url
        settings["interactivity"]["request_url"] = events_url
        slash["url"] = events_url
    return {
        "display_information": {
            "name": name,
            "description": "Task management from Slack: slash commands, cards, digests.",
            "background_color": "#2c2d30",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": name, "always_online": True},
            "unfurl_domains": [host],
            "shortcuts": [
                {
                    "name": "Create task from message",
                    "type": "message",
                    "callback_id": ids.SHORTCUT_FROM_MESSAGE,
                    "description": "File this message as a task",
                },
                {
                    "name": "New task",
                    "type": "global",
                    "callback_id": ids.SHORTCUT_NEW_TASK,
                    "description": "Create a TeamFlow task",
                },
            ],
            "slash_commands": [slash],
        },
        "oauth_config": {
            "redirect_urls": [base_url.rstrip("/") + "/slack/oauth_redirect"],
            "scopes": {"bot": BOT_SCOPES},
        },
        "settings": settings,
    }
