"""Block Kit builders: pure functions from views (`core.views`) to Slack payload dicts.

No I/O, no Slack client, no database. Every builder keeps within Slack's limits
(cutting text with "…" rather than failing) and escapes user text for mrkdwn.
Identifiers the listeners dispatch on live in `bot.blocks.ids`, words in
`bot.blocks.text`.
"""

from bot.blocks.cards import card_fallback_text, task_card
from bot.blocks.digest import digest_blocks, digest_text
from bot.blocks.forms import TaskForm, field_errors, read_comment_form, read_task_form
from bot.blocks.help import help_blocks
from bot.blocks.home import HomeSections, home_view
from bot.blocks.lists import task_list
from bot.blocks.modals import TaskFormInitial, comment_modal, create_modal, edit_modal
from bot.blocks.morning import morning_blocks, morning_text
from bot.blocks.mrkdwn import escape
from bot.blocks.notices import dashboard_link_blocks, error_notice, notice
from bot.blocks.plaintext import blocks_to_text

__all__ = [
    "HomeSections",
    "TaskForm",
    "TaskFormInitial",
    "blocks_to_text",
    "card_fallback_text",
    "comment_modal",
    "create_modal",
    "dashboard_link_blocks",
    "digest_blocks",
    "digest_text",
    "edit_modal",
    "error_notice",
    "escape",
    "field_errors",
    "help_blocks",
    "home_view",
    "morning_blocks",
    "morning_text",
    "notice",
    "read_comment_form",
    "read_task_form",
    "task_card",
    "task_list",
]
