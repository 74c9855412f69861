"""Pieces every listener shares: who is asking, and how to answer by category of failure."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.identity import SlackContext, UnknownWorkspace, resolve
from bot.replies import Reply

log = logging.getLogger(__name__)

NOT_INSTALLED = "TeamFlow is not installed in this workspace yet. Ask an admin to install it."


class Door:
    """Settings a listener needs from the composition root."""

    def __init__(
        self,
        *,
        command: str,
        single_workspace: bool,
        morning_default_on: bool = False,
        base_url: str | None = None,
    ) -> None:
        self.command = command
        self.single_workspace = single_workspace
        self.morning_default_on = morning_default_on
        self.base_url = base_url

    async def context(
        self,
        body: dict[str, Any],
        client: AsyncWebClient,
        *,
        user_id: str,
        team_id: str,
        channel_id: str | None,
    ) -> SlackContext:
        return await resolve(
            team_id=team_id,
            slack_user_id=user_id,
            channel_id=channel_id,
            client=client,
            create_workspace=self.single_workspace,
            morning_default_on=self.morning_default_on,
            base_url=self.base_url,
            team_name=(body.get("team") or {}).get("domain", "")
            if isinstance(body.get("team"), dict)
            else body.get("team_domain", ""),
        )


def reply_payload(reply: Reply, *, replace: bool | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"text": reply.text, "blocks": reply.blocks}
    payload["response_type"] = "in_channel" if reply.public else "ephemeral"
    if replace is not None:
        payload["replace_original"] = replace
    return payload


def metadata(**values: Any) -> str:
    return json.dumps({k: v for k, v in values.items() if v is not None})


def read_metadata(raw: str | None) -> dict[str, Any]:
    try:
        return json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}


__all__ = [
    "NOT_INSTALLED",
    "Door",
    "UnknownWorkspace",
    "metadata",
    "read_metadata",
    "reply_payload",
]
