"""What the app needs from the composition root, held on the Quart app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from quart import Quart, current_app

from core.cache import Cache
from core.config import Settings
from core.services.identity import Identity, ProjectDirectory
from webhooks.auth.access_tokens import AccessTokens


@dataclass
class Runtime:
    settings: Settings
    cache: Cache
    manage_database: bool = True
    identity: Identity = field(init=False)
    projects: ProjectDirectory = field(init=False)
    access_tokens: AccessTokens = field(init=False)

    def __post_init__(self) -> None:
        self.identity = Identity(self.cache)
        self.projects = ProjectDirectory(self.cache)
        self.access_tokens = AccessTokens(
            self.settings.secret_key,
            lifetime=timedelta(minutes=self.settings.access_token_minutes),
        )


def attach(app: Quart, runtime: Runtime) -> None:
    app.extensions["teamflow"] = runtime


def runtime() -> Runtime:
    return current_app.extensions["teamflow"]
