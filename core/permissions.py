"""Who may do what: the role matrix and the actor every service call carries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from core.enums import Role, Source
from core.errors import PermissionDenied

READ = frozenset(
    {
        "organization:read",
        "member:read",
        "project:read",
        "task:read",
        "comment:read",
        "activity:read",
    }
)
WORK = frozenset(
    {
        "task:create",
        "task:update",
        "task:assign",
        "task:delete_own",
        "comment:create",
    }
)
MANAGE = frozenset(
    {
        "task:delete",
        "comment:delete",
        "project:create",
        "project:update",
        "project:archive",
        "member:invite",
        "member:update_role",
        "member:remove",
        "organization:update",
        "integration:manage",
    }
)
OWN = frozenset({"organization:delete", "member:grant_owner"})

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.VIEWER: READ,
    Role.MEMBER: READ | WORK,
    Role.ADMIN: READ | WORK | MANAGE,
    Role.OWNER: READ | WORK | MANAGE | OWN,
}


def role_allows(role: Role, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS[role]


@dataclass(frozen=True)
class Actor:
    """A user acting inside one organization with one role, through one door."""

    user_id: uuid.UUID
    organization_id: uuid.UUID
    role: Role
    source: Source = Source.API

    def can(self, permission: str) -> bool:
        return role_allows(self.role, permission)

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"A {self.role.value} may not do {permission}")

    def via(self, source: Source) -> Actor:
        return Actor(self.user_id, self.organization_id, self.role, source)
