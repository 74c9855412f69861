"""slack_sdk's installation and OAuth state stores, kept in TeamFlow's own database.

Bolt calls these during the install flow (save, issue, consume), on every request
(find, to pick the workspace's bot token) and on `app_uninstalled` / `tokens_revoked`
(delete). They only translate between slack_sdk's objects and `core`'s plain data.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt.error import BoltError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from core.crypto import TokenCipher
from core.services import slack_installations
from core.services.slack_installations import InstalledBot

log = logging.getLogger(__name__)


class TeamFlowInstallationStore(AsyncInstallationStore):
    """One bot installation per workspace; TeamFlow asks for no user tokens."""

    def __init__(self, *, secret_key: str) -> None:
        self._cipher = TokenCipher(secret_key)

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        if not installation.team_id or not installation.bot_token:
            # An org-wide (Enterprise Grid) install has no team; Bolt shows the failure page.
            raise BoltError("TeamFlow installs into one workspace at a time, with a bot token")
        await slack_installations.save_installation(
            InstalledBot(
                team_id=installation.team_id,
                enterprise_id=installation.enterprise_id,
                bot_token=installation.bot_token,
                bot_user_id=installation.bot_user_id or "",
                bot_id=installation.bot_id or "",
                bot_scopes=",".join(installation.bot_scopes or []),
                installer_user_id=installation.user_id or "",
                installed_at=datetime.fromtimestamp(installation.installed_at, tz=UTC),
            ),
            cipher=self._cipher,
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = await self._find(enterprise_id, team_id)
        if found is None or (user_id is not None and user_id != found.installer_user_id):
            return None  # no per-user installations: only the installer's is known
        return Installation(
            enterprise_id=found.enterprise_id,
            team_id=found.team_id,
            bot_token=found.bot_token,
            bot_id=found.bot_id,
            bot_user_id=found.bot_user_id,
            bot_scopes=found.bot_scopes,
            user_id=found.installer_user_id,
            installed_at=found.installed_at,
        )

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self._find(enterprise_id, team_id)
        if found is None:
            return None
        return Bot(
            enterprise_id=found.enterprise_id,
            team_id=found.team_id,
            bot_token=found.bot_token,
            bot_id=found.bot_id,
            bot_user_id=found.bot_user_id,
            bot_scopes=found.bot_scopes,
            installed_at=found.installed_at,
        )

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        # `tokens_revoked` names users whose *user* tokens were revoked; the bot's stays.
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        if team_id:
            await slack_installations.deactivate_installation(
                team_id=team_id, enterprise_id=enterprise_id
            )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def _find(self, enterprise_id: str | None, team_id: str | None) -> InstalledBot | None:
        if not team_id:
            return None
        return await slack_installations.find_installation(
            team_id=team_id, enterprise_id=enterprise_id, cipher=self._cipher
        )


class TeamFlowOAuthStateStore(AsyncOAuthStateStore):
    """States live 10 minutes and work once, so a leaked install link cannot be replayed."""

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await slack_installations.issue_state()

    async def async_consume(self, state: str) -> bool:
        return await slack_installations.consume_state(state)
