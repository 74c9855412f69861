"""Slack installations (one bot token per workspace) and the states of install attempts.

Multi-workspace mode keeps each workspace's bot token here, encrypted with a key
derived from TEAMFLOW_SECRET_KEY, so a copy of the database alone reveals no token.
A token that no longer decrypts (the secret key changed) counts as not installed:
the workspace installs again.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from core.clock import utcnow
from core.crypto import TokenCipher
from core.models import SlackInstallation, SlackOAuthState

log = logging.getLogger(__name__)

STATE_LIFETIME = timedelta(minutes=10)
# Expired states are swept this long after expiry, on the next issue.
STATE_RETENTION = timedelta(days=1)


@dataclass(frozen=True)
class InstalledBot:
    """What one workspace's installation granted: plain data, token decrypted."""

    team_id: str
    enterprise_id: str | None
    bot_token: str
    bot_user_id: str
    bot_id: str
    bot_scopes: str
    installer_user_id: str
    installed_at: datetime


async def save_installation(bot: InstalledBot, *, cipher: TokenCipher) -> None:
    """Store (or replace, on a reinstall) the workspace's installation, active again."""
    values = {
        "bot_token_encrypted": cipher.encrypt(bot.bot_token),
        "bot_user_id": bot.bot_user_id,
        "bot_id": bot.bot_id,
        "bot_scopes": bot.bot_scopes,
        "installer_user_id": bot.installer_user_id,
        "installed_at": bot.installed_at,
        "is_active": True,
    }
    if await _matching(bot.team_id, bot.enterprise_id).update(**values):
        return
    try:
        await SlackInstallation.create(
            team_id=bot.team_id, enterprise_id=bot.enterprise_id, **values
        )
    except IntegrityError:
        await _matching(bot.team_id, bot.enterprise_id).update(**values)  # a concurrent install


async def find_installation(
    *, team_id: str, enterprise_id: str | None, cipher: TokenCipher
) -> InstalledBot | None:
    """The active installation of a workspace, or None (never installed, or uninstalled)."""
    row = (
        await _matching(team_id, enterprise_id)
        .filter(is_active=True)
        .order_by("-installed_at")
        .first()
    )
    if row is None:
        return None
    token = cipher.decrypt(row.bot_token_encrypted)
    if token is None:
        log.warning("the bot token of %s does not decrypt; was the secret key changed?", team_id)
        return None
    return InstalledBot(
        team_id=row.team_id,
        enterprise_id=row.enterprise_id,
        bot_token=token,
        bot_user_id=row.bot_user_id,
        bot_id=row.bot_id,
        bot_scopes=row.bot_scopes,
        installer_user_id=row.installer_user_id,
        installed_at=row.installed_at,
    )


async def deactivate_installation(*, team_id: str, enterprise_id: str | None) -> bool:
    """The app was uninstalled or its bot token revoked: stop using the token, forget it."""
    changed = await _matching(team_id, enterprise_id).update(
        is_active=False, bot_token_encrypted=""
    )
    return bool(changed)


async def issue_state() -> str:
    """A fresh state for one install attempt, valid for STATE_LIFETIME."""
    now = utcnow()
    await SlackOAuthState.filter(expires_at__lt=now - STATE_RETENTION).delete()
    state = secrets.token_urlsafe(32)
    await SlackOAuthState.create(state=state, expires_at=now + STATE_LIFETIME)
    return state


async def consume_state(state: str) -> bool:
    """True once for a known, unexpired state; False when unknown, expired or used."""
    now = utcnow()
    used = await SlackOAuthState.filter(
        state=state, consumed_at__isnull=True, expires_at__gt=now
    ).update(consumed_at=now)
    return used == 1


def _matching(team_id: str, enterprise_id: str | None):
    # SQL's NULL never equals NULL, so "no enterprise" needs its own condition.
    if enterprise_id is None:
        return SlackInstallation.filter(team_id=team_id, enterprise_id__isnull=True)
    return SlackInstallation.filter(team_id=team_id, enterprise_id=enterprise_id)
