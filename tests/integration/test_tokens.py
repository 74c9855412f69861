"""Refresh tokens of login sessions and API tokens, through the token services."""

import asyncio
import dataclasses
from datetime import timedelta

import pytest

from core.clock import utcnow
from core.enums import Role, Source
from core.errors import NotFound, PermissionDenied, Unauthenticated, ValidationFailed
from core.models import ApiToken, RefreshToken, User
from core.services import members, organizations, tokens
from core.services.activity import list_organization_activity
from tests.factories import new_org, person

TTL = timedelta(days=7)


async def _rotate_fails(token: str) -> str:
    with pytest.raises(Unauthenticated) as caught:
        await tokens.rotate_refresh_token(token, ttl=TTL)
    return caught.value.message


# Refresh tokens


async def test_rotation_gives_a_new_working_token_and_retires_the_old_one(db):
    owner = await new_org()
    first = await tokens.issue_refresh_token(owner.user_id, ttl=TTL, user_agent="curl")

    user_id, second = await tokens.rotate_refresh_token(first, ttl=TTL)

    assert user_id == owner.user_id
    assert second != first
    user_id, third = await tokens.rotate_refresh_token(second, ttl=TTL)
    assert user_id == owner.user_id
    assert third not in {first, second}
    stored = await RefreshToken.filter(user_id=owner.user_id).values_list("token_hash", flat=True)
    assert first not in stored and second not in stored and third not in stored


async def test_reusing_a_rotated_token_revokes_that_login_only(db):
    owner = await new_org()
    laptop = await tokens.issue_refresh_token(owner.user_id, ttl=TTL)
    phone = await tokens.issue_refresh_token(owner.user_id, ttl=TTL)
    _, laptop_next = await tokens.rotate_refresh_token(laptop, ttl=TTL)

    assert "reuse" in await _rotate_fails(laptop)  # the old token shows up again: a copy

    assert "revoked" in await _rotate_fails(laptop_next)  # the newest one dies with it
    user_id, _ = await tokens.rotate_refresh_token(phone, ttl=TTL)  # another login lives on
    assert user_id == owner.user_id


async def test_expired_refresh_token_is_refused(db):
    owner = await new_org()
    stale = await tokens.issue_refresh_token(owner.user_id, ttl=timedelta(seconds=-1))
    assert "expired" in await _rotate_fails(stale)

    aged = await tokens.issue_refresh_token(owner.user_id, ttl=TTL)
    await RefreshToken.filter(user_id=owner.user_id, used_at__isnull=True).update(
        expires_at=utcnow() - timedelta(minutes=1)
    )
    assert "expired" in await _rotate_fails(aged)


async def test_unknown_refresh_token_is_refused(db):
    assert "unknown" in await _rotate_fails("not-a-token")


async def test_logout_revokes_the_login_and_ignores_unknown_tokens(db):
    owner = await new_org()
    token = await tokens.issue_refresh_token(owner.user_id, ttl=TTL)
    _, current = await tokens.rotate_refresh_token(token, ttl=TTL)

    assert await tokens.revoke_refresh_family(token) is True  # any token of the login will do
    assert "revoked" in await _rotate_fails(current)
    assert await tokens.revoke_refresh_family("not-a-token") is False


async def test_revoking_a_users_sessions_ends_every_login(db):
    owner = await new_org()
    other = await new_org("Other")
    laptop = await tokens.issue_refresh_token(owner.user_id, ttl=TTL)
    _, laptop = await tokens.rotate_refresh_token(laptop, ttl=TTL)
    phone = await tokens.issue_refresh_token(owner.user_id, ttl=TTL)
    someone_else = await tokens.issue_refresh_token(other.user_id, ttl=TTL)

    assert await tokens.revoke_user_sessions(owner.user_id) == 2

    assert "revoked" in await _rotate_fails(laptop)
    assert "revoked" in await _rotate_fails(phone)
    user_id, _ = await tokens.rotate_refresh_token(someone_else, ttl=TTL)
    assert user_id == other.user_id


