"""What every scenario shares: options, the seeded ids, the fake Slack, and the pieces
that are set up through TeamFlow's own services (Slack links, the webhook endpoint,
a signed-in owner's access token)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from benchmarks.seed import Seeded
from benchmarks.servers import BOT_TOKEN, REDIS_URL, SECRET_KEY, SIGNING_SECRET
from core.enums import Role, Source
from core.permissions import Actor
from tests.fakes import workspace
from tests.fakes.slack_api import FakeSlack

SLACK_CHANNEL = "C1"
SLACK_USER = "U1"


@dataclass(frozen=True)
class Options:
    quick: bool
    seconds: float  # measured load per run
    warmup: float  # unmeasured load before each run
    rounds: int  # TeamFlow and reference alternate this many times per worker count
    workers: tuple[int, ...]
    scenarios: tuple[str, ...]
    tasks: int
    digest_channels: int
    analytics_reps: int
    digest_rounds: int
    profile: bool = False
    profile_format: str = "svg"


@dataclass
class Context:
    options: Options
    seeded: Seeded
    fake: FakeSlack
    workdir: Path
    access_token: str = ""
    github_endpoint_id: uuid.UUID | None = None
    github_secret: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def owner(self) -> Actor:
        return Actor(self.seeded.owner_id, self.seeded.organization_id, Role.OWNER, Source.API)

    def reference_config(self) -> str:
        """BENCH_REFERENCE for the reference app: the same ids and secrets TeamFlow uses."""
        ids = self.seeded.project_ids
        return json.dumps(
            {
                "dsn": self.seeded.database_url,
                "jwt_secret": SECRET_KEY,
                "slack_secret": SIGNING_SECRET,
                "github_secret": self.github_secret,
                "github_endpoint_id": str(self.github_endpoint_id),
                "organization_id": str(self.seeded.organization_id),
                "owner_id": str(self.seeded.owner_id),
                "list_project_id": str(ids["BIG"]),
                "list_project_key": "BIG",
                "slack_project_id": str(ids["SLK"]),
                "github_project_id": str(ids["GH"]),
            }
        )


def teamflow_settings(database_url: str, slack_api_url: str):
    """The settings `teamflow serve` gets in the benchmark, for in-process use."""
    from core.config import load_settings

    return load_settings(
        TEAMFLOW_ENV="production",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        TEAMFLOW_SECRET_KEY=SECRET_KEY,
        TEAMFLOW_RATE_LIMIT_PER_MINUTE=100_000_000,
        TEAMFLOW_RATE_LIMIT_ADDRESS_PER_MINUTE=100_000_000,
        TEAMFLOW_RUN_SCHEDULER="no",
        LOG_LEVEL="WARNING",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api_url,
    )


async def prepare(context: Context) -> None:
    """Link the Slack workspace and user, set the channel's project, create the GitHub
    endpoint, and sign the owner in (a JWT good for the whole run)."""
    from core.services import slack_links, webhook_endpoints
    from core.services.slack_links import SlackProfile
    from webhooks.auth.access_tokens import AccessTokens

    seeded = context.seeded
    await slack_links.link_workspace(
        workspace.TEAM_ID, organization=str(seeded.organization_id), team_name="Bench"
    )
    profile = SlackProfile(
        team_id=workspace.TEAM_ID,
        slack_user_id=SLACK_USER,
        name="Bench Owner",
        email=seeded.owner_email,
    )
    await slack_links.actor_for_profile(profile, organization_id=seeded.organization_id)
    await slack_links.set_channel_project(
        context.owner, team_id=workspace.TEAM_ID, channel_id=SLACK_CHANNEL, project="SLK"
    )
    secret, endpoint = await webhook_endpoints.create_endpoint(
        context.owner, provider="github", project="GH", secret_key=SECRET_KEY
    )
    context.github_secret, context.github_endpoint_id = secret, endpoint.id
    tokens = AccessTokens(SECRET_KEY, lifetime=timedelta(hours=3))
    context.access_token = tokens.issue(seeded.owner_id, organization_id=seeded.organization_id)
