"""Short-lived JWT access tokens (PyJWT, HS256)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from core.errors import Unauthenticated

ALGORITHM = "HS256"
ISSUER = "teamflow"
LEEWAY_SECONDS = 10


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    organization_id: uuid.UUID | None
    token_id: str
    expires_at: datetime


class AccessTokens:
    def __init__(self, secret: str, *, lifetime: timedelta) -> None:
        self._secret = secret
        self.lifetime = lifetime

    def issue(self, user_id: uuid.UUID, *, organization_id: uuid.UUID | None) -> str:
        now = datetime.now(UTC)
        claims = {
            "sub": str(user_id),
            "type": "access",
            "iss": ISSUER,
            "iat": now,
            "exp": now + self.lifetime,
            "jti": secrets.token_hex(12),
        }
        if organization_id is not None:
            claims["org"] = str(organization_id)
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def read(self, token: str) -> AccessClaims:
        """The claims of a valid access token; Unauthenticated says why one is not."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub", "type", "jti", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The access token has expired; refresh it") from None
        except jwt.PyJWTError:
            raise Unauthenticated("The access token is not valid") from None
        if claims["type"] != "access":
            raise Unauthenticated("This is not an access token")
        try:
            return AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                organization_id=uuid.UUID(claims["org"]) if claims.get("org") else None,
                token_id=claims["jti"],
                expires_at=datetime.fromtimestamp(claims["exp"], UTC),
            )
        except (ValueError, TypeError):
            raise Unauthenticated("The access token is not valid") from None