async def test_a_deactivated_user_cannot_refresh(db):
    owner = await new_org()
    token = await tokens.issue_refresh_token(owner.user_id, ttl=TTL)
    await User.filter(id=owner.user_id).update(is_active=False)
    assert "deactivated" in await _rotate_fails(token)


async def test_concurrent_rotations_of_one_token_let_exactly_one_win(db):
    owner = await new_org()
    token = await tokens.issue_refresh_token(owner.user_id, ttl=TTL)

    outcomes = await asyncio.gather(
        *(tokens.rotate_refresh_token(token, ttl=TTL) for _ in range(5)), return_exceptions=True
    )

    wins = [outcome for outcome in outcomes if isinstance(outcome, tuple)]
    losses = [outcome for outcome in outcomes if isinstance(outcome, Unauthenticated)]
    assert (len(wins), len(losses)) == (1, 4)
    # The losers presented a token that had just been used: treated as reuse, so the family
    # never forks into two live tokens, and the login has to start again.
    assert await RefreshToken.filter(user_id=owner.user_id).count() == 2
    assert "revoked" in await _rotate_fails(wins[0][1])


# API tokens


async def test_admin_creates_a_token_that_acts_in_the_organization(db):
    owner = await new_org()
    admin = await person(owner, Role.ADMIN, "Ada")

    token, view = await tokens.create_api_token(admin, name="  CI deploys ", role=Role.MEMBER)

    assert token.startswith("tf_") and len(token) > 40
    assert token.startswith(view.prefix) and len(view.prefix) < len(token)
    assert (view.name, view.role, view.created_by.id) == ("CI deploys", Role.MEMBER, admin.user_id)
    actor = await tokens.authenticate_api_token(token)
    assert actor is not None
    assert (actor.user_id, actor.organization_id, actor.role, actor.source) == (
        admin.user_id,
        owner.organization_id,
        Role.MEMBER,
        Source.API,
    )
    listed = await tokens.list_api_tokens(owner)
    assert [item.id for item in listed] == [view.id]
    assert all(token not in str(value) for value in dataclasses.astuple(listed[0]))
    assert not await ApiToken.filter(token_hash=token).exists()
    feed = await list_organization_activity(owner)
    assert feed[0].action == "api_token.created" and feed[0].entity_id == view.id


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
async def test_members_and_viewers_cannot_create_tokens(db, role):
    owner = await new_org()
    someone = await person(owner, role)
    with pytest.raises(PermissionDenied):
        await tokens.create_api_token(someone, name="Mine", role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        await tokens.list_api_tokens(someone)
    assert await tokens.list_api_tokens(owner) == []


async def test_a_token_cannot_outrank_its_creator(db):
    owner = await new_org()
    admin = await person(owner, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        await tokens.create_api_token(admin, name="Root", role=Role.OWNER)
    token, _ = await tokens.create_api_token(owner, name="Root", role=Role.OWNER)
    actor = await tokens.authenticate_api_token(token)
    assert actor is not None and actor.role is Role.OWNER


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
async def test_token_name_must_be_1_to_100_characters(db, name):
    owner = await new_org()
    with pytest.raises(ValidationFailed):
        await tokens.create_api_token(owner, name=name, role=Role.MEMBER)
    assert await tokens.list_api_tokens(owner) == []


async def test_a_token_cannot_be_created_already_expired(db):
    owner = await new_org()
    with pytest.raises(ValidationFailed):
        await tokens.create_api_token(
            owner, name="Old", role=Role.MEMBER, expires_at=utcnow() - timedelta(days=1)
        )
    assert await tokens.list_api_tokens(owner) == []


async def test_a_revoked_token_stops_working_and_stays_listed(db):
    owner = await new_org()
    token, view = await tokens.create_api_token(owner, name="Zapier", role=Role.MEMBER)

    revoked = await tokens.revoke_api_token(owner, token_id=view.id)

    assert revoked.revoked_at is not None
    assert await tokens.authenticate_api_token(token) is None
    assert [item.revoked_at for item in await tokens.list_api_tokens(owner)] == [revoked.revoked_at]
    assert (await list_organization_activity(owner))[0].action == "api_token.revoked"


async def test_another_organization_cannot_see_or_revoke_a_token(db):
    acme = await new_org("Acme")
    globex = await new_org("Globex")
    globex_admin = await person(globex, Role.ADMIN)
    token, view = await tokens.create_api_token(acme, name="Acme CI", role=Role.ADMIN)
    await tokens.create_api_token(globex, name="Globex CI", role=Role.ADMIN)

    with pytest.raises(NotFound):
        await tokens.revoke_api_token(globex_admin, token_id=view.id)

    assert view.id not in [item.id for item in await tokens.list_api_tokens(globex_admin)]
    actor = await tokens.authenticate_api_token(token)
    assert actor is not None and actor.organization_id == acme.organization_id


async def test_last_used_is_recorded_at_most_once_a_minute(db):
    owner = await new_org()
    token, view = await tokens.create_api_token(owner, name="Cron", role=Role.MEMBER)
    assert view.last_used_at is None

    await tokens.authenticate_api_token(token)
    first_use = (await tokens.list_api_tokens(owner))[0].last_used_at
    assert first_use is not None and utcnow() - first_use < timedelta(minutes=1)
    await tokens.authenticate_api_token(token)
    assert (await tokens.list_api_tokens(owner))[0].last_used_at == first_use

    long_ago = utcnow() - timedelta(minutes=5)
    await ApiToken.filter(id=view.id).update(last_used_at=long_ago)
    await tokens.authenticate_api_token(token)
    assert (await tokens.list_api_tokens(owner))[0].last_used_at > long_ago + timedelta(minutes=4)


async def test_expired_unknown_and_malformed_tokens_do_not_authenticate(db):
    owner = await new_org()
    token, view = await tokens.create_api_token(
        owner, name="Short-lived", role=Role.MEMBER, expires_at=utcnow() + timedelta(hours=1)
    )
    assert await tokens.authenticate_api_token(token) is not None
    await ApiToken.filter(id=view.id).update(expires_at=utcnow() - timedelta(seconds=1))
    assert await tokens.authenticate_api_token(token) is None
    assert await tokens.authenticate_api_token("tf_" + "x" * 43) is None
    assert await tokens.authenticate_api_token("") is None


async def test_a_token_dies_with_its_creator_or_organization(db):
    owner = await new_org()
    admin = await person(owner, Role.ADMIN, "Ada")
    leaver = await person(owner, Role.ADMIN, "Lee")
    deleted_users_token, _ = await tokens.create_api_token(admin, name="A", role=Role.ADMIN)
    leavers_token, _ = await tokens.create_api_token(leaver, name="L", role=Role.ADMIN)
    owners_token, _ = await tokens.create_api_token(owner, name="O", role=Role.ADMIN)

    await User.filter(id=admin.user_id).delete()
    await members.remove_member(owner, user_id=leaver.user_id)
    assert await tokens.authenticate_api_token(deleted_users_token) is None
    assert await tokens.authenticate_api_token(leavers_token) is None
    assert await tokens.authenticate_api_token(owners_token) is not None

    await organizations.delete_organization(owner)
    assert await tokens.authenticate_api_token(owners_token) is None


async def test_a_demoted_creator_caps_the_role_of_their_tokens(db):
    owner = await new_org()
    admin = await person(owner, Role.ADMIN)
    token, _ = await tokens.create_api_token(admin, name="Admin bot", role=Role.ADMIN)

    await members.change_role(owner, user_id=admin.user_id, role=Role.VIEWER)

    actor = await tokens.authenticate_api_token(token)
    assert actor is not None and actor.role is Role.VIEWER
