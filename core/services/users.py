"""People: accounts, profiles and password checks."""

from __future__ import annotations

import uuid
from functools import lru_cache

from tortoise.exceptions import IntegrityError

from core import validation
from core.errors import Conflict, NotFound, ValidationFailed
from core.models import User
from core.passwords import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password
from core.services.mapping import user_view
from core.views import UserView


async def create_user(
    *, email: str | None, name: str, password: str | None = None, timezone: str = "UTC"
) -> UserView:
    """A new account. Without a password it can only be reached through Slack or a link."""
    clean_email = validation.email(email) if email else None
    clean_name = validation.text("name", name, min_length=1, max_length=120)
    validation.timezone(timezone)
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed.on(
            "password", f"password must be at least {MIN_PASSWORD_LENGTH} characters"
        )
    if clean_email and await User.filter(email=clean_email).exists():
        raise Conflict(f"An account with {clean_email} already exists")
    try:
        user = await User.create(
            email=clean_email,
            name=clean_name,
            timezone=timezone,
            password_hash=hash_password(password) if password else None,
        )
    except IntegrityError:
        raise Conflict(f"An account with {clean_email} already exists") from None
    return _view(user)


async def get_user(user_id: uuid.UUID) -> UserView:
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None:
        raise NotFound("No such user")
    return _view(user)


async def find_user_by_email(email: str) -> UserView | None:
    user = await User.get_or_none(email=email.strip().lower(), is_active=True)
    return user_view(user)


async def authenticate(*, email: str, password: str) -> UserView | None:
    """The user when the password matches, else None (same answer for unknown emails)."""
    user = await User.get_or_none(email=email.strip().lower(), is_active=True)
    if user is None:
        verify_password(_dummy_hash(), password)  # same cost as a real check
        return None
    if not verify_password(user.password_hash, password):
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        await user.save(update_fields=["password_hash", "updated_at"])
    return _view(user)


async def update_profile(
    user_id: uuid.UUID, *, name: str | None = None, timezone: str | None = None
) -> UserView:
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None:
        raise NotFound("No such user")
    if name is not None:
        user.name = validation.text("name", name, min_length=1, max_length=120)
    if timezone is not None:
        user.timezone = validation.timezone(timezone)
    await user.save()
    return _view(user)


def _view(user: User) -> UserView:
    view = user_view(user)
    assert view is not None
    return view


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")
