"""`teamflow chat`: the `/task` handlers in a terminal, replies rendered as readable text."""

from __future__ import annotations

from bot import blocks, commands
from bot.identity import SlackContext
from core.clock import utcnow
from core.demo import PEOPLE
from core.errors import NotFound
from core.services import members, organizations, users

LOCAL_TEAM = "TLOCAL"


class ChatUnavailable(Exception):
    """No account to act as: say how to get one."""


async def chat(line: str, *, email: str | None = None, command: str = "/task") -> str:
    """Run one command line (`/task add ...` or just `add ...`) as the given person."""
    ctx = await _context(email)
    text = line.strip()
    if text.startswith(command):
        text = text[len(command) :].strip()
    reply = await commands.run(ctx, text, command=command)
    if reply.open_create_modal:
        return "In Slack this opens the new task form. Here, try: /task add Write release notes"
    rendered = blocks.blocks_to_text(reply.blocks) if reply.blocks else reply.text
    audience = "(posted in the channel)" if reply.public else "(only you see this)"
    return f"{rendered.rstrip()}\n{audience}"


async def _context(email: str | None) -> SlackContext:
    address = email or PEOPLE[0][1]
    user = await users.find_user_by_email(address)
    if user is None:
        raise ChatUnavailable(
            f"No account {address}. Run `teamflow demo` first, or pass --as with your email."
        )
    mine = await organizations.list_organizations_for_user(user.id)
    if not mine:
        raise ChatUnavailable(f"{address} is not a member of any organization.")
    try:
        actor = await members.actor_for(user.id, mine[0][0].id)
    except NotFound as exc:
        raise ChatUnavailable(str(exc)) from None
    return SlackContext(
        actor=actor,
        team_id=LOCAL_TEAM,
        slack_user_id=f"U{user.id.hex[:8].upper()}",
        channel_id=None,
        timezone=user.timezone,
        now=utcnow(),
        client=None,
    )
