"""The App Home view: groups, caps, the team summary and Slack's limits."""

from __future__ import annotations

import uuid
from datetime import timedelta

from bot.blocks import HomeSections, blocks_to_text, home_view, ids
from core.services.analytics import DurationStats
from dashboards.slack import team_summary_blocks
from dashboards.summary import PersonLoad, TeamSummary
from tests.unit.test_blocks import NOW, all_text, assert_within_slack_limits, make_task

VIEWER = uuid.uuid4()


def view(sections: HomeSections, *, team: TeamSummary | None = None, **kwargs) -> dict:
    options = {"now": NOW, "timezone": "UTC", "viewer_user_id": VIEWER, "slack_ids": {}}
    team_blocks = team_summary_blocks(team, dashboard_url="http://tf/dashboard") if team else None
    built = home_view(sections=sections, team_blocks=team_blocks, **options | kwargs)
    assert built["type"] == "home"
    assert_within_slack_limits(built)
    return built


def sections(**groups) -> HomeSections:
    empty = {"overdue": [], "today": [], "upcoming": [], "no_date": []}
    return HomeSections(**empty | groups)


def tasks(count: int, *, due_in: timedelta | None, title: str = "Task") -> list:
    due = None if due_in is None else NOW + due_in
    return [make_task(number=n, title=f"{title} {n}", due_at=due) for n in range(1, count + 1)]


def rows(built: dict) -> list[dict]:
    return [b for b in built["blocks"] if b.get("block_id", "").startswith(ids.TASK_BLOCK_PREFIX)]


def summary(**values) -> TeamSummary:
    nothing = {
        "open": 0,
        "overdue": 0,
        "completed_7d": 0,
        "created_7d": 0,
        "cycle_time": DurationStats(0, None, None, None),
        "workload": [],
    }
    return TeamSummary(**nothing | values)


SUMMARY = summary(
    open=12,
    overdue=3,
    completed_7d=7,
    created_7d=9,
    workload=[PersonLoad("Maria Lopez", 5, 0), PersonLoad("Bo", 2, 0)],
)


def test_groups_render_in_order_with_a_done_button_per_task():
    overdue = make_task(number=1, title="Late one", due_at=NOW - timedelta(days=1))
    today = make_task(number=2, title="Due now", due_at=NOW + timedelta(hours=2))
    later = make_task(number=3, title="Next week", due_at=NOW + timedelta(days=8))
    undated = make_task(number=4, title="Someday")
    built = view(sections(overdue=[overdue], today=[today], upcoming=[later], no_date=[undated]))

    shown = blocks_to_text(built["blocks"])
    order = ["New task", "My tasks", "Overdue", "WEB-1", "Due today", "WEB-2"]
    order += ["Upcoming", "WEB-3", "No date", "WEB-4"]
    positions = [shown.index(word) for word in order]
    assert positions == sorted(positions), shown
    assert "Nothing on your plate" not in shown and "Team summary" not in shown
    for task, row in zip([overdue, today, later, undated], rows(built), strict=True):
        assert row["block_id"] == ids.task_block_id(task.id)
        assert row["accessory"]["action_id"] == ids.TASK_DONE
        assert row["accessory"]["value"] == str(task.id)
    buttons = [e for b in built["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == [ids.TASK_NEW]


def test_a_row_shows_key_title_priority_and_due_in_the_viewers_zone():
    task = make_task(title="Ship <it> & tell", due_at=NOW + timedelta(days=1))
    row = rows(view(sections(upcoming=[task]), timezone="Asia/Tokyo"))[0]["text"]["text"]
    assert "*WEB-42*" in row and "Ship &lt;it&gt; &amp; tell" in row
    assert "High" in row and "due tomorrow 21:00" in row


def test_empty_groups_are_left_out_and_nothing_at_all_is_friendly():
    built = view(sections())
    assert "Nothing on your plate" in all_text(built)
    assert "Overdue" not in all_text(built) and not rows(built)
    only_today = view(sections(today=tasks(1, due_in=timedelta(hours=1))))
    assert "Due today" in all_text(only_today) and "Upcoming" not in all_text(only_today)


def test_a_group_is_capped_with_and_n_more():
    built = view(
        HomeSections(
            overdue=tasks(30, due_in=-timedelta(days=2)),
            today=[],
            upcoming=[],
            no_date=tasks(3, due_in=None),
            more={"overdue": 4, "no_date": 2},
        )
    )
    shown = all_text(built)
    assert len(rows(built)) == 20 + 3
    assert "(34)" in shown and "and 14 more: `/task list mine overdue`" in shown
    assert "(5)" in shown and "and 2 more: `/task list mine`" in shown


def test_the_hint_names_the_configured_command():
    built = view(sections(upcoming=tasks(1, due_in=timedelta(days=3))), command="/todo")
    assert "/todo" not in all_text(built)
    capped = HomeSections(
        overdue=[],
        today=[],
        upcoming=tasks(1, due_in=timedelta(days=3)),
        no_date=[],
        more={"upcoming": 1},
    )
    assert "`/todo list mine`" in all_text(view(capped, command="/todo"))


def test_two_hundred_tasks_in_every_group_stay_within_one_view():
    full = HomeSections(
        overdue=tasks(200, due_in=-timedelta(days=1), title="x" * 255),
        today=tasks(200, due_in=timedelta(hours=1), title="<&>" * 85),
        upcoming=tasks(200, due_in=timedelta(days=30)),
        no_date=tasks(200, due_in=None),
        more={"overdue": 1000, "today": 1, "upcoming": 0, "no_date": 7},
    )
    built = view(full, team=SUMMARY, slack_ids={VIEWER: "U1"})
    assert len(built["blocks"]) <= 100
    assert "Team summary" in all_text(built)
    assert all_text(built).count("more: `/task") == 4


def test_team_summary_only_when_given():
    plain = view(sections(no_date=tasks(1, due_in=None)))
    assert "Team summary" not in all_text(plain)

    built = view(sections(no_date=tasks(1, due_in=None)), team=SUMMARY)
    shown = blocks_to_text(built["blocks"])
    summary = shown[shown.index("Team summary") :]
    assert "Open tasks: 12" in summary and "Overdue: 3" in summary
    assert "Completed, last 7 days: 7" in summary and "Created, last 7 days: 9" in summary
    assert summary.index("Maria Lopez · 5") < summary.index("Bo · 2")


def test_team_summary_escapes_names_and_says_when_nobody_is_busy():
    busy = summary(open=1, created_7d=1, workload=[PersonLoad("<!here>", 1, 1)])
    assert "&lt;!here&gt; · 1 (1 overdue)" in all_text(view(sections(), team=busy))
    idle = summary(workload=[])
    assert "Nobody has open tasks" in all_text(view(sections(), team=idle))


def test_team_summary_shows_cycle_time_when_tasks_were_finished_and_links_the_dashboard():
    quick = summary(cycle_time=DurationStats(4, 30.0, 50.0, 60.0))
    shown = all_text(view(sections(), team=quick))
    assert "*Cycle time, last 7 days*\nmedian 30.0 h" in shown
    assert "http://tf/dashboard" in str(view(sections(), team=quick)["blocks"])
    assert "Cycle time" not in all_text(view(sections(), team=summary()))


def test_greets_the_viewer_by_mention_when_linked():
    assert "<@U1>" in all_text(view(sections(), slack_ids={VIEWER: "U1"}))
    assert "<@" not in all_text(view(sections(), slack_ids={uuid.uuid4(): "U9"}))
