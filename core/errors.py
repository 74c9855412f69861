"""Typed domain errors. Each door (HTTP, Slack, webhooks) turns them into its own answer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class DomainError(Exception):
    code = "DOMAIN_ERROR"

    def __init__(self, message: str, *, details: list[FieldProblem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(DomainError):
    """The thing does not exist, or exists in an organization the actor cannot see."""

    code = "NOT_FOUND"


class PermissionDenied(DomainError):
    code = "FORBIDDEN"


class ValidationFailed(DomainError):
    code = "VALIDATION_ERROR"

    @classmethod
    def on(cls, field: str, message: str) -> ValidationFailed:
        return cls(message, details=[FieldProblem(field, message)])


class Conflict(DomainError):
    """The change collides with the current state (duplicate key, stale version, ...)."""

    code = "CONFLICT"


class StaleVersion(Conflict):
    """An optimistic-concurrency check failed: someone saved the task in between."""

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class Unauthenticated(DomainError):
    """No valid credentials: a wrong password, an unknown, expired or revoked token."""

    code = "UNAUTHORIZED"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
