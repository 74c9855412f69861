"""Slow down password guessing: failed logins counted per account and per address."""

from __future__ import annotations

from core.cache import Cache
from core.config import Settings
from core.errors import RateLimited


class LoginThrottle:
    def __init__(self, cache: Cache, settings: Settings) -> None:
        self._cache = cache
        self._window = settings.login_lockout_minutes * 60
        self._limits = {
            "account": settings.login_failures_per_account,
            "address": settings.login_failures_per_address,
        }

    async def check(self, *, email: str, address: str) -> None:
        """Refuse before checking the password once either counter is at its limit."""
        for kind, subject in self._subjects(email, address):
            failures = int(await self._cache.get(self._key(kind, subject)) or 0)
            if failures >= self._limits[kind]:
                minutes = self._window // 60
                raise RateLimited(
                    f"Too many failed sign-ins; try again in {minutes} minutes",
                    retry_after=self._window,
                )

    async def failed(self, *, email: str, address: str) -> None:
        for kind, subject in self._subjects(email, address):
            await self._cache.incr(self._key(kind, subject), ttl=self._window)

    async def succeeded(self, *, email: str) -> None:
        await self._cache.delete(self._key("account", email.strip().lower()))

    def _subjects(self, email: str, address: str) -> list[tuple[str, str]]:
        return [("account", email.strip().lower()), ("address", address)]

    @staticmethod
    def _key(kind: str, subject: str) -> str:
        return f"login-failures:{kind}:{subject}"
