"""What every page shows around its content: who is signed in, where, and the form token."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    """A one-line message at the top of a page (`success` or `error`)."""

    message: str
    kind: str = "success"


@dataclass(frozen=True)
class OrganizationChoice:
    id: str
    name: str
    role: str


@dataclass(frozen=True, kw_only=True)
class Chrome:
    """The page frame. Signed out when `user_name` is None (no navigation is shown)."""

    title: str
    csrf_token: str
    user_name: str | None = None
    role: str | None = None
    organization_id: str | None = None
    organizations: tuple[OrganizationChoice, ...] = ()
    active: str = ""
    notice: Notice | None = None
    live: bool = False

    @property
    def signed_in(self) -> bool:
        return self.user_name is not None

    @property
    def organization_name(self) -> str:
        for choice in self.organizations:
            if choice.id == self.organization_id:
                return choice.name
        return ""
