"""The `teamflow` command: one entry point that wires settings, database and doors together."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable

import click

from core.config import ConfigurationError, Settings, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigurationError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def _run(coro: Awaitable[object]) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


@click.group(help="TeamFlow: task management that teams run from Slack.")
@click.version_option(package_name="teamflow")
def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("tortoise").setLevel(logging.WARNING)


@main.command(help="Apply database migrations (SQLite or PostgreSQL, from DATABASE_URL).")
def migrate() -> None:
    from core.db import migrate as apply_migrations

    settings = _settings()
    _run(apply_migrations(settings.database_url))
    click.echo(f"Database is up to date ({_describe_db(settings)}).")


@main.command(help="Create a demo organization with people, projects and 8 weeks of tasks.")
@click.option(
    "--tasks-per-project", default=110, show_default=True, type=click.IntRange(1, 100_000)
)
def demo(tasks_per_project: int) -> None:
    from core.db import close_db, init_db
    from core.demo import DEMO_PASSWORD, PEOPLE, seed_demo

    settings = _settings()

    async def seed() -> object:
        await init_db(settings.database_url)
        try:
            return await seed_demo(tasks_per_project=tasks_per_project)
        finally:
            await close_db()

    summary = _run(seed())
    verb = "Created" if summary.created else "Already there:"  # type: ignore[attr-defined]
    click.echo(
        f"{verb} {summary.organization}: {summary.people} people, "  # type: ignore[attr-defined]
        f"{summary.projects} projects, {summary.tasks} tasks."  # type: ignore[attr-defined]
    )
    click.echo(f"Sign in with any of these (password: {DEMO_PASSWORD}):")
    for name, email, role, _tz in PEOPLE:
        click.echo(f"  {email:<28} {role.value:<7} {name}")
    click.echo(f"Then open {settings.base_url}/health, or run `teamflow serve`.")


@main.command(help="Run the web app (REST API, webhooks, Slack endpoints) under Hypercorn.")
@click.option("--host", default=None, help="Interface to bind (default TEAMFLOW_HOST).")
@click.option("--port", default=None, type=int, help="Port (default PORT).")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Worker processes (default WEB_CONCURRENCY, else 1). Use Redis with more than one.",
)
@click.option(
    "--graceful-timeout",
    default=10.0,
    show_default=True,
    type=float,
    help="Seconds in-flight requests get to finish on shutdown.",
)
def serve(host: str | None, port: int | None, workers: int | None, graceful_timeout: float) -> None:
    from hypercorn.config import Config
    from hypercorn.run import run

    settings = _settings()
    _hold_drain_to(graceful_timeout, settings)
    count = workers or settings.web_concurrency
    config = Config()
    config.application_path = "teamflow.asgi:create_app()"
    config.bind = [f"{host or settings.host}:{port or settings.port}"]
    config.workers = count
    config.worker_class = "uvloop"
    config.graceful_timeout = graceful_timeout
    config.accesslog = None
    if count > 1 and not settings.redis_url:
        click.echo(
            "Warning: several workers without REDIS_URL do not share rate limits or "
            "live updates; set REDIS_URL.",
            err=True,
        )
    click.echo(
        f"TeamFlow on http://{config.bind[0]} with {count} worker(s) ({_describe_db(settings)})"
    )
    if settings.scheduler_in_web:
        click.echo("The scheduler runs in this process (TEAMFLOW_RUN_SCHEDULER).")
    sys.exit(run(config))


def _hold_drain_to(graceful_timeout: float, settings: Settings) -> None:
    """Acknowledged Slack work gets --graceful-timeout at shutdown, or the shorter
    TEAMFLOW_SHUTDOWN_DRAIN_SECONDS; the worker processes read it from the environment."""
    drain = graceful_timeout
    if "shutdown_drain_seconds" in settings.model_fields_set:
        drain = min(settings.shutdown_drain_seconds, graceful_timeout)
    os.environ["TEAMFLOW_SHUTDOWN_DRAIN_SECONDS"] = str(drain)


@main.group(
    invoke_without_command=True,
    help="Run the scheduler process (digests, reminders, reports); `runs` lists its sends.",
)
@click.pass_context
def scheduler(ctx: click.Context) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from core.cache import create_cache
    from core.db import close_db, init_db
    from scheduler.runner import Jobs, run_until_stopped

    settings = _settings()
    client_for = _slack_clients(settings)
    jobs = Jobs.from_settings(settings, client_for) if client_for else None

    async def run() -> None:
        await init_db(settings.database_url)
        cache = create_cache(settings.redis_url)
        try:
            await run_until_stopped(cache, jobs)
        finally:
            await cache.close()
            await close_db()

    click.echo(f"TeamFlow scheduler ({_describe_db(settings)})")
    if client_for is None:
        click.echo("Slack is not configured: digests are not sent.", err=True)
    _run(run())


@scheduler.command("runs", help="Recent scheduled sends: kind, target, period, status, error.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
def scheduler_runs(limit: int) -> None:
    from core.services import digests

    sends = _with_db(lambda: digests.recent_sends(limit=limit))
    for send in sends:  # type: ignore[union-attr]
        click.echo(
            f"{send.scheduled_for:%Y-%m-%d %H:%M}Z {send.kind} {send.target} {send.period} "
            f"{send.status} attempts={send.attempts} {send.error}".rstrip()
        )


@main.group(help="Channel digests: preview one, or send it now.")
def digest() -> None:
    pass


@digest.command("preview", help="Print the digest a channel would get now.")
@click.option("--channel", required=True, help="The channel id (C0123...).")
@click.option("--team", "team_id", default=None, help="The workspace id (default: the only one).")
def digest_preview(channel: str, team_id: str | None) -> None:
    from bot.blocks import blocks_to_text
    from bot.blocks.digest import digest_blocks
    from core.clock import utcnow
    from core.services import digests

    async def build() -> object:
        team = team_id or await _only_team()
        return await digests.preview(team, channel, now=utcnow())

    found = _with_db(build, errors=True)
    click.echo(blocks_to_text(digest_blocks(found)))  # type: ignore[arg-type]


@digest.command("send", help="Send a channel's digest now (recorded like a scheduled one).")
@click.option("--channel", required=True, help="The channel id (C0123...).")
@click.option("--team", "team_id", default=None, help="The workspace id (default: the only one).")
def digest_send(channel: str, team_id: str | None) -> None:
    from core.clock import utcnow
    from core.services import digests
    from scheduler.digests import send_claimed

    client_for = _slack_clients(_settings())
    if client_for is None:
        click.echo("Slack is not configured (SLACK_BOT_TOKEN or SLACK_CLIENT_ID).", err=True)
        sys.exit(2)

    async def send() -> object:
        now = utcnow()
        claim = await digests.claim_manual(team_id or await _only_team(), channel, now=now)
        return await send_claimed(claim, now=now, client_for=client_for, force=True)

    if not _with_db(send, errors=True):
        click.echo("Not sent; see `teamflow scheduler runs` for the error.", err=True)
        sys.exit(1)
    click.echo(f"Digest sent to {channel}.")


def _with_db(work: Callable[[], Awaitable[object]], *, errors: bool = False) -> object:
    """Run `work` with the database open; domain errors become a message and exit 1."""
    from core.db import close_db, init_db
    from core.errors import DomainError

    settings = _settings()

    async def run() -> object:
        await init_db(settings.database_url)
        try:
            return await work()
        finally:
            await close_db()

    try:
        return _run(run())
    except DomainError as exc:
        if not errors:
            raise
        click.echo(exc.message, err=True)
        sys.exit(1)


async def _only_team() -> str:
    from core.errors import ValidationFailed
    from core.services.slack_links import active_team_ids

    teams = await active_team_ids()
    if len(teams) != 1:
        raise ValidationFailed.on("team", "name the workspace with --team T0123...")
    return teams[0]


def _slack_clients(settings: Settings):  # -> ClientFor | None
    if not settings.slack_configured:
        return None
    from bot.app import workspace_clients

    return workspace_clients(settings)


@main.command(help="Try a /task command in the terminal against the local database.")
@click.argument("line")
@click.option(
    "--as", "email", default=None, help="Email of the person acting (default: the demo owner)."
)
def chat(line: str, email: str | None) -> None:
    from bot.chat import ChatUnavailable
    from bot.chat import chat as run_chat
    from core.db import close_db, init_db

    settings = _settings()

    async def run() -> str:
        await init_db(settings.database_url)
        try:
            return await run_chat(line, email=email, command=settings.slack_command)
        finally:
            await close_db()

    try:
        click.echo(_run(run()))
    except ChatUnavailable as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


@main.command("slack-link", help="Link a Slack workspace to an existing organization.")
@click.option("--team", "team_id", required=True, help="The workspace id (T0123...).")
@click.option("--organization", required=True, help="Organization id or slug.")
def slack_link(team_id: str, organization: str) -> None:
    from core.db import close_db, init_db
    from core.errors import NotFound
    from core.services.slack_links import link_workspace

    settings = _settings()

    async def run() -> str:
        await init_db(settings.database_url)
        try:
            return await link_workspace(team_id, organization=organization)
        finally:
            await close_db()

    try:
        name = _run(run())
    except NotFound as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"Slack workspace {team_id} now works in {name}.")


@main.command("slack-manifest", help="Print a Slack app manifest to paste when creating the app.")
@click.option(
    "--url", required=True, help="Public base URL of TeamFlow, e.g. https://tasks.example.com"
)
@click.option("--socket-mode", is_flag=True, help="For Socket Mode (no public URL needed).")
def slack_manifest(url: str, socket_mode: bool) -> None:
    import json

    from bot.manifest import manifest

    settings = _settings()
    if not url.startswith(("https://", "http://")):
        raise click.BadParameter("must start with https://", param_hint="--url")
    document = manifest(base_url=url, command=settings.slack_command, socket_mode=socket_mode)
    click.echo(json.dumps(document, indent=2))


@main.group(help="Inbound webhooks: replay failed deliveries.")
def webhooks() -> None:
    pass


@webhooks.command("replay", help="Process a delivery again, or every failed one with --failed.")
@click.argument("delivery_id", required=False, type=click.UUID)
@click.option("--failed", is_flag=True, help="Replay every failed delivery.")
@click.option("--endpoint", "endpoint_id", type=click.UUID, help="Only this endpoint's.")
def webhooks_replay(delivery_id, failed: bool, endpoint_id) -> None:
    from core.db import close_db, init_db
    from core.errors import DomainError
    from core.services import webhook_deliveries
    from webhooks.inbound import actions_of

    if bool(delivery_id) == failed:
        raise click.UsageError("Give a delivery id or --failed")
    settings = _settings()

    async def run() -> list:
        await init_db(settings.database_url)
        try:
            if delivery_id:
                return [await webhook_deliveries.replay_by_id(delivery_id, actions_of)]
            return await webhook_deliveries.replay_failed(actions_of, endpoint_id=endpoint_id)
        finally:
            await close_db()

    try:
        views = _run(run())
    except DomainError as exc:
        click.echo(exc.message, err=True)
        sys.exit(1)
    for view in views:  # type: ignore[union-attr]
        click.echo(f"{view.id} {view.provider} {view.event}: {view.status} {view.error}".rstrip())
    click.echo(f"Replayed {len(views)} deliveries.")  # type: ignore[arg-type]


def _describe_db(settings: Settings) -> str:
    cache = "Redis" if settings.redis_url else "in-process cache"
    database = "PostgreSQL" if settings.uses_postgres else settings.database_url
    return f"{database}, {cache}"


if __name__ == "__main__":
    main()
