"""Secrets kept at rest (Slack bot tokens, webhook signing secrets), encrypted.

Fernet (AES-128-CBC + HMAC-SHA256) with the key SHA-256(TEAMFLOW_SECRET_KEY), urlsafe
base64: a copy of the database alone reveals no secret.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken


class TokenCipher:
    def __init__(self, secret_key: str) -> None:
        digest = hashlib.sha256(secret_key.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str | None:
        """The plaintext, or None when it was encrypted under another secret key."""
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken:
            return None
