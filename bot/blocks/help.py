"""The help message: every command word, what it does and an example."""

from __future__ import annotations

from bot.blocks import elements as el
from bot.blocks import ids, text
from bot.blocks.mrkdwn import code, escape_fit
from core.enums import TaskPriority, TaskStatus

WORD_MAX = 100


def help_blocks(
    *, command: str = "/task", suggestion: str | None = None, unknown: str | None = None
) -> list[dict]:
    """Help, opened by an apology when the user typed an `unknown` command word."""
    blocks = []
    if unknown is not None:
        blocks.append(el.section(_apology(command, unknown, suggestion)))
    blocks.append(el.header(text.HELP_TITLE))
    blocks.extend(el.section(_command_line(command, *entry)) for entry in text.HELP_COMMANDS)
    blocks.append(el.context(text.HELP_BARE.format(command=_code(command))))
    blocks.append(el.actions([el.button(text.BUTTON_NEW_TASK, action_id=ids.TASK_NEW)]))
    return blocks


def _apology(command: str, unknown: str, suggestion: str | None) -> str:
    line = text.HELP_UNKNOWN.format(word=_code(unknown))
    if suggestion:
        line += " " + text.HELP_SUGGESTION.format(suggestion=_code(suggestion))
    return line


def _command_line(command: str, usage: str, description: str, example: str) -> str:
    what = description.format(
        statuses=", ".join(s.value for s in TaskStatus),
        priorities=", ".join(p.label for p in TaskPriority),
    )
    shown_example = text.HELP_EXAMPLE.format(example=_code(f"{command} {example}"))
    return f"*{_code(f'{command} {usage}')}*  {what}\n{shown_example}"


def _code(words: str) -> str:
    return code(escape_fit(words, WORD_MAX))
