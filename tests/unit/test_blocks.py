"""Block Kit builders: content, identifiers the listeners rely on, escaping and Slack's limits."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.blocks import (
    blocks_to_text,
    card_fallback_text,
    comment_modal,
    create_modal,
    edit_modal,
    error_notice,
    help_blocks,
    ids,
    notice,
    task_card,
    task_list,
)
from core.enums import ProjectStatus, TaskPriority, TaskStatus
from core.views import ProjectView, TaskView, UserView

NOW = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)  # a Monday
ORG = uuid.uuid4()

# --- limits -------------------------------------------------------------------------

MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100
TEXT_LIMITS = {"header": 150, "section": 3000, "field": 2000, "context": 2000}
BUTTON_TEXT, OPTION_TEXT, OPTION_VALUE, BUTTON_VALUE = 75, 75, 150, 2000
OPTIONS, ACTION_ELEMENTS, CONTEXT_ELEMENTS, FIELDS = 100, 25, 10, 10
MODAL_TITLE, MODAL_BUTTON, PRIVATE_METADATA, ID = 24, 24, 3000, 255
PLACEHOLDER, LABEL, TEXT_INPUT_MAX = 150, 2000, 3000


def assert_within_slack_limits(blocks_or_view: list[dict] | dict) -> None:
    """Fails on anything Slack would refuse with `invalid_blocks` (the limits we rely on)."""
    if isinstance(blocks_or_view, dict):
        _check_view(blocks_or_view)
        blocks, most = blocks_or_view["blocks"], VIEW_BLOCKS
    else:
        blocks, most = blocks_or_view, MESSAGE_BLOCKS
    assert 0 < len(blocks) <= most, f"{len(blocks)} blocks"
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids)), "block_ids must be unique"
    for block in blocks:
        _check_block(block)


def _check_view(view: dict) -> None:
    assert view["type"] in {"modal", "home"}
    if view["type"] == "modal":
        _check_text(view["title"], MODAL_TITLE, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                _check_text(view[key], MODAL_BUTTON, plain_only=True)
    assert len(view.get("private_metadata", "")) <= PRIVATE_METADATA
    assert len(view.get("callback_id", "")) <= ID


def _check_block(block: dict) -> None:
    assert len(block.get("block_id", "")) <= ID
    kind = block["type"]
    if kind == "header":
        _check_text(block["text"], TEXT_LIMITS["header"], plain_only=True)
    elif kind == "section":
        assert "text" in block or block.get("fields")
        if "text" in block:
            _check_text(block["text"], TEXT_LIMITS["section"])
        assert len(block.get("fields", [])) <= FIELDS
        for field in block.get("fields", []):
            _check_text(field, TEXT_LIMITS["field"])
        if "accessory" in block:
            _check_element(block["accessory"])
    elif kind == "context":
        assert 0 < len(block["elements"]) <= CONTEXT_ELEMENTS
        for element in block["elements"]:
            _check_text(element, TEXT_LIMITS["context"])
    elif kind == "actions":
        elements = block["elements"]
        assert 0 < len(elements) <= ACTION_ELEMENTS
        action_ids = [e["action_id"] for e in elements]
        assert len(action_ids) == len(set(action_ids)), "action_ids must be unique in a block"
        for element in elements:
            _check_element(element)
    elif kind == "input":
        _check_text(block["label"], LABEL, plain_only=True)
        if "hint" in block:
            _check_text(block["hint"], LABEL, plain_only=True)
        _check_element(block["element"])
    else:
        assert kind == "divider", f"unexpected block type {kind}"


def _check_element(element: dict) -> None:
    assert len(element.get("action_id", "")) <= ID
    if "placeholder" in element:
        _check_text(element["placeholder"], PLACEHOLDER, plain_only=True)
    kind = element["type"]
    if kind == "button":
        _check_text(element["text"], BUTTON_TEXT, plain_only=True)
        assert 0 < len(element.get("value", "x")) <= BUTTON_VALUE
    elif kind == "static_select":
        assert 0 < len(element["options"]) <= OPTIONS
        for option in element["options"]:
            _check_text(option["text"], OPTION_TEXT, plain_only=True)
            assert 0 < len(option["value"]) <= OPTION_VALUE
        if "initial_option" in element:
            assert element["initial_option"] in element["options"]
    elif kind == "datepicker":
        if "initial_date" in element:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", element["initial_date"])
    elif kind == "plain_text_input":
        assert element.get("max_length", TEXT_INPUT_MAX) <= TEXT_INPUT_MAX
        assert len(element.get("initial_value", "")) <= element.get("max_length", TEXT_INPUT_MAX)
    else:
        assert kind == "users_select", f"unexpected element type {kind}"


def _check_text(obj: dict, limit: int, *, plain_only: bool = False) -> None:
    assert obj["type"] in ({"plain_text"} if plain_only else {"plain_text", "mrkdwn"})
    assert 0 < len(obj["text"]) <= limit, f"{len(obj['text'])} > {limit}: {obj['text'][:40]}"


# --- factories ----------------------------------------------------------------------


def make_user(name: str = "Maria Lopez") -> UserView:
    return UserView(id=uuid.uuid4(), name=name, email=None, timezone="UTC")


def make_task(**changes: Any) -> TaskView:
    task = TaskView(
        id=uuid.uuid4(),
        organization_id=ORG,
        project_id=uuid.uuid4(),
        project_key="WEB",
        number=42,
        title="Fix the login redirect",
        description="Users land on a 404 after signing in.",
        status=TaskStatus.IN_PROGRESS,
        priority=TaskPriority.HIGH,
        assignee=None,
        reporter=None,
        due_at=None,
        started_at=None,
        completed_at=None,
        labels=("bug", "frontend"),
        version=1,
        created_at=NOW - timedelta(days=5),
        updated_at=NOW - timedelta(days=1),
    )
    return replace(task, **changes)


def make_project(key: str = "WEB", name: str = "Website", **changes: Any) -> ProjectView:
    project = ProjectView(
        id=uuid.uuid4(),
        organization_id=ORG,
        key=key,
        name=name,
        description="",
        status=ProjectStatus.ACTIVE,
        created_at=NOW,
        updated_at=NOW,
    )
    return replace(project, **changes)


def card(task: TaskView, **kwargs: Any) -> list[dict]:
    options = {"now": NOW, "timezone": "UTC", "viewer_user_id": None, **kwargs}
    blocks = task_card(task, **options)
    assert_within_slack_limits(blocks)
    return blocks


def all_text(structure: Any) -> str:
    """Every `text` string anywhere in a built structure, joined."""
    if isinstance(structure, dict):
        own = [structure["text"]] if isinstance(structure.get("text"), str) else []
        return "\n".join(own + [all_text(v) for v in structure.values()])
    if isinstance(structure, list):
        return "\n".join(all_text(item) for item in structure)
    return ""


def elements_of(blocks: list[dict]) -> list[dict]:
    found = []
    for block in blocks:
        found += block.get("elements", []) if block["type"] == "actions" else []
        found += [block[k] for k in ("accessory", "element") if k in block]
    return found


def action_ids(blocks: list[dict]) -> list[str]:
    return [e["action_id"] for e in elements_of(blocks)]


def actions_block(blocks: list[dict]) -> dict:
    (block,) = [b for b in blocks if b["type"] == "actions"]
    return block


# --- the task card ------------------------------------------------------------------


def test_card_shows_key_title_status_priority_due_and_labels():
    task = make_task(due_at=datetime(2024, 6, 10, 23, 59, tzinfo=UTC))

    text = all_text(card(task))

    assert "WEB-42" in text
    assert "Fix the login redirect" in text
    assert "In progress" in text
    assert ":arrow_up: High" in text
    assert "Mon 10 Jun" in text
    assert "overdue" not in text
    assert "`bug` `frontend`" in text
    assert "Users land on a 404" in text


def test_card_marks_an_open_task_past_its_due_date_as_overdue():
    text = all_text(card(make_task(due_at=NOW - timedelta(days=2))))

    assert ":warning: overdue" in text


def test_card_does_not_mark_a_done_task_overdue():
    text = all_text(card(make_task(status=TaskStatus.DONE, due_at=NOW - timedelta(days=2))))

    assert "overdue" not in text


@pytest.mark.parametrize("priority", list(TaskPriority))
def test_card_gives_each_priority_its_own_emoji(priority: TaskPriority):
    text = all_text(card(make_task(priority=priority)))

    assert priority.label.capitalize() in text
    assert re.search(r":[a-z_]+: " + priority.label.capitalize(), text)


def test_card_shows_the_due_date_in_the_viewers_time_zone():
    task = make_task(due_at=datetime(2024, 6, 10, 22, 59, tzinfo=UTC))

    berlin = card(task, timezone="Europe/Berlin")  # 00:59 on Tuesday the 11th
    new_york = card(task, timezone="America/New_York")  # 18:59 on Monday the 10th

    assert "Tue 11 Jun 00:59" in all_text(berlin)
    assert actions_block(berlin)["elements"][3]["initial_date"] == "2024-06-11"
    assert "Mon 10 Jun 18:59" in all_text(new_york)
    assert actions_block(new_york)["elements"][3]["initial_date"] == "2024-06-10"


def test_card_says_today_and_tomorrow():
    assert "today" in all_text(card(make_task(due_at=NOW + timedelta(hours=2))))
    assert "tomorrow" in all_text(card(make_task(due_at=NOW + timedelta(days=1))))


def test_an_unknown_time_zone_falls_back_to_utc():
    task = make_task(due_at=datetime(2024, 6, 10, 23, 59, tzinfo=UTC))

    assert "Mon 10 Jun" in all_text(card(task, timezone="Mars/Olympus"))


def test_open_card_offers_done_and_the_other_actions_with_the_task_id():
    task = make_task()

    block = actions_block(card(task))

    assert block["block_id"] == f"task:{task.id}"
    assert ids.task_id_from_block_id(block["block_id"]) == task.id
    assert [e["action_id"] for e in block["elements"]] == [
        ids.TASK_DONE,
        ids.TASK_ASSIGN_ME,
        ids.TASK_STATUS,
        ids.TASK_DUE,
        ids.TASK_EDIT,
        ids.TASK_COMMENT,
    ]
    buttons = [e for e in block["elements"] if e["type"] == "button"]
    assert {b["value"] for b in buttons} == {str(task.id)}
    assert [b["text"]["text"] for b in buttons] == ["Done", "Assign to me", "Edit", "Comment"]


@pytest.mark.parametrize("status", [TaskStatus.DONE, TaskStatus.CANCELLED])
def test_closed_card_offers_reopen_instead_of_done(status: TaskStatus):
    found = action_ids(card(make_task(status=status)))

    assert ids.TASK_REOPEN in found
    assert ids.TASK_DONE not in found


def test_status_select_lists_all_five_statuses_with_the_current_one_selected():
    block = actions_block(card(make_task(status=TaskStatus.IN_REVIEW)))

    (select,) = [e for e in block["elements"] if e["action_id"] == ids.TASK_STATUS]
    assert select["type"] == "static_select"
    assert [o["value"] for o in select["options"]] == [s.value for s in TaskStatus]
    assert select["initial_option"]["value"] == "in_review"


def test_due_picker_is_empty_without_a_due_date():
    block = actions_block(card(make_task(due_at=None)))

    (picker,) = [e for e in block["elements"] if e["action_id"] == ids.TASK_DUE]
    assert picker["type"] == "datepicker"
    assert "initial_date" not in picker


def test_assign_to_me_is_hidden_when_the_viewer_is_the_assignee():
    maria = make_user()
    task = make_task(assignee=maria)

    assert ids.TASK_ASSIGN_ME not in action_ids(card(task, viewer_user_id=maria.id))
    assert ids.TASK_ASSIGN_ME in action_ids(card(task, viewer_user_id=uuid.uuid4()))
    assert ids.TASK_ASSIGN_ME in action_ids(card(make_task(), viewer_user_id=maria.id))


def test_card_without_edit_rights_has_no_actions():
    assert action_ids(card(make_task(), can_edit=False)) == []


def test_card_names_the_assignee_by_mention_or_name():
    task = make_task(assignee=make_user("Maria Lopez"))

    assert "<@U123>" in all_text(card(task, assignee_slack_id="U123"))
    assert "Maria Lopez" in all_text(card(task))
    assert "Unassigned" in all_text(card(make_task(assignee=None)))


def test_card_links_the_title_when_given_a_link():
    blocks = card(make_task(), link="https://teamflow.example/t/WEB-42")

    assert "<https://teamflow.example/t/WEB-42|Fix the login redirect>" in all_text(blocks)


def test_user_text_is_escaped_for_mrkdwn():
    task = make_task(
        title="<script>alert(1)</script> & <!channel>",
        description="<https://evil.example|click> & more",
        assignee=make_user("<@U999>"),
        labels=("a<b",),
    )

    text = all_text(card(task))

    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt;" in text
    assert "&lt;https://evil.example|click&gt; &amp; more" in text
    assert "&lt;@U999&gt;" in text
    assert "<script>" not in text
    assert "<!channel>" not in text
    assert "<https://evil" not in text
    assert "&lt;" in card_fallback_text(task)
    assert "<" not in card_fallback_text(task)


def test_a_400_character_title_is_cut_with_an_ellipsis():
    task = make_task(title="x" * 400, description="y" * 5000)

    blocks = card(task)
    first = blocks[0]["text"]["text"]

    assert "…" in first
    assert "x" * 400 not in first
    assert len(card_fallback_text(task)) < 200
    assert card_fallback_text(task).endswith("…")
    assert max(len(b.get("text", {}).get("text", "")) for b in blocks) <= 3000


def test_escaping_never_splits_an_entity_when_cutting():
    blocks = card(make_task(title="&" * 400, description="<" * 400))

    for line in (blocks[0]["text"]["text"], blocks[2]["text"]["text"]):
        body = line.replace("*", "").replace("WEB-42", "").strip().rstrip("…")
        assert re.fullmatch(r"(&amp;|&lt;)+", body), line[-20:]


def test_huge_inputs_stay_within_limits():
    task = make_task(
        project_key="K" * 300,
        title="<&>" * 200,
        description="&" * 9000,
        assignee=make_user("N" * 5000),
        labels=tuple(f"label-{i}-" + "z" * 60 for i in range(40)),
        due_at=NOW - timedelta(days=800),
    )

    card(task, assignee_slack_id="U" * 300, link="https://x.example/" + "p" * 4000)
    assert_within_slack_limits(
        task_list([task] * 500, title="T" * 400, now=NOW, timezone="UTC", more_value="m" * 5000)
    )
    assert_within_slack_limits(help_blocks(command="/" + "t" * 500, unknown="u" * 5000))
    assert_within_slack_limits(notice("n" * 10_000))
    assert_within_slack_limits(error_notice("<" * 10_000))
    projects = [make_project(f"P{i}", "Name " * 40) for i in range(250)]
    assert_within_slack_limits(create_modal(projects=projects, private_metadata="{}"))
    assert_within_slack_limits(
        edit_modal(
            task, projects=projects, private_metadata="{}", assignee_slack_id=None, timezone="UTC"
        )
    )
    assert_within_slack_limits(comment_modal(task, private_metadata="{}"))


def test_card_fallback_text_names_the_task():
    assert card_fallback_text(make_task()) == "WEB-42: Fix the login redirect"


# --- the task list ------------------------------------------------------------------


def list_of(tasks: list[TaskView], **kwargs: Any) -> list[dict]:
    options = {"title": "My tasks", "now": NOW, "timezone": "UTC", "more_value": None, **kwargs}
    blocks = task_list(tasks, **options)
    assert_within_slack_limits(blocks)
    return blocks


def test_list_shows_a_line_per_task():
    maria = make_user("Maria")
    tasks = [
        make_task(number=1, title="First", assignee=maria, due_at=NOW - timedelta(days=1)),
        make_task(number=2, title="Second", status=TaskStatus.DONE),
    ]

    blocks = list_of(tasks, slack_ids={maria.id: "U777"})
    text = all_text(blocks)

    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "My tasks", "emoji": True},
    }
    assert "*WEB-1* First · <@U777> · due yesterday 12:00 :warning: overdue" in text
    assert ":white_check_mark: *WEB-2* Second · Unassigned" in text
    assert ids.TASK_LIST_MORE not in action_ids(blocks)
    assert ids.TASK_NEW in action_ids(blocks)


def test_a_list_of_120_tasks_fits_in_50_blocks_and_offers_more():
    tasks = [make_task(number=n) for n in range(120)]

    blocks = list_of(tasks)

    assert len(blocks) <= 50
    assert "Showing 47 of 120 tasks." in all_text(blocks)
    (more,) = [e for e in elements_of(blocks) if e["action_id"] == ids.TASK_LIST_MORE]
    assert more["text"]["text"] == "Show more"


def test_list_more_button_carries_the_callers_value():
    blocks = list_of([make_task()], more_value="cursor:abc")

    (more,) = [e for e in elements_of(blocks) if e["action_id"] == ids.TASK_LIST_MORE]
    assert more["value"] == "cursor:abc"


def test_an_empty_list_says_nothing_matches():
    blocks = list_of([])

    assert "No tasks match." in all_text(blocks)


def test_list_escapes_titles():
    text = all_text(list_of([make_task(title="<b> & </b>")]))

    assert "&lt;b&gt; &amp; &lt;/b&gt;" in text
    assert "<b>" not in text


# --- help and notices ---------------------------------------------------------------

COMMAND_WORDS = [
    "add",
    "list",
    "show KEY",
    "done KEY",
    "reopen KEY",
    "assign KEY @user",
    "due KEY",
    "move KEY",
    "priority KEY",
    "comment KEY",
    "search",
    "project list",
    "project create KEY Name",
    "project default KEY",
    "subscribe #KEY",
    "unsubscribe #KEY",
    "digest daily|weekdays HH:MM",
    "morning on",
    "report weekly",
    "dashboard",
    "help",
]


def test_help_lists_every_command_with_an_example():
    blocks = help_blocks()
    assert_within_slack_limits(blocks)
    text = all_text(blocks)

    for words in COMMAND_WORDS:
        assert f"`/task {words}" in text, words
    for filter_word in ("mine", "@user", "KEY", "overdue", "today", "&lt;status&gt;"):
        assert filter_word in text
    assert text.count("_Example:_") == len(COMMAND_WORDS)
    assert "A bare `/task` opens the form" in text
    assert "in_progress" in text and "urgent" in text
    assert "<title>" not in text  # placeholders are escaped, not read as links


def test_help_uses_the_given_command():
    assert "`/todo done KEY`" in all_text(help_blocks(command="/todo"))


def test_help_for_an_unknown_word_starts_with_it_and_the_suggestion():
    blocks = help_blocks(unknown="lsit", suggestion="list")

    assert blocks[0]["text"]["text"] == "I don't know `lsit`. Did you mean `list`?"
    assert help_blocks(unknown="zzz")[0]["text"]["text"] == "I don't know `zzz`."


def test_help_escapes_the_unknown_word():
    first = help_blocks(unknown="<!here>")[0]["text"]["text"]

    assert first == "I don't know `&lt;!here&gt;`."


def test_notice_is_one_section_and_error_notice_escapes_with_a_warning():
    assert notice("Assigned to <@U1>.") == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Assigned to <@U1>."}}
    ]
    (error,) = error_notice("label '<x>' is not valid")
    assert error["text"]["text"] == ":warning: label '&lt;x&gt;' is not valid"


# --- plain text for the terminal ----------------------------------------------------


def test_blocks_to_text_renders_a_card_readably():
    task = make_task(title="Fix <login> & co", assignee=make_user())

    text = blocks_to_text(card(task, assignee_slack_id="U42", link="https://t.example/WEB-42"))

    assert "WEB-42" in text
    assert "Fix <login> & co (https://t.example/WEB-42)" in text
    assert "Assignee: @U42" in text
    assert "Status: :large_blue_circle: In progress" in text
    assert "[Done] [Assign to me] <status: in_progress>" in text
    assert "[Edit] [Comment]" in text
    assert "*" not in text
    assert "&amp;" not in text


def test_blocks_to_text_underlines_headers_and_draws_dividers():
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "My tasks"}},
        {"type": "divider"},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "by <!here> in <#C1|general>"}],
        },
    ]

    assert blocks_to_text(blocks) == "My tasks\n========\n" + "-" * 40 + "\nby @here in #general"


def test_blocks_to_text_renders_a_list_and_a_modal():
    listed = blocks_to_text(list_of([make_task()], more_value="next"))
    modal = blocks_to_text(create_modal(projects=[make_project()], private_metadata="{}"))

    assert "WEB-42 Fix the login redirect" in listed
    assert "[New task] [Show more]" in listed
    assert modal.startswith("New task\n========")
    assert "Project: WEB" in modal
    assert "Priority: medium" in modal
    assert modal.endswith("[Create] [Cancel]")
