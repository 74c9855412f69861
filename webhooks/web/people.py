"""`@alice` typed on the web: a member of the organization by name or email.

Slack's own resolver (bot.people) also knows Slack user ids; on the web there are only
the words typed, matched against the members the way people write them: the whole name,
the first name, or the part of the email before `@` (case does not matter). `@me` is
the person typing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from core.errors import ValidationFailed
from core.views import MemberView

NOBODY = "Nobody called @{name} is a member here."
AMBIGUOUS = "@{name} could be {names}: type more of the name or the email."


def resolve_person(name: str, *, members: Sequence[MemberView], me: uuid.UUID) -> MemberView:
    """The one member `name` means; ValidationFailed (field `assignee`) for none or several."""
    wanted = name.strip().lstrip("@").lower()
    if wanted == "me":
        for member in members:
            if member.user.id == me:
                return member
    matches = [m for m in members if wanted in _whole_names(m)]
    if not matches:
        matches = [m for m in members if m.user.name.lower().split()[:1] == [wanted]]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ValidationFailed.on("assignee", NOBODY.format(name=name.lstrip("@")))
    names = ", ".join(m.user.name for m in matches[:5])
    raise ValidationFailed.on("assignee", AMBIGUOUS.format(name=name.lstrip("@"), names=names))


def _whole_names(member: MemberView) -> set[str]:
    email = (member.user.email or "").lower()
    names = {member.user.name.lower(), member.user.name.lower().replace(" ", "")}
    if email:
        names |= {email, email.split("@", 1)[0]}
    return names
