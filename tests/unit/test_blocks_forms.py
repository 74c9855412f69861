"""The task and comment modals, and reading back what they submit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.blocks import (
    TaskForm,
    TaskFormInitial,
    comment_modal,
    create_modal,
    edit_modal,
    field_errors,
    ids,
    read_comment_form,
    read_task_form,
)
from core.enums import ProjectStatus, TaskPriority
from tests.unit.test_blocks import assert_within_slack_limits, make_project, make_task

TASK_BLOCKS = ["title", "description", "project", "assignee", "due", "priority", "labels"]


def inputs(view: dict) -> dict[str, dict]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def element(view: dict, block_id: str) -> dict[str, Any]:
    return inputs(view)[block_id]["element"]


def test_create_modal_has_every_input_with_its_agreed_ids():
    view = create_modal(projects=[make_project(), make_project("OPS")], private_metadata='{"c":1}')
    assert_within_slack_limits(view)

    assert view["type"] == "modal"
    assert view["callback_id"] == "task_create"
    assert view["private_metadata"] == '{"c":1}'
    assert len(view["title"]["text"]) <= 24
    assert list(inputs(view)) == TASK_BLOCKS
    assert {e["action_id"] for e in map(lambda b: element(view, b), TASK_BLOCKS)} == {"value"}
    kinds = {block_id: element(view, block_id)["type"] for block_id in TASK_BLOCKS}
    assert kinds == {
        "title": "plain_text_input",
        "description": "plain_text_input",
        "project": "static_select",
        "assignee": "users_select",
        "due": "datepicker",
        "priority": "static_select",
        "labels": "plain_text_input",
    }
    optional = {block_id for block_id, block in inputs(view).items() if block["optional"]}
    assert optional == {"description", "assignee", "due", "labels"}
    assert element(view, "title")["max_length"] == 255
    assert element(view, "description")["max_length"] == 2000
    assert element(view, "description")["multiline"] is True


def test_create_modal_options_and_defaults():
    view = create_modal(projects=[make_project(), make_project("OPS", "Ops")], private_metadata="")

    project = element(view, "project")
    assert [o["value"] for o in project["options"]] == ["WEB", "OPS"]
    assert project["options"][1]["text"]["text"] == "OPS · Ops"
    assert "initial_option" not in project
    priority = element(view, "priority")
    assert [o["value"] for o in priority["options"]] == ["low", "medium", "high", "urgent"]
    assert priority["initial_option"]["value"] == "medium"
    assert "initial_user" not in element(view, "assignee")


def test_create_modal_takes_initial_values():
    initial = TaskFormInitial(
        title="Fix it",
        description="Soon",
        project_key="OPS",
        assignee_slack_id="U1",
        priority="urgent",
    )
    view = create_modal(
        projects=[make_project(), make_project("OPS")], private_metadata="", initial=initial
    )

    assert element(view, "title")["initial_value"] == "Fix it"
    assert element(view, "description")["initial_value"] == "Soon"
    assert element(view, "project")["initial_option"]["value"] == "OPS"
    assert element(view, "assignee")["initial_user"] == "U1"
    assert element(view, "priority")["initial_option"]["value"] == "urgent"


def test_create_modal_preselects_the_only_active_project_and_hides_archived_ones():
    archived = make_project("OLD", status=ProjectStatus.ARCHIVED)

    view = create_modal(projects=[make_project(), archived], private_metadata="")

    project = element(view, "project")
    assert [o["value"] for o in project["options"]] == ["WEB"]
    assert project["initial_option"]["value"] == "WEB"


def test_create_modal_without_projects_explains_instead_of_an_empty_select():
    view = create_modal(projects=[], private_metadata="")
    assert_within_slack_limits(view)

    assert "project" not in inputs(view)
    assert any("project create" in b.get("text", {}).get("text", "") for b in view["blocks"])


def test_more_than_100_projects_keeps_the_selected_one():
    projects = [make_project(f"P{i}") for i in range(150)]

    view = create_modal(
        projects=projects, private_metadata="", initial=TaskFormInitial(project_key="P140")
    )
    assert_within_slack_limits(view)

    assert element(view, "project")["initial_option"]["value"] == "P140"


def test_private_metadata_over_slacks_limit_is_refused_rather_than_cut():
    with pytest.raises(ValueError, match="private_metadata"):
        create_modal(projects=[], private_metadata="x" * 3001)


def test_edit_modal_is_filled_in_from_the_task():
    task = make_task(
        title="Fix it",
        description="d" * 2500,
        priority=TaskPriority.LOW,
        due_at=datetime(2024, 6, 10, 23, 30, tzinfo=UTC),
        labels=("bug", "ui"),
    )

    view = edit_modal(
        task,
        projects=[make_project(), make_project("OPS")],
        private_metadata='{"task": 1}',
        assignee_slack_id="U9",
        timezone="Europe/Berlin",
    )
    assert_within_slack_limits(view)

    assert view["callback_id"] == "task_edit"
    assert view["title"]["text"] == "Edit WEB-42"
    assert list(inputs(view)) == TASK_BLOCKS
    assert element(view, "title")["initial_value"] == "Fix it"
    assert len(element(view, "description")["initial_value"]) == 2000
    assert element(view, "project")["initial_option"]["value"] == "WEB"
    assert element(view, "assignee")["initial_user"] == "U9"
    assert element(view, "due")["initial_date"] == "2024-06-11"  # already the 11th in Berlin
    assert element(view, "priority")["initial_option"]["value"] == "low"
    assert element(view, "labels")["initial_value"] == "bug, ui"


def test_edit_modal_title_stays_within_24_characters():
    view = edit_modal(
        make_task(project_key="VERYLONGPROJECT", number=123456),
        projects=[],
        private_metadata="",
        assignee_slack_id=None,
        timezone="UTC",
    )

    assert len(view["title"]["text"]) <= 24
    assert view["title"]["text"].endswith("…")


def test_comment_modal():
    view = comment_modal(make_task(title="<b>"), private_metadata='{"t": 2}')
    assert_within_slack_limits(view)

    assert view["callback_id"] == "task_comment"
    assert view["private_metadata"] == '{"t": 2}'
    body = element(view, "body")
    assert body["action_id"] == "value"
    assert body["multiline"] is True
    assert body["max_length"] == 3000  # Slack's cap on a text input, under core's 4000
    assert "WEB-42" in view["blocks"][0]["elements"][0]["text"]
    assert "&lt;b&gt;" in view["blocks"][0]["elements"][0]["text"]


# --- reading submissions ------------------------------------------------------------

# The shape of view.state.values in a real view_submission payload, with our ids.
SUBMITTED = {
    "title": {"value": {"type": "plain_text_input", "value": "  Fix the login redirect "}},
    "description": {"value": {"type": "plain_text_input", "value": "After SSO"}},
    "project": {
        "value": {
            "type": "static_select",
            "selected_option": {
                "text": {"type": "plain_text", "text": "WEB · Website", "emoji": True},
                "value": "WEB",
            },
        }
    },
    "assignee": {"value": {"type": "users_select", "selected_user": "U0123ABC"}},
    "due": {"value": {"type": "datepicker", "selected_date": "2024-06-30"}},
    "priority": {
        "value": {
            "type": "static_select",
            "selected_option": {
                "text": {"type": "plain_text", "text": "High", "emoji": True},
                "value": "high",
            },
        }
    },
    "labels": {"value": {"type": "plain_text_input", "value": "Bug, +Frontend  sso,bug"}},
}

EMPTY_OPTIONALS = {
    "title": {"value": {"type": "plain_text_input", "value": "Only a title"}},
    "description": {"value": {"type": "plain_text_input", "value": None}},
    "assignee": {"value": {"type": "users_select", "selected_user": None}},
    "due": {"value": {"type": "datepicker", "selected_date": None}},
    "priority": {"value": {"type": "static_select", "selected_option": None}},
    "labels": {"value": {"type": "plain_text_input", "value": None}},
}


def test_read_task_form_reads_every_field():
    assert read_task_form(SUBMITTED) == TaskForm(
        title="Fix the login redirect",
        description="After SSO",
        project_key="WEB",
        assignee_slack_id="U0123ABC",
        due_date=date(2024, 6, 30),
        priority="high",
        labels=("bug", "frontend", "sso"),
    )


def test_read_task_form_with_optional_inputs_left_empty():
    assert read_task_form(EMPTY_OPTIONALS) == TaskForm(
        title="Only a title",
        description="",
        project_key=None,
        assignee_slack_id=None,
        due_date=None,
        priority="medium",
        labels=(),
    )


def test_read_task_form_ignores_a_malformed_date():
    values = {**SUBMITTED, "due": {"value": {"type": "datepicker", "selected_date": "soon"}}}

    assert read_task_form(values).due_date is None


def test_read_comment_form():
    values = {"body": {"value": {"type": "plain_text_input", "value": " Deployed. "}}}

    assert read_comment_form(values) == "Deployed."
    assert read_comment_form({}) == ""


def test_field_errors_maps_domain_fields_to_block_ids():
    answer = field_errors(
        {
            "title": "title must not be empty",
            "description": "too long",
            "project": "no such project",
            "assignee_id": "not a member",
            "due_at": "due date is in the past",
            "priority": "not a priority",
            "labels": "bad label",
        }
    )

    assert answer == {
        "response_action": "errors",
        "errors": {
            "title": "title must not be empty",
            "description": "too long",
            "project": "no such project",
            "assignee": "not a member",
            "due": "due date is in the past",
            "priority": "not a priority",
            "labels": "bad label",
        },
    }


def test_field_errors_puts_unknown_fields_under_the_title():
    answer = field_errors({"status": "bad status", "title": "empty"})

    assert answer["errors"] == {"title": "bad status; empty"}


def test_every_agreed_identifier_is_exact():
    assert (ids.TASK_DONE, ids.TASK_REOPEN, ids.TASK_ASSIGN_ME) == (
        "task_done",
        "task_reopen",
        "task_assign_me",
    )
    assert (ids.TASK_STATUS, ids.TASK_DUE, ids.TASK_EDIT, ids.TASK_COMMENT) == (
        "task_status",
        "task_due",
        "task_edit",
        "task_comment",
    )
    assert (ids.TASK_LIST_MORE, ids.TASK_NEW) == ("task_list_more", "task_new")
    assert (ids.CALLBACK_TASK_CREATE, ids.CALLBACK_TASK_EDIT, ids.CALLBACK_TASK_COMMENT) == (
        "task_create",
        "task_edit",
        "task_comment",
    )
    assert (ids.TASK_CREATE, ids.TASK_COMMENT_MODAL) == ("task_create", "task_comment")
    assert ids.task_id_from_block_id("task:not-a-uuid") is None
    assert ids.task_id_from_block_id("title") is None
