"""The web process as `teamflow serve` runs it: the Quart app, plus the scheduler's jobs
when this deployment runs them in the web process (TEAMFLOW_RUN_SCHEDULER)."""

from __future__ import annotations

from quart import Quart

from core.config import Settings, get_settings
from webhooks.app import create_app as create_web_app


def create_app(settings: Settings | None = None) -> Quart:
    settings = settings or get_settings()
    app = create_web_app(settings)
    if settings.scheduler_in_web:
        attach_scheduler(app, settings)
    return app


def attach_scheduler(app: Quart, settings: Settings) -> None:
    """Start the scheduler after the database opens, stop it before the database closes."""
    from scheduler.runner import Jobs, start

    running = []

    @app.before_serving
    async def start_scheduler() -> None:
        jobs = None
        if settings.slack_configured:
            from bot.app import workspace_clients

            jobs = Jobs.from_settings(settings, workspace_clients(settings))
        running.append(await start(app.extensions["teamflow"].cache, jobs))

    @app.after_serving
    async def stop_scheduler() -> None:
        for scheduler in running:
            scheduler.shutdown(wait=False)
