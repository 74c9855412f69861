"""What the app needs from the composition root, held on the Quart app."""

from __future__ import annotations

from dataclasses import dataclass

from quart import Quart, current_app

from core.cache import Cache
from core.config import Settings


@dataclass
class Runtime:
    settings: Settings
    cache: Cache
    manage_database: bool = True


def attach(app: Quart, runtime: Runtime) -> None:
    app.extensions["teamflow"] = runtime


def runtime() -> Runtime:
    return current_app.extensions["teamflow"]
