"""A second opinion on every builder's output: slack_sdk's own Block Kit validators."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.blocks import (
    comment_modal,
    create_modal,
    edit_modal,
    error_notice,
    help_blocks,
    notice,
    task_card,
    task_list,
)
from tests.unit.test_blocks import NOW, make_project, make_task, make_user

blocks_module = pytest.importorskip("slack_sdk.models.blocks")
views_module = pytest.importorskip("slack_sdk.models.views")

HUGE_TASK = make_task(
    title="<&>" * 200,
    description="&" * 9000,
    assignee=make_user("N" * 5000),
    labels=tuple(f"l{i}" for i in range(20)),
    due_at=NOW - timedelta(days=3),
)
PROJECTS = [make_project(f"P{i}", "Name " * 40) for i in range(150)]


def messages() -> list[list[dict]]:
    return [
        task_card(make_task(), now=NOW, timezone="UTC", viewer_user_id=None),
        task_card(HUGE_TASK, now=NOW, timezone="Asia/Tokyo", viewer_user_id=None, link="https://x"),
        task_list([HUGE_TASK] * 200, title="T" * 400, now=NOW, timezone="UTC", more_value="m"),
        task_list([], title="Nothing", now=NOW, timezone="UTC", more_value=None),
        help_blocks(unknown="x" * 500, suggestion="list"),
        notice("n" * 9000),
        error_notice("<" * 9000),
    ]


def views() -> list[dict]:
    return [
        create_modal(projects=PROJECTS, private_metadata="{}"),
        create_modal(projects=[], private_metadata="{}"),
        edit_modal(
            HUGE_TASK,
            projects=PROJECTS,
            private_metadata="{}",
            assignee_slack_id="U1",
            timezone="UTC",
        ),
        comment_modal(HUGE_TASK, private_metadata="{}"),
    ]


@pytest.mark.parametrize("blocks", messages())
def test_messages_pass_slack_sdk_validation(blocks: list[dict]):
    for block in blocks:
        parsed = blocks_module.Block.parse(block)
        assert parsed is not None, block["type"]
        parsed.to_dict()  # validates the block and, through their to_dict, its parts


@pytest.mark.parametrize("view", views())
def test_views_pass_slack_sdk_validation(view: dict):
    views_module.View(**view).to_dict()
