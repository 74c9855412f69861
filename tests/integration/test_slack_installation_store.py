"""The installation and OAuth state stores Bolt uses, against the real database."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.oauth.installation_store import Installation

from bot.installation_store import TeamFlowInstallationStore, TeamFlowOAuthStateStore
from core.clock import utcnow
from core.models import SlackInstallation, SlackOAuthState

SECRET = "a-test-secret-key-that-is-long-enough-0000"
TOKEN = "xoxb-stored-token"


def installation(*, team_id: str = "T1", token: str = TOKEN, user_id: str = "U2") -> Installation:
    return Installation(
        app_id="A1",
        team_id=team_id,
        team_name="Acme",
        bot_token=token,
        bot_id="B1",
        bot_user_id="UBOT",
        bot_scopes="commands,chat:write",
        user_id=user_id,
    )


async def test_an_installation_round_trips_with_the_token_encrypted_at_rest(db):
    store = TeamFlowInstallationStore(secret_key=SECRET)
    await store.async_save(installation())

    found = await store.async_find_installation(enterprise_id=None, team_id="T1")
    assert (found.bot_token, found.bot_user_id, found.user_id) == (TOKEN, "UBOT", "U2")
    assert found.bot_scopes == ["commands", "chat:write"]
    bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert (bot.bot_token, bot.bot_id) == (TOKEN, "B1")
    [stored] = await SlackInstallation.all().values_list("bot_token_encrypted", flat=True)
    assert TOKEN not in stored and "xoxb" not in stored


async def test_a_reinstall_replaces_the_token(db):
    store = TeamFlowInstallationStore(secret_key=SECRET)
    await store.async_save(installation(token="xoxb-old"))
    await store.async_save(installation(token="xoxb-new", user_id="U3"))

    found = await store.async_find_installation(enterprise_id=None, team_id="T1")
    assert (found.bot_token, found.user_id) == ("xoxb-new", "U3")
    assert await SlackInstallation.all().count() == 1


async def test_another_secret_key_cannot_read_the_token(db):
    await TeamFlowInstallationStore(secret_key=SECRET).async_save(installation())

    other = TeamFlowInstallationStore(secret_key="another-secret-key-entirely-000000000")
    assert await other.async_find_installation(enterprise_id=None, team_id="T1") is None


async def test_workspaces_and_users_are_kept_apart(db):
    store = TeamFlowInstallationStore(secret_key=SECRET)
    await store.async_save(installation())

    assert await store.async_find_installation(enterprise_id=None, team_id="T2") is None
    assert await store.async_find_installation(enterprise_id="E1", team_id="T1") is None
    assert (
        await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U9") is None
    )
    assert await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U2")


async def test_deleting_retires_the_bot_but_a_user_token_revocation_does_not(db):
    store = TeamFlowInstallationStore(secret_key=SECRET)
    await store.async_save(installation())

    await store.async_delete_installation(enterprise_id=None, team_id="T1", user_id="U2")
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is not None

    await store.async_delete_all(enterprise_id=None, team_id="T1")
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
    row = await SlackInstallation.get(team_id="T1")
    assert not row.is_active and row.bot_token_encrypted == ""


async def test_a_state_works_once(db):
    states = TeamFlowOAuthStateStore()
    state = await states.async_issue()

    assert await states.async_consume(state) is True
    assert await states.async_consume(state) is False
    assert await states.async_consume("never-issued") is False


async def test_a_state_expires_after_ten_minutes(db):
    states = TeamFlowOAuthStateStore()
    fresh, stale = await states.async_issue(), await states.async_issue()
    row = await SlackOAuthState.get(state=fresh)
    assert timedelta(minutes=9) < row.expires_at - utcnow() <= timedelta(minutes=10)
    await SlackOAuthState.filter(state=stale).update(expires_at=utcnow() - timedelta(seconds=1))

    assert await states.async_consume(stale) is False
    assert await states.async_consume(fresh) is True


async def test_long_expired_states_are_swept_when_a_new_one_is_issued(db):
    states = TeamFlowOAuthStateStore()
    old = await states.async_issue()
    await SlackOAuthState.filter(state=old).update(expires_at=utcnow() - timedelta(days=2))

    await states.async_issue()

    assert not await SlackOAuthState.filter(state=old).exists()
